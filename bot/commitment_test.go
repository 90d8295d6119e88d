package bot_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// The harness's clock says Monday 2026-03-02 09:00 UTC: 10:00 in Oslo.
var (
	thisWeek = pulse.MustDate("2026-03-02")
	friday   = pulse.MustDate("2026-03-06")
)

func commitments(t *testing.T, h *harness, user string) []pulse.Commitment {
	t.Helper()
	cs, err := h.DB.RepCommitments(t.Context(), user, thisWeek.AddDays(-70), thisWeek.AddDays(70))
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestCommandsCommit(t *testing.T) {
	h := start(t)
	nordic, _ := seedTeams(h)
	got := h.command(repA1, "commit Book 5 demos with new leads")
	wantText(t, "/pulse commit", got, h.en("commands.commit_saved", map[string]any{"Week": "Mon 2 Mar", "Due": "Fri 6 Mar"}))
	cs := commitments(t, h, repA1)
	if len(cs) != 1 {
		t.Fatalf("stored %+v, want one commitment", cs)
	}
	c := cs[0]
	if c.TeamID != nordic.ID || c.Week != thisWeek || c.Due != friday || c.Text != "Book 5 demos with new leads" || c.Status != pulse.CommitmentOpen {
		t.Errorf("stored %+v, want Nordic's, week %s, due %s, open", c, thisWeek, friday)
	}

	refusals := []struct {
		name string
		user string
		args string
		want string
	}{
		{"text over the limit", repA1, "commit " + strings.Repeat("x", pulse.MaxTextLen+1), h.en("err.too_long", map[string]any{"Max": pulse.MaxTextLen})},
		{"someone in no team", outsider, "commit Win", h.en("commands.no_team", nil)},
		{"a manager who is no rep", mgrA, "commit Win", h.en("deny.checkin", nil)},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			wantText(t, tt.name, h.command(tt.user, tt.args), escaped(tt.want))
			if n := len(commitments(t, h, repA1)); n != 1 {
				t.Errorf("after a refusal %s has %d commitments, want 1", repA1, n)
			}
			if n := len(commitments(t, h, tt.user)); tt.user != repA1 && n != 0 {
				t.Errorf("a refusal stored %d commitments for %s", n, tt.user)
			}
		})
	}
}

func TestCommandsCommitInSeveralTeamsSaysWhich(t *testing.T) {
	h := start(t)
	seedTeams(h)
	alpha := h.createTeam("Alpha", []string{mgrB}, []string{repA1})
	got := h.command(repA1, "commit Call 20 leads")
	wantText(t, "/pulse commit", got, h.en("commands.commit_saved_team", map[string]any{"Week": "Mon 2 Mar", "Due": "Fri 6 Mar", "Team": "Alpha"})+
		" "+h.en("commands.commit_which_team", map[string]any{"Team": "Alpha"}))
	if cs := commitments(t, h, repA1); len(cs) != 1 || cs[0].TeamID != alpha.ID {
		t.Errorf("stored %+v, want one in Alpha, the first by name", cs)
	}

	// Nordic's meeting prompt button commits to Nordic, and says so.
	nordic, err := h.DB.TeamByName(t.Context(), "Nordic")
	if err != nil {
		t.Fatal(err)
	}
	msg := slack.Message{Msg: slack.Msg{Channel: "C0SALES", Timestamp: "1772441400.000100"}}
	h.ack(h.press(repA1, "commitment.add", nordic.ID+"|2026-03-02", msg), 1)
	if resp := h.submit(repA1, h.openedView(1), state{"text": {Value: "Two demos"}, "due": {SelectedDate: "2026-03-06"}}); resp.ResponseAction != "" {
		t.Fatalf("submission answered %+v", resp)
	}
	h.dm(repA1, h.en("commands.commit_saved_team", map[string]any{"Week": "Mon 2 Mar", "Due": "Fri 6 Mar", "Team": "Nordic"}))
	cs := commitments(t, h, repA1)
	if len(cs) != 2 || !slices.ContainsFunc(cs, func(c pulse.Commitment) bool { return c.TeamID == nordic.ID && c.Text == "Two demos" }) {
		t.Errorf("stored %+v, want the second in Nordic", cs)
	}
}

