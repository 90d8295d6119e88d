package cadence

import (
	"context"
	"errors"
	"fmt"

	"github.com/salespulse/pulse"
)

// Recover settles the jobs another run claimed and never confirmed: that
// run stopped between claiming a job and recording its delivery, so Slack
// may or may not hold the message. For each, Recover asks the notifier
// whether the job's message is in its conversation: if so the job is
// marked sent with what Slack holds; if not it is released, and the next
// tick claims and sends it while it still means something. A missed day is
// settled by the store instead. Jobs claimed by this engine are its own
// and left alone, and so are claims younger than ClaimGrace: another
// replica, alive, may be sending them right now, and Slack's history would
// not show a message still on its way. Tick calls Recover at the first
// tick and every RecoverEvery, and sooner again after a failure or when it
// left young claims for later.
func (e *Engine) Recover(ctx context.Context) error {
	jobs, err := e.store.Unconfirmed(ctx)
	if err != nil {
		e.retryRecover()
		return fmt.Errorf("recover: unconfirmed jobs: %w", err)
	}
	now := e.clock.Now()
	var errs []error
	young := false
	for _, j := range jobs {
		if j.Owner == e.owner {
			continue
		}
		if now.Sub(j.ClaimedAt) < e.opt.ClaimGrace {
			young = true
			continue
		}
		if err := e.settle(ctx, j); err != nil {
			errs = append(errs, fmt.Errorf("recover job %s: %w", j.Key, err))
		}
	}
	if len(errs) > 0 || young {
		e.retryRecover()
	}
	return errors.Join(errs...)
}

// retryRecover asks the next tick to recover again.
func (e *Engine) retryRecover() {
	e.mu.Lock()
	e.recoverDue = true
	e.mu.Unlock()
}

func (e *Engine) settle(ctx context.Context, j pulse.Job) error {
	now := e.clock.Now()
	log := e.log.With("job", j.Key.String(), "claimed_by", j.Owner)
	if j.Key.Kind == pulse.JobCRMSync || pulse.SettledByOutbox(j.Key) {
		// A pull sends nothing to ask Slack about; the CRM syncer takes a
		// stale one over itself. What an outbox effect sends is settled by
		// the outbox's senders, which leave a live replica's claim alone.
		return nil
	}
	if j.Key.Kind == pulse.JobMissed {
		day, err := pulse.ParseDate(j.Key.Occurrence)
		if err != nil {
			return e.store.MarkSkipped(ctx, j.Key, now)
		}
		_, err = e.store.CheckIn(ctx, j.Key.TeamID, j.Key.UserID, day)
		switch {
		case err == nil:
			log.Info("missed day found recorded by an earlier run")
			return e.store.MarkSent(ctx, j.Key, "", "", now)
		case pulse.IsNotFound(err):
			log.Info("missed day not recorded by an earlier run; released")
			return e.store.Release(ctx, j.Key)
		}
		return err
	}
	conversation := j.Key.UserID
	if conversation == "" {
		team, err := e.store.Team(ctx, j.Key.TeamID)
		switch {
		case pulse.IsNotFound(err):
			return e.store.MarkSkipped(ctx, j.Key, now)
		case err != nil:
			return err
		}
		conversation = team.Channel
	}
	d, found, err := e.askSlack(ctx, j.Key, conversation, j.ClaimedAt.Add(-deliveredSlack))
	if err != nil {
		return fmt.Errorf("ask whether delivered: %w", err)
	}
	if !found {
		log.Info("not delivered by an earlier run; released")
		if err := e.store.Release(ctx, j.Key); err != nil {
			return err
		}
		e.markCleared(j.Key)
		return nil
	}
	if j.Key.Kind == pulse.JobNudge {
		if err := e.recordNudge(ctx, j.Key, now); err != nil {
			return fmt.Errorf("record nudge sent: %w", err)
		}
	}
	log.Info("found delivered by an earlier run", "channel", d.Channel, "ts", d.TS)
	return e.store.MarkSent(ctx, j.Key, d.Channel, d.TS, now)
}
