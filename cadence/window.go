package cadence

import (
	"github.com/salespulse/pulse"
)

// claimAhead is how many claimed jobs the engine holds at most: waiting for
// a worker, being delivered, or waiting for a retry. A fan-out is claimed
// in batches as the pool drains, never further ahead, for two reasons.
// What a fan-out holds in memory is a window of it, not the whole of a
// thousand-rep team. And a claimed job is a promise that only this run may
// send it: when the process dies, every job it claimed and did not confirm
// must be settled by reading Slack's history (a conversations.open and a
// conversations.history each), while a job never claimed is simply claimed
// afresh by the next run. Bounding the claims keeps that settling to a few
// dozen reads whatever the fan-out.
func (e *Engine) claimAhead() int {
	return max(2*e.opt.Workers, 16)
}

// refillAt is the room in the window at which the feeder claims the next
// batch: early enough that the workers find jobs waiting while it walks,
// late enough that a batch holds several claims in one write.
func (e *Engine) refillAt() int {
	return max(e.claimAhead()/4, 1)
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