// metricsTeam gives Nordic two metrics, so the commitment modal offers them.
func metricsTeam(t *testing.T, h *harness, team *pulse.Team) {
	t.Helper()
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 100}, {Key: "demos", Name: "Demos", Target: 5}}
	if err := h.DB.UpdateTeam(t.Context(), team); err != nil {
		t.Fatal(err)
	}
}

func TestCommandsCommitmentModal(t *testing.T) {
	h := start(t)
	nordic, _ := seedTeams(h)
	metricsTeam(t, h, nordic)
	h.opens(repA1, "commit")
	v := h.openedView(1)
	if v.CallbackID != "commitment" {
		t.Fatalf("opened %q, want the commitment modal", v.CallbackID)
	}
	if got, want := strings.Join(labels(v), "|"), "What will you do this week?|Measured by|Target|Due"; got != want {
		t.Errorf("labels %q, want %q", got, want)
	}
	if sel := inputElement(t, v, "metric").(*slack.SelectBlockElement); len(sel.Options) != 2 || sel.Options[0].Value != "calls" {
		t.Errorf("metric options %+v, want calls and demos", sel.Options)
	}
	if due := inputElement(t, v, "due").(*slack.DatePickerBlockElement); due.InitialDate != "2026-03-06" {
		t.Errorf("due starts at %q, want Friday 2026-03-06", due.InitialDate)
	}

	bad := []struct {
		name  string
		state state
		field string
	}{
		{"empty text", state{"text": {Value: "  "}, "due": {SelectedDate: "2026-03-06"}}, "text"},
		{"a negative target", state{"text": {Value: "Call"}, "target": {Value: "-3"}, "due": {SelectedDate: "2026-03-06"}}, "target"},
		{"a target that is no number", state{"text": {Value: "Call"}, "target": {Value: "lots"}, "due": {SelectedDate: "2026-03-06"}}, "target"},
		{"a metric the team does not track", state{"text": {Value: "Call"}, "metric": {SelectedOption: slack.OptionBlockObject{Value: "revenue"}}, "due": {SelectedDate: "2026-03-06"}}, "metric"},
		{"due before the week", state{"text": {Value: "Call"}, "due": {SelectedDate: "2026-02-27"}}, "due"},
		{"no due date", state{"text": {Value: "Call"}}, "due"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			resp := h.submit(repA1, v, tt.state)
			if resp.ResponseAction != "errors" || resp.Errors[tt.field] == "" {
				t.Errorf("answered %+v, want an error under %s", resp, tt.field)
			}
			if n := len(commitments(t, h, repA1)); n != 0 {
				t.Errorf("a refused submission stored %d commitments", n)
			}
		})
	}

	resp := h.submit(repA1, v, state{
		"text":   {Value: "Call every lead from the fair"},
		"metric": {SelectedOption: slack.OptionBlockObject{Value: "calls"}},
		"target": {Value: "120"},
		"due":    {SelectedDate: "2026-03-05"},
	})
	if resp.ResponseAction != "" {
		t.Fatalf("a good submission answered %+v, want the modal closed", resp)
	}
	cs := commitments(t, h, repA1)
	if len(cs) != 1 || cs[0].Metric != "calls" || cs[0].Target != 120 || cs[0].Due != pulse.MustDate("2026-03-05") || cs[0].Week != thisWeek {
		t.Fatalf("stored %+v, want calls 120 due 2026-03-05", cs)
	}
	h.dm(repA1, h.en("commands.commit_saved", map[string]any{"Week": "Mon 2 Mar", "Due": "Thu 5 Mar"}))

	// A manager of the team is no rep of it: the modal refuses them.
	if resp := h.submit(mgrA, v, state{"text": {Value: "Sneak"}, "due": {SelectedDate: "2026-03-05"}}); resp.ResponseAction != "errors" {
		t.Errorf("a manager's submission answered %+v, want it refused", resp)
	}
	if n := len(commitments(t, h, mgrA)); n != 0 {
		t.Errorf("a refused submission stored %d commitments", n)
	}
}

