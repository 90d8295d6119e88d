package pulse_test

import (
	"math"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
)

func questionTeam(qs ...pulse.Question) *pulse.Team {
	team := pulse.NewTeam("Oslo", "Europe/Oslo")
	team.ID, team.Managers, team.Reps = "T1", []string{"UMGR"}, []string{"UAA", "UBB"}
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}}
	team.Questions = qs
	return team
}

// TestQuestionValidation checks each type's rules and the team's limits.
func TestQuestionValidation(t *testing.T) {
	ok := func(id string, typ pulse.QuestionType) pulse.Question {
		q := pulse.Question{ID: id, Version: 1, Text: "Question " + id, Type: typ}
		switch typ {
		case pulse.QuestionChoice:
			q.Options = []string{"Call", "Email", "Meeting"}
		case pulse.QuestionNumber:
			q.Key = "deals_" + id
		}
		return q
	}
	with := func(q pulse.Question, fn func(*pulse.Question)) pulse.Question { fn(&q); return q }
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = "Option " + string(rune('A'+i))
	}
	for _, tc := range []struct {
		name string
		qs   []pulse.Question
		want string // the message key of the first error; "" for none
	}{
		{"every type", []pulse.Question{ok("q1", pulse.QuestionShortText), ok("q2", pulse.QuestionLongText), ok("q3", pulse.QuestionNumber), ok("q4", pulse.QuestionChoice), ok("q5", pulse.QuestionScale)}, ""},
		{"yes/no", []pulse.Question{ok("q1", pulse.QuestionYesNo)}, ""},
		{"six questions", []pulse.Question{ok("q1", pulse.QuestionYesNo), ok("q2", pulse.QuestionYesNo), ok("q3", pulse.QuestionYesNo), ok("q4", pulse.QuestionYesNo), ok("q5", pulse.QuestionYesNo), ok("q6", pulse.QuestionYesNo)}, "err.too_many"},
		{"an empty question", []pulse.Question{with(ok("q1", pulse.QuestionShortText), func(q *pulse.Question) { q.Text = "  " })}, "err.question_empty"},
		{"a question too long", []pulse.Question{with(ok("q1", pulse.QuestionShortText), func(q *pulse.Question) { q.Text = strings.Repeat("я", pulse.MaxQuestionLen+1) })}, "err.too_long"},
		{"the same question twice", []pulse.Question{ok("q1", pulse.QuestionShortText), with(ok("q2", pulse.QuestionScale), func(q *pulse.Question) { q.Text = "question Q1" })}, "err.question_duplicate"},
		{"an unknown type", []pulse.Question{ok("q1", "essay")}, "err.question_type"},
		{"a choice with one option", []pulse.Question{with(ok("q1", pulse.QuestionChoice), func(q *pulse.Question) { q.Options = []string{"Only"} })}, "err.question_options"},
		{"a choice with 11 options", []pulse.Question{with(ok("q1", pulse.QuestionChoice), func(q *pulse.Question) { q.Options = eleven })}, "err.question_options"},
		{"a choice with 10 options", []pulse.Question{with(ok("q1", pulse.QuestionChoice), func(q *pulse.Question) { q.Options = eleven[:10] })}, ""},
		{"a repeated option", []pulse.Question{with(ok("q1", pulse.QuestionChoice), func(q *pulse.Question) { q.Options = []string{"Call", "call"} })}, "err.question_option"},
		{"an option too long", []pulse.Question{with(ok("q1", pulse.QuestionChoice), func(q *pulse.Question) { q.Options = []string{"Call", strings.Repeat("x", 76)} })}, "err.question_option"},
		{"options on a scale", []pulse.Question{with(ok("q1", pulse.QuestionScale), func(q *pulse.Question) { q.Options = []string{"a", "b"} })}, "err.question_options_unused"},
		{"a number whose key is a metric's", []pulse.Question{with(ok("q1", pulse.QuestionNumber), func(q *pulse.Question) { q.Key = "calls" })}, "err.question_key_taken"},
		{"two numbers with one key", []pulse.Question{with(ok("q1", pulse.QuestionNumber), func(q *pulse.Question) { q.Key = "deals" }), with(ok("q2", pulse.QuestionNumber), func(q *pulse.Question) { q.Key = "deals" })}, "err.question_key_taken"},
		{"a number with a bad key", []pulse.Question{with(ok("q1", pulse.QuestionNumber), func(q *pulse.Question) { q.Key = "=SUM(A1)" })}, "err.metric"},
		{"a number with a negative target", []pulse.Question{with(ok("q1", pulse.QuestionNumber), func(q *pulse.Question) { q.Target = -1 })}, "err.metric"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := questionTeam(tc.qs...).Validate()
			got := ""
			if ve, ok := err.(pulse.ValidationErrors); ok && len(ve) > 0 {
				got = ve[0].Key
			} else if err != nil {
				t.Fatalf("Validate = %v", err)
			}
			if got != tc.want {
				t.Fatalf("first error %q (%v), want %q", got, err, tc.want)
			}
		})
	}
}

