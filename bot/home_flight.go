package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// homeFlights coalesces the App Home publishes of this process per person.
// Each accepted write sends its effects in a pass of its own, so a burst of
// check-ins would publish a manager's Home once per check-in, each a
// views.publish of Slack's tier 4 spending the workspace's budget. A
// publish renders the Home from the store when it starts, so it covers
// every write committed before then: an effect whose pass began before a
// publish of its person started waits for that publish and is done by it;
// one that comes later waits for the publish in flight, and then one of
// those that waited runs a single follow-up covering them all.
//
// Instants are ticks of a counter under mu, so "began before" is an order
// of events in this process, whatever the clocks say.
type homeFlights struct {
	mu     sync.Mutex
	ticks  uint64
	people map[string]*homeFlight
}

// homeFlight is one person's publishes while any effect runs or waits for
// one; it goes when none does.
type homeFlight struct {
	running *homePublish // nil when none is in flight
	covered uint64       // when the last publish that succeeded started
	effects int          // effects running or waiting for a publish
}

// homePublish is one views.publish of a person's Home.
type homePublish struct {
	started uint64
	done    chan struct{} // closed when it has ended
	err     error         // its outcome, set before done is closed
}

// errHomeStopped is the outcome of a publish whose run ended without one
// (a panic), so that the effects waiting for it are released, not sent.
var errHomeStopped = errors.New("the App Home publish stopped before it ended")

func newHomeFlights() *homeFlights {
	return &homeFlights{people: map[string]*homeFlight{}}
}

// now is an instant of this process: a pass takes it when it begins,
// after the writes of its effects committed.
func (f *homeFlights) now() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ticks++
	return f.ticks
}

// publish has user's Home published, with at most one publish of theirs in
// flight, for a claimed effect of a pass that began at since. It returns
// the outcome of the publish that covers the effect, or of the one in
// flight it waited for when that one failed: the effect is then left for
// the outbox loop, not tried again at once on a Slack that just refused.
// ctx bounds the wait.
func (f *homeFlights) publish(ctx context.Context, user string, since uint64, run func(context.Context) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	fl := f.people[user]
	if fl == nil {
		fl = &homeFlight{}
		f.people[user] = fl
	}
	fl.effects++
	defer func() {
		if fl.effects--; fl.effects == 0 {
			delete(f.people, user)
		}
	}()
	for {
		switch {
		case fl.covered > since:
			return nil
		case fl.running == nil:
			f.ticks++
			p := &homePublish{started: f.ticks, done: make(chan struct{})}
			fl.running = p
			return f.run(ctx, fl, p, run)
		}
		// Covered by the publish in flight when it started after the pass
		// began; else its end is this effect's turn to try for a follow-up.
		p := fl.running
		f.mu.Unlock()
		select {
		case <-p.done:
		case <-ctx.Done():
		}
		f.mu.Lock()
		select {
		case <-p.done:
			if p.err != nil {
				return p.err
			}
		default:
			return fmt.Errorf("wait for the App Home publish in flight: %w", ctx.Err())
		}
	}
}

// run runs p, f.mu held, and records its outcome for the effects waiting.
func (f *homeFlights) run(ctx context.Context, fl *homeFlight, p *homePublish, run func(context.Context) error) (err error) {
	f.mu.Unlock()
	err = errHomeStopped
	defer func() {
		f.mu.Lock()
		p.err = err
		if err == nil {
			fl.covered = max(fl.covered, p.started)
		}
		fl.running = nil
		close(p.done)
	}()
	return run(ctx)
}

// inFlight reports how many effects run or wait for a publish of user's
// Home.
func (f *homeFlights) inFlight(user string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fl := f.people[user]; fl != nil {
		return fl.effects
	}
	return 0
}
