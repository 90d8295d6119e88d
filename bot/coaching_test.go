package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

func sessions(t *testing.T, h *harness, team *pulse.Team, rep string) []pulse.CoachingSession {
	t.Helper()
	ss, err := h.DB.RepSessions(t.Context(), team.ID, rep)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func trainings(t *testing.T, h *harness, team *pulse.Team) []pulse.Training {
	t.Helper()
	ts, err := h.DB.TeamTrainings(t.Context(), team.ID, thisWeek.AddDays(-30), thisWeek.AddDays(30))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestCommandsOneOnOne(t *testing.T) {
	h := start(t)
	nordic, baltic := seedTeams(h)
	got := h.command(mgrA, "1on1 <@UREPA1|anna> Talked about the pipeline.\nNext: demos.")
	wantText(t, "/pulse 1on1", got, h.en("commands.oneonone_saved_notes", map[string]any{"Rep": "<@UREPA1>", "Day": "Mon 2 Mar"}))
	ss := sessions(t, h, nordic, repA1)
	if len(ss) != 1 || ss[0].ManagerID != mgrA || ss[0].Date != thisWeek || ss[0].Notes != "Talked about the pipeline.\nNext: demos." {
		t.Fatalf("stored %+v, want today's 1:1 with the notes", ss)
	}

	refusals := []struct {
		name string
		user string
		args string
		want string
	}{
		{"a plain @name", mgrA, "1on1 @anna notes", escaped(h.en("commands.mention_plain", map[string]any{"Value": "@anna"}))},
		{"a malformed mention", mgrA, "1on1 <@UREPA1 notes", escaped(h.en("err.user_unknown", map[string]any{"Value": "<@UREPA1"}))},
		{"no mention", mgrA, "1on1", escaped(h.en("commands.oneonone_usage", nil))},
		{"notes over the limit", mgrA, "1on1 <@UREPA1> " + strings.Repeat("n", pulse.MaxTextLen+1), escaped(h.en("err.too_long", map[string]any{"Max": pulse.MaxTextLen}))},
		{"another team's rep", mgrA, "1on1 <@UREPB1> notes", h.en("commands.not_your_rep", map[string]any{"Rep": "<@UREPB1>"})},
		{"an unknown user", mgrA, "1on1 <@UNOBODY> notes", h.en("commands.not_your_rep", map[string]any{"Rep": "<@UNOBODY>"})},
		{"a rep", repA2, "1on1 <@UREPA1> notes", escaped(h.en("deny.lead", nil))},
		{"someone in no team", outsider, "1on1 <@UREPA1> notes", escaped(h.en("deny.lead", nil))},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			wantText(t, tt.name, h.command(tt.user, tt.args), tt.want)
			if n := len(sessions(t, h, nordic, repA1)); n != 1 {
				t.Errorf("after a refusal Nordic has %d 1:1s with %s, want 1", n, repA1)
			}
			if n := len(sessions(t, h, baltic, repB1)); n != 0 {
				t.Errorf("a refusal stored a 1:1 in Baltic")
			}
		})
	}
}

