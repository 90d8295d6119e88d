package storage_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestEnvelopes(t *testing.T) {
	t.Run("an envelope is first only once, also after a reopen", func(t *testing.T) {
		db := MustOpenDB(t)
		first, err := db.MarkEnvelope(ctx, "env-1", testNow)
		if err != nil || !first {
			t.Fatalf("first mark: %v, %v", first, err)
		}
		if first, _ := db.MarkEnvelope(ctx, "env-1", testNow.Add(time.Second)); first {
			t.Error("second mark reported first")
		}
		path := db.Path()
		MustClose(t, db)
		db = MustOpenPath(t, path)
		if first, _ := db.MarkEnvelope(ctx, "env-1", testNow.Add(time.Minute)); first {
			t.Error("mark after reopen reported first")
		}
	})

	t.Run("of 16 concurrent marks of one envelope, exactly one is first", func(t *testing.T) {
		db := MustOpenDB(t)
		var firsts atomic.Int32
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				first, err := db.MarkEnvelope(ctx, "env-race", testNow)
				if err != nil {
					t.Error(err)
				}
				if first {
					firsts.Add(1)
				}
			})
		}
		wg.Wait()
		if n := firsts.Load(); n != 1 {
			t.Errorf("%d firsts, want 1", n)
		}
	})

	t.Run("concurrent marks of different envelopes are all first", func(t *testing.T) {
		db := MustOpenDB(t)
		var firsts atomic.Int32
		var wg sync.WaitGroup
		for i := range 32 {
			wg.Go(func() {
				first, err := db.MarkEnvelope(ctx, fmt.Sprintf("env-%d", i), testNow)
				if err != nil {
					t.Error(err)
				}
				if first {
					firsts.Add(1)
				}
			})
		}
		wg.Wait()
		if n := firsts.Load(); n != 32 {
			t.Errorf("%d firsts, want 32", n)
		}
	})

	t.Run("pruning forgets envelopes first seen before the time only", func(t *testing.T) {
		db := MustOpenDB(t)
		cut := testNow.Add(-time.Hour)
		for id, at := range map[string]time.Time{
			"old":    cut.Add(-time.Minute),
			"older":  cut.Add(-48 * time.Hour),
			"at-cut": cut,
			"new":    testNow,
		} {
			if _, err := db.MarkEnvelope(ctx, id, at); err != nil {
				t.Fatal(err)
			}
		}
		n, err := db.PruneEnvelopes(ctx, cut)
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("pruned %d, want 2", n)
		}
		for id, wantFirst := range map[string]bool{"old": true, "older": true, "at-cut": false, "new": false} {
			if first, _ := db.MarkEnvelope(ctx, id, testNow); first != wantFirst {
				t.Errorf("after prune, %s first = %v, want %v", id, first, wantFirst)
			}
		}
	})

	t.Run("an empty envelope ID is refused", func(t *testing.T) {
		db := MustOpenDB(t)
		_, err := db.MarkEnvelope(ctx, "", testNow)
		wantCode(t, err, pulse.EINVALID)
	})
}
