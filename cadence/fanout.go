package cadence

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/salespulse/pulse"
)

// fanOut is one team's due jobs as a tick found them, walked a part at a
// time (see calendar.units) as the pool has room: what it holds is the
// team, its facts and a position, never the list of its jobs. Its fields
// are read and written with the engine's fillMu held.
type fanOut struct {
	team  *pulse.Team
	at    time.Time // the tick's instant: the walk finds what was due then
	facts *Facts    // gathered when the walk begins
	unit  int       // the part of the team's occurrences the walk is in
	skip  int       // how many of that part's occurrences it has passed
}

// plan puts every team's jobs due as of now in line to be walked, behind
// what earlier ticks found, as the pool's queue took jobs in the order they
// were found: a thousand reps' check-ins go out before the reminders a
// later tick finds for the first of them. A team whose newest walk has not
// begun keeps its place and walks as of now; a team whose walk is under
// way keeps it, and gets a second walk at the end for what is due since. A
// team no longer stored leaves the line. The caller holds fillMu.
func (e *Engine) plan(teams []*pulse.Team, now time.Time) {
	byID := make(map[string]*pulse.Team, len(teams))
	for _, t := range teams {
		byID[t.ID] = t
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	waiting := make(map[string]bool, len(e.pending))
	kept := e.pending[:0]
	for _, f := range e.pending {
		t, ok := byID[f.team.ID]
		if !ok {
			continue
		}
		if f.facts == nil { // not begun
			f.team, f.at = t, now
			waiting[t.ID] = true
		}
		kept = append(kept, f)
	}
	clear(e.pending[len(kept):])
	e.pending = kept
	for _, t := range teams {
		if !waiting[t.ID] {
			e.pending = append(e.pending, &fanOut{team: t, at: now})
		}
	}
	e.wake.Broadcast()
}

// fill walks the pending teams in turn and claims their due jobs in
// batches, each batch in one write to the ledger, until the pool's window
// is full or nothing is pending. A team walked to its end leaves the line.
// The caller holds fillMu.
func (e *Engine) fill(ctx context.Context) error {
	var errs []error
	for ctx.Err() == nil {
		f, room := e.nextFill()
		if f == nil {
			break
		}
		done, err := e.walk(ctx, f, room)
		if err != nil {
			errs = append(errs, fmt.Errorf("team %s: %w", f.team.ID, err))
		}
		if done {
			e.finishWalk(f)
		}
	}
	return errors.Join(errs...)
}

// nextFill returns the team to walk next and the room left in the window,
// or nil when there is no room or no team.
func (e *Engine) nextFill() (*fanOut, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	room := e.roomLocked()
	if room <= 0 || len(e.pending) == 0 {
		return nil, 0
	}
	return e.pending[0], room
}

// finishWalk takes f, walked to its end, out of the line.
func (e *Engine) finishWalk(f *fanOut) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if i := slices.Index(e.pending, f); i >= 0 {
		e.pending = slices.Delete(e.pending, i, i+1)
		e.wake.Broadcast()
	}
}

// roomLocked is how many more jobs the window holds. The caller holds e.mu.
func (e *Engine) roomLocked() int {
	if e.closed {
		return 0
	}
	return e.claimAhead() - len(e.ready) - len(e.waiting) - e.busy
}

// wantsFill reports whether the feeder has a batch to claim. The caller
// holds e.mu.
func (e *Engine) wantsFill() bool {
	return len(e.pending) > 0 && e.roomLocked() >= e.refillAt()
}

// walk goes on with f's walk until it has found room jobs to claim or
// reached the end, claims what it found in one batch, and reports whether
// it reached the end. A team whose facts cannot be read ends its walk
// here; the next tick walks it again.
func (e *Engine) walk(ctx context.Context, f *fanOut, room int) (bool, error) {
	if f.facts == nil {
		facts, err := e.gather(ctx, f.team, f.at)
		if err != nil {
			return true, err
		}
		f.facts = facts
	}
	c := newCalendar(f.team, *f.facts)
	now := e.clock.Now()
	var errs []error
	var found []*task
	var part []Occurrence
	// The walk only reads, a few reads a rep: in one read transaction.
	err := e.store.ReadTogether(ctx, func(ctx context.Context) error {
		for f.unit < c.units() && len(found) < room {
			part = c.unit(f.unit, f.at, e.opt, part[:0])
			for f.skip < len(part) && len(found) < room {
				t, err := e.consider(ctx, f, part[f.skip], now)
				f.skip++
				if err != nil {
					errs = append(errs, err)
				}
				if t != nil {
					found = append(found, t)
				}
			}
			if f.skip < len(part) {
				break // the window is full inside this part: go on here next time
			}
			f.unit, f.skip = f.unit+1, 0
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	if err := e.claim(ctx, found, now); err != nil {
		errs = append(errs, err)
	}
	return f.unit >= c.units(), errors.Join(errs...)
}

// claim claims the tasks in one batch and hands the ones won to the pool.
// When the batch cannot be claimed, none of it is, and the next tick finds
// those jobs due again.
func (e *Engine) claim(ctx context.Context, tasks []*task, now time.Time) error {
	if len(tasks) == 0 {
		return nil
	}
	keys := make([]pulse.JobKey, len(tasks))
	for i, t := range tasks {
		keys[i] = t.occ.Key
	}
	got, err := e.store.ClaimBatch(ctx, keys, e.owner, now)
	if err != nil {
		return fmt.Errorf("claim %d jobs: %w", len(keys), err)
	}
	for i, c := range got {
		t := tasks[i]
		if !c.Won {
			if c.Job.State == pulse.JobSent || c.Job.State == pulse.JobSkipped {
				e.remember(t.occ.Key, t.occ.Until)
			}
			continue
		}
		e.metrics.Job(t.occ.Key.Kind, pulse.JobOutcomeClaimed)
		t.checkFirst = c.Job.Attempts > 1 && !e.takeCleared(t.occ.Key)
		e.enqueue(t)
	}
	return nil
}

// feed claims the next batch whenever the window has room for one and a
// team's walk is pending, until the engine closes. Ticks fill too; fillMu
// takes them in turn.
func (e *Engine) feed() {
	defer e.workers.Done()
	for {
		e.mu.Lock()
		for !e.closed && !e.wantsFill() {
			e.wake.Wait()
		}
		if e.closed {
			e.mu.Unlock()
			return
		}
		e.feeding = true
		e.mu.Unlock()

		e.fillMu.Lock()
		err := e.fill(e.ctx)
		e.fillMu.Unlock()
		if err != nil && e.ctx.Err() == nil {
			e.log.Error("cadence fill", "err", err)
		}

		e.mu.Lock()
		e.feeding = false
		e.wake.Broadcast()
		e.mu.Unlock()
	}
}
