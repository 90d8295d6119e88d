package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

// questionRequired is the value of the "required" checkbox.
const questionRequired = "required"

// questionBlock is the block ID of one input of the slot-th question (1 to
// MaxQuestions) of the Questions modal: text, type, options, metric, required.
func questionBlock(slot int, part string) string { return "q" + strconv.Itoa(slot) + "_" + part }

// questionsCommand answers /pulse questions [team name]: the Questions
// modal of the named team, or of the first the person manages.
func (b *Bot) questionsCommand(ctx context.Context, r *Request) error {
	name := strings.TrimSpace(UnescapeText(r.Args))
	var team *pulse.Team
	for _, t := range managedTeams(r) {
		if name == "" || strings.EqualFold(t.Name, name) {
			team = t
			break
		}
	}
	if err := pulse.CanEditQuestions(r.Actor, team); err != nil {
		return err
	}
	return openModal(ctx, r, questionsModal(r, team))
}

// questionsButton opens the Questions modal from the setup's result.
func (b *Bot) questionsButton(ctx context.Context, r *Request) error {
	team, err := b.store.Team(ctx, r.Action.Value)
	if err != nil && !pulse.IsNotFound(err) {
		return fmt.Errorf("load team %q: %w", r.Action.Value, err)
	}
	if err := pulse.CanEditQuestions(r.Actor, team); err != nil {
		return err
	}
	return openModal(ctx, r, questionsModal(r, team))
}

// questionsButtonBlock is the "Questions" button under the setup's result,
// which opens the team's Questions modal.
func questionsButtonBlock(r *Request, t *pulse.Team) slack.Block {
	btn := slack.NewButtonBlockElement(ActionOpenQuestions, t.ID, plainText(r.T(limit("questions.button", maxButtonText), nil)))
	return slack.NewActionBlock("questions", btn)
}

// questionsModal is the team's own questions, one slot each, filled with
// the questions it asks now. The team's ID and each slot's question ID
// travel in private_metadata.
func questionsModal(r *Request, t *pulse.Team) slack.ModalViewRequest {
	ids := make([]string, pulse.MaxQuestions)
	blocks := []slack.Block{contextBlock(mrkdwnEscape(r.T("questions.intro", map[string]any{"Team": t.Name, "Max": pulse.MaxQuestions})))}
	for slot := 1; slot <= pulse.MaxQuestions; slot++ {
		var q pulse.Question
		if slot <= len(t.Questions) {
			q = t.Questions[slot-1]
			ids[slot-1] = q.ID
		}
		blocks = append(blocks, questionSlot(r, slot, q)...)
	}
	return modal(r, ViewQuestions, "questions.title", packValue(t.ID, strings.Join(ids, ",")), blocks...)
}

// questionSlot is one question's inputs, filled from q.
func questionSlot(r *Request, slot int, q pulse.Question) []slack.Block {
	var typeOpts []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, typ := range pulse.QuestionTypes {
		o := slack.NewOptionBlockObject(string(typ), plainText(r.T(limit("questions.type_"+string(typ), maxOptionText), nil)), nil)
		typeOpts = append(typeOpts, o)
		if typ == q.Type || initial == nil {
			initial = o
		}
	}
	typ := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, questionBlock(slot, "type"), typeOpts...)
	typ.InitialOption = initial
	typeIn := slack.NewInputBlock(questionBlock(slot, "type"), plainText(r.T("questions.label_type", nil)), nil, typ)
	typeIn.Optional = true

	options := textInput(questionBlock(slot, "options"), r.T("questions.label_options", nil), strings.Join(q.Options, "\n"), true, true, pulse.MaxQuestionOptions*(pulse.MaxOptionLen+1)+200)
	options.Hint = plainText(r.T("questions.options_hint", map[string]any{"Max": pulse.MaxQuestionOptions}))

	metric := ""
	if q.Type == pulse.QuestionNumber {
		metric = q.Key
		if q.Target > 0 {
			metric += " = " + strconv.FormatFloat(q.Target, 'f', -1, 64)
		}
	}
	metricIn := textInput(questionBlock(slot, "metric"), r.T("questions.label_metric", nil), metric, false, true, 80)
	metricIn.Hint = plainText(r.T("questions.metric_hint", nil))

	reqOpt := slack.NewOptionBlockObject(questionRequired, plainText(r.T(limit("questions.required", maxOptionText), nil)), nil)
	req := slack.NewCheckboxGroupsBlockElement(questionBlock(slot, "required"), reqOpt)
	if q.Required {
		req.InitialOptions = []*slack.OptionBlockObject{reqOpt}
	}
	reqIn := slack.NewInputBlock(questionBlock(slot, "required"), plainText(r.T("questions.label_required", nil)), nil, req)
	reqIn.Optional = true

	return []slack.Block{
		headerBlock(r.T(limit("questions.slot", maxHeaderText), map[string]any{"N": slot})),
		textInput(questionBlock(slot, "text"), r.T("questions.label_text", nil), q.Text, false, true, pulse.MaxQuestionLen),
		typeIn, options, metricIn, reqIn,
	}
}

