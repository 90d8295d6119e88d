package storage

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// MarkEnvelope records a Socket Mode envelope ID and reports whether this
// is its first sighting. Of any number of concurrent calls with one ID,
// also from other processes on one PostgreSQL database, exactly one gets
// first=true: each is decided by the insert that stores it. An empty ID is an
// EINVALID error.
func (db *DB) MarkEnvelope(ctx context.Context, id string, now time.Time) (bool, error) {
	if id == "" {
		return false, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "empty envelope id")
	}
	var first bool
	err := db.batch(ctx, func(tx kv.Tx) error {
		at := timeKey(now)
		// The insert is the decision: on PostgreSQL, of replicas marking
		// one envelope at once, one inserts and the others conflict.
		var err error
		if first, err = tx.Bucket(bucketEnvelopes).Insert([]byte(id), append(at, envelopeTaken)); err != nil || !first {
			return err
		}
		return tx.Bucket(bucketEnvelopesByTime).Put(binKey(nil, at, id), []byte{})
	})
	if err != nil {
		return false, wrap(err, "mark envelope %s", id)
	}
	return first, nil
}

// PruneEnvelopes forgets the envelopes first seen strictly before the given
// time and returns how many. It reads only the entries it deletes, through
// the time index. Safe for concurrent use with MarkEnvelope.
func (db *DB) PruneEnvelopes(ctx context.Context, before time.Time) (int, error) {
	var n int
	err := db.update(ctx, func(tx kv.Tx) error {
		n = 0
		seen, byTime := tx.Bucket(bucketEnvelopes), tx.Bucket(bucketEnvelopesByTime)
		var stale [][]byte
		err := scan(byTime, nil, timeKey(before), func(k, _ []byte) error {
			stale = append(stale, slices.Clone(k))
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range stale {
			id := k[timeLen+1:]
			// Only forget the ID if this index entry is its current one.
			if v := seen.Get(id); len(v) >= timeLen && bytes.Equal(v[:timeLen], k[:timeLen]) {
				if err := seen.Delete(id); err != nil {
					return err
				}
				n++
			}
			if err := byTime.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, wrap(err, "prune envelopes before %s", before)
	}
	return n, nil
}

// An envelope's entry is the time it was first seen, followed by
// envelopeTaken while it is marked but no write of its handler has
// committed. Entries written before there were two states are applied.
const envelopeTaken = 't'

// RetakeEnvelope reports whether the envelope id, marked before, was never
// applied: its handler made no write yet (its process may have died), so a
// redelivery may run it. Should two processes run it, the first write of
// one records it applied and the other's writes fail with
// pulse.ErrEnvelopeApplied.
func (db *DB) RetakeEnvelope(ctx context.Context, id string) (bool, error) {
	var taken bool
	err := db.view(ctx, func(tx kv.Tx) error {
		v := tx.Bucket(bucketEnvelopes).Get([]byte(id))
		taken = len(v) == timeLen+1 && v[timeLen] == envelopeTaken
		return nil
	})
	if err != nil {
		return false, wrap(err, "retake envelope %s", id)
	}
	return taken, nil
}

// applyEnvelope records, inside a write transaction made for the envelope
// ctx carries, that the envelope is applied; when another process applied
// it first, it returns pulse.ErrEnvelopeApplied and the write must not
// commit. It does nothing without an envelope, or once this process has
// applied it.
func applyEnvelope(ctx context.Context, tx kv.Tx) error {
	m := pulse.EnvelopeOf(ctx)
	if m == nil || m.Applied() {
		return nil
	}
	seen := tx.Bucket(bucketEnvelopes)
	v := seen.Get([]byte(m.ID))
	switch {
	case len(v) == timeLen+1 && v[timeLen] == envelopeTaken:
		return seen.Put([]byte(m.ID), bytes.Clone(v[:timeLen]))
	case v != nil:
		return pulse.ErrEnvelopeApplied
	}
	return nil // pruned, or never marked: nothing to record
}
