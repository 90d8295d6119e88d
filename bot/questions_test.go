package bot_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
)

// questionState is the Questions modal filled with one question in slot 1.
func questionState(text, typ, options, metric string, required bool) state {
	s := state{
		"q1_text":    {Value: text},
		"q1_type":    {SelectedOption: slack.OptionBlockObject{Value: typ}},
		"q1_options": {Value: options},
		"q1_metric":  {Value: metric},
	}
	if required {
		s["q1_required"] = slack.BlockAction{SelectedOptions: []slack.OptionBlockObject{{Value: "required"}}}
	}
	return s
}

// TestQuestionsModalAndItsInlineErrors: a manager sets the team's own
// questions in the Questions modal; bad input is answered under its field
// and nothing is stored; editing finds the modal pre-filled, and a changed
// question keeps its ID with a new version.
func TestQuestionsModalAndItsInlineErrors(t *testing.T) {
	h := start(t)
	nordic, baltic := seedTeams(h)
	metricsTeam(t, h, nordic)
	wantText(t, "a rep", h.command(repA1, "questions"), escaped(h.en("deny.questions", nil)))

	h.opens(mgrA, "questions")
	v := h.openedView(1)
	if v.CallbackID != "questions" || v.Title.Text != "Questions" {
		t.Fatalf("opened %q titled %q, want the Questions modal", v.CallbackID, v.Title.Text)
	}
	if n := len(v.Blocks.BlockSet); n > 100 {
		t.Fatalf("%d blocks, over Slack's 100", n)
	}
	eleven := strings.Repeat("Option\n", 0)
	for i := range 11 {
		eleven += "Option " + string(rune('A'+i)) + "\n"
	}
	two := func(first, second state) state {
		for k, val := range second {
			first["q2"+strings.TrimPrefix(k, "q1")] = val
		}
		return first
	}
	for _, tc := range []struct {
		name  string
		state state
		field string
		want  string
	}{
		{"an empty question with options", questionState("", "choice", "Call\nEmail", "", false), "q1_text", h.en("err.question_empty", nil)},
		{"11 options", questionState("Channel", "choice", eleven, "", false), "q1_options", h.en("err.question_options", map[string]any{"Min": 2, "Max": 10})},
		{"a duplicate", two(questionState("Deal moved?", "yes_no", "", "", false), questionState("deal moved?", "yes_no", "", "", false)), "q2_text", h.en("err.question_duplicate", map[string]any{"Value": "deal moved?"})},
		{"a number whose key is a metric's", questionState("Calls made", "number", "", "calls = 10", false), "q1_metric", h.en("err.question_key_taken", map[string]any{"Value": "calls"})},
		{"a forged type", questionState("Mood", "essay", "", "", false), "q1_type", h.en("err.question_type", map[string]any{"Value": "essay"})},
		{"options on a scale", questionState("Mood", "scale", "a\nb", "", false), "q1_options", h.en("err.question_options_unused", nil)},
		{"a question too long", questionState(strings.Repeat("я", pulse.MaxQuestionLen+1), "short_text", "", "", false), "q1_text", h.en("err.too_long", map[string]any{"Max": pulse.MaxQuestionLen})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.submit(mgrA, v, tc.state)
			if resp.ResponseAction != "errors" || resp.Errors[tc.field] != escaped(tc.want) {
				t.Errorf("answered %+v, want %q under %s", resp, escaped(tc.want), tc.field)
			}
		})
	}
	if team, _ := h.DB.Team(t.Context(), nordic.ID); len(team.Questions) != 0 {
		t.Fatalf("refused submissions stored %+v", team.Questions)
	}

	// A forged team ID in the modal's metadata: Baltic is not mgrA's.
	forged := v
	forged.PrivateMetadata = baltic.ID + "|,,,,"
	h.submit(mgrA, forged, questionState("Mood", "scale", "", "", false))
	if team, _ := h.DB.Team(t.Context(), baltic.ID); len(team.Questions) != 0 {
		t.Fatalf("another team's questions were changed: %+v", team.Questions)
	}

	good := two(questionState("Which deal moved forward today?", "short_text", "", "", true), questionState("Deals closed", "number", "", "deals = 3", false))
	if resp := h.submit(mgrA, v, good); resp.ResponseAction != "" {
		t.Fatalf("a good submission answered %+v", resp)
	}
	team, err := h.DB.Team(t.Context(), nordic.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(team.Questions) != 2 || team.Questions[0].ID != "q1" || !team.Questions[0].Required || team.Questions[1].Key != "deals" || team.Questions[1].Target != 3 {
		t.Fatalf("stored %+v", team.Questions)
	}
	h.dm(mgrA, "now asks 2 questions of its own")

	h.opens(mgrA, "questions")
	v = h.openedView(2)
	if el := inputElement(t, v, "q1_text").(*slack.PlainTextInputBlockElement); el.InitialValue != "Which deal moved forward today?" {
		t.Errorf("question 1 starts as %q", el.InitialValue)
	}
	if el := inputElement(t, v, "q2_metric").(*slack.PlainTextInputBlockElement); el.InitialValue != "deals = 3" {
		t.Errorf("question 2's metric starts as %q", el.InitialValue)
	}
	if el := inputElement(t, v, "q2_type").(*slack.SelectBlockElement); el.InitialOption == nil || el.InitialOption.Value != "number" {
		t.Errorf("question 2's type starts as %+v", el.InitialOption)
	}
	// Slot 1 reworded, slot 2 removed, a new one in slot 3.
	edit := questionState("Which deal moved forward?", "short_text", "", "", false)
	edit["q3_text"] = slack.BlockAction{Value: "Demo booked?"}
	edit["q3_type"] = slack.BlockAction{SelectedOption: slack.OptionBlockObject{Value: "yes_no"}}
	if resp := h.submit(mgrA, v, edit); resp.ResponseAction != "" {
		t.Fatalf("the edit answered %+v", resp)
	}
	team, _ = h.DB.Team(t.Context(), nordic.ID)
	if len(team.Questions) != 2 || team.Questions[0].ID != "q1" || team.Questions[0].Version != 2 || team.Questions[1].ID != "q3" {
		t.Fatalf("after the edit %+v", team.Questions)
	}
}

