package bot

import (
	"context"

	"github.com/salespulse/pulse"
)

// laterFn is work to run after the ack; answer says whether its error is
// told to the person (not for work that is itself an answer).
type laterFn struct {
	fn     func(context.Context) error
	answer bool
}

// runLater starts each piece of later work, tracked for the drain.
func (b *Bot) runLater(r *Request, fns []laterFn) {
	for _, lf := range fns {
		r.flight.hold()
		ok := b.goTracked(func() {
			defer r.flight.done()
			ctx, cancel := context.WithTimeout(b.work, b.cfg.LaterTimeout)
			defer cancel()
			err := safeCall(ctx, r, func(ctx context.Context, _ *Request) error { return lf.fn(ctx) })
			if err == nil {
				return
			}
			key, data := pulse.ErrorKey(err)
			b.log.Warn("work after the ack failed", "envelope_id", r.EnvelopeID, "key", key, "err", errForLog(err))
			if lf.answer {
				m := Message{Text: r.errorSentence(key, data)}
				if err := r.Respond(ctx, m); err != nil {
					b.log.Warn("could not tell the person", "envelope_id", r.EnvelopeID, "err", err)
				}
			}
		})
		if !ok {
			r.flight.done()
			b.log.Warn("work after the ack dropped: the bot has stopped", "envelope_id", r.EnvelopeID)
		}
	}
}

// goTracked runs fn as work Run waits for at shutdown, until Run's drain
// is over; after that it reports false and does not run fn.
func (b *Bot) goTracked(fn func()) bool {
	b.mu.Lock()
	if b.drained {
		b.mu.Unlock()
		return false
	}
	b.inflight.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.inflight.Done()
		fn()
	}()
	return true
}
