package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// The outbox holds each effect a command's write committed to send, keyed
// by its ID (a sequence, so oldest first), until a sender forgets it once
// sent. Who sends it is decided by the job ledger under the effect's key,
// like any scheduled job.

// withEffects runs fn through run and, when ctx carries effects not yet
// written, writes them in the same transaction as fn's own write: the
// command's write and what it must send commit together or not at all.
func (db *DB) withEffects(ctx context.Context, run func(func(kv.Tx) error) error, fn func(kv.Tx) error) error {
	m := pulse.EffectsOf(ctx)
	if m == nil || m.Written() {
		return run(fn)
	}
	var stored []pulse.Effect
	err := run(func(tx kv.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		var err error
		stored, err = db.putEffects(tx, m.Effects)
		return err
	})
	if err == nil {
		m.SetWritten(stored)
	}
	return err
}

// putEffects stores effects in the outbox under new IDs and returns them as
// stored. It leaves the caller's effects alone, since a batch may run it
// more than once.
func (db *DB) putEffects(tx kv.Tx, effects []pulse.Effect) ([]pulse.Effect, error) {
	outbox := tx.Bucket(bucketOutbox)
	stored := make([]pulse.Effect, 0, len(effects))
	for _, e := range effects {
		if err := checkPart("team", e.TeamID); err != nil {
			return nil, err
		}
		if e.To == "" {
			return nil, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "effect without a recipient")
		}
		id, err := newID(outbox, "e")
		if err != nil {
			return nil, err
		}
		e.Key = pulse.EffectKey(e.TeamID, e.To, id)
		if !e.Key.Valid() {
			return nil, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "bad effect key %q", e.Key)
		}
		if e.CreatedAt.IsZero() {
			e.CreatedAt = db.now()
		}
		if err := put(outbox, []byte(id), &e); err != nil {
			return nil, fmt.Errorf("put effect %s: %w", e.Key, err)
		}
		stored = append(stored, e)
	}
	return stored, nil
}

// AddEffects writes effects in a transaction of their own (with the
// envelope ctx carries, if any, recorded applied): for an event whose only
// write is what it must send.
func (db *DB) AddEffects(ctx context.Context, effects ...pulse.Effect) ([]pulse.Effect, error) {
	if len(effects) == 0 {
		return nil, nil
	}
	var stored []pulse.Effect
	err := db.update(ctx, func(tx kv.Tx) error {
		var err error
		stored, err = db.putEffects(tx, effects)
		return err
	})
	if err != nil {
		return nil, wrap(err, "add %d effects", len(effects))
	}
	return stored, nil
}

// PendingEffects returns the effects not yet forgotten, oldest first.
// Safe for concurrent use.
func (db *DB) PendingEffects(ctx context.Context) ([]pulse.Effect, error) {
	var out []pulse.Effect
	err := db.view(ctx, func(tx kv.Tx) error {
		out = out[:0]
		return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			var e pulse.Effect
			if err := decode(k, v, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "pending effects")
	}
	return out, nil
}

// ForgetEffect removes a sent or undeliverable effect from the outbox;
// forgetting one already gone does nothing. Its ledger entry stays, so a
// stale copy read before it was forgotten is not sent again.
func (db *DB) ForgetEffect(ctx context.Context, key pulse.JobKey) error {
	if key.Kind != pulse.JobEffect || !key.Valid() {
		return pulse.Errorf(pulse.EINVALID, "err.internal", nil, "bad effect key %q", key.String())
	}
	err := db.update(ctx, func(tx kv.Tx) error {
		return tx.Bucket(bucketOutbox).Delete([]byte(key.Occurrence))
	})
	return wrap(err, "forget effect %s", key)
}

// TakeOverEffect claims for owner the ledger entry key (an effect's, or a
// delivery an effect makes) that a run claimed and never finished (it
// stopped; Slack was asked and holds no post of it), as seen. In one
// transaction, so that of replicas taking over at once one wins, and none
// takes a claim another has already taken over: won is false unless the
// entry is still the claim seen, by its owner and its count of attempts
// (a run taking over its own claim leaves the owner as it was).
func (db *DB) TakeOverEffect(ctx context.Context, key pulse.JobKey, seen pulse.Job, owner string, now time.Time) (pulse.Job, bool, error) {
	if !pulse.SettledByOutbox(key) || !key.Valid() {
		return pulse.Job{}, false, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "bad effect key %q", key.String())
	}
	var job pulse.Job
	var won bool
	err := db.update(ctx, func(tx kv.Tx) error {
		won = false
		jobs := tx.Bucket(bucketJobs)
		found, err := get(jobs, []byte(key.String()), &job)
		if err != nil || !found || job.State != pulse.JobClaimed || job.Owner != seen.Owner || job.Attempts != seen.Attempts {
			return err
		}
		job.Owner, job.ClaimedAt, job.Attempts = owner, now, job.Attempts+1
		won = true
		return put(jobs, []byte(key.String()), &job)
	})
	if err != nil {
		return pulse.Job{}, false, wrap(err, "take over effect %s from %s", key, seen.Owner)
	}
	return job, won, nil
}

// createOutbox lays out the outbox of schema 10.
func createOutbox(tx kv.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketOutbox); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketOutbox, err)
	}
	return nil
}