// tenMetricsFiveQuestions gives Nordic ten metrics and a question of each
// kind but long text.
func tenMetricsFiveQuestions(t *testing.T, h *harness, team *pulse.Team) {
	t.Helper()
	team.Metrics = nil
	for i := range 10 {
		key := "m" + string(rune('a'+i))
		team.Metrics = append(team.Metrics, pulse.Metric{Key: key, Name: "Metric " + key, Target: 10})
	}
	team.Questions = []pulse.Question{
		{ID: "q1", Version: 1, Text: "Which deal moved forward today?", Type: pulse.QuestionShortText, Required: true},
		{ID: "q2", Version: 1, Text: "Deals closed", Type: pulse.QuestionNumber, Key: "deals", Target: 2},
		{ID: "q3", Version: 1, Text: "Main channel", Type: pulse.QuestionChoice, Options: []string{"Call", "Email", "Meeting"}},
		{ID: "q4", Version: 1, Text: "Confidence", Type: pulse.QuestionScale},
		{ID: "q5", Version: 1, Text: "Demo booked?", Type: pulse.QuestionYesNo},
	}
	team.QuestionSeq = 5
	if err := h.DB.UpdateTeam(t.Context(), team); err != nil {
		t.Fatal(err)
	}
}

// TestCheckInWithTheTeamsOwnQuestions: the check-in modal of a team with
// ten metrics and five questions stays inside Block Kit's limits; a forged
// option is refused under its question; the answers are stored, shown in
// /pulse @rep with the question as it was asked, and exported one column
// each.
func TestCheckInWithTheTeamsOwnQuestions(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	tenMetricsFiveQuestions(t, h, nordic)

	h.slash(ciRep1, "checkin")
	v, raw := h.nthView("views.open", 1)
	if n := len(v.Blocks.BlockSet); n > 100 {
		t.Fatalf("%d blocks, over Slack's 100 a modal", n)
	}
	if len(raw) > 250_000 {
		t.Errorf("view of %d bytes", len(raw))
	}
	got := labels(v)
	for _, want := range []string{"Metric ma", "Metric mj", "Which deal moved forward today?", "Deals closed", "Main channel", "Confidence", "Demo booked?"} {
		if !slices.Contains(got, want) {
			t.Errorf("labels %q lack %q", got, want)
		}
	}
	if sel := inputElement(t, v, "answer_q3").(*slack.SelectBlockElement); len(sel.Options) != 3 {
		t.Errorf("choice options %+v", sel.Options)
	}

	filled := func(channel string) submission {
		s := answers("Call Hansen", "4", "")
		s["metric_ma"] = slack.BlockAction{Type: "number_input", Value: "12"}
		s["answer_q1"] = slack.BlockAction{Type: "plain_text_input", Value: "=Hansen moved to proposal"}
		s["answer_q2"] = slack.BlockAction{Type: "number_input", Value: "2"}
		s["answer_q3"] = slack.BlockAction{Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: channel}}
		s["answer_q4"] = slack.BlockAction{Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: "4"}}
		s["answer_q5"] = slack.BlockAction{Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: "yes"}}
		return s
	}
	forged := filled("Fax")
	if action, errs := h.submitView(ciRep1, v, forged); action != "errors" || errs["answer_q3"] == "" {
		t.Fatalf("a forged option answered %q %v", action, errs)
	}
	noRequired := filled("Call")
	delete(noRequired, "answer_q1")
	if action, errs := h.submitView(ciRep1, v, noRequired); action != "errors" || errs["answer_q1"] == "" {
		t.Fatalf("a required question unanswered: %q %v", action, errs)
	}
	if c := h.storedCheckIn(nordic.ID, ciRep1, ciMonday); c != nil {
		t.Fatalf("a refused check-in was stored: %+v", c)
	}
	if action, errs := h.submitView(ciRep1, v, filled("Email")); action != "" {
		t.Fatalf("a good check-in answered %q %v", action, errs)
	}
	c := h.storedCheckIn(nordic.ID, ciRep1, ciMonday)
	if c == nil || len(c.Answers) != 5 || c.Answers[2].Value != "Email" || c.Metrics["deals"] != 2 || c.Metrics["ma"] != 12 {
		t.Fatalf("stored %+v", c)
	}

	// The question is reworded afterwards, and the yes/no removed: the
	// answers keep the old text, and the removed one is still exported.
	revised := slices.Clone(nordic.Questions[:4])
	revised[0].Text = "Which deal moved?"
	nordic.Questions = pulse.ReviseQuestions(nordic, revised)
	if err := h.DB.UpdateTeam(t.Context(), nordic); err != nil {
		t.Fatal(err)
	}
	detail := h.command(ciMgr1, "<@"+ciRep1+">").allText()
	for _, want := range []string{"Which deal moved forward today?", "Hansen moved to proposal", "Main channel", "Email", "Demo booked?", "Yes"} {
		if !strings.Contains(detail, want) {
			t.Errorf("/pulse @rep lacks %q in %q", want, detail)
		}
	}

	h.slash(ciMgr1, "export 2026-03-02 2026-03-02")
	var f slacktest.File
	h.waitFor("the export", func() bool {
		fs := h.Slack.Files()
		if len(fs) == 1 {
			f = fs[0]
		}
		return len(fs) == 1
	})
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(f.Bytes), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	col := slices.Index(header, "Which deal moved?")
	// Nine fixed columns, ten metrics, five questions, then each metric's
	// plan for the month and the share of it reached.
	if col < 0 || len(header) != 9+10+5+2*10 {
		t.Fatalf("header %q", header)
	}
	var row []string
	for _, r := range recs[1:] {
		if r[1] == ciRep1 {
			row = r
		}
	}
	if nordic.Questions[0].Version != 2 || len(nordic.RetiredQuestions) != 1 || header[col+4] != "Demo booked?" {
		t.Errorf("questions %+v, retired %+v, header %q", nordic.Questions, nordic.RetiredQuestions, header)
	}
	if row == nil || row[col] != "'=Hansen moved to proposal" || row[col+2] != "Email" || row[col+4] != "yes" {
		t.Errorf("row %q", row)
	}
}

