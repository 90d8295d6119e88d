package pulse

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A team's own questions, asked in every check-in beside the fixed sales
// ones. Each keeps an ID for good and a version that grows when what it
// asks changes, and every answer carries the question's ID, version and
// text as answered: changing or removing a question leaves past answers
// readable as they were given.

// QuestionType is what kind of answer a question takes.
type QuestionType string

// The kinds of question a team may ask.
const (
	QuestionShortText QuestionType = "short_text"
	QuestionLongText  QuestionType = "long_text"
	QuestionNumber    QuestionType = "number" // also one of the team's metrics
	QuestionChoice    QuestionType = "choice" // one of up to MaxQuestionOptions
	QuestionScale     QuestionType = "scale"  // 1 to 5
	QuestionYesNo     QuestionType = "yes_no"
)

// QuestionTypes lists the kinds in the order a manager picks from.
var QuestionTypes = []QuestionType{QuestionShortText, QuestionLongText, QuestionNumber, QuestionChoice, QuestionScale, QuestionYesNo}

// Limits on a team's own questions; an option's text is held to Slack's 75
// characters of an option so every option can be shown as written.
const (
	MaxQuestions        = 5
	MaxQuestionLen      = 200
	MaxQuestionOptions  = 10
	MaxOptionLen        = 75
	MaxShortAnswerLen   = 250
	MaxRetiredQuestions = 20 // removed questions kept for the export
)

// The values a yes/no answer is stored as.
const (
	AnswerYes = "yes"
	AnswerNo  = "no"
)

// Question is one of a team's own check-in questions.
type Question struct {
	ID       string       // "q1", "q2", …: never reused within the team
	Version  int          // 1 when asked first, one more each time what it asks changes
	Text     string       // as the manager wrote it
	Type     QuestionType //
	Options  []string     // a single choice's options, in order
	Required bool         // a check-in without an answer is refused
	Key      string       // a number's metric key, as a metric's
	Target   float64      // a number's weekly target per rep; 0 means none
}

// Answer is a rep's answer to one of the team's questions, with the
// question as it was when answered.
type Answer struct {
	QuestionID string
	Version    int
	Question   string // the question's text when answered
	Type       QuestionType
	Value      string // text as typed; a number in decimal; an option's text; "1"–"5"; "yes" or "no"
}

// Number returns the answer's value as a number (a number or a scale).
func (a Answer) Number() (float64, bool) {
	v, err := strconv.ParseFloat(a.Value, 64)
	return v, err == nil
}

// Question returns the team's question with the given ID.
func (t *Team) Question(id string) (Question, bool) {
	for _, q := range t.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return Question{}, false
}

// QuestionMetrics returns the team's number questions as metrics: their
// answers count as the team's numbers, with their weekly targets.
func (t *Team) QuestionMetrics() []Metric {
	var out []Metric
	for _, q := range t.Questions {
		if q.Type == QuestionNumber {
			out = append(out, Metric{Key: q.Key, Name: q.Text, Target: q.Target})
		}
	}
	return out
}

// TrackedMetrics returns every number the team tracks: its metrics, then
// its number questions.
func (t *Team) TrackedMetrics() []Metric {
	qs := t.QuestionMetrics()
	if len(qs) == 0 {
		return t.Metrics
	}
	return append(slices.Clone(t.Metrics), qs...)
}

