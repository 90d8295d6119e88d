package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

const day = 24 * time.Hour

// The digest warns first of all of the reps who have heard nothing from
// any of the team's leaders for the team's interval of three workdays:
// counted from the team's start when they never had feedback, from their
// last feedback else; a day away does not count.
func TestDigestWarnsFirstOfRepsWithoutFeedbackAfterTheInterval(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h) // created Monday
	ctx := context.Background()
	fb := &pulse.Feedback{TeamID: nordic.ID, RepID: ciRep2, From: ciMgr2, Date: ciMonday, Kind: pulse.FeedbackPraise, Text: "Good", At: h.Clock.Now()}
	if err := h.DB.SaveFeedback(ctx, fb); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.AddAway(ctx, &pulse.AwayPeriod{UserID: ciRep3, From: ciMonday.AddDays(2), To: ciMonday.AddDays(2)}); err != nil {
		t.Fatal(err)
	}
	warning := func(rep string) string { return "<@" + rep + "> has" }
	for _, tt := range []struct {
		day    string
		warned []string
		quiet  []string
	}{
		{"Tuesday", nil, []string{ciRep1, ciRep2, ciRep3}},
		{"Wednesday", []string{ciRep1}, []string{ciRep2, ciRep3}}, // rep3 is away on Wednesday
		{"Thursday", []string{ciRep1, ciRep2, ciRep3}, nil},       // rep2's Monday feedback is three workdays old
	} {
		h.Clock.Advance(day)
		saveAnswered(h, nordic.ID, ciRep1, pulse.DateOf(h.Clock.Now()), 3, "Plan of "+tt.day)
		got := shown(h.answer(h.slash(ciMgr1, "digest")))
		for _, rep := range tt.warned {
			if !strings.Contains(got, warning(rep)) {
				t.Errorf("%s: the digest does not warn about %s:\n%s", tt.day, rep, got)
			}
		}
		for _, rep := range tt.quiet {
			if strings.Contains(got, warning(rep)) {
				t.Errorf("%s: the digest warns about %s too early:\n%s", tt.day, rep, got)
			}
		}
		if len(tt.warned) > 0 && strings.Index(got, h.en("leader.silent_heading", nil)) > strings.Index(got, "Plan of "+tt.day) {
			t.Errorf("%s: the warning does not come first:\n%s", tt.day, got)
		}
		if tt.day == "Thursday" && !strings.Contains(got, "since "+h.Bot.Catalog().Weekday(pulse.English, time.Monday)) {
			t.Errorf("Thursday: the warning about rep2 does not name Monday:\n%s", got)
		}
	}
}

// A check-in that comes after the digest went out is added to it: the
// manager's digest message is rewritten to hold it.
func TestDigestLateCheckInIsAddedToTheSentDigest(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	saveAnswered(h, nordic.ID, ciRep1, ciMonday, 4, "Early plan")
	d1, _ := sendDigest(h, nordic, ciMgr1, ciMonday)
	d2, _ := sendDigest(h, nordic, ciMgr2, ciMonday)

	h.opens(ciRep2, "checkin")
	v, _ := h.nthView("views.open", 1)
	if action, errs := h.submitView(ciRep2, v, answers("Late plan", "3", "7")); action != "" || len(errs) > 0 {
		t.Fatalf("check-in answered %q %v", action, errs)
	}
	for _, d := range []pulse.Delivery{d1, d2} {
		h.waitFor("the digest updated with the late check-in", func() bool {
			got := lastUpdate(h, d)
			return strings.Contains(got, "Late plan") && strings.Contains(got, "Early plan")
		})
	}
}