// TestSummaryShowsTheTeamsQuestions: the weekly summary gives a scale's
// average and trend, a choice's counts, a yes/no's share and a text's
// count, each under the question as the team asks it.
func TestSummaryShowsTheTeamsQuestions(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	summary := pulse.Summary{TeamID: team.ID, Week: noticeDay, Through: noticeDay.AddDays(4), Questions: []pulse.QuestionSummary{
		{QuestionID: "q1", Text: "Confidence", Type: pulse.QuestionScale, Answers: 6, Average: 3.5, PrevAverage: 3, Trend: 0.5},
		{QuestionID: "q2", Text: "Main channel", Type: pulse.QuestionChoice, Answers: 5, Options: []pulse.OptionCount{{Option: "Call", Count: 3}, {Option: "<!channel>", Count: 2}}},
		{QuestionID: "q3", Text: "Demo booked?", Type: pulse.QuestionYesNo, Answers: 4, Yes: 3, YesShare: 0.75},
		{QuestionID: "q4", Text: "Which deal moved forward today?", Type: pulse.QuestionShortText, Answers: 7},
	}}
	_, m := deliver(h, pulse.Notice{Key: pulse.SummaryKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English, Payload: pulse.SummaryNotice{Summary: summary}})
	text := blocksText(m.Blocks)
	for _, want := range []string{"Team questions", "Confidence: 3.5 on average (+0.5 on last week)", "Main channel: Call 3, &lt;!channel&gt; 2", "Demo booked?: 75", "yes", "Which deal moved forward today?: 7 answers"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q in %s", want, text)
		}
	}
}

