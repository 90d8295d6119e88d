package bot

import (
	"strconv"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// answerBlock is the block ID of the check-in modal's input for one of the
// team's own questions; pulse.Question.Answer names its errors so.
func answerBlock(q pulse.Question) string { return "answer_" + q.ID }

// answerInput is the check-in modal's input for q, filled with c's answer
// when it has one: a text input, a number, a select of the options, radio
// buttons 1–5 or yes/no. The label is the question as the manager wrote it.
func answerInput(p voice, q pulse.Question, c pulse.CheckIn) *slack.InputBlock {
	id := answerBlock(q)
	prev, _ := c.AnswerTo(q.ID)
	var el slack.BlockElement
	switch q.Type {
	case pulse.QuestionLongText, pulse.QuestionShortText:
		in := slack.NewPlainTextInputBlockElement(nil, id)
		in.Multiline = q.Type == pulse.QuestionLongText
		in.MaxLength = pulse.MaxTextLen
		if q.Type == pulse.QuestionShortText {
			in.MaxLength = pulse.MaxShortAnswerLen
		}
		in.InitialValue = prev.Value
		el = in
	case pulse.QuestionNumber:
		in := slack.NewNumberInputBlockElement(nil, id, true).WithMinValue("0")
		in.InitialValue = prev.Value
		el = in
	case pulse.QuestionChoice:
		opts := make([]*slack.OptionBlockObject, 0, len(q.Options))
		for _, o := range q.Options {
			opts = append(opts, slack.NewOptionBlockObject(o, plainText(clipText(o, maxOptionText)), nil))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, id, opts...)
		for _, o := range opts {
			if o.Value == prev.Value {
				sel.InitialOption = o
			}
		}
		el = sel
	case pulse.QuestionScale:
		var opts []*slack.OptionBlockObject
		for i := 1; i <= 5; i++ {
			opts = append(opts, slack.NewOptionBlockObject(strconv.Itoa(i), plainText(strconv.Itoa(i)), nil))
		}
		radio := slack.NewRadioButtonsBlockElement(id, opts...)
		if n, err := strconv.Atoi(prev.Value); err == nil && n >= 1 && n <= 5 {
			radio.InitialOption = opts[n-1]
		}
		el = radio
	default: // yes/no
		yes := slack.NewOptionBlockObject(pulse.AnswerYes, plainText(p.T(limit("questions.answer_yes", maxOptionText), nil)), nil)
		no := slack.NewOptionBlockObject(pulse.AnswerNo, plainText(p.T(limit("questions.answer_no", maxOptionText), nil)), nil)
		radio := slack.NewRadioButtonsBlockElement(id, yes, no)
		switch prev.Value {
		case pulse.AnswerYes:
			radio.InitialOption = yes
		case pulse.AnswerNo:
			radio.InitialOption = no
		}
		el = radio
	}
	in := slack.NewInputBlock(id, plainText(q.Text), nil, el)
	in.Optional = !q.Required
	return in
}

// answersFromState reads the answers to the team's questions, in the
// team's order, from the submitted check-in modal. A number's answer is
// also its metric's value in metrics, and only there: a value for its key
// sent otherwise is dropped. Bad or forged values become errors under
// their input.
func answersFromState(r *Request, team *pulse.Team, metrics map[string]float64) ([]pulse.Answer, pulse.ValidationErrors) {
	var out []pulse.Answer
	var errs pulse.ValidationErrors
	for _, q := range team.Questions {
		raw := ""
		if v := stateValue(r, answerBlock(q)); v != nil {
			raw = v.Value
			if v.SelectedOption.Value != "" {
				raw = v.SelectedOption.Value
			}
		}
		if q.Type == pulse.QuestionNumber {
			delete(metrics, q.Key)
		}
		a, ok, err := q.Answer(raw)
		switch {
		case err != nil:
			errs = append(errs, err)
		case ok:
			out = append(out, a)
			if v, isNumber := a.Number(); isNumber && q.Type == pulse.QuestionNumber {
				metrics[q.Key] = v
			}
		}
	}
	return out, errs
}

// answerLine is one answer as a mrkdwn line, escaped: the question as it
// was when answered, then the answer.
func answerLine(p voice, a pulse.Answer) string {
	return "_" + inlineText(a.Question, 200) + "_: " + inlineText(answerText(p, a), 300)
}

// answerText is an answer's value as a person reads it: yes and no in
// their language, the rest as given.
func answerText(p voice, a pulse.Answer) string {
	if a.Type == pulse.QuestionYesNo {
		switch a.Value {
		case pulse.AnswerYes:
			return p.T("questions.answer_yes", nil)
		case pulse.AnswerNo:
			return p.T("questions.answer_no", nil)
		}
	}
	return a.Value
}
