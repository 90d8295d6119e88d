package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

// lastView is the latest view sent with method, decoded.
func lastView(h *harness, method string) (slack.View, bool) {
	var v slack.View
	found := false
	for _, rec := range h.Slack.Views() {
		if rec.Method == method {
			found = json.Unmarshal(rec.View, &v) == nil
		}
	}
	return v, found
}

// A rep's 1:1 agenda fills by each rule and by Add to 1:1; /pulse 1on1
// @rep shows it, logging the 1:1 closes it but what is carried over, and
// the next 1:1 reminder shows what is left.
func TestAgendaFilledByEachRuleAndClosedByThe1on1(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// Monday: a blocker raised, a commitment missed, a training.
	must(h.DB.SaveBlocker(ctx, &pulse.Blocker{TeamID: nordic.ID, UserID: ciRep1, Date: ciMonday, Text: "No demo licence", Status: pulse.BlockerOpen, RaisedAt: h.Clock.Now()}))
	must(h.DB.SaveCommitment(ctx, &pulse.Commitment{TeamID: nordic.ID, UserID: ciRep1, Week: ciMonday.AddDays(-7), Text: "Ten demos", Status: pulse.CommitmentMissed}))
	tr := &pulse.Training{TeamID: nordic.ID, Skill: "Objection handling", Date: ciMonday.AddDays(-10), Attendees: []string{ciRep1}, Schedule: []int{2, 7}, CreatedBy: ciMgr1}
	must(h.DB.SaveTraining(ctx, tr))
	for _, d := range []int{2, 7} {
		must(h.DB.SaveNudge(ctx, &pulse.Nudge{TrainingID: tr.ID, TeamID: nordic.ID, UserID: ciRep1, Day: d, SentAt: h.Clock.Now(), Response: pulse.NudgeNotYet, AnsweredAt: h.Clock.Now()}))
	}
	// Tuesday to Thursday at energy 2.
	for i := 1; i <= 3; i++ {
		h.Clock.Advance(day)
		saveAnswered(h, nordic.ID, ciRep1, ciMonday.AddDays(i), 2, "Keep going")
	}
	thursday := ciMonday.AddDays(3)

	// The manager adds an item from the digest.
	_, m := sendDigest(h, nordic, ciMgr1, thursday)
	pressNotice(h, ciMgr1, m, buttonsOf(t, m)[bot.ActionAgendaAdd])
	av := openedModal(h, 1)
	if av.CallbackID != bot.ViewAgenda {
		t.Fatalf("Add to 1:1 opened %s", av.CallbackID)
	}
	h.submitView(ciMgr1, av, submission{"item": {Type: "plain_text_input", Value: "Talk about the Hansen deal"}})
	h.dm(ciMgr1, h.en("leader.agenda_added", map[string]any{"Rep": "<@" + ciRep1 + ">"}))
	// Another team's manager may not.
	pressNotice(h, ciMgrB, m, buttonsOf(t, m)[bot.ActionAgendaAdd])
	anyMessageSaying(h, h.en("deny.agenda", nil))

	// /pulse 1on1 @rep shows the whole agenda in the 1:1 modal.
	h.opens(ciMgr1, "1on1 <@"+ciRep1+">")
	var v slack.View
	h.waitFor("the 1:1 modal with its agenda", func() bool {
		var ok bool
		v, ok = lastView(h, "views.update")
		return ok
	})
	raw, _ := json.Marshal(v.Blocks)
	shownAgenda := blocksText(raw)
	for _, want := range []string{"No demo licence", "Ten demos", "Objection handling", "Energy at 2 or below", "Talk about the Hansen deal"} {
		if !strings.Contains(shownAgenda, want) {
			t.Fatalf("the 1:1 agenda lacks %q:\n%s", want, shownAgenda)
		}
	}
	open, err := h.DB.RepAgenda(ctx, nordic.ID, ciRep1)
	if err != nil || len(open) != 5 {
		t.Fatalf("agenda %+v, %v; want five items", open, err)
	}
	var carry string
	for _, a := range open {
		if a.Source == pulse.AgendaManual {
			carry = a.ID
		}
	}
	// Log the 1:1, carrying the manager's own item over.
	h.submitView(ciMgr1, v, submission{
		"notes": {Type: "plain_text_input", Value: "Went through it"},
		"date":  {Type: "datepicker", SelectedDate: thursday.String()},
		"carry": {Type: "checkboxes", SelectedOptions: []slack.OptionBlockObject{{Value: carry}}},
	})
	h.waitFor("the agenda closed", func() bool {
		open, _ = h.DB.RepAgenda(ctx, nordic.ID, ciRep1)
		return len(open) == 1
	})
	if open[0].ID != carry {
		t.Fatalf("left on the agenda: %+v, want the carried item", open)
	}
	// The rules do not bring back what the 1:1 closed; the reminder shows what is left.
	_, rm := deliver(h, pulse.Notice{Key: pulse.CoachingKey(nordic.ID, ciMgr1, ciRep1, thursday), Team: nordic, To: ciMgr1, Lang: pulse.English,
		Payload: pulse.CoachingNotice{Rep: ciRep1, DaysSince: 14, Cadence: 14}})
	got := blocksText(rm.Blocks)
	if !strings.Contains(got, "Talk about the Hansen deal") || strings.Contains(got, "No demo licence") {
		t.Fatalf("the 1:1 reminder shows:\n%s", got)
	}
}
