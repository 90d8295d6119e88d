package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

func TestCheckInFromTheButtonIsSavedAndTheDMSaysWhen(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	dm := h.postCheckInDM(ciRep1, nordic.ID, ciMonday)

	h.ack(h.pressOn(ciRep1, bot.ActionCheckIn, nordic.ID+"|"+ciMonday.String(), dm), 1)
	v, _ := h.nthView("views.open", 1)
	if v.CallbackID != bot.ViewCheckIn {
		t.Fatalf("opened %q, want the check-in modal", v.CallbackID)
	}
	// Intro, results, plan, blocker, energy, two metrics, skill.
	if n := len(v.Blocks.BlockSet); n != 8 {
		t.Errorf("the modal has %d blocks, want 8", n)
	}
	if action, errs := h.submitView(ciRep1, v, answers("Call the fair leads", "4", "23")); action != "" || errs != nil {
		t.Fatalf("submit answered %q %v, want the modal closed", action, errs)
	}
	c := h.storedCheckIn(nordic.ID, ciRep1, ciMonday)
	if c == nil || c.Plan != "Call the fair leads" || c.Energy != 4 || c.Metrics["calls"] != 23 || c.Status != pulse.CheckInOnTime {
		t.Fatalf("stored %+v, want the plan, energy 4, 23 calls, on time", c)
	}
	// 09:00 UTC is 10:00 in Oslo; the first check-in starts a streak of 1.
	h.messageSaying(ciRep1, "Checked in at 10:00 — streak 1")
	h.waitFor("the rep's and the managers' App Homes", func() bool {
		return h.countViews("views.publish", ciRep1) > 0 && h.countViews("views.publish", ciMgr1) > 0 && h.countViews("views.publish", ciMgr2) > 0
	})
}

func TestCheckInFromTheCommandPicksTheFirstTeamByName(t *testing.T) {
	h := start(t)
	nordic, baltic := seedCheckIn(h)
	// The Baltic rep also checks in with Nordic: Baltic comes first by name.
	nordic.Reps = append(nordic.Reps, ciRepB)
	if err := h.DB.UpdateTeam(context.Background(), nordic); err != nil {
		t.Fatal(err)
	}
	h.ack(h.slash(ciRepB, "checkin"), 1)
	v, _ := h.nthView("views.open", 1)
	if action, errs := h.submitView(ciRepB, v, answers("Visit Riga clients", "5", "")); action != "" || errs != nil {
		t.Fatalf("submit answered %q %v, want the modal closed", action, errs)
	}
	if c := h.storedCheckIn(baltic.ID, ciRepB, ciMonday); c == nil || c.Plan != "Visit Riga clients" {
		t.Errorf("Baltic's check-in is %+v, want the plan", c)
	}
	if c := h.storedCheckIn(nordic.ID, ciRepB, ciMonday); c != nil {
		t.Errorf("Nordic got a check-in too: %+v", c)
	}

	// Someone in no team is told so, and no modal opens.
	r := h.answer(h.slash(ciNoOne, "checkin"))
	if !strings.Contains(r.Text, escaped(h.sentence("deny.checkin", nil))) {
		t.Errorf("a stranger's /pulse checkin answered %q", r.Text)
	}
	if n := h.countViews("views.open", ""); n != 1 {
		t.Errorf("%d modals opened, want 1", n)
	}
}

func TestCheckInEditingTodaysAnswerIsPrefilledAndKeepsItsStatus(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	dm := h.postCheckInDM(ciRep1, nordic.ID, ciMonday)
	value := nordic.ID + "|" + ciMonday.String()
	h.pressOn(ciRep1, bot.ActionCheckIn, value, dm)
	v, _ := h.nthView("views.open", 1)
	h.submitView(ciRep1, v, answers("First plan", "3", "10"))
	first := h.storedCheckIn(nordic.ID, ciRep1, ciMonday)

	// Three hours later (past the reminder) the rep edits it from the DM.
	h.Clock.Advance(3 * time.Hour)
	h.pressOn(ciRep1, bot.ActionCheckIn, value, dm)
	v2, raw := h.nthView("views.open", 2)
	for _, want := range []string{`"initial_value":"First plan"`, `"initial_value":"10"`, `"initial_option":{"text":{"type":"plain_text","text":"3`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the edit modal lacks %s:\n%s", want, raw)
		}
	}
	h.submitView(ciRep1, v2, answers("Second plan", "5", "12"))
	c := h.storedCheckIn(nordic.ID, ciRep1, ciMonday)
	if c.Plan != "Second plan" || c.Energy != 5 || c.Status != pulse.CheckInOnTime || !c.SubmittedAt.Equal(first.SubmittedAt) || !c.UpdatedAt.After(first.UpdatedAt) {
		t.Errorf("after the edit %+v; want the new plan, still on time, first submitted %v", c, first.SubmittedAt)
	}
}

