package kv

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
)

// Page sizes of a cursor's reads: the first is small, since most cursors
// look at a key or two; each further read of the same walk doubles.
const (
	firstPage = 8
	maxPage   = 1024
	// rangePage bounds a bounded walk's one read: a team's quarter of
	// check-ins fits.
	rangePage = 16384
)

type pair struct{ k, v []byte }

// pgCursor reads a page of rows at a time in the direction it moves, and
// keeps the page: moving within it costs no query.
type pgCursor struct {
	b    *pgBucket
	rows []pair // in the direction of dir
	i    int    // position in rows; len(rows) is past the end
	dir  int    // +1 when rows ascend, -1 when they descend
	done bool   // rows reach the bucket's end in dir
	page int
	end  []byte // where the walk stops (see Until), nil when not told
}

func (c *pgCursor) until(end []byte) { c.end = bytes.Clone(end) }

// load reads a page with query, and remembers it as a range the
// transaction has seen: an ascending page read from key from (inclusive),
// a descending one read below key from (nil: from the bucket's end).
func (c *pgCursor) load(dir int, from []byte, query string, args ...any) (k, v []byte) {
	// A fresh slice: the last one may be a remembered range's.
	c.rows, c.i, c.dir, c.done = nil, 0, dir, false
	t := c.b.t
	if t.err != nil {
		return nil, nil
	}
	rows, done, err := t.query(query, args...)
	if err != nil {
		t.fail(fmt.Errorf("scan %s: %w", c.b.name, err))
		return nil, nil
	}
	if err = readPairs(rows, done, func(p pair) { c.rows = append(c.rows, p) }); err != nil {
		c.rows = nil
		t.fail(fmt.Errorf("scan %s: %w", c.b.name, err))
		return nil, nil
	}
	c.done = len(c.rows) < c.page
	if query == sqlRange {
		c.done = c.ranged()
	}
	if dir > 0 {
		t.remember(c.b.name, span{from: from, rows: c.rows, end: c.done})
	} else {
		up := slices.Clone(c.rows)
		slices.Reverse(up)
		sp := span{from: []byte{}, rows: up, below: from, end: from == nil}
		if !c.done { // a short page reaches the bucket's first key
			sp.from = up[0].k
		}
		t.remember(c.b.name, sp)
	}
	return c.at()
}

// prevSeen places the cursor at the greatest key below x from a range the
// transaction has read, or past the bucket's start when the range shows
// there is none, and reports whether one could tell.
func (c *pgCursor) prevSeen(x []byte) bool {
	r := c.b.t.seen[c.b.name]
	if r == nil {
		return false
	}
	for j := len(r.spans) - 1; j >= 0; j-- {
		sp := &r.spans[j]
		if bytes.Compare(sp.from, x) >= 0 {
			continue
		}
		// Every key from sp.from up to x, x left out, must be known.
		i, ok := sp.covers(x)
		ok = ok || (sp.below != nil && bytes.Equal(x, sp.below))
		switch {
		case !ok:
			continue
		case i > 0:
			c.rows, c.i, c.dir, c.done = sp.rows, i-1, +1, sp.end
			c.page = max(len(sp.rows), firstPage)
		case len(sp.from) == 0:
			c.rows, c.i, c.dir, c.done = nil, 0, -1, true // as a read finding nothing
		default:
			continue
		}
		r.hits++
		return true
	}
	return false
}

// fromSeen places the cursor at k from a range the transaction has read,
// and reports whether there was one.
func (c *pgCursor) fromSeen(k []byte) bool {
	sp, i, ok := c.b.t.lookup(c.b.name, k, true)
	if !ok {
		return false
	}
	c.rows, c.i, c.dir, c.done = sp.rows, i, +1, sp.end
	c.page = max(len(sp.rows), firstPage)
	return true
}

