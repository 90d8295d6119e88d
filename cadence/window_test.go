package cadence_test

import (
	"context"
	"errors"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
)

// dyingSlack is the Notifier of a process about to be killed: its
// deliveries hang until the process "dies", and then fail without posting,
// as a killed process posts nothing more.
type dyingSlack struct {
	*slackRecorder
	dead chan struct{}
}

func (s dyingSlack) Deliver(ctx context.Context, n pulse.Notice) (pulse.Delivery, error) {
	select {
	case <-s.dead:
	case <-ctx.Done():
	}
	return pulse.Delivery{}, errors.New("the process is gone")
}

// A fan-out to many reps claims only a few jobs ahead of the workers, so
// that a crash leaves few jobs to settle by reading Slack's history; the
// next run settles those, claims the rest afresh, and sends each once.
func TestEngineClaimsFewJobsAheadSoACrashLeavesFewToSettle(t *testing.T) {
	const reps, workers = 200, 2
	f := manyRepsFixture(t, reps, nil)

	dying := dyingSlack{slackRecorder: f.slack, dead: make(chan struct{})}
	first, err := cadence.New(cadence.Config{Clock: f.clock, Store: f.db, Notifier: dying, Directory: storeDirectory{f.db},
		Owner: "run-dies", Options: cadence.Options{Workers: workers}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = first.Close() })
	t.Cleanup(func() { close(dying.dead) }) // runs first: lets the hung workers end

	// Every rep's 09:00 in Oslo is due; the workers hang on Slack, and the
	// engine holds a window of 16 claimed jobs, two of them under way.
	const window = 16
	if err := first.Tick(bg); err != nil {
		t.Fatalf("tick: %v", err)
	}
	waitFor(t, "the window queued or under way", func() bool { return first.QueueDepth() == window-workers })
	if err := first.Tick(bg); err != nil {
		t.Fatalf("second tick: %v", err)
	}
	if n := first.QueueDepth(); n != window-workers {
		t.Errorf("queue depth %d after a second tick, want %d: a job was queued twice or beyond the window", n, window-workers)
	}
	left, err := f.db.Unconfirmed(bg)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) < workers || len(left) > workers+16 {
		t.Errorf("%d of %d jobs claimed while %d workers hang, want between %d and %d", len(left), reps, workers, workers, workers+16)
	}

	// The process dies here. The next run recovers and fans out.
	next := f.newEngine("run-next", cadence.Options{})
	f.clock.Set(utc("2026-03-10 08:01"))
	if err := next.Tick(bg); err != nil {
		t.Fatalf("next run's tick: %v", err)
	}
	f.drain(next)

	sent := f.sentAt(pulse.JobCheckIn) // fails on a double delivery
	if len(sent) != reps {
		t.Errorf("%d check-ins delivered, want %d", len(sent), reps)
	}
	f.slack.mu.Lock()
	asked := f.slack.asked
	f.slack.mu.Unlock()
	if asked != len(left) {
		t.Errorf("Slack asked about %d jobs, want the %d the dead run left claimed", asked, len(left))
	}
	for _, rep := range f.team.Reps {
		if j := f.job(pulse.CheckInKey(f.team.ID, rep, pulse.MustDate("2026-03-10"))); j.State != pulse.JobSent || j.Owner != "run-next" {
			t.Errorf("%s's check-in: %s by %s, want sent by run-next", rep, j.State, j.Owner)
		}
	}
}
