package bot

import (
	"sync"
	"time"
)

// recentEnvelopes remembers, in this process, the envelopes being handled
// and the ack each got, for a minute. A redelivery that arrives while the
// first delivery is still being handled waits for it; one that arrives
// after gets the same ack payload again. That matters when the first ack
// was lost with its socket: the person still gets their answer, and the
// work is still done once. Later redeliveries, and those after a restart,
// are caught by the envelope log in the store, where only "already done"
// is known: an answer reaches the person only while Slack still waits for
// it, seconds after the command.
type recentEnvelopes struct {
	mu    sync.Mutex
	m     map[string]*envelopeResult
	swept time.Time
}

// recentMemory is how long a handled envelope and its ack are remembered.
// Ten minutes of them, status answers of several kilobytes among them,
// made the heap grow for ten minutes at a busy hour before it levelled.
const recentMemory = time.Minute

// envelopeResult is the outcome of one envelope's first delivery.
type envelopeResult struct {
	done    chan struct{} // closed when payload is final
	payload any
	at      time.Time
}

func (r *recentEnvelopes) init() { r.m = make(map[string]*envelopeResult) }

// begin registers id and reports whether this is its first delivery in this
// process; if not, it returns the first delivery's result to wait on.
func (r *recentEnvelopes) begin(id string, now time.Time) (res *envelopeResult, first bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now.Sub(r.swept) > time.Minute {
		r.swept = now
		for k, v := range r.m {
			// One still being handled stays, for a redelivery to wait on.
			if now.Sub(v.at) > recentMemory && isClosed(v.done) {
				delete(r.m, k)
			}
		}
	}
	if res, ok := r.m[id]; ok {
		return res, false
	}
	res = &envelopeResult{done: make(chan struct{}), at: now}
	r.m[id] = res
	return res, true
}

// finish records the payload the envelope was acked with and wakes any
// redelivery waiting for it. It is called once per result.
func (res *envelopeResult) finish(payload any) {
	res.payload = payload
	close(res.done)
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
