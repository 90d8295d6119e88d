package storage

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestScanNamesGiveEachStringOnce looks up reps in the orders scans meet
// them (day after day alike, new ones between, at random) and more words
// than are kept apart: each comes back as spelled, and a string met again
// is the one given before, not a copy.
func TestScanNamesGiveEachStringOnce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, strs := range []*names{newNames(), nil} {
		d := scanNames{strs: strs}
		first := map[string]string{}
		check := func(got, want string) {
			t.Helper()
			if got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
			if f, ok := first[want]; !ok {
				first[want] = got
			} else if unsafe.StringData(f) != unsafe.StringData(got) {
				t.Fatalf("%q came back as a new copy", want)
			}
		}
		reps := make([]string, 40)
		for i := range reps {
			reps[i] = fmt.Sprintf("U%03d", 40-i) // met in falling order first
		}
		for day := range 5 {
			if day == 2 {
				reps = append(reps, "U000", "U500") // before and after the rest
			}
			if day == 4 {
				r.Shuffle(len(reps), func(i, j int) { reps[i], reps[j] = reps[j], reps[i] })
			}
			for _, rep := range reps {
				check(d.user([]byte(rep)), rep)
			}
		}
		for range 200 {
			w := fmt.Sprintf("word%d", r.IntN(12))
			got := d.word([]byte(w))
			if got != w {
				t.Fatalf("word %q came back as %q", w, got)
			}
		}
		if d.nwords != len(d.words) {
			t.Fatalf("%d words kept of twelve met, want %d", d.nwords, len(d.words))
		}
		for _, w := range d.words {
			if got := d.word([]byte(w)); unsafe.StringData(got) != unsafe.StringData(w) {
				t.Fatalf("kept word %q came back as a new copy", w)
			}
		}
	}
}

// TestTeamScanNamesComeBackEmpty releases a scan's names with reps met and
// takes names again: the room comes back without the reps.
func TestTeamScanNamesComeBackEmpty(t *testing.T) {
	strs := newNames()
	for range 3 {
		d := teamScanNames(strs)
		if len(d.users) != 0 || cap(d.users) < teamScanReps {
			t.Fatalf("names taken with %d reps and room for %d, want none and %d", len(d.users), cap(d.users), teamScanReps)
		}
		for _, rep := range []string{"U2", "U1", "U3"} {
			if got := d.user([]byte(rep)); got != rep {
				t.Fatalf("user %q = %q", rep, got)
			}
		}
		d.release()
		d.release() // twice is harmless
	}
}
