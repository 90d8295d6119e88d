package bot

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/salespulse/pulse"
)

// flightBounds bounds the envelopes being handled, in all and per person,
// so that no one person, however many commands or clicks they send at
// once, can hold the process. An envelope counts from when it is parsed
// until its handler has returned and every piece of work it left for
// after the ack (Later, a late Reply) has ended: that is what holds a
// goroutine, a database transaction or a place in the pacer's queues.
//
// An envelope beyond a bound is still acknowledged, with a short "busy"
// answer to the person who asked; an event beyond it is acknowledged and
// dropped, as Slack sends it to nobody's request.
type flightBounds struct {
	mu        sync.Mutex
	max       int            // envelopes at once, in all
	perPerson int            // envelopes at once, for one person
	all       int            // envelopes in flight
	mine      map[string]int // by person
}

func newFlightBounds(max, perPerson int) *flightBounds {
	return &flightBounds{max: max, perPerson: perPerson, mine: make(map[string]int)}
}

// take counts an envelope of user's (or of nobody's, for "") as in
// flight, or refuses it with the busy error when a bound is reached.
func (f *flightBounds) take(user string) (*flight, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.all >= f.max:
		return nil, pulse.Errorf(pulse.ECONFLICT, "err.busy", nil, "%d envelopes in flight, the most at once", f.all)
	case user != "" && f.mine[user] >= f.perPerson:
		return nil, pulse.Errorf(pulse.ECONFLICT, "err.busy", nil, "%d envelopes of %s in flight, the most for one person", f.mine[user], user)
	}
	f.all++
	if user != "" {
		f.mine[user]++
	}
	fl := &flight{bounds: f, user: user}
	fl.n.Store(1)
	return fl, nil
}

func (f *flightBounds) release(user string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.all--
	if user == "" {
		return
	}
	if f.mine[user]--; f.mine[user] <= 0 {
		delete(f.mine, user)
	}
}

// flight is one envelope in flight: its handler and the work it left for
// later each hold it, and it ends when the last lets go. A nil *flight
// (an envelope answered "busy") holds nothing.
type flight struct {
	bounds *flightBounds
	user   string
	n      atomic.Int32
}

// hold counts one more piece of work of the envelope's.
func (fl *flight) hold() {
	if fl != nil {
		fl.n.Add(1)
	}
}

// done ends one piece of work of the envelope's.
func (fl *flight) done() {
	if fl != nil && fl.n.Add(-1) == 0 {
		fl.bounds.release(fl.user)
	}
}

// busy is the handler of an envelope beyond the bounds: it answers err,
// "busy", like a handler's refusal.
func busy(err error) Handler {
	return func(context.Context, *Request) error { return err }
}