func TestCommandsAddMyCommitmentButtonOpensTheModal(t *testing.T) {
	h := start(t)
	nordic, _ := seedTeams(h)
	msg := slack.Message{Msg: slack.Msg{Channel: "C0SALES", Timestamp: "1772441400.000100"}}
	id := h.press(repA1, "commitment.add", nordic.ID+"|2026-03-02", msg)
	h.ack(id, 1)
	v := h.openedView(1)
	if v.CallbackID != "commitment" || v.PrivateMetadata != nordic.ID+"|2026-03-02" {
		t.Errorf("opened %q with %q, want the commitment modal for Nordic's week", v.CallbackID, v.PrivateMetadata)
	}

	for _, tt := range []struct {
		name  string
		user  string
		value string
	}{
		{"a rep of another team", repB1, nordic.ID + "|2026-03-02"},
		{"a week that is no Monday", repA1, nordic.ID + "|2026-03-03"},
		{"a value of the wrong shape", repA1, nordic.ID},
		{"an unknown team", repA1, "nope|2026-03-02"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := h.viewsOpened()
			h.ack(h.press(tt.user, "commitment.add", tt.value, msg), 1)
			h.waitFor("the refusal", func() bool {
				for _, m := range h.Slack.Messages("C0SALES") {
					if m.ViaResponseURL && m.User == tt.user {
						return true
					}
				}
				return false
			})
			if h.viewsOpened() != before {
				t.Errorf("a modal opened for %s", tt.name)
			}
		})
	}
}

func TestCommandsReviewButtonsMarkTheCommitmentAndUpdateTheMessage(t *testing.T) {
	h := start(t)
	nordic, _ := seedTeams(h)
	c := &pulse.Commitment{TeamID: nordic.ID, UserID: repA1, Week: thisWeek.AddDays(-7), Text: "Book 5 demos", Due: thisWeek.AddDays(-3), Status: pulse.CommitmentOpen}
	if err := h.DB.SaveCommitment(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	intro := slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "Last week's commitments", false, false), nil, nil)
	buttons := slack.NewActionBlock("review",
		slack.NewButtonBlockElement("commitment.kept", c.ID, slack.NewTextBlockObject(slack.PlainTextType, "Kept", false, false)),
		slack.NewButtonBlockElement("commitment.missed", c.ID, slack.NewTextBlockObject(slack.PlainTextType, "Missed", false, false)),
	)
	msg := slack.Message{Msg: slack.Msg{Channel: "C0SALES", Timestamp: "1772441400.000100", Blocks: slack.Blocks{BlockSet: []slack.Block{intro, buttons}}}}

	status := func() pulse.CommitmentStatus {
		got, err := h.DB.Commitment(t.Context(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	updates := func() []string {
		var out []string
		for _, m := range h.Slack.Messages("C0SALES") {
			if m.Updated {
				out = append(out, string(m.Blocks))
			}
		}
		return out
	}

	// Someone else's rep, and a rep of the same team who is not its author, are refused.
	for _, user := range []string{repA2, mgrB, outsider} {
		h.ack(h.press(user, "commitment.kept", c.ID, msg), 1)
	}
	h.waitFor("three refusals", func() bool {
		n := 0
		for _, m := range h.Slack.Messages("C0SALES") {
			if m.ViaResponseURL && !m.Updated {
				n++
			}
		}
		return n == 3
	})
	if got := status(); got != pulse.CommitmentOpen {
		t.Fatalf("after refusals the status is %q, want open", got)
	}
	if u := updates(); len(u) != 0 {
		t.Fatalf("refusals updated the message: %v", u)
	}

	h.ack(h.press(repA1, "commitment.kept", c.ID, msg), 1)
	h.waitFor("the message updated", func() bool { return len(updates()) == 1 })
	if got := status(); got != pulse.CommitmentKept {
		t.Errorf("status %q, want kept", got)
	}
	line := h.en("commands.review_marked_kept", map[string]any{"By": "<@" + repA1 + ">", "Rep": "<@" + repA1 + ">", "Text": "Book 5 demos"})
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(updates()[0]), &blocks); err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 2 || blocks[1]["type"] != "context" || !strings.Contains(updates()[0], "Last week's commitments") || !strings.Contains(updates()[0], escapeJSON(line)) {
		t.Errorf("updated message %s, want the intro kept and the buttons replaced by %q", updates()[0], line)
	}

	// The team's manager has the last word.
	h.ack(h.press(mgrA, "commitment.missed", c.ID, msg), 1)
	h.waitFor("the second update", func() bool { return len(updates()) == 2 })
	if got := status(); got != pulse.CommitmentMissed {
		t.Errorf("status %q after the manager's review, want missed", got)
	}
}

// escapeJSON is s as it appears inside a JSON string.
func escapeJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
