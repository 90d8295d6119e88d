package cadence

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/salespulse/pulse"
)

// deliveredSlack widens the window in which Slack's history is searched for
// a job's message, for clocks that disagree a little.
const deliveredSlack = 5 * time.Minute

// enqueue hands a claimed task to the pool without waiting for a worker.
// After Close the claim is given back instead.
func (e *Engine) enqueue(t *task) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		if err := e.store.Release(context.Background(), t.occ.Key); err != nil {
			e.log.Error("release job after close", "job", t.occ.Key.String(), "err", err)
		}
		return
	}
	e.ready = append(e.ready, t)
	e.depthChanged()
	e.wake.Broadcast()
	e.mu.Unlock()
}

// depthChanged reports the queue's depth to the metrics. The caller holds
// e.mu.
func (e *Engine) depthChanged() {
	e.metrics.QueueDepth(len(e.ready) + len(e.waiting))
}

// promote moves failed tasks whose wait is over back to the pool.
func (e *Engine) promote(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	kept := e.waiting[:0]
	for _, t := range e.waiting {
		if now.Before(t.next) {
			kept = append(kept, t)
			continue
		}
		e.ready = append(e.ready, t)
	}
	clear(e.waiting[len(kept):])
	e.waiting = kept
	e.depthChanged()
	e.wake.Broadcast()
}

// QueueDepth returns how many claimed jobs wait for a worker or for a
// retry, not counting those being delivered.
func (e *Engine) QueueDepth() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.ready) + len(e.waiting)
}

// Drain waits until no claimed job waits for a worker, none is being
// delivered and the feeder has nothing more to claim, or until ctx ends.
// Jobs waiting for a retry do not count: their time comes with a later
// tick. The demo and tests call it after a tick to see its deliveries done.
func (e *Engine) Drain(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() {
		e.mu.Lock()
		e.wake.Broadcast()
		e.mu.Unlock()
	})
	defer stop()
	e.mu.Lock()
	defer e.mu.Unlock()
	for (len(e.ready) > 0 || e.busy > 0 || e.feeding || e.wantsFill()) && ctx.Err() == nil {
		e.wake.Wait()
	}
	return ctx.Err()
}

// Close stops the pool: deliveries under way finish (each within
// DeliverTimeout), jobs not yet tried are released for the next run to
// claim, jobs waiting for a retry stay claimed, since a failed attempt may
// have posted its message: the next run asks Slack about them, and what
// was not walked yet is left for the next run to find due.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	untried := e.ready
	e.ready, e.waiting, e.pending = nil, nil, nil
	e.depthChanged()
	e.wake.Broadcast()
	e.mu.Unlock()

	e.workers.Wait()
	e.cancel()
	var errs []error
	for _, t := range untried {
		if t.attempts > 0 {
			continue
		}
		if err := e.store.Release(context.Background(), t.occ.Key); err != nil {
			errs = append(errs, fmt.Errorf("release job %s: %w", t.occ.Key, err))
		}
	}
	return errors.Join(errs...)
}

// work delivers tasks until the engine closes.
func (e *Engine) work() {
	defer e.workers.Done()
	for {
		e.mu.Lock()
		for len(e.ready) == 0 && !e.closed {
			e.wake.Wait()
		}
		if e.closed {
			e.mu.Unlock()
			return
		}
		t := e.ready[0]
		e.ready[0] = nil
		e.ready = e.ready[1:]
		e.depthChanged()
		e.busy++
		e.mu.Unlock()

		e.deliver(t)

		e.mu.Lock()
		e.busy--
		e.wake.Broadcast()
		e.mu.Unlock()
	}
}

