package storage

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/salespulse/pulse"
)

func TestReadTogetherOpensOneTransaction(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "pulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	team := pulse.NewTeam("Sales", "Europe/Oslo")
	team.Managers, team.Reps = []string{"U01"}, []string{"U02", "U03"}
	if err := db.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	reads := func(ctx context.Context) error {
		if _, err := db.Team(ctx, team.ID); err != nil {
			return err
		}
		if _, err := db.Roster(ctx, team.ID, team.Reps); err != nil {
			return err
		}
		_, err := db.OpenBlockers(ctx, team.ID)
		return err
	}
	started := func() int { return db.bolt.Stats().TxN }

	before := started()
	if err := reads(ctx); err != nil {
		t.Fatal(err)
	}
	if got := started() - before; got != 3 {
		t.Fatalf("three reads started %d transactions; the count is not what this test assumes", got)
	}

	before = started()
	err = db.ReadTogether(ctx, func(ctx context.Context) error {
		if err := reads(ctx); err != nil {
			return err
		}
		// Nested, it joins the read it is in.
		return db.ReadTogether(ctx, reads)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := started() - before; got != 1 {
		t.Errorf("six reads under ReadTogether started %d transactions, want 1", got)
	}
}
