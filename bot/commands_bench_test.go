package bot_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// BenchmarkCommandsAckLatency measures, over the real Socket Mode path,
// the time from envelope sent to ack received for /pulse commit (a write:
// the envelope log, validation and the commitment committed to bbolt
// before the answer) and for the setup modal's time zone search (read
// only; the options travel in the ack). Both must stay well inside the
// 3 s Slack allows.
//
//	go test -run '^$' -bench CommandsAckLatency -benchtime 2000x ./bot/
func BenchmarkCommandsAckLatency(b *testing.B) {
	h := start(b, withLogs(io.Discard, slog.LevelInfo), withAdmin())
	seedTeams(h)
	var commit, search []time.Duration
	for b.Loop() {
		commit = append(commit, h.ack(h.slash(repA1, "commit Call ten new leads"), 1).Latency)
		id, err := h.Slack.SendInteraction(b.Context(), slack.InteractionCallback{
			Type: slack.InteractionTypeBlockSuggestion, User: slack.User{ID: adminID},
			ActionID: "tz_search", BlockID: "tz", Value: "america",
			View: slack.View{ID: "V1", CallbackID: "setup", Type: slack.VTModal},
		})
		if err != nil {
			b.Fatal(err)
		}
		search = append(search, h.ack(id, 1).Latency)
	}
	cp50, cp99 := percentiles(commit)
	sp50, sp99 := percentiles(search)
	b.ReportMetric(float64(cp50), "commit-p50-ns")
	b.ReportMetric(float64(cp99), "commit-p99-ns")
	b.ReportMetric(float64(sp50), "tzsearch-p50-ns")
	b.ReportMetric(float64(sp99), "tzsearch-p99-ns")
}