// deliver takes one claimed task to its end: sent, skipped, recorded,
// waiting for a retry, or released.
func (e *Engine) deliver(t *task) {
	ctx, key := e.ctx, t.occ.Key
	now := e.clock.Now()
	if !now.Before(t.occ.Until) {
		e.finishSkipped(ctx, t, now, "no longer meaningful")
		return
	}
	if t.checkFirst && t.occ.To != "" {
		d, found, err := e.askSlack(ctx, key, t.occ.To, t.occ.At.Add(-deliveredSlack))
		if err != nil {
			e.fail(t, now, fmt.Errorf("ask whether %s was delivered: %w", key, err))
			return
		}
		if found {
			e.log.Info("found delivered by an earlier attempt", "job", key.String())
			e.finishSent(ctx, t, d, now)
			return
		}
	}
	n, act, err := e.notice(ctx, t, now)
	switch {
	case err != nil:
		e.fail(t, now, err)
		return
	case act == skip:
		e.finishSkipped(ctx, t, now, "nothing to send")
		return
	case act == recorded:
		e.finishSent(ctx, t, pulse.Delivery{}, now)
		return
	}
	dctx, cancel := context.WithTimeout(ctx, e.opt.DeliverTimeout)
	d, err := e.notifier.Deliver(dctx, *n)
	cancel()
	if err != nil {
		// The message may have gone out before the error: look first
		// next time.
		t.checkFirst = true
		e.fail(t, now, fmt.Errorf("deliver %s: %w", key, err))
		return
	}
	e.finishSent(ctx, t, d, now)
}

// askSlack asks the notifier, within DeliverTimeout, whether key's message
// is in the conversation.
func (e *Engine) askSlack(ctx context.Context, key pulse.JobKey, conversation string, since time.Time) (pulse.Delivery, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, e.opt.DeliverTimeout)
	defer cancel()
	return e.notifier.Delivered(ctx, key, conversation, since)
}

// undeliverable reports whether the notifier said the notice can never be
// delivered.
func undeliverable(err error) bool {
	switch pulse.ErrorCode(err) {
	case pulse.EINVALID, pulse.ENOTFOUND, pulse.EFORBIDDEN:
		return true
	}
	return false
}

// fail schedules a retry with a doubling wait, gives the job up when it can
// never be delivered, and releases it after MaxAttempts for a later tick to
// claim afresh, while it still means something.
func (e *Engine) fail(t *task, now time.Time, err error) {
	t.attempts++
	e.metrics.Job(t.occ.Key.Kind, pulse.JobOutcomeFailed)
	key := t.occ.Key.String()
	if undeliverable(err) {
		e.log.Warn("job cannot be delivered; given up", "job", key, "err", err)
		e.finishSkipped(e.ctx, t, now, "undeliverable")
		return
	}
	if t.attempts >= e.opt.MaxAttempts {
		e.log.Error("job failed; released for a later tick", "job", key, "attempts", t.attempts, "err", err)
		if rerr := e.store.Release(e.ctx, t.occ.Key); rerr != nil {
			e.log.Error("release failed job", "job", key, "err", rerr)
		}
		return
	}
	wait := e.opt.RetryBase << (t.attempts - 1)
	if wait > e.opt.RetryMax || wait <= 0 {
		wait = e.opt.RetryMax
	}
	t.next = now.Add(wait)
	e.log.Warn("job failed; will retry", "job", key, "attempt", t.attempts, "wait", wait, "err", err)
	e.mu.Lock()
	if !e.closed {
		e.waiting = append(e.waiting, t)
		e.depthChanged()
	}
	e.mu.Unlock()
}

// finishSent records a delivery. A nudge is also marked sent on the
// training, which is what the implementation rate counts. When the ledger
// cannot be written the job stays claimed under this run, which will not
// send it again; the next run settles it by asking Slack.
func (e *Engine) finishSent(ctx context.Context, t *task, d pulse.Delivery, now time.Time) {
	key := t.occ.Key
	if key.Kind == pulse.JobNudge {
		if err := e.recordNudge(ctx, key, now); err != nil {
			e.log.Error("record nudge sent", "job", key.String(), "err", err)
		}
	}
	if err := e.store.MarkSent(ctx, key, d.Channel, d.TS, now); err != nil {
		e.log.Error("delivered but not marked sent", "job", key.String(), "err", err)
	}
	e.remember(key, t.occ.Until)
	e.metrics.Job(key.Kind, pulse.JobOutcomeSent)
	e.log.Info("job sent", "job", key.String(), "channel", d.Channel, "ts", d.TS)
}

func (e *Engine) finishSkipped(ctx context.Context, t *task, now time.Time, why string) {
	if err := e.store.MarkSkipped(ctx, t.occ.Key, now); err != nil {
		e.log.Error("mark job skipped", "job", t.occ.Key.String(), "err", err)
	}
	e.remember(t.occ.Key, t.occ.Until)
	e.metrics.Job(t.occ.Key.Kind, pulse.JobOutcomeSkipped)
	e.log.Info("job skipped", "job", t.occ.Key.String(), "why", why)
}