// TestSetupResultOpensTheQuestionsModal: the setup's result carries a
// Questions button that opens the team's Questions modal for its manager
// and is refused to a rep pressing a forwarded copy.
func TestSetupResultOpensTheQuestionsModal(t *testing.T) {
	h := start(t)
	nordic, _ := seedTeams(h)
	h.opens(mgrA, "setup nordic")
	if resp := h.submit(mgrA, h.openedView(1), goodSetup("Nordic")); resp.ResponseAction != "" {
		t.Fatalf("setup answered %+v", resp)
	}
	saved := h.messageSaying(mgrA, h.en("setup.saved_updated", map[string]any{"Team": "Nordic"}))
	if !strings.Contains(string(saved.Blocks), `"action_id":"questions.open"`) || !strings.Contains(string(saved.Blocks), nordic.ID) {
		t.Fatalf("the setup's result has no Questions button: %s", saved.Blocks)
	}
	h.ack(h.pressOn(repA1, "questions.open", nordic.ID, slack.Message{}), 1)
	h.pressOn(mgrA, "questions.open", nordic.ID, slack.Message{})
	h.waitFor("the Questions modal", func() bool { return h.viewsOpened() == 2 })
	if v := h.openedView(2); v.CallbackID != "questions" || v.PrivateMetadata != nordic.ID+"|,,,," {
		t.Errorf("opened %q with %q", v.CallbackID, v.PrivateMetadata)
	}
	if n := h.countViews("views.open", repA1); n != 0 {
		t.Errorf("a rep opened %d Questions modals", n)
	}
}

// TestDailyThreadShowsTheTeamsQuestions: a check-in shared in the day's
// thread carries the answers to the team's own questions, escaped.
func TestDailyThreadShowsTheTeamsQuestions(t *testing.T) {
	h := start(t)
	h.Slack.AddChannel("C0SALES", "sales")
	nordic, _ := seedCheckIn(h)
	nordic.DailyThread, nordic.Channel = true, "C0SALES"
	nordic.Questions = []pulse.Question{{ID: "q1", Version: 1, Text: "Which deal moved forward today?", Type: pulse.QuestionShortText}}
	if err := h.DB.UpdateTeam(t.Context(), nordic); err != nil {
		t.Fatal(err)
	}
	ch, parent, err := h.webAPI().PostMessage("C0SALES", slack.MsgOptionText("Today's check-ins", false))
	if err != nil {
		t.Fatal(err)
	}
	h.recordSent(pulse.DailyThreadKey(nordic.ID, ciMonday), pulse.Delivery{Channel: ch, TS: parent})
	h.opens(ciRep1, "checkin")
	v, _ := h.nthView("views.open", 1)
	s := answers("Call Hansen", "4", "3")
	s["answer_q1"] = slack.BlockAction{Type: "plain_text_input", Value: "Hansen <!here> signed"}
	if action, errs := h.submitView(ciRep1, v, s); action != "" {
		t.Fatalf("answered %q %v", action, errs)
	}
	h.waitFor("the thread entry with the answer", func() bool {
		for _, m := range h.Slack.Messages(ch) {
			if m.ThreadTS == parent && strings.Contains(m.Text, "_Which deal moved forward today?_: Hansen &lt;!here&gt; signed") {
				return true
			}
		}
		return false
	})
}
