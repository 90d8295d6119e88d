package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// sep joins the parts of a key. No ID, date or user ID holds it, so a
// prefix ending in sep names exactly one parent ("t1/" never matches "t10/").
const sep = '/'

// key joins parts with sep.
func key(parts ...string) []byte {
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	b := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			b = append(b, sep)
		}
		b = append(b, p...)
	}
	return b
}

// prefix joins parts with sep and ends with sep, for a range scan over
// everything below them.
func prefix(parts ...string) []byte { return append(key(parts...), sep) }

// binKey appends a binary part (a big-endian time) and then the text parts.
// Binary parts are fixed-width, so the key still splits unambiguously.
func binKey(head []byte, bin []byte, tail ...string) []byte {
	b := append(append([]byte{}, head...), bin...)
	for _, p := range tail {
		b = append(append(b, sep), p...)
	}
	return b
}

// timeLen is the width of a timeKey.
const timeLen = 8

// The instants a timeKey can tell apart; earlier and later ones (such as the
// zero time, for an open end of a range) are clamped to them.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// timeKey encodes t as 8 big-endian bytes of Unix nanoseconds that sort in
// time order, also before 1970 (the sign bit is flipped).
func timeKey(t time.Time) []byte {
	switch {
	case t.Before(minTime):
		t = minTime
	case t.After(maxTime):
		t = maxTime
	}
	var b [timeLen]byte
	binary.BigEndian.PutUint64(b[:], uint64(t.UnixNano())^(1<<63))
	return b[:]
}

// dayKey formats a nudge's day offset so that the days sort as numbers.
func dayKey(day int) string { return fmt.Sprintf("%04d", day) }

// dayRange returns the bounds of a scan over the days from to to, both
// included, below the parent key parts: keys parent/day/…, with days as
// YYYY-MM-DD, which sort in day order. A zero from or to leaves that end open.
func dayRange(from, to pulse.Date, parent ...string) (lo, hi []byte) {
	parent = parent[:len(parent):len(parent)] // appends below must copy
	lo = prefix(append(parent, from.String())...)
	if from.IsZero() {
		lo = prefix(parent...)
	}
	hi = prefixEnd(prefix(parent...))
	if !to.IsZero() {
		hi = prefix(append(parent, to.AddDays(1).String())...)
	}
	return lo, hi
}

// timeRange returns the bounds of a scan over the instants from (included)
// to to (excluded) below the parent key parts: keys parent/time/…. A zero to
// leaves the end open.
func timeRange(from, to time.Time, parent ...string) (lo, hi []byte) {
	p := prefix(parent...)
	lo = binKey(p, timeKey(from))
	if to.IsZero() {
		return lo, prefixEnd(p)
	}
	return lo, binKey(p, timeKey(to))
}

// checkPart reports a key part that would break the key layout: an empty
// one, or one holding the separator.
func checkPart(what, s string) error {
	if s == "" || strings.ContainsRune(s, sep) {
		return pulse.Errorf(pulse.EINVALID, "err.internal", nil, "bad %s id %q", what, s)
	}
	return nil
}

// checkDate reports a missing date, which no key can be built from.
func checkDate(what string, d pulse.Date) error {
	if d.IsZero() {
		return pulse.FieldError("date", "err.date", map[string]any{"Value": ""}, "%s without a date", what)
	}
	return nil
}

// scan calls fn for each entry of b with from <= key < to, in key order; a
// nil to means no upper bound. It seeks straight to from, so it reads only
// the entries in range. fn must not modify b.
func scan(b kv.Bucket, from, to []byte, fn func(k, v []byte) error) error {
	c := b.Cursor()
	kv.Until(c, to)
	for k, v := c.Seek(from); k != nil && (to == nil || bytes.Compare(k, to) < 0); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// count returns how many keys of b lie in [from, to); to nil is open. A
// scan that decodes large records counts first to size its slice once:
// walking the same pages twice costs less than the slice copying itself as
// it grows.
func count(b kv.Bucket, from, to []byte) int {
	n := 0
	c := b.Cursor()
	kv.Until(c, to)
	for k, _ := c.Seek(from); k != nil && (to == nil || bytes.Compare(k, to) < 0); k, _ = c.Next() {
		n++
	}
	return n
}

// scanPrefix calls fn for each entry of b whose key starts with p.
func scanPrefix(b kv.Bucket, p []byte, fn func(k, v []byte) error) error {
	return scan(b, p, prefixEnd(p), fn)
}

// prefixEnd returns the least key greater than every key starting with p,
// or nil when there is none.
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// last returns the greatest entry of b whose key starts with p.
func last(b kv.Bucket, p []byte) (k, v []byte) { return lastIn(b.Cursor(), p, prefixEnd(p)) }

// lastIn is last through the cursor c, for a caller that moves one cursor
// from prefix to prefix; end is prefixEnd(p), passed in so that it can be
// built without allocating.
func lastIn(c kv.Cursor, p, end []byte) (k, v []byte) {
	if end == nil {
		k, v = c.Last()
	} else if k, _ = c.Seek(end); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, p) {
		return nil, nil
	}
	return k, v
}

