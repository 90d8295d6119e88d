package storage

import (
	"fmt"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// adoptUndeliveredSpan is how far back schema 12 looks for feedback left
// undelivered: the span the sweep that delivered it before the outbox
// looked at, past which a feedback on a check-in says nothing any more.
const adoptUndeliveredSpan = 7 * 24 * time.Hour

// adoptUndeliveredFeedback is schema 12: feedback and replies are delivered
// from the outbox, written with them, no longer by a sweep of the feedback.
// Feedback of the last week saved before that, with a part not yet
// delivered (its process stopped after the ack), gets its delivery in the
// outbox, so that the upgrade loses none. Feedback is JSON (see put).
func adoptUndeliveredFeedback(tx kv.Tx) error {
	feedback, outbox := tx.Bucket(bucketFeedback), tx.Bucket(bucketOutbox)
	if feedback == nil || outbox == nil {
		return nil
	}
	since := time.Now().Add(-adoptUndeliveredSpan)
	var effects []pulse.Effect
	err := feedback.ForEach(func(k, v []byte) error {
		var f pulse.Feedback
		if err := decode(k, v, &f); err != nil {
			return err
		}
		if !f.Undelivered() || f.At.Before(since) {
			return nil
		}
		e, err := pulse.NewFeedbackEffect(&f)
		if err != nil {
			return err
		}
		effects = append(effects, e)
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range effects {
		id, err := newID(outbox, "e")
		if err != nil {
			return err
		}
		e.Key, e.CreatedAt = pulse.EffectKey(e.TeamID, e.To, id), time.Now()
		if err := put(outbox, []byte(id), &e); err != nil {
			return fmt.Errorf("put the delivery of feedback to %s: %w", e.To, err)
		}
	}
	return nil
}