// A digest of 250 reps who all checked in, with long answers, stays in
// Slack's limits: at most 50 blocks, each section under 3,000 characters,
// the first reps in full with their buttons and the rest in brief.
func TestDigestOfA250RepTeamKeepsSlacksLimits(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	big := pulse.NewTeam("Enterprise", "Europe/Oslo")
	big.Managers = []string{ciMgr1}
	for i := range 250 {
		big.Reps = append(big.Reps, fmt.Sprintf("UBIG%05d", i))
	}
	if err := h.DB.CreateTeam(ctx, big); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Pricing & <b>tools</b> =SUM(A1) ", 90)
	for _, rep := range big.Reps {
		c := &pulse.CheckIn{TeamID: big.ID, UserID: rep, Date: ciMonday, Status: pulse.CheckInLate, Results: long, Plan: long, Blocker: long, Skill: long, Energy: 2,
			SubmittedAt: h.Clock.Now(), UpdatedAt: h.Clock.Now()}
		if err := h.DB.SaveCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	_, m := sendDigest(h, big, ciMgr1, ciMonday)
	var blocks []json.RawMessage
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		t.Fatal(err)
	}
	if len(blocks) > 50 {
		t.Fatalf("the digest has %d blocks, Slack takes 50", len(blocks))
	}
	for _, b := range noticeBlocks(t, m) {
		if s, ok := b.(*slack.SectionBlock); ok && s.Text != nil && len([]rune(s.Text.Text)) > 3000 {
			t.Fatalf("a section of %d characters", len([]rune(s.Text.Text)))
		}
	}
	text := blocksText(m.Blocks)
	if n := strings.Count(text, `"action_id":"`+bot.ActionGiveFeedback+`"`); n != 20 {
		t.Errorf("%d entries with buttons, want the first 20", n)
	}
	for _, want := range []string{h.en("leader.digest_more", nil), "<@UBIG00020>", "…and ", "&lt;b&gt;tools&lt;/b&gt;"} {
		if !strings.Contains(text, want) {
			t.Errorf("the digest lacks %q", want)
		}
	}
	if strings.Contains(text, "<b>tools") {
		t.Error("a rep's words reached the digest unescaped")
	}
}

// A team that shares check-ins gets each one as a reply in the day's
// thread, once: an edit rewrites the reply. A leader may answer it from
// there; the confirmation is theirs alone, the channel never sees feedback.
func TestDailyThreadGetsEachCheckInOnce(t *testing.T) {
	h := start(t)
	h.Slack.AddChannel("C0SALES", "sales")
	nordic, _ := seedCheckIn(h)
	nordic.DailyThread, nordic.Channel = true, "C0SALES"
	if err := h.DB.UpdateTeam(context.Background(), nordic); err != nil {
		t.Fatal(err)
	}
	ch, parent, err := h.webAPI().PostMessage("C0SALES", slack.MsgOptionText("Today's check-ins", false))
	if err != nil {
		t.Fatal(err)
	}
	h.recordSent(pulse.DailyThreadKey(nordic.ID, ciMonday), pulse.Delivery{Channel: ch, TS: parent})

	for i, plan := range []string{"First plan", "Edited plan"} {
		h.opens(ciRep1, "checkin")
		v, _ := h.nthView("views.open", i+1)
		h.submitView(ciRep1, v, answers(plan, "4", "3"))
		h.waitFor("the thread entry saying "+plan, func() bool {
			for _, m := range h.Slack.Messages(ch) {
				if strings.Contains(m.Text, plan) {
					return true
				}
			}
			return false
		})
	}
	var entries []string
	for _, m := range h.Slack.Messages(ch) {
		if m.ThreadTS == parent && !m.Updated {
			entries = append(entries, m.TS)
		}
	}
	if len(entries) != 1 {
		t.Fatalf("%d replies in the day's thread, want the check-in once", len(entries))
	}
	entry := threadReply(h, ch, parent, "First plan")
	pressNotice(h, ciMgr2, entry, buttonsOf(t, entry)[bot.ActionGiveFeedback])
	v := openedModal(h, 3)
	h.submitView(ciMgr2, v, submission{
		"kind":     {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: "praise"}},
		"feedback": {Type: "plain_text_input", Value: "Strong plan"},
	})
	h.waitFor("the leader's own confirmation", func() bool {
		for _, m := range h.Slack.Messages(ch) {
			if strings.Contains(m.Text, "Feedback sent to") {
				if !m.Ephemeral || m.User != ciMgr2 {
					t.Fatalf("the confirmation went to the channel: %+v", m)
				}
				return true
			}
		}
		return false
	})
	for _, m := range h.Slack.Messages(ch) {
		if strings.Contains(m.Text+string(m.Blocks), "Strong plan") {
			t.Fatalf("the feedback itself reached the channel: %+v", m)
		}
	}
}
