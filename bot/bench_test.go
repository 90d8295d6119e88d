package bot_test

import (
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/slack-go/slack/slackevents"
)

// BenchmarkAckLatency measures, over the real Socket Mode path (the
// stand-in writes the envelope to the socket, the bot reads, routes,
// handles and acks, the stand-in reads the ack), the time from envelope
// sent to ack received for /pulse help, and in the same run for an event
// no handler takes, which the bot acks without work: the floor. The target
// is help's p99 within twice the floor's.
//
//	go test -run '^$' -bench AckLatency -benchtime 3000x ./bot/
func BenchmarkAckLatency(b *testing.B) {
	// Log lines are written as in production, to nowhere.
	h := start(b, withLogs(io.Discard, slog.LevelInfo))
	h.createTeam("Nordic", []string{"UMANAGER"}, []string{"UREP1"})
	unhandled := slackevents.ReactionAddedEvent{Type: "reaction_added", User: "UREP1", Reaction: "tada"}

	var help, floor []time.Duration
	for b.Loop() {
		help = append(help, h.ack(h.slash("UREP1", "help"), 1).Latency)
		id, err := h.Slack.SendEvent(b.Context(), "", unhandled)
		if err != nil {
			b.Fatal(err)
		}
		floor = append(floor, h.ack(id, 1).Latency)
	}
	hp50, hp99 := percentiles(help)
	fp50, fp99 := percentiles(floor)
	b.ReportMetric(float64(hp50), "help-p50-ns")
	b.ReportMetric(float64(hp99), "help-p99-ns")
	b.ReportMetric(float64(fp50), "floor-p50-ns")
	b.ReportMetric(float64(fp99), "floor-p99-ns")
	if fp99 > 0 {
		b.ReportMetric(float64(hp99)/float64(fp99), "p99-ratio")
	}
}

// percentiles returns the median and the 99th percentile of ds.
func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return at(0.50), at(0.99)
}
