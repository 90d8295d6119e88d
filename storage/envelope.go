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
// exactly one gets first=true: marks share commits through db.Batch, and
// each is decided inside the transaction that stores it. An empty ID is an
// EINVALID error.
func (db *DB) MarkEnvelope(ctx context.Context, id string, now time.Time) (bool, error) {
	if id == "" {
		return false, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "empty envelope id")
	}
	var first bool
	err := db.batch(ctx, func(tx kv.Tx) error {
		first = false
		seen := tx.Bucket(bucketEnvelopes)
		if seen.Get([]byte(id)) != nil {
			return nil
		}
		at := timeKey(now)
		if err := seen.Put([]byte(id), at); err != nil {
			return err
		}
		first = true
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
			if bytes.Equal(seen.Get(id), k[:timeLen]) {
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