// ranged settles the rows of a sqlRange read: the range's rows and the
// first row past it, contiguous, unless the range filled the page, when
// the row past it is dropped. It reports whether the rows reach the
// bucket's end.
func (c *pgCursor) ranged() bool {
	// UNION ALL's parts come in order as PostgreSQL runs them; make sure.
	if !sort.SliceIsSorted(c.rows, func(i, j int) bool { return bytes.Compare(c.rows[i].k, c.rows[j].k) < 0 }) {
		sort.Slice(c.rows, func(i, j int) bool { return bytes.Compare(c.rows[i].k, c.rows[j].k) < 0 })
	}
	in := sort.Search(len(c.rows), func(i int) bool { return bytes.Compare(c.rows[i].k, c.end) >= 0 })
	if in == c.page {
		c.rows = c.rows[:in]
		return false
	}
	return in == len(c.rows) // nothing past the range
}

func (c *pgCursor) at() (k, v []byte) {
	if c.i < 0 || c.i >= len(c.rows) {
		return nil, nil
	}
	return c.rows[c.i].k, c.rows[c.i].v
}

func (c *pgCursor) grow() int {
	c.page = min(max(c.page*2, firstPage), maxPage)
	return c.page
}

func (c *pgCursor) First() ([]byte, []byte) { return c.Seek(nil) }

func (c *pgCursor) Last() ([]byte, []byte) {
	if c.b.t.err != nil {
		return nil, nil
	}
	// A range read to the bucket's end holds its last key.
	if r := c.b.t.seen[c.b.name]; r != nil {
		for _, sp := range r.spans {
			if sp.end && len(sp.rows) > 0 {
				c.rows, c.i, c.dir, c.done = sp.rows, len(sp.rows)-1, +1, true
				c.page = max(len(sp.rows), firstPage)
				r.hits++
				return c.at()
			}
		}
	}
	c.page = 0
	return c.load(-1, nil, sqlLast, c.b.name, c.grow())
}

func (c *pgCursor) Seek(seek []byte) ([]byte, []byte) {
	if seek == nil {
		seek = []byte{}
	}
	if c.b.t.err != nil {
		return nil, nil
	}
	if c.fromSeen(seek) {
		return c.at()
	}
	if p, ok := c.b.t.known(c.b.name, seek); ok && p.v != nil {
		// The key itself was read ahead: the walk reads on from it.
		c.rows, c.i, c.dir, c.done, c.page = []pair{p}, 0, +1, false, firstPage
		return c.at()
	}
	seek = bytes.Clone(seek)
	if c.end != nil && bytes.Compare(seek, c.end) < 0 {
		c.page = rangePage
		return c.load(+1, seek, sqlRange, c.b.name, seek, c.end, c.page)
	}
	c.page = c.b.t.readAhead(c.b.name)
	return c.load(+1, seek, sqlFrom, c.b.name, seek, c.page)
}

// step moves one row in dir, reading the next page when the current one
// runs out.
func (c *pgCursor) step(dir int) ([]byte, []byte) {
	if c.dir == dir && c.i+1 < len(c.rows) {
		c.i++
		return c.at()
	}
	if c.dir == 0 || c.i < 0 || c.i >= len(c.rows) {
		return nil, nil // never placed, or already past an end
	}
	if c.dir == -dir && c.i > 0 {
		// Back along the page: rows are contiguous either way.
		c.i--
		return c.at()
	}
	if c.dir == dir && c.done {
		c.i = len(c.rows)
		return nil, nil
	}
	from := bytes.Clone(c.rows[c.i].k)
	if dir > 0 {
		// The smallest key after from.
		next := append(from, 0)
		if c.fromSeen(next) {
			return c.at()
		}
		if c.end != nil && bytes.Compare(next, c.end) < 0 {
			c.page = rangePage
			return c.load(+1, next, sqlRange, c.b.name, next, c.end, c.page)
		}
		return c.load(+1, next, sqlAfter, c.b.name, from, c.grow())
	}
	if c.prevSeen(from) {
		return c.at()
	}
	return c.load(-1, from, sqlBefore, c.b.name, from, c.grow())
}

func (c *pgCursor) Next() ([]byte, []byte) { return c.step(+1) }
func (c *pgCursor) Prev() ([]byte, []byte) { return c.step(-1) }
