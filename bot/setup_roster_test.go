package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// An admin who adds themself as a manager of a team can read it: the
// team's managers hear of every change of who is in the team, each in
// their own language, and the log records who changed whom.
func TestCommandsSetupTellsTheManagersWhoJoinedAndLeft(t *testing.T) {
	h := start(t, withAdmin())
	h.Slack.AddChannel("C0SALES", "sales")
	managers := map[string]pulse.Lang{"UMGRNB": pulse.Norwegian, "UMGRRU": pulse.Russian, "UMGRPL": pulse.Polish, "UMGREN": ""}
	for user, lang := range managers {
		if lang != "" {
			if err := h.DB.SavePerson(t.Context(), &pulse.Person{ID: user, Lang: lang}); err != nil {
				t.Fatal(err)
			}
		}
	}
	team := h.createTeam("R&D", []string{"UMGRNB", "UMGRRU", "UMGRPL", "UMGREN"}, []string{repA1, repA2})

	h.opens(adminID, "setup R&amp;D")
	values := goodSetup("R&D")
	values["managers"] = slack.BlockAction{SelectedUsers: []string{"UMGRNB", "UMGRRU", "UMGRPL", "UMGREN", adminID}}
	values["reps"] = slack.BlockAction{SelectedUsers: []string{repA1, repB1}}
	if resp := h.submit(adminID, h.openedView(1), values); resp.ResponseAction != "" {
		t.Fatalf("the submission answered %+v", resp)
	}

	for user, lang := range managers {
		if lang == "" {
			lang = pulse.English
		}
		cat := h.Bot.Catalog()
		want := []string{
			cat.T(lang, "setup.roster_changed", map[string]any{"By": "<@" + adminID + ">", "Team": "R&amp;D"}),
			cat.T(lang, "setup.roster_managers_added", map[string]any{"People": "<@" + adminID + ">"}),
			cat.T(lang, "setup.roster_reps_added", map[string]any{"People": "<@" + repB1 + ">"}),
			cat.T(lang, "setup.roster_reps_removed", map[string]any{"People": "<@" + repA2 + ">"}),
			cat.T(lang, "setup.roster_managers_note", map[string]any{"By": "<@" + adminID + ">"}),
		}
		m := h.messageSaying(user, want[0])
		for _, w := range want[1:] {
			if !strings.Contains(blocksText(m.Blocks), w) {
				t.Errorf("%s (%s) was told %s, lacking %q", user, lang, blocksText(m.Blocks), w)
			}
		}
	}
	if n := h.messagesSaying(adminID, "<@"+adminID+">"); n != 0 {
		t.Errorf("the admin was told of their own change %d times", n)
	}
	for _, m := range h.Slack.Messages(repB1) {
		t.Errorf("a rep was sent %q; only managers are told", m.Text)
	}

	var line string
	h.waitFor("the log line", func() bool {
		for _, l := range strings.Split(h.Logs.String(), "\n") {
			if strings.Contains(l, `msg="team roster changed"`) {
				line = l
				return true
			}
		}
		return false
	})
	for _, want := range []string{
		"level=INFO", "team=" + team.ID, "by=" + adminID, "created=false",
		fmt.Sprintf("managers_added=[%s]", adminID), "managers_removed=[]",
		fmt.Sprintf("reps_added=[%s]", repB1), fmt.Sprintf("reps_removed=[%s]", repA2),
	} {
		if !strings.Contains(line, want) {
			t.Errorf("the log line lacks %q:\n%s", want, line)
		}
	}
	if strings.Contains(line, "R&D") {
		t.Errorf("the log line holds the team's name, words a person typed:\n%s", line)
	}

	// Saving again with nobody added or removed tells nobody; removing a
	// manager after that tells them, once.
	before := len(h.Slack.Messages("UMGREN"))
	h.opens(adminID, "setup R&amp;D")
	if resp := h.submit(adminID, h.openedView(2), values); resp.ResponseAction != "" {
		t.Fatalf("the second submission answered %+v", resp)
	}
	values["managers"] = slack.BlockAction{SelectedUsers: []string{"UMGRNB", "UMGRRU", "UMGRPL", adminID}}
	h.opens(adminID, "setup R&amp;D")
	if resp := h.submit(adminID, h.openedView(3), values); resp.ResponseAction != "" {
		t.Fatalf("the third submission answered %+v", resp)
	}
	h.messageSaying("UMGREN", h.en("setup.roster_managers_removed", map[string]any{"People": "<@UMGREN>"}))
	if n := len(h.Slack.Messages("UMGREN")); n != before+1 {
		t.Errorf("two saves, one changing nobody, sent the removed manager %d messages, want 1", n-before)
	}
}
