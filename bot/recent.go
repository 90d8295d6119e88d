package bot

import (
	"sync"
	"time"
)

// recentEnvelopes remembers, in this process, the envelopes being handled
// and the ack each got, for a few minutes. A redelivery that arrives while
// the first delivery is still being handled waits for it; one that arrives
// after gets the same ack payload again. That matters when the first ack
// was lost with its socket: the person still gets their answer, and the
// work is still done once. The envelope log in the store covers restarts,
// where only "already done" is known.
type recentEnvelopes struct {
	mu    sync.Mutex
	m     map[string]*envelopeResult
	swept time.Time
}

// recentMemory is how long an envelope is remembered, and payloadMemory how
// long its ack payload is. Slack retries an unacknowledged envelope at once
// and again over the next minutes; an answer reaches the person only while
// Slack still waits for it, seconds after the command, so a retry minutes on
// gets an empty ack, its work done once. Keeping every answer for the whole
// ten minutes held hundreds of status answers at a busy hour.
const (
	recentMemory  = 10 * time.Minute
	payloadMemory = time.Minute
)

// closed is a closed channel: the done of a result whose payload is dropped.
var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

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
			switch age := now.Sub(v.at); {
			case age > recentMemory:
				delete(r.m, k)
			case age > payloadMemory && isClosed(v.done) && v.payload != nil:
				// A new result, not a change to v: a redelivery may be
				// reading v's payload right now.
				r.m[k] = &envelopeResult{done: closed, at: v.at}
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
