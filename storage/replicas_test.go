package storage_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

// mustOpenReplicas opens n handles on one PostgreSQL schema, as n replicas
// of pulse run would. It skips in the bbolt run, where one process holds
// the file.
func mustOpenReplicas(t *testing.T, n int) []*storage.DB {
	t.Helper()
	if !onPostgres {
		t.Skip("several replicas need PostgreSQL: set PULSE_TEST_DATABASE_URL")
	}
	first := MustOpenDB(t)
	out := []*storage.DB{first}
	for len(out) < n {
		out = append(out, MustOpenPath(t, first.Path()))
	}
	return out
}

// Replicas racing for the same jobs and envelopes: each job is won by
// exactly one replica, each envelope is first for exactly one.
func TestReplicasClaimOnce(t *testing.T) {
	dbs := mustOpenReplicas(t, 3)
	const jobs = 40
	var mu sync.Mutex
	wins := map[string][]string{} // job → owners that won it
	firsts := map[string][]int{}  // envelope → replicas that saw it first
	var wg sync.WaitGroup
	for r, db := range dbs {
		for w := range 2 { // two workers a replica
			owner := fmt.Sprintf("replica%d-%d", r, w)
			wg.Go(func() {
				for i := range jobs {
					k := pulse.JobKey{Kind: pulse.JobCheckIn, TeamID: "t0000000001", UserID: fmt.Sprintf("U%08d", i), Occurrence: "2026-11-23"}
					_, won, err := db.Claim(ctx, k, owner, testNow)
					if err != nil {
						t.Error(err)
						return
					}
					env := fmt.Sprintf("env-%d", i)
					first, err := db.MarkEnvelope(ctx, env, testNow)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if won {
						wins[k.String()] = append(wins[k.String()], owner)
					}
					if first {
						firsts[env] = append(firsts[env], r)
					}
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if len(wins) != jobs || len(firsts) != jobs {
		t.Fatalf("%d jobs won, %d envelopes first; want %d each", len(wins), len(firsts), jobs)
	}
	for k, owners := range wins {
		if len(owners) != 1 {
			t.Errorf("job %s won by %v", k, owners)
		}
	}
	for env, rs := range firsts {
		if len(rs) != 1 {
			t.Errorf("envelope %s first on replicas %v", env, rs)
		}
	}
	// Every replica reads the one ledger.
	for r, db := range dbs {
		open, err := db.Unconfirmed(ctx)
		if err != nil || len(open) != jobs {
			t.Errorf("replica %d: %d unconfirmed jobs, %v; want %d", r, len(open), err, jobs)
		}
	}
}