// TestQuestionAnswers reads each type's answers, forged values included.
func TestQuestionAnswers(t *testing.T) {
	for _, tc := range []struct {
		name string
		q    pulse.Question
		raw  string
		want string // the stored value, or the error's key after "!"; "" for no answer
	}{
		{"short text", pulse.Question{Type: pulse.QuestionShortText}, "  Acme moved to proposal ", "Acme moved to proposal"},
		{"short text too long", pulse.Question{Type: pulse.QuestionShortText}, strings.Repeat("x", pulse.MaxShortAnswerLen+1), "!err.too_long"},
		{"formula-looking text kept as typed", pulse.Question{Type: pulse.QuestionLongText}, "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")"},
		{"long text too long", pulse.Question{Type: pulse.QuestionLongText}, strings.Repeat("x", pulse.MaxTextLen+1), "!err.too_long"},
		{"number with a comma", pulse.Question{Type: pulse.QuestionNumber, Key: "deals"}, "2,5", "2.5"},
		{"number that is not", pulse.Question{Type: pulse.QuestionNumber, Key: "deals"}, "many", "!err.number"},
		{"negative number", pulse.Question{Type: pulse.QuestionNumber, Key: "deals"}, "-3", "!err.number"},
		{"NaN", pulse.Question{Type: pulse.QuestionNumber, Key: "deals"}, "NaN", "!err.number"},
		{"an option", pulse.Question{Type: pulse.QuestionChoice, Options: []string{"Call", "Email"}}, "Email", "Email"},
		{"a forged option", pulse.Question{Type: pulse.QuestionChoice, Options: []string{"Call", "Email"}}, "Fax", "!err.question_choice"},
		{"scale 5", pulse.Question{Type: pulse.QuestionScale}, "5", "5"},
		{"scale 6", pulse.Question{Type: pulse.QuestionScale}, "6", "!err.range"},
		{"scale 0", pulse.Question{Type: pulse.QuestionScale}, "0", "!err.range"},
		{"yes", pulse.Question{Type: pulse.QuestionYesNo}, "yes", "yes"},
		{"a forged yes", pulse.Question{Type: pulse.QuestionYesNo}, "maybe", "!err.question_choice"},
		{"optional unanswered", pulse.Question{Type: pulse.QuestionScale}, " ", ""},
		{"required unanswered", pulse.Question{Type: pulse.QuestionScale, Required: true}, "", "!err.required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.ID, q.Version, q.Text = "q1", 2, "How did it go?"
			a, ok, err := q.Answer(tc.raw)
			got := ""
			switch {
			case err != nil:
				got = "!" + err.Key
			case ok:
				got = a.Value
				if a.QuestionID != "q1" || a.Version != 2 || a.Question != "How did it go?" || a.Type != q.Type {
					t.Errorf("answer %+v does not carry its question", a)
				}
			}
			if got != tc.want {
				t.Fatalf("Answer(%q) = %q, want %q", tc.raw, got, tc.want)
			}
		})
	}
}

// TestCheckInAnswersValidated refuses an answer to another team's question
// and a forged value in a stored check-in, and a missing required answer.
func TestCheckInAnswersValidated(t *testing.T) {
	team := questionTeam(pulse.Question{ID: "q1", Version: 1, Text: "Mood", Type: pulse.QuestionScale, Required: true})
	base := pulse.CheckIn{TeamID: "T1", UserID: "UAA", Date: pulse.MustDate("2026-03-02"), Status: pulse.CheckInOnTime, Plan: "calls", Energy: 3}
	for _, tc := range []struct {
		name    string
		answers []pulse.Answer
		ok      bool
	}{
		{"answered", []pulse.Answer{{QuestionID: "q1", Value: "4"}}, true},
		{"unanswered", nil, false},
		{"another team's question", []pulse.Answer{{QuestionID: "q1", Value: "4"}, {QuestionID: "q9", Value: "x"}}, false},
		{"twice", []pulse.Answer{{QuestionID: "q1", Value: "4"}, {QuestionID: "q1", Value: "5"}}, false},
		{"forged", []pulse.Answer{{QuestionID: "q1", Value: "99"}}, false},
	} {
		c := base
		c.Answers = tc.answers
		if err := c.Validate(team); (err == nil) != tc.ok {
			t.Errorf("%s: Validate = %v", tc.name, err)
		}
	}
}

