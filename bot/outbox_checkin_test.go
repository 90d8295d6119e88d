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

// openDailyThread makes team share check-ins in #sales and opens its
// thread of day there, as the cadence does; it returns where.
func openDailyThread(h *harness, team *pulse.Team, day pulse.Date) (channel, parent string) {
	h.tb.Helper()
	h.Slack.AddChannel("C0SALES", "sales")
	team.DailyThread, team.Channel = true, "C0SALES"
	if err := h.DB.UpdateTeam(context.Background(), team); err != nil {
		h.tb.Fatal(err)
	}
	channel, parent, err := h.webAPI().PostMessage("C0SALES", slack.MsgOptionText("Today's check-ins", false))
	if err != nil {
		h.tb.Fatal(err)
	}
	h.recordSent(pulse.DailyThreadKey(team.ID, day), pulse.Delivery{Channel: channel, TS: parent})
	return channel, parent
}

// A check-in accepted (its modal closed) and the process stopped before
// anything after the ack went out: the check-in's reply in the daily
// thread and the App Homes it changes (the rep's, each manager's) are in
// the outbox, and the next run sends them, the reply once, whether or not
// Slack completed the post cut off in flight.
func TestOutboxCheckInStoppedAfterAckSharesAndRefreshesHomesOnce(t *testing.T) {
	onEngines(t, func(t *testing.T, engine string) {
		h := startOn(t, engine, withConfig(func(c *bot.Config) { c.DrainTimeout = 50 * time.Millisecond }))
		ctx := context.Background()
		nordic, _ := seedCheckIn(h)
		ch, parent := openDailyThread(h, nordic, ciMonday)

		h.opens(ciRep1, "checkin")
		v, _ := h.nthView("views.open", 1)
		releasePosts := h.Slack.Hold("chat.postMessage")
		releaseHomes := h.Slack.Hold("views.publish")
		if action, errs := h.submitView(ciRep1, v, answers("Call the Bergen leads", "4", "3")); action != "" || len(errs) > 0 {
			t.Fatalf("the check-in modal answered %q %v, want closed", action, errs)
		}
		if err := h.stop(); err != nil { // what follows the ack is cut off
			t.Fatal(err)
		}
		kinds := map[string][]string{}
		for _, e := range pendingEffects(t, h) {
			kinds[e.Kind] = append(kinds[e.Kind], e.To)
		}
		if len(kinds["thread"]) != 1 || len(kinds["home"]) != 3 {
			t.Fatalf("the outbox holds %v, want the thread entry and the Homes of the rep and both managers", kinds)
		}
		releasePosts()
		releaseHomes()
		homesBefore := map[string]int{}
		for _, u := range []string{ciRep1, ciMgr1, ciMgr2} {
			homesBefore[u] = h.countViews("views.publish", u)
		}
		h.restart()
		h.Clock.Advance(3 * time.Minute)
		for range 2 {
			if err := h.Bot.SendEffects(ctx); err != nil {
				t.Fatal(err)
			}
		}
		// The run's own pass may hold a claim the test's pass left to it.
		h.waitFor("the outbox emptied", func() bool { return len(pendingEffects(t, h)) == 0 })
		entries := 0
		for _, m := range h.Slack.Messages(ch) {
			if m.ThreadTS == parent && !m.Updated && strings.Contains(m.Text, "Call the Bergen leads") {
				entries++
			}
		}
		if entries != 1 {
			t.Fatalf("the check-in is %d times in the day's thread, want once\n%s", entries, h.Logs)
		}
		for u, before := range homesBefore {
			if h.countViews("views.publish", u) == before {
				t.Errorf("the App Home of %s was not published after the restart", u)
			}
		}
	})
}
