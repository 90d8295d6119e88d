package bot_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

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

// burstPlan and burstCalls are what rep i of a burst checks in with.
func burstPlan(i int) string { return fmt.Sprintf("Plan of rep %02d", i) }
func burstCalls(i int) int   { return i + 1 }

// wantHomeShowsBurst fails the test unless user's last published Home
// shows every rep of team checked in, each with their calls.
func wantHomeShowsBurst(t *testing.T, h *harness, user string, team *pulse.Team) {
	t.Helper()
	home := blocksText(h.homeOf(user))
	want := []string{checkedInAll(len(team.Reps))}
	for i, rep := range team.Reps {
		want = append(want, fmt.Sprintf("<@%s> · Calls: %d of 50 ", rep, burstCalls(i)))
	}
	for _, w := range want {
		if !strings.Contains(home, w) {
			t.Errorf("%s's last Home lacks %q:\n%s", user, w, home)
		}
	}
}

// checkInAll has each rep of team check in, one after another, each
// modal closed (the check-in committed) before the next opens.
func checkInAll(h *harness, team *pulse.Team) {
	h.tb.Helper()
	for i, rep := range team.Reps {
		h.opens(rep, "checkin")
		v, _ := h.nthView("views.open", i+1)
		if action, errs := h.submitView(rep, v, answers(burstPlan(i), "4", strconv.Itoa(burstCalls(i)))); action != "" || len(errs) > 0 {
			h.tb.Fatalf("%s's check-in answered %q %v, want closed", rep, action, errs)
		}
	}
}

// checkedInAll is what a manager's Home says once every rep checked in.
func checkedInAll(reps int) string {
	return fmt.Sprintf("*Checked in:* %d of %d today", reps, reps)
}

// The figure for a burst: 30 reps of a team with two managers check in,
// one after another, with the Web API paced as always; once the outbox is
// empty the views.publish calls are counted, each manager's last Home
// checked to show every check-in.
//
//	go test ./bot/ -run '^$' -bench BenchmarkHomeBurst -benchtime 1x
func BenchmarkHomeBurst(b *testing.B) {
	const reps = 30
	var all, managers int
	for range b.N {
		h := start(b)
		team := burstTeam(h, reps)
		checkInAll(h, team)
		// Paced, the burst's publishes take longer than waitFor waits.
		ctx, cancel := context.WithTimeout(b.Context(), 3*time.Minute)
		err := h.Slack.WaitFor(ctx, func() bool {
			got, err := h.DB.PendingEffects(ctx)
			return err == nil && len(got) == 0
		})
		cancel()
		if err != nil {
			b.Fatalf("waiting for the outbox to empty: %v", err)
		}
		for _, m := range team.Managers {
			if home := blocksText(h.homeOf(m)); !strings.Contains(home, checkedInAll(reps)) {
				b.Fatalf("%s's last Home lacks %q", m, checkedInAll(reps))
			}
		}
		all += h.countViews("views.publish", "")
		managers += h.countViews("views.publish", ciMgr1) + h.countViews("views.publish", ciMgr2)
	}
	b.ReportMetric(float64(all)/float64(b.N), "publishes/burst")
	b.ReportMetric(float64(managers)/float64(b.N), "manager-publishes/burst")
}

// homeEffectKeys returns the keys of the pending App Home effects for user.
func homeEffectKeys(t *testing.T, h *harness, user string) []pulse.JobKey {
	t.Helper()
	var keys []pulse.JobKey
	for _, e := range pendingEffects(t, h) {
		if e.Kind == pulse.EffectHome && e.To == user {
			keys = append(keys, e.Key)
		}
	}
	return keys
}

// wantJobs fails the test unless each job stands in state.
func wantJobs(t *testing.T, h *harness, keys []pulse.JobKey, state pulse.JobState) {
	t.Helper()
	for _, k := range keys {
		if j, err := h.DB.Job(t.Context(), k); err != nil || j.State != state {
			t.Errorf("job %s = %+v, %v; want %s", k, j, err, state)
		}
	}
}

// jobsIn reports whether each job stands in state.
func jobsIn(t *testing.T, h *harness, keys []pulse.JobKey, state pulse.JobState) bool {
	for _, k := range keys {
		if j, err := h.DB.Job(t.Context(), k); err != nil || j.State != state {
			return false
		}
	}
	return true
}

// unpaced is a harness whose Web API calls are not paced: these tests
// count calls, and 20 modals would otherwise wait out views.open's pace.
func unpaced() harnessOption {
	return withConfig(func(c *bot.Config) { c.NoPacing = true })
}