func TestCheckInAnsweredAfterTheReminderIsLate(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	h.Clock.Advance(90 * time.Minute) // 11:30 in Oslo, after 09:00 + 2 h
	h.slash(ciRep2, "checkin")
	v, _ := h.nthView("views.open", 1)
	h.submitView(ciRep2, v, answers("Plan", "2", ""))
	if c := h.storedCheckIn(nordic.ID, ciRep2, ciMonday); c == nil || c.Status != pulse.CheckInLate {
		t.Errorf("stored %+v, want late", c)
	}
}

func TestCheckInBadAnswersAreShownUnderTheirInputsAndNothingIsSaved(t *testing.T) {
	long := strings.Repeat("é", pulse.MaxTextLen+1)
	tests := []struct {
		name   string
		values submission
		block  string
	}{
		{"a missing energy is asked for", answers("Plan", "", "1"), "energy"},
		{"an energy of 9 from a forged payload is refused", answers("Plan", "9", "1"), "energy"},
		{"an empty plan is asked for", answers("  ", "3", "1"), "plan"},
		{"a negative number is refused", answers("Plan", "3", "-4"), "metric_calls"},
		{"a number that is not one is refused", answers("Plan", "3", "lots"), "metric_calls"},
		{"a text over 3,000 characters is refused", func() submission {
			s := answers("Plan", "3", "1")
			s["blocker"] = slack.BlockAction{Type: "plain_text_input", Value: long}
			return s
		}(), "blocker"},
		{"a metric the team does not track is refused under the first input", func() submission {
			s := answers("Plan", "3", "1")
			s["metric_bogus"] = slack.BlockAction{Type: "number_input", Value: "3"}
			return s
		}(), "results"},
	}
	h := start(t)
	nordic, _ := seedCheckIn(h)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.slash(ciRep1, "checkin")
			v, _ := h.nthView("views.open", i+1)
			action, errs := h.submitView(ciRep1, v, tt.values)
			if action != "errors" || errs[tt.block] == "" {
				t.Errorf("answered %q %v, want an error under %q", action, errs, tt.block)
			}
			if c := h.storedCheckIn(nordic.ID, ciRep1, ciMonday); c != nil {
				t.Errorf("stored %+v, want nothing", c)
			}
		})
	}
}

