package storage_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
	"github.com/salespulse/pulse/storage/pgtest"
)

// A bbolt file copied into PostgreSQL reads the same there, numbers new
// records after the copied ones, and a second copy into the now non-empty
// database is refused with nothing written.
func TestCopyToPostgres(t *testing.T) {
	onlyBolt(t)
	dsn := pgtest.Schema(t)
	src := MustOpenDB(t)
	team := MustCreateTeam(t, src, "Oslo Field", "UMGR00001", "UREP00001", "UREP00002")
	day := pulse.MustDate("2026-11-23")
	for i, rep := range team.Reps {
		c := pulse.CheckIn{TeamID: team.ID, UserID: rep, Date: day, Status: pulse.CheckInOnTime,
			Results: fmt.Sprintf("results %d", i), Plan: "calls", Energy: 3, SubmittedAt: testNow, UpdatedAt: testNow}
		must(t, src.SaveCheckIn(ctx, &c))
	}
	k := pulse.Kudos{TeamID: team.ID, From: "UREP00001", To: "UREP00002", Text: "great demo", CreatedAt: testNow}
	must(t, src.SaveKudos(ctx, &k))

	copied, err := src.CopyToPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if copied["checkins"] != 2 || copied["teams"] != 1 || copied["kudos"] != 1 {
		t.Errorf("copied %v", copied)
	}

	dst := MustOpenPath(t, dsn)
	got, err := dst.TeamCheckIns(ctx, team.ID, day, day)
	if err != nil || len(got) != 2 || got[0].Results != "results 0" {
		t.Fatalf("TeamCheckIns on PostgreSQL = %+v, %v", got, err)
	}
	teams, err := dst.TeamsOf(ctx, "UREP00002")
	if err != nil || len(teams) != 1 || teams[0].Name != "Oslo Field" {
		t.Errorf("TeamsOf on PostgreSQL = %v, %v", teams, err)
	}
	// The sequences came along: a new team is numbered after the copied one.
	next := MustCreateTeam(t, dst, "Bergen Field", "UMGR00001")
	if next.ID <= team.ID {
		t.Errorf("new team %s numbered at or before the copied %s", next.ID, team.ID)
	}

	_, err = src.CopyToPostgres(ctx, dsn)
	if !errors.Is(err, storage.ErrNotEmpty) {
		t.Fatalf("second copy: %v, want ErrNotEmpty", err)
	}
	all, err := dst.Teams(ctx)
	if err != nil || len(all) != 2 {
		t.Errorf("after the refused copy: %d teams, %v; want 2", len(all), err)
	}
}
