package storage

import (
	"slices"
	"sync"
)

// scanNames finds the strings of one scan's records, most of them without
// the shared table's lock and map (names.of), which in a status's scans of
// a team's check-ins and nudges was the most of their decoding: the reps,
// met in the same order day after day, and the few words a field takes
// (a nudge's response).
type scanNames struct {
	strs *names

	// The reps met so far, sorted, and the index where the next is looked
	// for first.
	users []string
	next  int

	words  [8]string // the first few words met, in the order met
	nwords int

	pooled *[]string // where users came from, to go back to
}

// teamScanNames returns names for a scan of a team's records, with room
// for its reps from a pool: a status scans a team three times, and the
// room made afresh for each was a kilobyte a scan. The caller releases it.
func teamScanNames(strs *names) scanNames {
	p := scanUsers.Get().(*[]string)
	return scanNames{strs: strs, users: (*p)[:0], pooled: p}
}

var scanUsers = sync.Pool{New: func() any { s := make([]string, 0, teamScanReps); return &s }}

// release hands the room for reps back to the pool.
func (d *scanNames) release() {
	if d.pooled == nil {
		return
	}
	p := d.pooled
	clear(d.users)
	*p = d.users[:0]
	d.pooled, d.users = nil, nil
	scanUsers.Put(p)
}

// user returns b's string, the one met before when there is one.
func (d *scanNames) user(b []byte) string {
	if d.next < len(d.users) && d.users[d.next] == string(b) {
		d.next++
		return d.users[d.next-1]
	}
	// The first day of a scan meets each rep after the last one.
	i := len(d.users)
	if i > 0 && d.users[i-1] >= string(b) {
		var found bool
		i, found = slices.BinarySearchFunc(d.users, b, compareBytes)
		if found {
			d.next = i + 1
			return d.users[i]
		}
	}
	d.users = slices.Insert(d.users, i, d.strs.of(b))
	d.next = i + 1
	return d.users[i]
}

// word returns b's string, the one met before when it is one of the first
// few words met.
func (d *scanNames) word(b []byte) string {
	for _, w := range d.words[:d.nwords] {
		if w == string(b) {
			return w
		}
	}
	w := d.strs.of(b)
	if d.nwords < len(d.words) {
		d.words[d.nwords] = w
		d.nwords++
	}
	return w
}

// compareBytes compares u with b; the conversions in the comparisons do not
// allocate, as one passed to strings.Compare does.
func compareBytes(u string, b []byte) int {
	switch {
	case u < string(b):
		return -1
	case u > string(b):
		return 1
	}
	return 0
}