// Twenty reps check in while Slack holds the publishes of their managers'
// Homes. The first check-in's effect starts a publish of the first
// manager's Home; the other nineteen, written after it started, wait for
// it and then for one follow-up. The second manager's effects all come
// after their writes, while one publish is in flight: it covers them all.
func TestHomeBurstPublishesEachManagersHomeAtMostTwice(t *testing.T) {
	const reps = 20
	h := start(t, unpaced())
	team := burstTeam(h, reps)
	release1 := h.Slack.HoldFor("views.publish", ciMgr1)
	release2 := h.Slack.HoldFor("views.publish", ciMgr2)
	defer release1()
	defer release2()
	checkInAll(h, team)
	h.waitFor("every check-in's effect for the first manager in flight", func() bool { return h.Bot.HomesInFlight(ciMgr1) == reps })
	keys := append(homeEffectKeys(t, h, ciMgr1), homeEffectKeys(t, h, ciMgr2)...)
	if len(keys) != 2*reps {
		t.Fatalf("%d Home effects of the managers pending, want %d", len(keys), 2*reps)
	}
	release1()
	h.waitFor("every check-in's effect for the second manager in flight", func() bool { return h.Bot.HomesInFlight(ciMgr2) == reps })
	release2()
	h.waitFor("the outbox emptied", func() bool { return len(pendingEffects(t, h)) == 0 })

	if n := h.countViews("views.publish", ciMgr1); n < 1 || n > 2 {
		t.Errorf("the first manager's Home published %d times, want at most twice", n)
	}
	if n := h.countViews("views.publish", ciMgr2); n != 1 {
		t.Errorf("the second manager's Home published %d times, want once", n)
	}
	for _, m := range team.Managers {
		wantHomeShowsBurst(t, h, m, team)
	}
	wantJobs(t, h, keys, pulse.JobSent)
	if n := h.Bot.HomeFlightPeople(); n != 0 {
		t.Errorf("%d people still have an entry with nothing in flight", n)
	}
	for _, rep := range team.Reps {
		if n := h.countViews("views.publish", rep); n != 1 {
			t.Errorf("%s's Home published %d times, want once", rep, n)
		}
	}
}

// A publish Slack fails fails the effects waiting for it too: they stay in
// the outbox, released, and the next pass publishes the Home once for all.
func TestHomePublishFailureLeavesItsEffectsForALaterPass(t *testing.T) {
	const reps = 5
	h := start(t, unpaced())
	team := burstTeam(h, reps)
	release := h.Slack.HoldFor("views.publish", ciMgr1)
	defer release()
	checkInAll(h, team)
	h.waitFor("every check-in's effect for the manager in flight", func() bool { return h.Bot.HomesInFlight(ciMgr1) == reps })
	keys := homeEffectKeys(t, h, ciMgr1)
	h.Slack.Fail("views.publish", "internal_error", 1) // the held publish
	release()
	h.waitFor("the manager's effects given back", func() bool { return jobsIn(t, h, keys, pulse.JobReleased) })
	failed := 0
	for _, c := range h.Slack.CallsTo("views.publish") {
		if c.SlackError != "" {
			failed++
		}
	}
	if failed != 1 || h.countViews("views.publish", ciMgr1) != 0 {
		t.Fatalf("%d failed publishes and %d published for the manager, want one failed and none\n%s", failed, h.countViews("views.publish", ciMgr1), h.Logs)
	}
	if got := homeEffectKeys(t, h, ciMgr1); len(got) != reps {
		t.Fatalf("%d of the manager's %d effects pending after the failure", len(got), reps)
	}

	if err := h.Bot.SendEffects(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the outbox emptied", func() bool { return len(pendingEffects(t, h)) == 0 })
	if n := h.countViews("views.publish", ciMgr1); n != 1 {
		t.Errorf("the manager's Home published %d times after the failure, want once", n)
	}
	wantHomeShowsBurst(t, h, ciMgr1, team)
	wantJobs(t, h, keys, pulse.JobSent)
}

// An effect waits for the publish in flight no longer than its post
// window, nor does the publish run past its own: both are given back, and
// the next pass publishes the Home once for both.
func TestHomeWaitEndsWithThePostWindow(t *testing.T) {
	const reps = 2
	// A post window of two seconds.
	h := start(t, unpaced(), withConfig(func(c *bot.Config) { c.EffectStale = 8 * time.Second }))
	team := burstTeam(h, reps)
	release := h.Slack.HoldFor("views.publish", ciMgr1)
	defer release()
	checkInAll(h, team)
	h.waitFor("both effects for the manager in flight", func() bool { return h.Bot.HomesInFlight(ciMgr1) == reps })
	keys := homeEffectKeys(t, h, ciMgr1)
	if len(keys) != reps {
		t.Fatalf("%d Home effects of the manager pending, want %d", len(keys), reps)
	}
	h.waitFor("the manager's effects given back", func() bool { return jobsIn(t, h, keys, pulse.JobReleased) })
	if n := h.Bot.HomesInFlight(ciMgr1); n != 0 {
		t.Errorf("%d effects for the manager still in flight", n)
	}
	release()
	if err := h.Bot.SendEffects(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the outbox emptied", func() bool { return len(pendingEffects(t, h)) == 0 })
	if n := h.countViews("views.publish", ciMgr1); n != 1 {
		t.Errorf("the manager's Home published %d times, want once", n)
	}
	wantHomeShowsBurst(t, h, ciMgr1, team)
	wantJobs(t, h, keys, pulse.JobSent)
	if n := h.Bot.HomeFlightPeople(); n != 0 {
		t.Errorf("%d people still have an entry with nothing in flight", n)
	}
}
