package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

const ciDirector = "UDIRECTOR"

// A manager sees their own leadership pulse in /pulse, counting the
// feedback they gave; a director sees each manager's side by side, gets
// the team's digest and may give feedback; a rep sees none of it.
func TestLeaderPulseForAManagerAndADirector(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	nordic.Directors = []string{ciDirector}
	ctx := context.Background()
	if err := h.DB.UpdateTeam(ctx, nordic); err != nil {
		t.Fatal(err)
	}
	for _, rep := range []string{ciRep1, ciRep2} {
		f := &pulse.Feedback{TeamID: nordic.ID, RepID: rep, From: ciMgr1, Date: ciMonday, Kind: pulse.FeedbackPraise, Text: "Good", At: h.Clock.Now()}
		if err := h.DB.SaveFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	f := &pulse.Feedback{TeamID: nordic.ID, RepID: ciRep1, From: ciMgr1, Date: ciMonday, Kind: pulse.FeedbackAck, At: h.Clock.Now()}
	if err := h.DB.SaveFeedback(ctx, f); err != nil {
		t.Fatal(err)
	}

	mine := shown(h.answer(h.slash(ciMgr1, "")))
	title := h.en("leader.pulse_title", map[string]any{"Team": "Nordic"})
	given := h.en("leader.pulse_feedback", map[string]any{"Done": 1, "Due": 3, "Target": 2, "Given": 3})
	for _, want := range []string{title, given} {
		if !strings.Contains(mine, want) {
			t.Fatalf("the manager's /pulse lacks %q:\n%s", want, mine)
		}
	}
	if strings.Contains(mine, "<@"+ciMgr2+`>\n`) {
		t.Fatalf("a manager sees another manager's pulse:\n%s", mine)
	}

	director := shown(h.answer(h.slash(ciDirector, "")))
	for _, want := range []string{h.en("leader.directed_title", map[string]any{"Team": "Nordic"}), "<@" + ciMgr1 + `>\n` + given, "<@" + ciMgr2 + `>\n`, "Team Nordic"} {
		if !strings.Contains(director, want) {
			t.Fatalf("the director's /pulse lacks %q:\n%s", want, director)
		}
	}
	if got := shown(h.answer(h.slash(ciDirector, "digest"))); !strings.Contains(got, h.en("leader.digest_title", map[string]any{"Team": "Nordic", "Day": h.Bot.Catalog().Date(pulse.English, ciMonday)})) {
		t.Fatalf("the director's /pulse digest:\n%s", got)
	}

	rep := shown(h.answer(h.slash(ciRep1, "")))
	if strings.Contains(rep, "leadership pulse") || strings.Contains(rep, "Feedback:") {
		t.Fatalf("a rep sees a leadership pulse:\n%s", rep)
	}
	if got := shown(h.answer(h.slash(ciRep1, "digest"))); !strings.Contains(got, escaped(h.en("deny.digest", nil))) {
		t.Fatalf("a rep's /pulse digest was not refused:\n%s", got)
	}

	// The director gives feedback like a manager.
	saveAnswered(h, nordic.ID, ciRep3, ciMonday, 2, "Rebuild the pipeline")
	_, m := sendDigest(h, nordic, ciMgr1, ciMonday)
	pressNotice(h, ciDirector, m, buttonsOf(t, m)[bot.ActionGiveFeedback])
	if v := openedModal(h, 1); v.CallbackID != bot.ViewFeedback {
		t.Fatalf("the director got %s, want the feedback modal", v.CallbackID)
	}
}

// The weekly DM "Your week as a leader" holds the week's pulse with last
// week's beside it; a director's holds each manager's.
func TestLeaderWeekDM(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	nordic.Directors = []string{ciDirector}
	ctx := context.Background()
	if err := h.DB.UpdateTeam(ctx, nordic); err != nil {
		t.Fatal(err)
	}
	f := &pulse.Feedback{TeamID: nordic.ID, RepID: ciRep1, From: ciMgr2, Date: ciMonday, Kind: pulse.FeedbackQuestion, Text: "Why?", At: h.Clock.Now()}
	if err := h.DB.SaveFeedback(ctx, f); err != nil {
		t.Fatal(err)
	}
	week := ciMonday.WeekStart()
	_, m := deliver(h, pulse.Notice{Key: pulse.LeaderWeekKey(nordic.ID, ciMgr2, week), Team: nordic, To: ciMgr2, Lang: pulse.English,
		Payload: pulse.LeaderWeekNotice{Leader: ciMgr2, Week: week}})
	got := m.Text + blocksText(m.Blocks)
	for _, want := range []string{"Your week as a leader", h.en("leader.week_this", nil), h.en("leader.week_last", nil), "(1 given)", "(0 given)"} {
		if !strings.Contains(got, want) {
			t.Fatalf("the week's DM lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<@"+ciMgr1+">") {
		t.Fatalf("a manager's week shows another manager:\n%s", got)
	}
	_, m = deliver(h, pulse.Notice{Key: pulse.LeaderWeekKey(nordic.ID, ciDirector, week), Team: nordic, To: ciDirector, Lang: pulse.English,
		Payload: pulse.LeaderWeekNotice{Leader: ciDirector, Week: week}})
	got = blocksText(m.Blocks)
	if !strings.Contains(got, "<@"+ciMgr1+">") || !strings.Contains(got, "<@"+ciMgr2+">") {
		t.Fatalf("the director's week lacks a manager:\n%s", got)
	}
}

// The leader's pulse counts, of the team's blockers, those the manager
// resolved this week, within the limit or not: not another manager's,
// not one resolved last week, not an open one.
func TestLeaderPulseCountsTheBlockersTheManagerResolvedThisWeek(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	nordic.BlockerLimit = 2
	ctx := context.Background()
	if err := h.DB.UpdateTeam(ctx, nordic); err != nil {
		t.Fatal(err)
	}
	now := h.Clock.Now()
	lastWeek := now.AddDate(0, 0, -4)
	for _, b := range []*pulse.Blocker{
		{UserID: ciRep1, Date: ciMonday, Status: pulse.BlockerResolved, ResolvedBy: ciMgr1, ResolvedAt: now},                   // in the limit
		{UserID: ciRep2, Date: ciMonday.AddDays(-10), Status: pulse.BlockerResolved, ResolvedBy: ciMgr1, ResolvedAt: now},      // past it
		{UserID: ciRep1, Date: ciMonday.AddDays(-14), Status: pulse.BlockerResolved, ResolvedBy: ciMgr1, ResolvedAt: lastWeek}, // last week
		{UserID: ciRep2, Date: ciMonday, Status: pulse.BlockerResolved, ResolvedBy: ciMgr2, ResolvedAt: now},                   // another manager's
		{UserID: ciRep1, Date: ciMonday, Status: pulse.BlockerOpen},                                                            // open
	} {
		b.TeamID, b.Text, b.RaisedAt = nordic.ID, "Waiting for the pricing approval", pulse.WallClock(b.Date, 9*60, nordic.Location())
		if err := h.DB.SaveBlocker(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	mine := shown(h.answer(h.slash(ciMgr1, "")))
	if want := h.en("leader.pulse_blockers", map[string]any{"Done": 1, "Due": 2}); !strings.Contains(mine, want) {
		t.Fatalf("the manager's /pulse lacks %q:\n%s", want, mine)
	}
}
