package cadence_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/storage"
)

// countingLedger is the store, counting the claims the engine makes, the
// most jobs the ledger holds claimed and unfinished after a batch, and
// failing one batch on demand as a full disk would.
type countingLedger struct {
	*storage.DB
	mu        sync.Mutex
	singles   int // Claim calls
	batches   int // ClaimBatch calls
	won       int
	maxHeld   int
	failBatch int            // the batch (counted from 1) that fails, 0 for none
	failed    []pulse.JobKey // the keys of the batch that failed
}

func (l *countingLedger) Claim(ctx context.Context, k pulse.JobKey, owner string, now time.Time) (pulse.Job, bool, error) {
	l.mu.Lock()
	l.singles++
	l.mu.Unlock()
	return l.DB.Claim(ctx, k, owner, now)
}

func (l *countingLedger) ClaimBatch(ctx context.Context, keys []pulse.JobKey, owner string, now time.Time) ([]pulse.Claimed, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.batches++
	if l.batches == l.failBatch {
		l.failed = append([]pulse.JobKey(nil), keys...)
		return nil, errDiskFull
	}
	got, err := l.DB.ClaimBatch(ctx, keys, owner, now)
	if err != nil {
		return nil, err
	}
	for _, c := range got {
		if c.Won {
			l.won++
		}
	}
	held, err := l.DB.Unconfirmed(ctx)
	if err != nil {
		return nil, err
	}
	l.maxHeld = max(l.maxHeld, len(held))
	return got, nil
}

var errDiskFull = errors.New("write: no space left on device")

// manyRepsFixture is the fixture at 08:00 with a team of n reps in Oslo,
// no channel, and edit's changes; its own engine is closed, so that the
// test runs one of its own.
func manyRepsFixture(t *testing.T, n int, edit func(*pulse.Team)) *fixture {
	t.Helper()
	f := newFixture(t, utc("2026-03-10 08:00"), func(team *pulse.Team) {
		team.Channel = ""
		team.Reps = nil
		for i := range n {
			team.Reps = append(team.Reps, fmt.Sprintf("UREP%04d", i))
		}
		if edit != nil {
			edit(team)
		}
	}, cadence.Options{})
	if err := f.engine.Close(); err != nil {
		t.Fatalf("close the fixture's engine: %v", err)
	}
	return f
}

