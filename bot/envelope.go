package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/socket"
)

// dispatch starts handling an envelope, unless the bot is shutting down:
// then the envelope is left unacknowledged, for Slack to redeliver to the
// process that comes next.
func (b *Bot) dispatch(e socket.Envelope) {
	env := e.Request
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		b.log.Info("envelope left for redelivery: shutting down", "type", env.Type, "envelope_id", env.EnvelopeID)
		return
	}
	b.inflight.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.inflight.Done()
		growStack()
		b.handle(env, e.Received)
	}()
}

// handle takes one envelope from arrival to ack, and starts what runs
// after it. An envelope whose handler writes is run once only (takeOnce).
func (b *Bot) handle(env *socketmode.Request, received time.Time) {
	// One deadline for everything before the ack: the envelope log, the
	// person lookup and the handler.
	ctx, cancel := context.WithDeadline(b.work, received.Add(b.cfg.AckTimeout))
	defer cancel()
	line := &envelopeLine{env: env, received: received, outcome: "ok"}

	r, tg, err := b.parse(env)
	line.target = tg
	if err != nil {
		line.outcome, line.err = "bad_payload", err
		b.ackAndLog(line, nil)
		return
	}
	line.user = r.Actor.UserID
	rt, ok := b.routes.get(tg.kind, tg.name)
	if !ok && tg.kind == routeCommand {
		rt, ok = route{h: b.unknownCommand, readOnly: true}, true
		line.target.name = "unknown" // the word is what the person typed: not logged
		line.outcome = "unknown_command"
	}
	if !ok {
		line.outcome = "unhandled"
		b.ackAndLog(line, nil)
		return
	}
	if tg.kind == routeEvent {
		ev, err := slackevents.ParseEvent(env.Payload, slackevents.OptionNoVerifyToken())
		if err != nil {
			line.outcome, line.err = "bad_payload", err
			b.ackAndLog(line, nil)
			return
		}
		r.Event = &ev
	}

	fl, err := b.flight.take(r.Actor.UserID)
	if err != nil {
		// Beyond the bounds: answered at once, and left out of the
		// envelope log, so that a redelivery is handled in full.
		b.identify(ctx, r)
		b.runHandler(ctx, r, busy(err), line, nil)
		return
	}
	r.flight = fl
	defer fl.done()

	var res *envelopeResult
	if !rt.readOnly {
		if ctx, res, ok = b.takeOnce(ctx, env, line); !ok {
			return
		}
	}

	b.identify(ctx, r)
	h := rt.h
	if rt.postKey != "" {
		h = b.allowPosts(rt.postKey, h)
	}
	b.runHandler(ctx, r, h, line, res)
}

// takeOnce is the envelope log's part in handling an envelope whose
// handler writes; it reports false, having acked the envelope, when the
// handler is not to run.
//
// Once and only once: an envelope whose handler writes is marked in the
// store's envelope log before the handler runs, and a redelivery found
// there is acknowledged without running it again. A crash between the mark
// and the ack loses that one envelope, where the other order would apply it
// twice. Losing it is the lesser harm: Slack only redelivers envelopes that
// were never acknowledged, so the person saw no answer — no "saved" — and
// Slack shows them the command failed; they try again. Applying it twice
// would post a second kudos or log a second 1:1 that nobody asked for.
// Read-only handlers (ReadOnly) skip the log and simply answer again.
//
// With several replicas an event whose replica died before acknowledging
// it comes again to another. Its mark stays "taken" until the first write
// of its handler commits, in the same transaction, so the redelivery runs
// the handler unless that write happened; of two replicas running it at
// once, the second one's write fails with pulse.ErrEnvelopeApplied and it
// counts as a duplicate.
func (b *Bot) takeOnce(ctx context.Context, env *socketmode.Request, line *envelopeLine) (context.Context, *envelopeResult, bool) {
	res, first := b.recent.begin(env.EnvelopeID, time.Now())
	if !first {
		b.ackRedelivery(ctx, line, res)
		return ctx, nil, false
	}
	first, err := b.store.MarkEnvelope(ctx, env.EnvelopeID, b.clock.Now())
	if err == nil && !first && env.RetryAttempt > 0 {
		// Delivered again, maybe to this replica after another died
		// holding it: run it unless a write of its handler committed.
		first, err = b.store.RetakeEnvelope(ctx, env.EnvelopeID)
	}
	if err == nil && first {
		ctx = pulse.WithEnvelope(ctx, env.EnvelopeID)
	}
	switch {
	case err != nil:
		// Without the log a redelivery might run twice; without the
		// handler the person's request is lost for sure.
		b.log.Warn("envelope log unavailable; handling the envelope anyway", "envelope_id", env.EnvelopeID, "err", err)
	case !first:
		line.outcome = "duplicate"
		b.ackAndLog(line, nil)
		res.finish(nil)
		return ctx, nil, false
	}
	return ctx, res, true
}

