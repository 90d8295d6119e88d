package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/metrics"
)

// TestMetricsOverASimulatedDay runs the bot and the cadence engine through
// a workday on a fake clock, with a 429, a command and a reconnect on the
// way, and reads /metrics at the end of it.
func TestMetricsOverASimulatedDay(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg, metrics.Options{Now: time.Now})
	if err != nil {
		t.Fatalf("metrics: %v", err)
	}
	h := start(t, withConfig(func(c *bot.Config) { c.Metrics = m }))
	ctx := context.Background()
	reps := []string{"U0REPAAA1", "U0REPBBB2", "U0REPCCC3"}
	for _, id := range append(reps, "U0MGRZZZ9") {
		h.Slack.AddUser(slack.User{ID: id, Name: id, TZ: "Europe/Oslo", Profile: slack.UserProfile{DisplayName: id}})
	}
	h.createTeam("Nordic", []string{"U0MGRZZZ9"}, reps)
	e, err := cadence.New(cadence.Config{Clock: h.Clock, Store: h.DB, Notifier: h.Bot, Directory: h.Bot, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })

	// The first DM of the day is refused once with a 429.
	h.Slack.RateLimit("chat.postMessage", 1, time.Second)
	// Monday 2026-03-02: from 07:00 to 18:00 UTC in half hours; the reps
	// never answer, so they are reminded and their day is missed.
	h.Clock.Advance(-2 * time.Hour)
	for range 23 {
		tickCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		if err := e.Tick(tickCtx); err != nil {
			t.Fatalf("tick at %s: %v", h.Clock.Now(), err)
		}
		if err := e.Drain(tickCtx); err != nil {
			t.Fatalf("drain at %s: %v", h.Clock.Now(), err)
		}
		cancel()
		if h.Clock.Now().Hour() == 12 && h.Clock.Now().Minute() == 0 {
			h.ack(h.slash(reps[0], "help"), 1)
			opened := h.Slack.ConnectionsOpened()
			h.Slack.Disconnect("warning")
			h.waitFor("a new connection", func() bool { return h.Slack.ConnectionsOpened() > opened && h.Bot.Ready() })
		}
		h.Clock.Advance(30 * time.Minute)
	}

	text := scrapeMetrics(t, reg)
	for series, want := range map[string]string{
		`pulse_jobs_total{kind="checkin",state="claimed"}`:                 "3",
		`pulse_jobs_total{kind="checkin",state="sent"}`:                    "3",
		`pulse_jobs_total{kind="reminder",state="sent"}`:                   "3",
		`pulse_slack_calls_total{method="chat.postMessage",outcome="429"}`: "1",
		`pulse_envelopes_total{type="slash_commands"}`:                     "1",
		`pulse_socket_reconnects_total{reason="disconnect_warning"}`:       "1",
		`pulse_fanout_queue_depth`:                                         "0",
	} {
		if v := metricValue(t, text, series); v != want {
			t.Errorf("%s = %s, want %s", series, v, want)
		}
	}
	for _, family := range []string{"pulse_ack_latency_seconds_bucket", "pulse_socket_last_frame_age_seconds", "go_goroutines"} {
		if !strings.Contains(text, family) {
			t.Errorf("/metrics lacks %s", family)
		}
	}
	if ids := regexp.MustCompile(`U[A-Z0-9]{6,}`).FindAllString(text, -1); len(ids) > 0 {
		t.Errorf("the exposition holds user IDs %v", ids)
	}
}
