package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

// burstTeam stores a team of reps reps with two managers, checking in at
// 09:00 in Oslo (an hour before the harness clock's start).
func burstTeam(h *harness, reps int) *pulse.Team {
	h.tb.Helper()
	team := pulse.NewTeam("Burst", "Europe/Oslo")
	team.Managers = []string{ciMgr1, ciMgr2}
	for i := range reps {
		team.Reps = append(team.Reps, fmt.Sprintf("UBURST%02d", i))
	}
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}}
	if err := h.DB.CreateTeam(context.Background(), team); err != nil {
		h.tb.Fatalf("create team: %v", err)
	}
	return team
}

// burstPlan is what rep i of a burst writes as the day's plan.
func burstPlan(i int) string { return fmt.Sprintf("Plan of rep %02d", i) }

// checkInAll has each rep of team check in, one after another, each
// modal closed (the check-in committed) before the next opens.
func checkInAll(h *harness, team *pulse.Team) {
	h.tb.Helper()
	for i, rep := range team.Reps {
		h.opens(rep, "checkin")
		v, _ := h.nthView("views.open", i+1)
		if action, errs := h.submitView(rep, v, answers(burstPlan(i), "4", "3")); action != "" || len(errs) > 0 {
			h.tb.Fatalf("%s's check-in answered %q %v, want closed", rep, action, errs)
		}
	}
}

// burstHomes has each rep of a team of reps with two managers check in
// while Slack holds views.publish, as a slow Slack or a busy pacer does,
// then lets the publishes go and waits for the outbox to empty; it returns
// the team.
func burstHomes(t *testing.T, h *harness, reps int) *pulse.Team {
	t.Helper()
	team := burstTeam(h, reps)
	release := h.Slack.Hold("views.publish")
	checkInAll(h, team)
	release()
	h.waitFor("the outbox emptied", func() bool { return len(pendingEffects(t, h)) == 0 })
	return team
}

// checkedInAll is what a manager's Home says once every rep checked in.
func checkedInAll(reps int) string {
	return fmt.Sprintf("*Checked in:* %d of %d today", reps, reps)
}

// The figure for a burst: 30 check-ins of one team with two managers.
// go test ./bot/ -run TestHomeBurstFigure -v
func TestHomeBurstFigure(t *testing.T) {
	const reps = 30
	// Unpaced: the calls are counted, not timed.
	h := start(t, withConfig(func(c *bot.Config) { c.NoPacing = true }))
	team := burstHomes(t, h, reps)
	for _, m := range team.Managers {
		if home := blocksText(h.homeOf(m)); !strings.Contains(home, checkedInAll(reps)) {
			t.Errorf("%s's last Home lacks %q:\n%s", m, checkedInAll(reps), home)
		}
	}
	t.Logf("views.publish for %d check-ins, 2 managers: %d in all, %d and %d for the managers",
		reps, h.countViews("views.publish", ""), h.countViews("views.publish", ciMgr1), h.countViews("views.publish", ciMgr2))
}
