package storage

import (
	"hash/maphash"
	"sync"
)

// decoded keeps JSON records (profiles, teams) as last decoded, each with a
// 128-bit hash of the bytes it came from: a read that finds bytes of the
// same hash in the file reuses the decoded record. They are read on every
// answer and change rarely, and hashing is far cheaper than decoding JSON;
// the file stays the only truth. A hash rather than the bytes themselves
// halves what ten thousand profiles hold, and two independent 64-bit hashes
// make a changed record mistaken for the old one less likely than anything
// else going wrong.
type decoded[T any] struct {
	mu    sync.RWMutex
	m     map[string]*decodedRecord[T]
	seeds [2]maphash.Seed
}

type decodedRecord[T any] struct {
	sum [2]uint64
	v   T
}

func newDecoded[T any]() *decoded[T] {
	return &decoded[T]{m: make(map[string]*decodedRecord[T]), seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// get returns the record stored as raw under id, shared with the cache:
// the caller must not change it.
func (c *decoded[T]) get(id string, raw []byte) (*T, error) {
	sum := [2]uint64{maphash.Bytes(c.seeds[0], raw), maphash.Bytes(c.seeds[1], raw)}
	c.mu.RLock()
	r := c.m[id]
	c.mu.RUnlock()
	if r != nil && r.sum == sum {
		return &r.v, nil
	}
	r = &decodedRecord[T]{sum: sum}
	if err := decode([]byte(id), raw, &r.v); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.m[id] = r
	c.mu.Unlock()
	return &r.v, nil
}
