package storage_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

func jobKey(user, day string) pulse.JobKey {
	return pulse.JobKey{Kind: pulse.JobCheckIn, TeamID: "t0000000001", UserID: user, Occurrence: day}
}

// claimAll races n goroutines, each claiming keys(i), released together.
func claimAll(t *testing.T, db *storage.DB, n int, keys func(i int) pulse.JobKey) (wins []bool) {
	t.Helper()
	wins = make([]bool, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			_, wins[i], errs[i] = db.Claim(ctx, keys(i), fmt.Sprintf("run%d", i), testNow)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("claim %d: %v", i, err)
		}
	}
	return wins
}

func TestClaim(t *testing.T) {
	t.Run("of 16 goroutines claiming one key, exactly one wins", func(t *testing.T) {
		db := MustOpenDB(t)
		key := jobKey("U02", "2026-11-23")
		wins := claimAll(t, db, 16, func(int) pulse.JobKey { return key })
		won := 0
		for _, w := range wins {
			if w {
				won++
			}
		}
		if won != 1 {
			t.Fatalf("%d winners, want 1", won)
		}
		job, err := db.Job(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if job.State != pulse.JobClaimed || job.Attempts != 1 || job.Key != key {
			t.Errorf("job = %+v, want claimed once", job)
		}
	})

	t.Run("16 goroutines claiming 16 different keys all win", func(t *testing.T) {
		db := MustOpenDB(t)
		wins := claimAll(t, db, 16, func(i int) pulse.JobKey { return jobKey(fmt.Sprintf("U%03d", i), "2026-11-23") })
		for i, w := range wins {
			if !w {
				t.Errorf("claim %d lost", i)
			}
		}
		jobs, err := db.Unconfirmed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 16 {
			t.Errorf("%d unconfirmed jobs, want 16", len(jobs))
		}
	})

	t.Run("a loser gets the job as it stands", func(t *testing.T) {
		db := MustOpenDB(t)
		key := jobKey("U02", "2026-11-23")
		first, won, err := db.Claim(ctx, key, "run1", testNow)
		if err != nil || !won {
			t.Fatalf("first claim: won %v, %v", won, err)
		}
		got, won, err := db.Claim(ctx, key, "run2", testNow.Add(time.Minute))
		if err != nil || won {
			t.Fatalf("second claim: won %v, %v", won, err)
		}
		if got != first || got.Owner != "run1" {
			t.Errorf("loser got %+v, want %+v", got, first)
		}
	})

	t.Run("a released job is claimed again, counting attempts", func(t *testing.T) {
		db := MustOpenDB(t)
		key := jobKey("U02", "2026-11-23")
		mustClaim(t, db, key, "run1", testNow)
		if err := db.Release(ctx, key); err != nil {
			t.Fatal(err)
		}
		if job, _ := db.Job(ctx, key); job.State != pulse.JobReleased {
			t.Fatalf("after release: %s", job.State)
		}
		if jobs, _ := db.Unconfirmed(ctx); len(jobs) != 0 {
			t.Errorf("released job still unconfirmed: %+v", jobs)
		}
		later := testNow.Add(5 * time.Minute)
		job := mustClaim(t, db, key, "run2", later)
		if job.Attempts != 2 || job.Owner != "run2" || !job.ClaimedAt.Equal(later) {
			t.Errorf("re-claimed job = %+v, want attempt 2 by run2 at %v", job, later)
		}
		// Releasing twice changes nothing.
		if err := db.Release(ctx, key); err != nil {
			t.Fatal(err)
		}
		if err := db.Release(ctx, key); err != nil {
			t.Errorf("second release: %v", err)
		}
	})

	t.Run("of 16 goroutines claiming a released key, exactly one wins", func(t *testing.T) {
		db := MustOpenDB(t)
		key := jobKey("U02", "2026-11-23")
		mustClaim(t, db, key, "run0", testNow)
		if err := db.Release(ctx, key); err != nil {
			t.Fatal(err)
		}
		won := 0
		for _, w := range claimAll(t, db, 16, func(int) pulse.JobKey { return key }) {
			if w {
				won++
			}
		}
		if won != 1 {
			t.Errorf("%d winners, want 1", won)
		}
	})

	t.Run("an invalid key is refused", func(t *testing.T) {
		db := MustOpenDB(t)
		_, _, err := db.Claim(ctx, pulse.JobKey{Kind: pulse.JobCheckIn, TeamID: "t/1", Occurrence: "x"}, "run1", testNow)
		wantCode(t, err, pulse.EINVALID)
	})
}

func TestJobOutcomes(t *testing.T) {
	t.Run("a sent job records where it went and is no longer unconfirmed", func(t *testing.T) {
		db := MustOpenDB(t)
		key := jobKey("U02", "2026-11-23")
		mustClaim(t, db, key, "run1", testNow)
		sentAt := testNow.Add(time.Second)
		if err := db.MarkSent(ctx, key, "D123", "1700000000.000100", sentAt); err != nil {
			t.Fatal(err)
		}
		job, _ := db.Job(ctx, key)
		if job.State != pulse.JobSent || job.Channel != "D123" || job.TS != "1700000000.000100" || !job.DoneAt.Equal(sentAt) {
			t.Errorf("job = %+v", job)
		}
		if jobs, _ := db.Unconfirmed(ctx); len(jobs) != 0 {
			t.Errorf("Unconfirmed = %+v, want none", jobs)
		}
		if _, won, _ := db.Claim(ctx, key, "run2", sentAt); won {
			t.Error("a sent job was claimed again")
		}
		// The same mark again is a harmless retry; another is a conflict.
		if err := db.MarkSent(ctx, key, "D123", "1700000000.000100", sentAt); err != nil {
			t.Errorf("repeated MarkSent: %v", err)
		}
		wantCode(t, db.MarkSent(ctx, key, "D123", "1700000000.999999", sentAt), pulse.ECONFLICT)
		wantCode(t, db.Release(ctx, key), pulse.ECONFLICT)
		wantCode(t, db.MarkSkipped(ctx, key, sentAt), pulse.ECONFLICT)
	})

	t.Run("a skipped job is done and cannot be claimed again", func(t *testing.T) {
		db := MustOpenDB(t)
		key := jobKey("U02", "2026-11-23")
		mustClaim(t, db, key, "run1", testNow)
		if err := db.MarkSkipped(ctx, key, testNow); err != nil {
			t.Fatal(err)
		}
		job, _ := db.Job(ctx, key)
		if job.State != pulse.JobSkipped || !job.DoneAt.Equal(testNow) {
			t.Errorf("job = %+v", job)
		}
		if _, won, _ := db.Claim(ctx, key, "run2", testNow); won {
			t.Error("a skipped job was claimed again")
		}
		wantCode(t, db.MarkSent(ctx, key, "D1", "1.2", testNow), pulse.ECONFLICT)
	})

	t.Run("a job never claimed is not found", func(t *testing.T) {
		db := MustOpenDB(t)
		key := jobKey("U02", "2026-11-23")
		_, err := db.Job(ctx, key)
		wantCode(t, err, pulse.ENOTFOUND)
		wantCode(t, db.MarkSent(ctx, key, "D1", "1.2", testNow), pulse.ENOTFOUND)
		wantCode(t, db.MarkSkipped(ctx, key, testNow), pulse.ENOTFOUND)
		wantCode(t, db.Release(ctx, key), pulse.ENOTFOUND)
	})

	t.Run("Unconfirmed lists claimed jobs, oldest claim first", func(t *testing.T) {
		db := MustOpenDB(t)
		late, early, sent := jobKey("U01", "2026-11-23"), jobKey("U02", "2026-11-23"), jobKey("U03", "2026-11-23")
		mustClaim(t, db, late, "run1", testNow.Add(time.Minute))
		mustClaim(t, db, early, "run1", testNow)
		mustClaim(t, db, sent, "run1", testNow)
		if err := db.MarkSent(ctx, sent, "D1", "1.2", testNow); err != nil {
			t.Fatal(err)
		}
		jobs, err := db.Unconfirmed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 2 || jobs[0].Key != early || jobs[1].Key != late {
			t.Errorf("Unconfirmed = %+v, want early then late", jobs)
		}
	})

	t.Run("PruneJobs deletes finished jobs before the time and keeps the rest", func(t *testing.T) {
		db := MustOpenDB(t)
		day := 24 * time.Hour
		old, oldSkip, oldRel := jobKey("U01", "2026-11-01"), jobKey("U02", "2026-11-01"), jobKey("U03", "2026-11-01")
		oldClaim, edge, recent := jobKey("U04", "2026-11-01"), jobKey("U05", "2026-11-01"), jobKey("U06", "2026-11-22")
		cut := testNow.Add(-7 * day)
		for _, k := range []pulse.JobKey{old, oldSkip, oldRel, oldClaim, edge} {
			mustClaim(t, db, k, "run1", testNow.Add(-20*day))
		}
		mustClaim(t, db, recent, "run1", testNow.Add(-day))
		must(t, db.MarkSent(ctx, old, "D1", "1.1", testNow.Add(-20*day)))
		must(t, db.MarkSkipped(ctx, oldSkip, testNow.Add(-20*day)))
		must(t, db.Release(ctx, oldRel))
		must(t, db.MarkSent(ctx, edge, "D1", "1.2", cut)) // finished at the cut: kept
		must(t, db.MarkSent(ctx, recent, "D1", "1.3", testNow.Add(-day)))

		n, err := db.PruneJobs(ctx, cut)
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("pruned %d, want 3", n)
		}
		for _, k := range []pulse.JobKey{old, oldSkip, oldRel} {
			if _, err := db.Job(ctx, k); pulse.ErrorCode(err) != pulse.ENOTFOUND {
				t.Errorf("job %s kept after prune: %v", k, err)
			}
		}
		for _, k := range []pulse.JobKey{oldClaim, edge, recent} {
			if _, err := db.Job(ctx, k); err != nil {
				t.Errorf("job %s lost in prune: %v", k, err)
			}
		}
		if n, _ := db.PruneJobs(ctx, cut); n != 0 {
			t.Errorf("second prune deleted %d, want 0", n)
		}
		// A pruned key is new again.
		if _, won, _ := db.Claim(ctx, old, "run2", testNow); !won {
			t.Error("a pruned key could not be claimed")
		}
	})
}

func mustClaim(tb testing.TB, db *storage.DB, key pulse.JobKey, owner string, now time.Time) pulse.Job {
	tb.Helper()
	job, won, err := db.Claim(ctx, key, owner, now)
	if err != nil || !won {
		tb.Fatalf("claim %s: won %v, %v", key, won, err)
	}
	return job
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
