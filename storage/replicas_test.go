package storage_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

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

// An envelope marked by a replica that died before its handler wrote can be
// taken again by the redelivery; once a handler's write commits with it,
// it cannot, and a second handler run's write for it fails with
// ErrEnvelopeApplied and changes nothing.
func TestEnvelopeRetakenUntilApplied(t *testing.T) {
	db := MustOpenDB(t)
	if first, err := db.MarkEnvelope(ctx, "env-1", testNow); err != nil || !first {
		t.Fatalf("mark: %v, %v", first, err)
	}
	if again, err := db.RetakeEnvelope(ctx, "env-1"); err != nil || !again {
		t.Fatalf("retake before any write = %v, %v; want true", again, err)
	}
	// Two runs of the handler, as on two replicas.
	one, two := pulse.WithEnvelope(ctx, "env-1"), pulse.WithEnvelope(ctx, "env-1")
	must(t, db.SavePerson(one, &pulse.Person{ID: "U0000000A", Name: "first run"}))
	must(t, db.SavePerson(one, &pulse.Person{ID: "U0000000B", Name: "first run, second write"}))
	if again, err := db.RetakeEnvelope(ctx, "env-1"); err != nil || again {
		t.Errorf("retake after the write = %v, %v; want false", again, err)
	}
	err := db.SavePerson(two, &pulse.Person{ID: "U0000000A", Name: "second run"})
	if !errors.Is(err, pulse.ErrEnvelopeApplied) {
		t.Fatalf("second run's write: %v, want ErrEnvelopeApplied", err)
	}
	if p, err := db.Person(ctx, "U0000000A"); err != nil || p.Name != "first run" {
		t.Errorf("person = %+v, %v; the second run's write must not commit", p, err)
	}
	// Pruning still forgets it.
	if n, err := db.PruneEnvelopes(ctx, testNow.Add(time.Hour)); err != nil || n != 1 {
		t.Errorf("prune = %d, %v; want 1", n, err)
	}
}
