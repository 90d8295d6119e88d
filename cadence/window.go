package cadence

import (
	"github.com/salespulse/pulse"
)

// claimAhead is how many claimed jobs may wait for a worker. A tick claims
// the jobs it finds due up to this many ahead of the workers, so that they
// never wait on the ledger, and queues the rest unclaimed for the worker
// that takes each to claim. It claims no further because a claimed job is
// a promise that only this run may send it: when the process dies, every
// job it claimed and did not confirm must be settled by reading Slack's
// history (a conversations.open and a conversations.history each), while a
// job never claimed is simply claimed afresh by the next run. Bounding the
// claims keeps that settling to a few dozen reads whatever the fan-out.
func (e *Engine) claimAhead() int {
	return max(2*e.opt.Workers, 16)
}

// queuedUnclaimed reports whether key waits in the pool for a worker to
// claim it.
func (e *Engine) queuedUnclaimed(key pulse.JobKey) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.unclaimed[key]
}

// queueUnclaimed queues t for a worker to claim when the claim window is
// full, and reports whether it did; with room in the window the caller
// claims t itself.
func (e *Engine) queueUnclaimed(t *task) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed || e.ahead < e.claimAhead() {
		return false
	}
	e.ready = append(e.ready, t)
	e.unclaimed[t.occ.Key] = true
	e.depthChanged()
	e.wake.Broadcast()
	return true
}

// claimQueued claims a task that was queued unclaimed, as the worker that
// took it, and reports whether the worker should deliver it: not when
// another claim won or the ledger could not be written, in which case a
// later tick finds the job as the ledger has it.
func (e *Engine) claimQueued(t *task) bool {
	key := t.occ.Key
	e.mu.Lock()
	delete(e.unclaimed, key)
	e.mu.Unlock()
	j, won, err := e.store.Claim(e.ctx, key, e.owner, e.clock.Now())
	switch {
	case err != nil:
		e.log.Error("claim queued job", "job", key.String(), "err", err)
		return false
	case !won:
		if j.State == pulse.JobSent || j.State == pulse.JobSkipped {
			e.remember(key, t.occ.Until)
		}
		return false
	}
	e.metrics.Job(key.Kind, pulse.JobOutcomeClaimed)
	t.claimed = true
	t.checkFirst = j.Attempts > 1 && !e.takeCleared(key)
	return true
}

// markCleared notes that Slack was just found not to hold key's message
// and the job was released: the dead run that claimed it posts nothing
// more, so the claim that follows need not ask Slack again.
func (e *Engine) markCleared(key pulse.JobKey) {
	e.mu.Lock()
	e.cleared[key] = true
	e.mu.Unlock()
}

// takeCleared reports, once, whether key was cleared by Recover.
func (e *Engine) takeCleared(key pulse.JobKey) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	ok := e.cleared[key]
	delete(e.cleared, key)
	return ok
}