// bigFixture is the fixture with a team of n reps in Oslo and no channel,
// and an engine (closed when the test ends) over a countingLedger.
func bigFixture(t *testing.T, n int, failBatch int) (*fixture, *cadence.Engine, *countingLedger) {
	t.Helper()
	f := manyRepsFixture(t, n, nil)
	ledger := &countingLedger{DB: f.db, failBatch: failBatch}
	e, err := cadence.New(cadence.Config{Clock: f.clock, Store: ledger, Notifier: f.slack, Directory: storeDirectory{f.db}, Owner: "run-batches"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return f, e, ledger
}

// A fan-out to 200 reps is claimed in batches, each one write, never one
// job at a time, and the engine never holds more than its window of 16
// claimed jobs: each check-in is built when a worker takes it.
func TestEngineClaimsAFanOutInBatchesWithinItsWindow(t *testing.T) {
	const reps, window = 200, 16
	f, e, ledger := bigFixture(t, reps, 0)
	if err := e.Tick(bg); err != nil {
		t.Fatalf("tick: %v", err)
	}
	f.drain(e)

	sent := f.sentAt(pulse.JobCheckIn) // fails on a double delivery
	if len(sent) != reps {
		t.Errorf("%d check-ins delivered, want %d", len(sent), reps)
	}
	ledger.mu.Lock()
	defer ledger.mu.Unlock()
	if ledger.singles != 0 {
		t.Errorf("%d jobs claimed one by one, want every claim in a batch", ledger.singles)
	}
	if ledger.won != reps {
		t.Errorf("%d claims won, want %d", ledger.won, reps)
	}
	// The feeder claims once a quarter of the window is free: at least 4
	// jobs a batch.
	if ledger.batches > reps/(window/4) {
		t.Errorf("%d batches for %d jobs, want at most %d", ledger.batches, reps, reps/(window/4))
	}
	if ledger.maxHeld > window {
		t.Errorf("up to %d jobs claimed and unfinished at once, want at most %d", ledger.maxHeld, window)
	}
	t.Logf("%d jobs claimed in %d batches, at most %d held at once", ledger.won, ledger.batches, ledger.maxHeld)
}

// A batch that cannot be written claims none of its jobs: they are neither
// sent nor lost, and the next tick claims and sends them, each once.
func TestEngineFailedBatchLeavesItsJobsForTheNextTick(t *testing.T) {
	const reps = 200
	f, e, ledger := bigFixture(t, reps, 3)
	// The tick reports the failure when it claims the third batch itself
	// rather than leaving it to the feeder, which logs it.
	if err := e.Tick(bg); err != nil && !errors.Is(err, errDiskFull) {
		t.Fatalf("tick: %v", err)
	}
	f.drain(e)
	ledger.mu.Lock()
	failed := ledger.failed
	ledger.mu.Unlock()
	if len(failed) == 0 {
		t.Fatal("no batch failed; the fan-out claimed fewer than three")
	}
	for _, k := range failed {
		if _, err := f.db.Job(bg, k); !pulse.IsNotFound(err) {
			t.Errorf("%s of the failed batch is in the ledger (err %v), want it untouched", k, err)
		}
	}
	if n := len(f.sentAt(pulse.JobCheckIn)); n != reps-len(failed) {
		t.Errorf("%d check-ins delivered, want all but the failed batch's %d", n, len(failed))
	}

	f.clock.Set(utc("2026-03-10 08:01"))
	if err := e.Tick(bg); err != nil {
		t.Fatalf("next tick: %v", err)
	}
	f.drain(e)
	if n := len(f.sentAt(pulse.JobCheckIn)); n != reps {
		t.Errorf("%d check-ins delivered after the next tick, want %d", n, reps)
	}
	for _, rep := range f.team.Reps {
		if j := f.job(pulse.CheckInKey(f.team.ID, rep, pulse.MustDate("2026-03-10"))); j.State != pulse.JobSent || j.Attempts != 1 {
			t.Errorf("%s's check-in: %s after %d claims, want sent after 1", rep, j.State, j.Attempts)
		}
	}
}

// meteredSlack delivers one notice per token, holding the rest.
type meteredSlack struct {
	*slackRecorder
	tokens chan struct{}
}

func (s meteredSlack) Deliver(ctx context.Context, n pulse.Notice) (pulse.Delivery, error) {
	select {
	case <-s.tokens:
	case <-ctx.Done():
		return pulse.Delivery{}, ctx.Err()
	}
	return s.slackRecorder.Deliver(ctx, n)
}

// Jobs go out in the order ticks found them, as from one queue: a
// fan-out's check-ins all go out before the reminders a later tick finds
// for its first reps, although the fan-out is walked in windows.
func TestEngineSendsAFanOutBeforeWhatALaterTickFinds(t *testing.T) {
	const reps = 100
	f := manyRepsFixture(t, reps, func(team *pulse.Team) { team.ReminderDelay = time.Minute })
	slack := meteredSlack{slackRecorder: f.slack, tokens: make(chan struct{}, 4*reps)}
	e, err := cadence.New(cadence.Config{Clock: f.clock, Store: f.db, Notifier: slack, Directory: storeDirectory{f.db}, Owner: "run-order"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })

	// 20 check-ins go out at 08:00, then Slack holds the rest.
	for range 20 {
		slack.tokens <- struct{}{}
	}
	if err := e.Tick(bg); err != nil {
		t.Fatalf("tick: %v", err)
	}
	waitFor(t, "20 check-ins out", func() bool { return len(f.slack.notices()) == 20 })
	// At 08:01 the reminders of those 20 are due.
	f.clock.Set(utc("2026-03-10 08:01"))
	if err := e.Tick(bg); err != nil {
		t.Fatalf("tick at 08:01: %v", err)
	}
	for range 2 * reps {
		slack.tokens <- struct{}{}
	}
	f.drain(e)

	sent := f.slack.notices()
	reminders := 0
	for i, n := range sent {
		switch {
		case n.Key.Kind == pulse.JobReminder:
			reminders++
		case i >= reps:
			t.Errorf("notice %d is %s, after a reminder: want every check-in first", i, n.Key)
		}
	}
	if len(sent) != reps+reminders || reminders < 20 {
		t.Errorf("%d notices, %d of them reminders; want %d check-ins and at least 20 reminders", len(sent), reminders, reps)
	}
}
