package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
	"github.com/salespulse/pulse/storage/pgtest"
)

// pulse migrate --to copies a bbolt file into an empty PostgreSQL database,
// prints the counts it checked, and refuses to copy into it again; export
// then reads PostgreSQL, and backup and restore point to pg_dump and
// pg_restore.
func TestMigrateToPostgres(t *testing.T) {
	dsn := pgtest.Schema(t)
	dbPath := filepath.Join(t.TempDir(), "pulse.db")
	db, err := storage.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	team := pulse.NewTeam("Oslo Field", "Europe/Oslo")
	team.Managers, team.Reps = []string{"UMGR00001"}, []string{"UREP00001"}
	if err := db.CreateTeam(context.Background(), team); err != nil {
		t.Fatal(err)
	}
	c := pulse.CheckIn{TeamID: team.ID, UserID: "UREP00001", Date: pulse.MustDate("2026-11-23"), Status: pulse.CheckInOnTime,
		Results: "two demos", Plan: "calls", Energy: 4}
	if err := db.SaveCheckIn(context.Background(), &c); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	r := runPulse(t, map[string]string{"PULSE_DB_PATH": dbPath}, "migrate", "--to", dsn)
	if r.code != exitOK || !strings.Contains(r.stdout, "every count checked") || !strings.Contains(r.stdout, "checkins             1") {
		t.Fatalf("migrate = %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = runPulse(t, map[string]string{"PULSE_DB_PATH": dbPath}, "migrate", "--to", dsn)
	if r.code != exitFail || !strings.Contains(r.stderr, "already holds a workspace") {
		t.Errorf("second migrate = %d, stderr %q; want a refusal", r.code, r.stderr)
	}

	pgEnv := map[string]string{"PULSE_DATABASE_URL": dsn, "PULSE_DB_PATH": filepath.Join(t.TempDir(), "absent.db")}
	r = runPulse(t, pgEnv, "export", "--team", "Oslo Field", "--from", "2026-11-23", "--to", "2026-11-23", "--no-bom")
	if r.code != exitOK || !strings.Contains(r.stdout, "two demos") {
		t.Errorf("export from PostgreSQL = %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"backup", "b.db"}, {"restore", "b.db"}} {
		r = runPulse(t, pgEnv, args...)
		want := map[string]string{"backup": "pg_dump", "restore": "pg_restore"}[args[0]]
		if r.code != exitUsage || !strings.Contains(r.stderr, want) {
			t.Errorf("pulse %s on PostgreSQL = %d, stderr %q; want it to name %s", args[0], r.code, r.stderr, want)
		}
	}
}

// Without --to, or with a file that is not there, migrate does nothing.
func TestMigrateUsage(t *testing.T) {
	if r := runPulse(t, nil, "migrate"); r.code != exitUsage || !strings.Contains(r.stderr, "--to") {
		t.Errorf("migrate without --to = %d, %q", r.code, r.stderr)
	}
	r := runPulse(t, map[string]string{"PULSE_DB_PATH": filepath.Join(t.TempDir(), "none.db")}, "migrate", "--to", "postgres://127.0.0.1:1/x")
	if r.code != exitFail {
		t.Errorf("migrate of a missing file = %d, %q", r.code, r.stderr)
	}
}
