// Package kv is the ordered key-value store Pulse's storage runs on, shaped
// like bbolt: named buckets of byte keys in byte order, read and written in
// transactions. Two engines implement it: bbolt in one file (Bolt) and
// PostgreSQL for several replicas (Postgres). Storage code written against
// these interfaces runs unchanged on both.
//
// Errors: Get and cursor moves return no error, as in bbolt. An engine whose
// reads can fail (PostgreSQL) remembers the first failure, makes every later
// call of the transaction a no-op, and returns it from the transaction.
package kv

import (
	"context"
	"errors"
)

// DB runs transactions.
type DB interface {
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction of its own. An engine may
	// run fn again when the transaction conflicts with a concurrent one, so
	// fn must compute its results afresh on each run.
	Update(ctx context.Context, fn func(Tx) error) error
	// Batch is Update for small writes arriving in bursts: an engine may
	// run several in one transaction, and rerun fn alone when another one's
	// fn fails.
	Batch(ctx context.Context, fn func(Tx) error) error
	// Close releases the engine; calls after it fail.
	Close() error
}

// Tx is a transaction.
type Tx interface {
	// Bucket returns the named bucket, or nil when it does not exist.
	Bucket(name []byte) Bucket
	// CreateBucketIfNotExists returns the named bucket, creating it.
	CreateBucketIfNotExists(name []byte) (Bucket, error)
	// Writable reports whether the transaction may write.
	Writable() bool
}

// Bucket is a set of keys in byte order, each with a value. Slices it
// returns are valid until the transaction ends and must not be modified.
type Bucket interface {
	// Get returns k's value, or nil when k is absent (a present empty value
	// is a non-nil empty slice).
	Get(k []byte) []byte
	// Put sets k's value.
	Put(k, v []byte) error
	// Insert sets k's value only when k is absent and reports whether it
	// did. Of concurrent transactions inserting one key, exactly one
	// commits having inserted it: the insert is a claim.
	Insert(k, v []byte) (bool, error)
	// Delete removes k; deleting an absent key does nothing.
	Delete(k []byte) error
	// Cursor returns a cursor over the bucket.
	Cursor() Cursor
	// ForEach calls fn for every key in order; an error stops it.
	ForEach(fn func(k, v []byte) error) error
	// NextSequence returns the bucket's next number, from 1.
	NextSequence() (uint64, error)
}

// Cursor walks a bucket in key order. Each move returns the key and value
// it lands on, or nil keys past either end. The bucket must not be written
// while a cursor walks it.
type Cursor interface {
	First() (k, v []byte)
	Last() (k, v []byte)
	// Seek moves to the first key at or after seek.
	Seek(seek []byte) (k, v []byte)
	Next() (k, v []byte)
	Prev() (k, v []byte)
}

// Until tells c that the walk it is about to start stops before the key
// end (nil: no end), so that an engine reading in pages can read the whole
// range in one go; moving past end still works, as on any cursor. Engines
// that read no pages ignore it.
func Until(c Cursor, end []byte) {
	if b, ok := c.(interface{ until(end []byte) }); ok {
		b.until(end)
	}
}

// Prefetch tells b that the keys are about to be looked up (with Get, or a
// cursor's Seek to each), so that an engine that reads over the network
// reads them all at once. Engines that read no pages ignore it.
func Prefetch(b Bucket, keys [][]byte) {
	if p, ok := b.(interface{ prefetch(keys [][]byte) }); ok && len(keys) > 0 {
		p.prefetch(keys)
	}
}

// InsertAll inserts each of keys with the value of the same index as
// Insert does, and reports which it inserted; of a key given twice, the
// first is inserted at most. An engine that can sends them all at once.
func InsertAll(b Bucket, keys, values [][]byte) ([]bool, error) {
	if m, ok := b.(interface {
		insertAll(keys, values [][]byte) ([]bool, error)
	}); ok {
		return m.insertAll(keys, values)
	}
	out := make([]bool, len(keys))
	for i := range keys {
		won, err := b.Insert(keys[i], values[i])
		if err != nil {
			return nil, err
		}
		out[i] = won
	}
	return out, nil
}

// ErrReadOnly is returned by writes in a read-only transaction.
var ErrReadOnly = errors.New("write in a read-only transaction")
