package kv

import (
	"bytes"
	"context"

	bolt "go.etcd.io/bbolt"
)

// Bolt runs transactions on a bbolt database. The adapters are one pointer
// each, so wrapping a bucket or cursor allocates nothing.
type Bolt struct{ DB *bolt.DB }

// View runs fn in a bbolt read transaction; ctx is checked by callers.
func (b Bolt) View(_ context.Context, fn func(Tx) error) error {
	return b.DB.View(func(tx *bolt.Tx) error { return fn(&boltView{BoltTx: BoltTx{tx}}) })
}

// boltView is a read transaction that keeps the buckets it opened. bbolt
// keeps them only for a writable transaction: in a read one it searches
// the root and allocates each bucket anew on every lookup, and a manager's
// /pulse looks up the same dozen buckets some forty times in one read.
// Like the transaction, it is for one goroutine at a time.
type boltView struct {
	BoltTx
	open [16]openBucket
	n    int
}

type openBucket struct {
	name []byte // the caller's, a name the store never changes
	b    *bolt.Bucket
}

func (v *boltView) Bucket(name []byte) Bucket {
	for i := range v.n {
		if bytes.Equal(v.open[i].name, name) {
			return boltBucket{v.open[i].b}
		}
	}
	b := v.Tx.Bucket(name)
	if b == nil {
		return nil
	}
	if v.n < len(v.open) {
		v.open[v.n] = openBucket{name, b}
		v.n++
	}
	return boltBucket{b}
}

// Update runs fn once in a bbolt write transaction.
func (b Bolt) Update(_ context.Context, fn func(Tx) error) error {
	return b.DB.Update(func(tx *bolt.Tx) error { return fn(BoltTx{tx}) })
}

// Batch runs fn through bbolt's Batch, which shares commits.
func (b Bolt) Batch(_ context.Context, fn func(Tx) error) error {
	return b.DB.Batch(func(tx *bolt.Tx) error { return fn(BoltTx{tx}) })
}

// Close closes the bbolt database.
func (b Bolt) Close() error { return b.DB.Close() }

// BoltTx is a bbolt transaction as a Tx.
type BoltTx struct{ Tx *bolt.Tx }

func (t BoltTx) Bucket(name []byte) Bucket {
	b := t.Tx.Bucket(name)
	if b == nil {
		return nil
	}
	return boltBucket{b}
}

func (t BoltTx) CreateBucketIfNotExists(name []byte) (Bucket, error) {
	b, err := t.Tx.CreateBucketIfNotExists(name)
	if err != nil {
		return nil, err
	}
	return boltBucket{b}, nil
}

func (t BoltTx) Writable() bool { return t.Tx.Writable() }

type boltBucket struct{ b *bolt.Bucket }

func (b boltBucket) Get(k []byte) []byte           { return b.b.Get(k) }
func (b boltBucket) Put(k, v []byte) error         { return b.b.Put(k, v) }
func (b boltBucket) Delete(k []byte) error         { return b.b.Delete(k) }
func (b boltBucket) Cursor() Cursor                { return boltCursor{b.b.Cursor()} }
func (b boltBucket) NextSequence() (uint64, error) { return b.b.NextSequence() }

func (b boltBucket) ForEach(fn func(k, v []byte) error) error { return b.b.ForEach(fn) }

// Insert is a Get and a Put: bbolt has one writer at a time, so nothing
// comes between them.
func (b boltBucket) Insert(k, v []byte) (bool, error) {
	if b.b.Get(k) != nil {
		return false, nil
	}
	return true, b.b.Put(k, v)
}

type boltCursor struct{ c *bolt.Cursor }

func (c boltCursor) First() ([]byte, []byte)        { return c.c.First() }
func (c boltCursor) Last() ([]byte, []byte)         { return c.c.Last() }
func (c boltCursor) Seek(k []byte) ([]byte, []byte) { return c.c.Seek(k) }
func (c boltCursor) Next() ([]byte, []byte)         { return c.c.Next() }
func (c boltCursor) Prev() ([]byte, []byte)         { return c.c.Prev() }