// validateQuestions reports every problem with the team's questions.
func (t *Team) validateQuestions() ValidationErrors {
	var errs ValidationErrors
	if len(t.Questions) > MaxQuestions {
		errs = append(errs, FieldError("questions", "err.too_many", map[string]any{"Max": MaxQuestions}, "more than %d questions", MaxQuestions))
	}
	ids, texts := map[string]bool{}, map[string]bool{}
	for _, q := range t.Questions {
		field := "question_" + q.ID
		text := strings.TrimSpace(q.Text)
		switch {
		case q.ID == "" || ids[q.ID]:
			errs = append(errs, FieldError("questions", "err.internal", nil, "question without an ID or repeated: %q", q.ID))
		case text == "":
			errs = append(errs, FieldError(field, "err.question_empty", nil, "question %s is empty", q.ID))
		case utf8.RuneCountInString(text) > MaxQuestionLen || !utf8.ValidString(text):
			errs = append(errs, FieldError(field, "err.too_long", map[string]any{"Max": MaxQuestionLen}, "question %s longer than %d", q.ID, MaxQuestionLen))
		case texts[strings.ToLower(text)]:
			errs = append(errs, FieldError(field, "err.question_duplicate", map[string]any{"Value": text}, "question %s asked twice", q.ID))
		}
		ids[q.ID], texts[strings.ToLower(text)] = true, true
		if q.Version < 1 {
			errs = append(errs, FieldError(field, "err.internal", nil, "question %s without a version", q.ID))
		}
		if !slices.Contains(QuestionTypes, q.Type) {
			errs = append(errs, FieldError(field, "err.question_type", map[string]any{"Value": string(q.Type)}, "question %s of unknown type %q", q.ID, q.Type))
		}
		if e := q.validateOptions(field); e != nil {
			errs = append(errs, e)
		}
		if q.Type == QuestionNumber {
			switch {
			case !metricKey.MatchString(q.Key):
				errs = append(errs, FieldError(field, "err.metric", map[string]any{"Value": q.Key}, "question %s has a bad key %q", q.ID, q.Key))
			case slices.ContainsFunc(t.Metrics, func(m Metric) bool { return m.Key == q.Key }) ||
				slices.ContainsFunc(t.Questions, func(o Question) bool { return o.ID != q.ID && o.Type == QuestionNumber && o.Key == q.Key }):
				errs = append(errs, FieldError(field, "err.question_key_taken", map[string]any{"Value": q.Key}, "question %s key %q is taken", q.ID, q.Key))
			case q.Target < 0 || math.IsNaN(q.Target) || math.IsInf(q.Target, 0) || q.Target > 1e12:
				errs = append(errs, FieldError(field, "err.metric", map[string]any{"Value": q.Key}, "question %s target out of range", q.ID))
			}
		}
	}
	return errs
}

// validateOptions checks a single choice's options: two to ten, none
// empty, too long or repeated; other types have none.
func (q *Question) validateOptions(field string) *Error {
	if q.Type != QuestionChoice {
		if len(q.Options) > 0 {
			return FieldError(field, "err.question_options_unused", nil, "question %s of type %s has options", q.ID, q.Type)
		}
		return nil
	}
	if len(q.Options) < 2 || len(q.Options) > MaxQuestionOptions {
		return FieldError(field, "err.question_options", map[string]any{"Min": 2, "Max": MaxQuestionOptions}, "question %s has %d options", q.ID, len(q.Options))
	}
	seen := map[string]bool{}
	for _, o := range q.Options {
		t := strings.TrimSpace(o)
		if t == "" || t != o || utf8.RuneCountInString(t) > MaxOptionLen || !utf8.ValidString(t) || seen[strings.ToLower(t)] {
			return FieldError(field, "err.question_option", map[string]any{"Value": t, "Max": MaxOptionLen}, "question %s has a bad option", q.ID)
		}
		seen[strings.ToLower(t)] = true
	}
	return nil
}

// Answer reads what a rep gave for q (raw: the text typed, the number, the
// option picked, "1"–"5", "yes" or "no") into an answer, or the error to
// show under the question. An empty raw is no answer: ok is false, and it
// is an error only when q is required. A value that is not one q offers
// (a forged option) is an error.
func (q *Question) Answer(raw string) (a Answer, ok bool, err *Error) {
	field := "answer_" + q.ID
	raw = strings.TrimSpace(raw)
	if raw == "" {
		if q.Required {
			return Answer{}, false, FieldError(field, "err.required", nil, "question %s unanswered", q.ID)
		}
		return Answer{}, false, nil
	}
	a = Answer{QuestionID: q.ID, Version: q.Version, Question: q.Text, Type: q.Type, Value: raw}
	switch q.Type {
	case QuestionShortText, QuestionLongText:
		max := MaxTextLen
		if q.Type == QuestionShortText {
			max = MaxShortAnswerLen
		}
		s, e := cleanText(field, raw, max, false)
		if e != nil {
			return Answer{}, false, e
		}
		a.Value = s
	case QuestionNumber:
		v, e := strconv.ParseFloat(strings.ReplaceAll(raw, ",", "."), 64)
		if e != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e12 {
			return Answer{}, false, FieldError(field, "err.number", map[string]any{"Value": clipValue(raw)}, "question %s: not a number", q.ID)
		}
		a.Value = strconv.FormatFloat(v, 'f', -1, 64)
	case QuestionChoice:
		i := slices.Index(q.Options, raw)
		if i < 0 {
			return Answer{}, false, FieldError(field, "err.question_choice", map[string]any{"Value": clipValue(raw)}, "question %s: not an option", q.ID)
		}
	case QuestionScale:
		n, e := strconv.Atoi(raw)
		if e != nil || n < 1 || n > 5 {
			return Answer{}, false, FieldError(field, "err.range", map[string]any{"Min": 1, "Max": 5}, "question %s: scale %q", q.ID, clipValue(raw))
		}
		a.Value = strconv.Itoa(n)
	case QuestionYesNo:
		if raw != AnswerYes && raw != AnswerNo {
			return Answer{}, false, FieldError(field, "err.question_choice", map[string]any{"Value": clipValue(raw)}, "question %s: yes/no %q", q.ID, clipValue(raw))
		}
	default:
		return Answer{}, false, FieldError(field, "err.internal", nil, "question %s of unknown type", q.ID)
	}
	return a, true, nil
}