// newID takes b's next sequence number as an ID with the given prefix,
// zero-padded so IDs sort in creation order.
func newID(b kv.Bucket, prefix string) (string, error) {
	n, err := b.NextSequence()
	if err != nil {
		return "", err
	}
	return prefix + fmt.Sprintf("%010d", n), nil
}

// put stores v as JSON under k.
func put(b kv.Bucket, k []byte, v any) error {
	buf, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", k, err)
	}
	return b.Put(k, buf)
}

// getter reads the value under a key: a bucket, or a lookup in one.
type getter interface{ Get(k []byte) []byte }

// lookup reads values by key through one cursor, for the many point reads
// of a scan over an index: bbolt's Bucket.Get makes a cursor for each.
type lookup struct{ c kv.Cursor }

// lookupIn returns a lookup in b.
func lookupIn(b kv.Bucket) lookup { return lookup{b.Cursor()} }

// indexIDs lists the values of the index entries of idx in [lo, hi), the
// IDs of records in records, and tells records they are about to be
// looked up, so that PostgreSQL reads them in one query. The caller
// releases the list, error or not, once it has looked them up.
func indexIDs(idx, records kv.Bucket, lo, hi []byte) (*idList, error) {
	l := idLists.Get().(*idList)
	err := scan(idx, lo, hi, func(_, id []byte) error {
		l.ids = append(l.ids, id)
		return nil
	})
	kv.Prefetch(records, l.ids)
	return l, err
}

// idList is the IDs an index read lists, pooled: a team's commitments and
// blockers are some fifty IDs each, and a list grown afresh for each read
// was a twentieth of what a manager's /pulse allocated.
type idList struct{ ids [][]byte }

var idLists = sync.Pool{New: func() any { return new(idList) }}

// release hands l back, dropping its IDs: they are the transaction's.
func (l *idList) release() {
	clear(l.ids)
	l.ids = l.ids[:0]
	idLists.Put(l)
}

// Get returns the value under k, or nil when there is none.
func (l lookup) Get(k []byte) []byte {
	if at, v := l.c.Seek(k); bytes.Equal(at, k) {
		return v
	}
	return nil
}

// get decodes the value under k into v and reports whether there was one.
func get(b getter, k []byte, v any) (bool, error) {
	buf := b.Get(k)
	if buf == nil {
		return false, nil
	}
	if err := json.Unmarshal(buf, v); err != nil {
		return true, fmt.Errorf("decode %s: %w", k, err)
	}
	return true, nil
}

// decode reads a JSON value found by a scan.
func decode(k, buf []byte, v any) error {
	if err := json.Unmarshal(buf, v); err != nil {
		return fmt.Errorf("decode %s: %w", k, err)
	}
	return nil
}

// foldName returns the form of a team name that two names share when they
// differ only in case: each rune becomes the least rune of its Unicode
// case-folding orbit, so "SALG", "Salg" and "salg" meet, as do "Ω" and "ω".
func foldName(name string) []byte {
	var b strings.Builder
	for _, r := range strings.TrimSpace(name) {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return []byte(b.String())
}

// notFound is the ENOTFOUND error of every lookup; Kind lets a person be
// told what was missing.
func notFound(kind, format string, args ...any) error {
	return pulse.Errorf(pulse.ENOTFOUND, "err.not_found", map[string]any{"Kind": kind}, format, args...)
}

// wrap adds context to err for the operator's log, but hands a validation
// error back as it is, so that a caller can map it onto a form's fields.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(pulse.ValidationErrors); ok {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// itoa formats a schema version for the meta bucket.
func itoa(n int) []byte { return []byte(strconv.Itoa(n)) }
