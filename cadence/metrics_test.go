package cadence_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/metrics"
)

// TestEngineCountsJobsAndQueueDepth walks a check-in through two failed
// deliveries and a third that goes out, and reads the counters and the
// queue gauge at each step.
func TestEngineCountsJobsAndQueueDepth(t *testing.T) {
	f := newFixture(t, utc("2026-03-10 08:00"), func(team *pulse.Team) { team.Reps = []string{oslo}; team.Channel = "" }, cadence.Options{})
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg, metrics.Options{NoRuntime: true})
	if err != nil {
		t.Fatalf("metrics: %v", err)
	}
	if err := f.engine.Close(); err != nil {
		t.Fatalf("close the fixture's engine: %v", err)
	}
	e, err := cadence.New(cadence.Config{Clock: f.clock, Store: f.db, Notifier: f.slack, Directory: storeDirectory{f.db},
		Owner: "run-m", Metrics: m, Options: cadence.Options{RetryBase: time.Minute}})
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	t.Cleanup(func() { _ = e.Close() })
	f.engine = e
	f.slack.failNext = 2

	jobs := func(state string) float64 {
		return testutil.ToFloat64(m.JobsCounter().WithLabelValues(string(pulse.JobCheckIn), state))
	}
	depth := func() float64 { return testutil.ToFloat64(m.QueueGauge()) }

	steps := []struct {
		at                            string
		claimed, failed, sent, queued float64
	}{
		{"2026-03-10 08:00", 1, 1, 0, 1}, // claimed, failed, waits a minute
		{"2026-03-10 08:01", 1, 2, 0, 1}, // failed again, waits two
		{"2026-03-10 08:02", 1, 2, 0, 1}, // still waiting
		{"2026-03-10 08:03", 1, 2, 1, 0}, // sent
	}
	for _, s := range steps {
		f.tickAt(utc(s.at))
		if got := [4]float64{jobs("claimed"), jobs("failed"), jobs("sent"), depth()}; got != [4]float64{s.claimed, s.failed, s.sent, s.queued} {
			t.Errorf("at %s claimed/failed/sent/queued = %v, want %v", s.at, got, [4]float64{s.claimed, s.failed, s.sent, s.queued})
		}
	}
	if n := testutil.CollectAndCount(reg, "pulse_jobs_total"); n != 3 {
		t.Errorf("pulse_jobs_total has %d series, want 3 (claimed, failed, sent of check-ins)", n)
	}
}