// clipValue shortens a bad value before it is quoted in an error.
func clipValue(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// NextQuestionID returns an ID no question of the team has had: one past
// QuestionSeq and the highest "qN" among its questions.
func NextQuestionID(t *Team) string {
	n := t.QuestionSeq
	for _, q := range t.Questions {
		if k, err := strconv.Atoi(strings.TrimPrefix(q.ID, "q")); err == nil && k > n {
			n = k
		}
	}
	return "q" + strconv.Itoa(n+1)
}

// ReviseQuestions returns next with each question's version set: a new
// question (no ID, or one the team does not have) gets a new ID and
// version 1; a kept one keeps its ID and its version, one more when its
// text, type, options or key changed. The team's QuestionSeq grows with
// each new ID so a removed question's ID is never given again, and a
// removed question joins its RetiredQuestions.
func ReviseQuestions(t *Team, next []Question) []Question {
	out := make([]Question, 0, len(next))
	defer func() { t.retire(out) }()
	for _, q := range next {
		old, ok := t.Question(q.ID)
		if !ok || q.ID == "" || slices.ContainsFunc(out, func(o Question) bool { return o.ID == q.ID }) {
			q.ID = NextQuestionID(t)
			if k, err := strconv.Atoi(strings.TrimPrefix(q.ID, "q")); err == nil {
				t.QuestionSeq = k
			}
			q.Version = 1
			out = append(out, q)
			continue
		}
		q.Version = old.Version
		if old.Text != q.Text || old.Type != q.Type || !slices.Equal(old.Options, q.Options) || old.Key != q.Key {
			q.Version++
		}
		out = append(out, q)
	}
	return out
}

// validateAnswers checks c's answers against the team's questions: each to
// a question the team asks, once, with a value the question accepts (a
// forged option or number is refused), and every required one answered.
func (c *CheckIn) validateAnswers(team *Team) ValidationErrors {
	var errs ValidationErrors
	seen := map[string]bool{}
	for i, a := range c.Answers {
		q, ok := team.Question(a.QuestionID)
		if !ok || seen[a.QuestionID] {
			errs = append(errs, FieldError("answer_"+a.QuestionID, "err.question_unknown", nil, "answer to unknown or repeated question %q", a.QuestionID))
			continue
		}
		seen[a.QuestionID] = true
		checked, answered, err := q.Answer(a.Value)
		switch {
		case err != nil:
			errs = append(errs, err)
		case answered:
			c.Answers[i] = checked
		}
	}
	for _, q := range team.Questions {
		if q.Required && !seen[q.ID] {
			errs = append(errs, FieldError("answer_"+q.ID, "err.required", nil, "question %s unanswered", q.ID))
		}
	}
	return errs
}

// AnswerTo returns c's answer to the question with the given ID.
func (c *CheckIn) AnswerTo(id string) (Answer, bool) {
	for _, a := range c.Answers {
		if a.QuestionID == id {
			return a, true
		}
	}
	return Answer{}, false
}

// retire moves the team's questions that kept is without to the end of
// RetiredQuestions, keeping the latest MaxRetiredQuestions.
func (t *Team) retire(kept []Question) {
	for _, q := range t.Questions {
		if slices.ContainsFunc(kept, func(k Question) bool { return k.ID == q.ID }) {
			continue
		}
		t.RetiredQuestions = slices.DeleteFunc(t.RetiredQuestions, func(r Question) bool { return r.ID == q.ID })
		t.RetiredQuestions = append(t.RetiredQuestions, q)
	}
	if n := len(t.RetiredQuestions) - MaxRetiredQuestions; n > 0 {
		t.RetiredQuestions = slices.Delete(t.RetiredQuestions, 0, n)
	}
}
