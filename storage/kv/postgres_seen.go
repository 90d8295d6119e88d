package kv

import (
	"bytes"
	"sort"
)

// What a PostgreSQL transaction has read, kept so that reads inside it
// need no query.

// seenRanges are the ranges of one bucket read so far. A read that misses
// them reads a page ahead, twice as big as the last when reads hit the
// last page (lookups in key order, a team's reps one after another), and
// back to the smallest when they did not (lookups far apart).
type seenRanges struct {
	spans []span
	grown int // doublings of the page a miss reads
	hits  int // reads the ranges answered since the last miss
	// lastGet is the key of the last Get the ranges missed: a Get of a
	// greater key reads ahead from it, as lookups in key order (the next
	// rep's job, the next rep's profile) go on.
	lastGet []byte
	// keys are single keys read at once ahead of their lookups (see
	// Prefetch): a pair with a nil value is a key known to be absent.
	keys map[string]pair
}

// span is a range of keys read in full: every key from from up to and
// including the last row's (to the bucket's end when end is set, and below
// below when that is set) is in rows.
type span struct {
	from  []byte
	rows  []pair
	end   bool
	below []byte
}

// maxSpans bounds the ranges kept per bucket; past it the oldest go.
const maxSpans = 64

// covers reports whether k lies in the span, and the index of the first
// row at or after it.
func (sp *span) covers(k []byte) (int, bool) {
	if bytes.Compare(k, sp.from) < 0 {
		return 0, false
	}
	i := sort.Search(len(sp.rows), func(i int) bool { return bytes.Compare(sp.rows[i].k, k) >= 0 })
	return i, i < len(sp.rows) || sp.end || (sp.below != nil && bytes.Compare(k, sp.below) < 0)
}

// lookup finds a span holding k; with row set, one that also holds the
// key at or after k (or knows there is none), as a cursor needs.
func (t *pgTx) lookup(bucket string, k []byte, row bool) (*span, int, bool) {
	r := t.seen[bucket]
	if r == nil {
		return nil, 0, false
	}
	for j := len(r.spans) - 1; j >= 0; j-- {
		sp := &r.spans[j]
		if i, ok := sp.covers(k); ok && (!row || i < len(sp.rows) || sp.end) {
			r.hits++
			return sp, i, true
		}
	}
	return nil, 0, false
}

// remember keeps a range read.
func (t *pgTx) remember(bucket string, sp span) {
	r := t.ranges(bucket)
	if len(r.spans) == maxSpans {
		r.spans = append(r.spans[:0], r.spans[1:]...)
	}
	r.spans = append(r.spans, sp)
}

// ranges returns what the transaction read of bucket.
func (t *pgTx) ranges(bucket string) *seenRanges {
	if t.seen == nil {
		t.seen = map[string]*seenRanges{}
	}
	r := t.seen[bucket]
	if r == nil {
		r = &seenRanges{}
		t.seen[bucket] = r
	}
	return r
}

// readAhead returns the size of the page a seek into bucket that missed
// its ranges reads.
func (t *pgTx) readAhead(bucket string) int {
	r := t.ranges(bucket)
	switch {
	case r.hits == 0:
		r.grown = 0
	case r.grown < 8:
		r.grown++
	}
	r.hits = 0
	return min(firstPage<<r.grown, maxPage)
}

// forget drops what the transaction read of bucket, which it is writing.
func (t *pgTx) forget(bucket string) {
	if r := t.seen[bucket]; r != nil {
		r.spans = r.spans[:0]
		clear(r.keys)
	}
}

// known returns what the transaction read of the single key k ahead of
// its lookup, and whether it did.
func (t *pgTx) known(bucket string, k []byte) (pair, bool) {
	r := t.seen[bucket]
	if r == nil || r.keys == nil {
		return pair{}, false
	}
	p, ok := r.keys[string(k)]
	if ok {
		r.hits++
	}
	return p, ok
}