func TestCommandsOneOnOneModal(t *testing.T) {
	h := start(t)
	nordic, baltic := seedTeams(h)
	h.opens(mgrA, "1on1 <@UREPA1|anna>")
	v := h.openedView(1)
	if v.CallbackID != "coaching" || v.PrivateMetadata != nordic.ID+"|"+repA1 {
		t.Fatalf("opened %q with %q, want the 1:1 modal for Nordic's rep", v.CallbackID, v.PrivateMetadata)
	}
	if got, want := strings.Join(labels(v), "|"), "Notes|Date"; got != want {
		t.Errorf("labels %q, want %q", got, want)
	}
	notes := inputElement(t, v, "notes").(*slack.PlainTextInputBlockElement)
	if !notes.Multiline {
		t.Error("notes are not multiline")
	}
	if d := inputElement(t, v, "date").(*slack.DatePickerBlockElement); d.InitialDate != "2026-03-02" {
		t.Errorf("date starts at %q, want today", d.InitialDate)
	}

	bad := []struct {
		name  string
		user  string
		state state
		field string
	}{
		{"a day to come", mgrA, state{"notes": {Value: "x"}, "date": {SelectedDate: "2026-03-03"}}, "date"},
		{"an impossible day", mgrA, state{"notes": {Value: "x"}, "date": {SelectedDate: "2026-02-30"}}, "date"},
		{"notes over the limit", mgrA, state{"notes": {Value: strings.Repeat("n", pulse.MaxTextLen+1)}, "date": {SelectedDate: "2026-03-02"}}, "notes"},
		{"a manager of another team", mgrB, state{"notes": {Value: "x"}, "date": {SelectedDate: "2026-03-02"}}, "notes"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			resp := h.submit(tt.user, v, tt.state)
			if resp.ResponseAction != "errors" || resp.Errors[tt.field] == "" {
				t.Errorf("answered %+v, want an error under %s", resp, tt.field)
			}
			if n := len(sessions(t, h, nordic, repA1)); n != 0 {
				t.Errorf("a refused submission stored %d 1:1s", n)
			}
		})
	}

	resp := h.submit(mgrA, v, state{"notes": {Value: "Went through lost deals."}, "date": {SelectedDate: "2026-02-27"}})
	if resp.ResponseAction != "" {
		t.Fatalf("a good submission answered %+v", resp)
	}
	ss := sessions(t, h, nordic, repA1)
	if len(ss) != 1 || ss[0].Date != pulse.MustDate("2026-02-27") || ss[0].Notes != "Went through lost deals." || ss[0].ManagerID != mgrA {
		t.Fatalf("stored %+v", ss)
	}
	h.dm(mgrA, h.en("commands.oneonone_saved_notes", map[string]any{"Rep": "<@UREPA1>", "Day": "Fri 27 Feb"}))
	if n := len(sessions(t, h, baltic, repA1)); n != 0 {
		t.Errorf("stored a 1:1 in Baltic")
	}
}

func TestCommandsTraining(t *testing.T) {
	h := start(t)
	nordic, baltic := seedTeams(h)
	got := h.command(mgrA, "training Objection handling <@UREPA1|anna> <@UREPA2>")
	wantText(t, "/pulse training", got, h.Bot.Catalog().Plural(pulse.English, "commands.training_saved", 2, map[string]any{"Skill": "Objection handling", "Count": 2, "Team": "Nordic"}))
	ts := trainings(t, h, nordic)
	if len(ts) != 1 {
		t.Fatalf("stored %+v, want one training", ts)
	}
	tr := ts[0]
	if tr.Skill != "Objection handling" || tr.Date != thisWeek || !slices.Equal(tr.Attendees, []string{repA1, repA2}) || !slices.Equal(tr.Schedule, nordic.ReinforcementDays) || tr.CreatedBy != mgrA {
		t.Errorf("stored %+v, want today's objection handling for both reps on %v", tr, nordic.ReinforcementDays)
	}

	refusals := []struct {
		name string
		user string
		args string
		want string
	}{
		{"no skill", mgrA, "training <@UREPA1>", escaped(h.en("commands.training_usage", nil))},
		{"no rep", mgrA, "training Demos", escaped(h.en("commands.mention_missing", nil))},
		{"a plain @name among the reps", mgrA, "training Demos <@UREPA1> @bob", escaped(h.en("commands.mention_plain", map[string]any{"Value": "@bob"}))},
		{"a skill over the limit", mgrA, "training " + strings.Repeat("s", pulse.MaxSkillLen+1) + " <@UREPA1>", escaped(h.en("err.too_long", map[string]any{"Max": pulse.MaxSkillLen}))},
		{"another team's rep among them", mgrA, "training Demos <@UREPA1> <@UREPB1>", h.en("commands.not_your_rep", map[string]any{"Rep": "<@UREPB1>"})},
		{"a manager of another team", mgrB, "training Demos <@UREPA1>", h.en("commands.not_your_rep", map[string]any{"Rep": "<@UREPA1>"})},
		{"a rep", repA1, "training Demos <@UREPA2>", escaped(h.en("deny.lead", nil))},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			wantText(t, tt.name, h.command(tt.user, tt.args), tt.want)
			if n := len(trainings(t, h, nordic)); n != 1 {
				t.Errorf("after a refusal Nordic has %d trainings, want 1", n)
			}
			if n := len(trainings(t, h, baltic)); n != 0 {
				t.Errorf("a refusal stored a training in Baltic")
			}
		})
	}
}