// TestReviseQuestionsKeepsIDsAndVersions: a changed question keeps its ID
// with a new version, a new one gets an ID never used, even one removed.
func TestReviseQuestionsKeepsIDsAndVersions(t *testing.T) {
	team := questionTeam(
		pulse.Question{ID: "q1", Version: 1, Text: "Mood", Type: pulse.QuestionScale},
		pulse.Question{ID: "q2", Version: 3, Text: "Deal moved?", Type: pulse.QuestionShortText},
	)
	team.QuestionSeq = 2
	got := pulse.ReviseQuestions(team, []pulse.Question{
		{ID: "q2", Text: "Which deal moved forward today?", Type: pulse.QuestionShortText, Required: true},
		{Text: "Demo booked?", Type: pulse.QuestionYesNo},
	})
	if got[0].ID != "q2" || got[0].Version != 4 || got[1].ID != "q3" || got[1].Version != 1 || team.QuestionSeq != 3 {
		t.Fatalf("revised %+v, seq %d", got, team.QuestionSeq)
	}
	if len(team.RetiredQuestions) != 1 || team.RetiredQuestions[0].ID != "q1" || team.RetiredQuestions[0].Text != "Mood" {
		t.Fatalf("retired %+v, want q1 as it was", team.RetiredQuestions)
	}
	team.Questions = got
	again := pulse.ReviseQuestions(team, []pulse.Question{{ID: "q2", Text: "Which deal moved forward today?", Type: pulse.QuestionShortText}, {Text: "New"}})
	if again[0].Version != 4 || again[1].ID != "q4" {
		t.Fatalf("required flag bumped the version or an ID came back: %+v", again)
	}
}

// TestSummarizeAnswersPerType: a scale's average and trend, a choice's
// counts (an option of an older version included), a yes/no's share.
func TestSummarizeAnswersPerType(t *testing.T) {
	team := questionTeam(
		pulse.Question{ID: "q1", Version: 1, Text: "Confidence", Type: pulse.QuestionScale},
		pulse.Question{ID: "q2", Version: 2, Text: "Channel", Type: pulse.QuestionChoice, Options: []string{"Call", "Email"}},
		pulse.Question{ID: "q3", Version: 1, Text: "Demo booked?", Type: pulse.QuestionYesNo},
		pulse.Question{ID: "q4", Version: 1, Text: "Deals", Type: pulse.QuestionNumber, Key: "deals", Target: 2},
	)
	ci := func(rep, day string, answers ...pulse.Answer) pulse.CheckIn {
		return pulse.CheckIn{TeamID: "T1", UserID: rep, Date: pulse.MustDate(day), Status: pulse.CheckInOnTime, Energy: 3, Answers: answers,
			Metrics: map[string]float64{"deals": 1}}
	}
	a := func(id, v string) pulse.Answer { return pulse.Answer{QuestionID: id, Value: v} }
	cis := []pulse.CheckIn{
		ci("UAA", "2026-03-02", a("q1", "4"), a("q2", "Call"), a("q3", "yes")),
		ci("UBB", "2026-03-02", a("q1", "2"), a("q2", "Fax"), a("q3", "no")), // Fax: an option of version 1
		ci("UAA", "2026-03-03", a("q1", "5"), a("q2", "Call"), a("q3", "yes")),
		ci("UAA", "2026-02-27", a("q1", "2")), // the week before
		{TeamID: "T2", UserID: "UAA", Date: pulse.MustDate("2026-03-03"), Status: pulse.CheckInOnTime, Answers: []pulse.Answer{a("q1", "1")}},
	}
	s := pulse.Summarize(team, pulse.MustDate("2026-03-02"), pulse.SummaryInput{CheckIns: cis})
	if len(s.Questions) != 3 {
		t.Fatalf("questions %+v, want three (the number is a metric)", s.Questions)
	}
	scale, choice, yes := s.Questions[0], s.Questions[1], s.Questions[2]
	if scale.Answers != 3 || math.Abs(scale.Average-11.0/3) > 1e-9 || scale.PrevAverage != 2 || math.Abs(scale.Trend-5.0/3) > 1e-9 {
		t.Errorf("scale %+v", scale)
	}
	if len(choice.Options) != 3 || choice.Options[0] != (pulse.OptionCount{Option: "Call", Count: 2}) || choice.Options[1].Count != 0 || choice.Options[2] != (pulse.OptionCount{Option: "Fax", Count: 1}) {
		t.Errorf("choice %+v", choice.Options)
	}
	if yes.Yes != 2 || yes.Answers != 3 || math.Abs(yes.YesShare-2.0/3) > 1e-9 {
		t.Errorf("yes/no %+v", yes)
	}
	var deals *pulse.MetricTotal
	for i := range s.Metrics {
		if s.Metrics[i].Key == "deals" {
			deals = &s.Metrics[i]
		}
	}
	if deals == nil || deals.Total != 3 || deals.Target != 4 {
		t.Errorf("the number question as a metric: %+v", deals)
	}
}
