package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	bolt "go.etcd.io/bbolt"
)

// A batch of claims is one write transaction: bbolt numbers each committed
// write transaction, and a batch of 64 moves the number by one, where 64
// single claims move it by 64.
func TestClaimBatchIsOneWriteTransaction(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "pulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	keys := func(from, n int) []pulse.JobKey {
		out := make([]pulse.JobKey, n)
		for i := range out {
			out[i] = pulse.CheckInKey("t0000000001", fmt.Sprintf("U%05d", from+i), pulse.DateOf(now))
		}
		return out
	}
	committed := func() int {
		var id int
		if err := db.bolt.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil }); err != nil {
			t.Fatal(err)
		}
		return id
	}

	before := committed()
	got, err := db.ClaimBatch(ctx, keys(0, 64), "run1", now)
	if err != nil {
		t.Fatal(err)
	}
	if n := committed() - before; n != 1 {
		t.Errorf("a batch of 64 claims committed %d write transactions, want 1", n)
	}
	for i, c := range got {
		if !c.Won || c.Job.State != pulse.JobClaimed || c.Job.Attempts != 1 {
			t.Errorf("claim %d = %+v, want won, claimed once", i, c)
		}
	}

	before = committed()
	for _, k := range keys(64, 64) {
		if _, _, err := db.Claim(ctx, k, "run1", now); err != nil {
			t.Fatal(err)
		}
	}
	if n := committed() - before; n != 64 {
		t.Fatalf("64 single claims committed %d write transactions; the count is not what this test assumes", n)
	}
}