// runHandler runs h and acks its envelope exactly once: when h returns,
// or at the ack deadline if h is still running then. A handler that
// overruns goes on without holding the ack; its reply, if any, is
// delivered with Respond when it comes.
//
// The handler runs on the envelope's own goroutine and a timer stands
// guard, rather than the other way round, so the usual fast answer costs
// no goroutine hand-off on its way to the ack.
func (b *Bot) runHandler(ctx context.Context, r *Request, h Handler, line *envelopeLine, res *envelopeResult) {
	const (
		running = iota
		returned
		overran
	)
	var state atomic.Int32
	acked := make(chan struct{})
	deadline, _ := ctx.Deadline()
	guard := time.AfterFunc(time.Until(deadline), func() {
		if state.CompareAndSwap(running, overran) {
			line.outcome = "slow"
			b.complete(r, line, res)
			close(acked)
		}
	})
	err := safeCall(ctx, r, h)
	if errors.Is(err, pulse.ErrEnvelopeApplied) {
		// Another replica applied this envelope first: a duplicate.
		line.outcome, err = "duplicate", nil
	}
	guard.Stop()
	if state.CompareAndSwap(running, returned) {
		b.answerError(r, err, line)
		b.complete(r, line, res)
		return
	}
	<-acked // the guard acked; let it finish with line first
	late := envelopeLine{target: line.target}
	b.answerError(r, err, &late)
	if late.outcome != "" {
		b.log.Warn("slow handler failed after the ack", "envelope_id", r.EnvelopeID,
			"outcome", late.outcome, "key", late.key, "err", errOrEmpty(late.err))
	}
}

// complete acks a handled envelope with what its handler replied, starts
// its later work and writes its log line.
func (b *Bot) complete(r *Request, line *envelopeLine, res *envelopeResult) {
	r.ans.mu.Lock()
	r.ans.acked = true
	payload, later := r.ans.payload, r.ans.later
	r.ans.later = nil
	r.ans.mu.Unlock()
	if m, ok := payload.(Message); ok && r.Command == nil {
		// Only a slash command's ack shows a message; answer the others
		// through their response_url or the channel.
		payload = nil
		later = append(later, r.respondFn(m))
	}
	sent := b.sendAck(line, payload)
	if res != nil {
		res.finish(payload)
	}
	if m, ok := payload.(Message); ok && !sent && line.ackErr == nil {
		// Too big for an ack: deliver it the other way.
		later = append(later, r.respondFn(m))
	}
	b.runLater(r, later)
	b.logEnvelope(line)
}

// ackRedelivery acks an envelope this process is handling or has handled
// with the first delivery's payload, waiting for it up to the ack deadline.
func (b *Bot) ackRedelivery(ctx context.Context, line *envelopeLine, res *envelopeResult) {
	line.outcome = "duplicate"
	var payload any
	select {
	case <-res.done:
		payload = res.payload
	case <-ctx.Done():
	}
	b.ackAndLog(line, payload)
}

// ackAndLog acks an envelope no handler ran for, and logs it.
func (b *Bot) ackAndLog(line *envelopeLine, payload any) {
	b.sendAck(line, payload)
	b.logEnvelope(line)
}

// sendAck acks the line's envelope and records when; it reports whether
// the payload went with it.
func (b *Bot) sendAck(line *envelopeLine, payload any) bool {
	if m, ok := payload.(Message); ok {
		payload = m.wire() // encoded once, straight into the frame
	}
	sent, err := b.socket.Ack(line.env.EnvelopeID, payload)
	line.acked = time.Now()
	line.ackErr = err
	return sent
}

// answerError tells the person about a handler's error and notes it in the
// envelope's log line; internal errors and panics are logged in detail.
func (b *Bot) answerError(r *Request, err error, line *envelopeLine) {
	if err == nil {
		return
	}
	key, internal := r.errorAnswer(err)
	line.key = key
	var pe *panicError
	switch {
	case asPanic(err, &pe):
		line.outcome = "panic"
		b.log.Error("handler panicked", "envelope_id", r.EnvelopeID, string(line.target.kind), line.target.name,
			"panic", fmt.Sprint(pe.value), "stack", string(pe.stack))
	case internal:
		line.outcome = "error"
		line.err = err
	default:
		line.outcome = "refused" // the person's input or permissions: answered, nothing to fix
	}
}

// panicError is a handler's panic, recovered.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("handler panicked: %v", e.value) }

func asPanic(err error, target **panicError) bool {
	pe, ok := err.(*panicError)
	if ok {
		*target = pe
	}
	return ok
}

// safeCall runs h, turning a panic into a *panicError.
func safeCall(ctx context.Context, r *Request, h Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &panicError{value: p, stack: debug.Stack()}
		}
	}()
	return h(ctx, r)
}

func errOrEmpty(err error) string {
	if err == nil {
		return ""
	}
	return errForLog(err)
}

// growStack grows the calling goroutine's stack to hold a handler's
// deepest calls at once, while it is still nearly empty and cheap to copy:
// grown step by step, deep in JSON decoding and the store, the copies
// were a twentieth of a manager's /pulse.
//
//go:noinline
func growStack() byte {
	var pad [32 << 10]byte
	return pad[stackPadIndex]
}

// stackPadIndex is a variable, so that the compiler keeps growStack's pad.
var stackPadIndex = 1