// questionsSubmit saves the Questions modal. The rule is asked again
// against the team as stored now; every bad input shows under its field.
func (b *Bot) questionsSubmit(ctx context.Context, r *Request) error {
	parts, ok := unpackValue(r.Interaction.View.PrivateMetadata, 2)
	if !ok {
		return pulse.Errorf(pulse.EINVALID, "err.internal", nil, "questions modal metadata %q", r.Interaction.View.PrivateMetadata)
	}
	stored, err := b.store.Team(ctx, parts[0])
	if err != nil && !pulse.IsNotFound(err) {
		return fmt.Errorf("load team %q: %w", parts[0], err)
	}
	if err := pulse.CanEditQuestions(r.Actor, stored); err != nil {
		return err
	}
	ids := strings.Split(parts[1], ",")
	next, slots, errs := readQuestions(r, ids)
	team := stored.Clone()
	team.Questions = pulse.ReviseQuestions(team, next)
	if err := team.Validate(); err != nil {
		var ve pulse.ValidationErrors
		if !errors.As(err, &ve) {
			return err
		}
		for _, e := range ve {
			errs = append(errs, questionFieldError(e, team.Questions, slots))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if err := b.store.UpdateTeam(ctx, team); err != nil {
		return saveTeamError("update questions of", team, err)
	}
	r.Reply(Message{Text: r.Plural("questions.saved", len(team.Questions), map[string]any{"Team": mrkdwnEscape(team.Name), "Count": len(team.Questions)})})
	return nil
}

// readQuestions reads the filled slots in order, with the slot each came
// from. A slot with nothing typed in it is no question; one with options
// or a metric but no text is an empty question.
func readQuestions(r *Request, ids []string) ([]pulse.Question, []int, pulse.ValidationErrors) {
	var out []pulse.Question
	var slots []int
	var errs pulse.ValidationErrors
	for slot := 1; slot <= pulse.MaxQuestions; slot++ {
		q := pulse.Question{Text: stateText(r, questionBlock(slot, "text"))}
		if slot <= len(ids) {
			q.ID = ids[slot-1]
		}
		q.Type = pulse.QuestionShortText
		if v := stateValue(r, questionBlock(slot, "type")); v != nil && v.SelectedOption.Value != "" {
			q.Type = pulse.QuestionType(v.SelectedOption.Value)
		}
		rawOptions := stateText(r, questionBlock(slot, "options"))
		rawMetric := stateText(r, questionBlock(slot, "metric"))
		if v := stateValue(r, questionBlock(slot, "required")); v != nil {
			for _, o := range v.SelectedOptions {
				q.Required = q.Required || o.Value == questionRequired
			}
		}
		if q.Text == "" {
			if rawOptions != "" || rawMetric != "" {
				errs = append(errs, pulse.FieldError(questionBlock(slot, "text"), "err.question_empty", nil, "slot %d has no text", slot))
			}
			continue
		}
		if q.Type == pulse.QuestionChoice {
			for _, line := range strings.Split(rawOptions, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					q.Options = append(q.Options, line)
				}
			}
		} else if rawOptions != "" {
			errs = append(errs, pulse.FieldError(questionBlock(slot, "options"), "err.question_options_unused", nil, "slot %d has options", slot))
		}
		if q.Type == pulse.QuestionNumber {
			key, target, hasTarget := strings.Cut(rawMetric, "=")
			q.Key = strings.TrimSpace(key)
			if hasTarget {
				n, ok := catalog.ParseNumber(target)
				if !ok {
					errs = append(errs, pulse.FieldError(questionBlock(slot, "metric"), "err.number", map[string]any{"Value": clipText(target, maxEchoChars)}, "slot %d target", slot))
				}
				q.Target = n
			}
		}
		out = append(out, q)
		slots = append(slots, slot)
	}
	return out, slots, errs
}

// questionFieldError moves an error Team.Validate reports of a question
// ("question_q3") under the input of the slot it came from.
func questionFieldError(e *pulse.Error, qs []pulse.Question, slots []int) *pulse.Error {
	id, ok := strings.CutPrefix(e.Field, "question_")
	if !ok {
		return e
	}
	for i, q := range qs {
		if q.ID != id || i >= len(slots) {
			continue
		}
		part := "text"
		switch e.Key {
		case "err.question_options", "err.question_option", "err.question_options_unused":
			part = "options"
		case "err.metric", "err.question_key_taken":
			part = "metric"
		case "err.question_type":
			part = "type"
		}
		moved := *e
		moved.Field = questionBlock(slots[i], part)
		return &moved
	}
	return e
}