func TestCheckInAfterTheRepsDayEndedIsRefused(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	dm := h.postCheckInDM(ciRep1, nordic.ID, ciMonday)
	value := nordic.ID + "|" + ciMonday.String()
	h.pressOn(ciRep1, bot.ActionCheckIn, value, dm)
	v, _ := h.nthView("views.open", 1)
	h.submitView(ciRep1, v, answers("Monday's plan", "4", ""))

	// Past midnight in Oslo: Monday is over, for the open modal and the button.
	h.Clock.Advance(15 * time.Hour)
	action, errs := h.submitView(ciRep1, v, answers("Changed on Tuesday", "1", ""))
	refusal := escaped(h.sentence("checkin.day_over", map[string]any{"Day": "Mon 2 Mar"}))
	if action != "errors" || !strings.Contains(strings.Join(mapValues(errs), " "), "can no longer be changed") {
		t.Errorf("late submit answered %q %v, want %q", action, errs, refusal)
	}
	if c := h.storedCheckIn(nordic.ID, ciRep1, ciMonday); c.Plan != "Monday's plan" {
		t.Errorf("Monday's check-in became %q", c.Plan)
	}
	h.pressOn(ciRep1, bot.ActionCheckIn, value, dm)
	h.messageSaying(ciRep1, "can no longer be changed")
	if n := h.countViews("views.open", ""); n != 1 {
		t.Errorf("%d modals opened, want only the first", n)
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestCheckInImAwayTodayMarksTheDayAndSaysSo(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	dm := h.postCheckInDM(ciRep2, nordic.ID, ciMonday)
	value := nordic.ID + "|" + ciMonday.String()
	h.ack(h.pressOn(ciRep2, bot.ActionAwayToday, value, dm), 1)
	h.messageSaying(ciRep2, "Marked away for Mon 2 Mar")
	// A second press (a double click) adds nothing.
	h.ack(h.pressOn(ciRep2, bot.ActionAwayToday, value, dm), 1)
	h.waitFor("the second update", func() bool { return h.messagesSaying(ciRep2, "Marked away for Mon 2 Mar") == 2 })
	away, err := h.DB.AwayPeriods(context.Background(), ciRep2)
	if err != nil {
		t.Fatal(err)
	}
	if len(away) != 1 || away[0].From != ciMonday || away[0].To != ciMonday {
		t.Errorf("away periods %+v, want Monday only", away)
	}
	// The DM is replaced through each press's response_url: chat.update is
	// paced at about 50 a minute, which a busy team's clicks outrun.
	if n := len(h.Slack.CallsTo("chat.update")); n != 0 {
		t.Errorf("the button's message was updated with %d chat.update calls, want its response_url", n)
	}
	// A manager of the team is not one of its reps.
	h.pressOn(ciMgr1, bot.ActionAwayToday, value, dm)
	h.messageSaying(ciRep2, "Check-ins, commitments and training reports are for the team")
}

func TestCheckInBlockerAlertsBothManagersWhoTakeAndResolveItOnce(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	h.slash(ciRep3, "checkin")
	v, _ := h.nthView("views.open", 1)
	s := answers("Plan", "2", "")
	s["blocker"] = slack.BlockAction{Type: "plain_text_input", Value: "The CRM is down since Friday"}
	h.submitView(ciRep3, v, s)

	alert1 := h.messageSaying(ciMgr1, "The CRM is down since Friday")
	alert2 := h.messageSaying(ciMgr2, "The CRM is down since Friday")
	for _, a := range []string{blocksText(alert1.Blocks), blocksText(alert2.Blocks)} {
		if !strings.Contains(a, bot.ActionBlockerOnIt) || !strings.Contains(a, bot.ActionBlockerResolved) || !strings.Contains(a, "<@"+ciRep3+">") {
			t.Errorf("alert lacks the rep or the buttons: %s", a)
		}
	}
	open, err := h.DB.OpenBlockers(context.Background(), nordic.ID)
	if err != nil || len(open) != 1 {
		t.Fatalf("open blockers %+v, %v; want one", open, err)
	}
	bl := open[0]

	// Editing the check-in without changing the blocker raises nothing new.
	h.slash(ciRep3, "checkin")
	v2, _ := h.nthView("views.open", 2)
	h.submitView(ciRep3, v2, s)

	msg1 := slack.Message{}
	msg1.Channel, msg1.Timestamp = alert1.Channel, alert1.TS
	// A rep may not resolve it, even with the button in hand.
	h.ack(h.pressOn(ciRep1, bot.ActionBlockerResolved, bl.ID, msg1), 1)
	h.messageSaying(ciMgr1, "Only the team's managers can do that")
	if got, _ := h.DB.Blocker(context.Background(), bl.ID); got.Status != pulse.BlockerOpen {
		t.Fatalf("after a rep pressed Resolved the blocker is %s", got.Status)
	}

	h.ack(h.pressOn(ciMgr1, bot.ActionBlockerOnIt, bl.ID, msg1), 1)
	h.messageSaying(ciRep3, "is on your blocker")
	h.waitFor("the alert updated", func() bool {
		for _, m := range h.Slack.Messages(ciMgr1) {
			if m.Updated && strings.Contains(blocksText(m.Blocks), "<@"+ciMgr1+"> is on it") {
				return true
			}
		}
		return false
	})

	msg2 := slack.Message{}
	msg2.Channel, msg2.Timestamp = alert2.Channel, alert2.TS
	h.ack(h.pressOn(ciMgr2, bot.ActionBlockerResolved, bl.ID, msg2), 1)
	h.messageSaying(ciRep3, "resolved your blocker")
	h.messageSaying(ciMgr2, "Resolved by <@"+ciMgr2+"> at 10:00")
	// The first manager presses Resolved too, late: nothing changes.
	h.ack(h.pressOn(ciMgr1, bot.ActionBlockerResolved, bl.ID, msg1), 1)
	h.waitFor("the first alert updated", func() bool { return h.messagesSaying(ciMgr1, "Resolved by <@"+ciMgr2+">") > 0 })

	got, err := h.DB.Blocker(context.Background(), bl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != pulse.BlockerResolved || got.ResolvedBy != ciMgr2 || got.TakenBy != ciMgr1 {
		t.Errorf("blocker %+v, want taken by %s and resolved by %s", got, ciMgr1, ciMgr2)
	}
	if n := h.messagesSaying(ciRep3, "resolved your blocker"); n != 1 {
		t.Errorf("the rep was told %d times it was resolved, want once", n)
	}
	// The alerts and the rep's notices came from the outbox, written with
	// the check-in and the presses: each carries its effect's job.
	for _, user := range []string{ciMgr1, ciMgr2, ciRep3} {
		for _, m := range h.Slack.Messages(user) {
			if strings.Contains(blocksText(m.Blocks), "The CRM is down since Friday") && !m.Updated && !strings.HasPrefix(jobOf(m), string(pulse.JobEffect)) {
				t.Errorf("a message to %s about the blocker was not sent from the outbox: %q", user, m.Text)
			}
		}
	}
	if n := h.messagesSaying(ciMgr1, "The CRM is down since Friday"); n < 2 {
		t.Errorf("first manager's messages about the blocker: %d", n)
	}
	all, _ := h.DB.TeamBlockers(context.Background(), nordic.ID, ciMonday, ciMonday)
	if len(all) != 1 {
		t.Errorf("%d blockers raised, want 1 (the edit kept the same text)", len(all))
	}
}

func TestCheckInModalHintsTheSkillInFocus(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	ctx := context.Background()
	now := h.Clock.Now()
	tr := &pulse.Training{TeamID: nordic.ID, Skill: "Objection handling", Date: ciMonday.AddDays(-7), Attendees: []string{ciRep1}, Schedule: []int{7}, CreatedBy: ciMgr1, CreatedAt: now}
	if err := h.DB.SaveTraining(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.SaveNudge(ctx, &pulse.Nudge{TrainingID: tr.ID, TeamID: nordic.ID, UserID: ciRep1, Day: 7, SentAt: now}); err != nil {
		t.Fatal(err)
	}
	h.slash(ciRep1, "checkin")
	_, raw := h.nthView("views.open", 1)
	if !strings.Contains(string(raw), "In focus for you now: Objection handling") {
		t.Errorf("the modal does not hint the skill in focus:\n%s", raw)
	}
	// A rep without a pending training sees no hint.
	h.slash(ciRep2, "checkin")
	if _, raw := h.nthView("views.open", 2); strings.Contains(string(raw), "In focus") {
		t.Errorf("rep two was hinted a skill:\n%s", raw)
	}
}

func TestCheckInBlockerResolvedByTwoManagersAtOnceIsResolvedOnce(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	bl := &pulse.Blocker{TeamID: nordic.ID, UserID: ciRep2, Date: ciMonday, Text: "Contract stuck in legal", Status: pulse.BlockerOpen, RaisedAt: h.Clock.Now()}
	if err := h.DB.SaveBlocker(context.Background(), bl); err != nil {
		t.Fatal(err)
	}
	// The follow-up notice carries the same buttons; any message will do.
	var msgs [2]slack.Message
	for i, mgr := range []string{ciMgr1, ciMgr2} {
		ch, ts, err := h.webAPI().PostMessage(mgr, slack.MsgOptionText("Blocker still open", false))
		if err != nil {
			t.Fatal(err)
		}
		msgs[i].Channel, msgs[i].Timestamp = ch, ts
	}
	ids := []string{
		h.pressOn(ciMgr1, bot.ActionBlockerResolved, bl.ID, msgs[0]),
		h.pressOn(ciMgr2, bot.ActionBlockerResolved, bl.ID, msgs[1]),
	}
	for _, id := range ids {
		h.ack(id, 1)
	}
	h.messageSaying(ciRep2, "resolved your blocker")
	h.waitFor("both messages updated", func() bool {
		return h.messagesSaying(ciMgr1, "✅ Resolved by") > 0 && h.messagesSaying(ciMgr2, "✅ Resolved by") > 0
	})
	got, err := h.DB.Blocker(context.Background(), bl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != pulse.BlockerResolved || (got.ResolvedBy != ciMgr1 && got.ResolvedBy != ciMgr2) {
		t.Errorf("blocker %+v, want resolved by one of the managers", got)
	}
	// Both messages name the one who resolved it; the rep heard it once.
	for _, mgr := range []string{ciMgr1, ciMgr2} {
		if h.messagesSaying(mgr, "Resolved by <@"+got.ResolvedBy+">") == 0 {
			t.Errorf("%s's message does not name %s", mgr, got.ResolvedBy)
		}
	}
	if n := h.messagesSaying(ciRep2, "resolved your blocker"); n != 1 {
		t.Errorf("the rep was told %d times, want once", n)
	}
}

func TestCheckInFromTheCommandUpdatesTheDaysDM(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	// The cadence recorded the DM in its ledger when it sent it.
	dm := h.postCheckInDM(ciRep2, nordic.ID, ciMonday)
	h.slash(ciRep2, "checkin")
	v, _ := h.nthView("views.open", 1)
	h.submitView(ciRep2, v, answers("Plan", "3", ""))
	m := h.messageSaying(ciRep2, "Checked in at 10:00")
	if !m.Updated || m.TS != dm.Timestamp {
		t.Errorf("the answer went to %+v, want the day's DM %s updated", m, dm.Timestamp)
	}
}
