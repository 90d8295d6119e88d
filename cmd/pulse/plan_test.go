package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
	"github.com/salespulse/pulse/storage/pgtest"
)

// planDB creates a database with two teams that track calls, Oslo Field
// (reps U02, U03) and Bergen (reps U04), and returns its path.
func planDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pulse.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	planTeams(t, db)
	return path
}

// planEnvs returns the environments of a pulse whose database holds
// planDB's teams: a bbolt file and, when PULSE_TEST_DATABASE_URL is set, a
// PostgreSQL schema (PULSE_DB_PATH then names no file).
func planEnvs(t *testing.T) map[string]map[string]string {
	t.Helper()
	envs := map[string]map[string]string{"bolt": {"PULSE_DB_PATH": planDB(t)}}
	if pgtest.URL() == "" {
		t.Log(pgtest.SkipMessage)
		return envs
	}
	dsn := pgtest.Schema(t)
	db, err := storage.OpenPostgres(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	planTeams(t, db)
	envs["postgres"] = map[string]string{"PULSE_DATABASE_URL": dsn, "PULSE_DB_PATH": filepath.Join(t.TempDir(), "none.db")}
	return envs
}

// planTeams stores planDB's teams in db and closes it.
func planTeams(t *testing.T, db *storage.DB) {
	t.Helper()
	for name, reps := range map[string][]string{"Oslo Field": {"U02", "U03"}, "Bergen": {"U04"}} {
		team := pulse.NewTeam(name, "Europe/Oslo")
		team.Managers, team.Reps = []string{"U01"}, reps
		team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}, {Key: "meetings", Name: "Meetings"}}
		if err := db.CreateTeam(context.Background(), team); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanImportAndExport(t *testing.T) {
	for engine, env := range planEnvs(t) {
		t.Run(engine, func(t *testing.T) { testPlanImportAndExport(t, env) })
	}
}

func testPlanImportAndExport(t *testing.T, env map[string]string) {
	good := writeFile(t, "plans.csv", "user,period,start,calls,meetings\nU02,month,2026-05-01,1000,40\nU03,month,2026-05-01,900,\n")

	r := runPulse(t, env, "plan", "import", good, "--by", "U01")
	if r.code != 0 || r.stdout != "imported 3 plans of 2 reps into team Oslo Field\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runPulse(t, env, "plan", "export", "--team", "Oslo Field")
	if want := "user,period,start,calls,meetings\nU02,month,2026-05-01,1000,40\nU03,month,2026-05-01,900,\n"; r.code != 0 || r.stdout != want {
		t.Errorf("export: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	bad := writeFile(t, "bad.csv", "user,period,start,calls,meetings\nU02,month,2026-06-01,1100,\nU04,month,2026-06-01,5,\nU03,year,2026-06-01,=1+1,\nanna@example.com,week,2026-06-01,1,\n")
	r = runPulse(t, env, "plan", "import", "--team", "Oslo Field", bad)
	for _, want := range []string{"line 3, user", "line 4, calls: looks like a spreadsheet formula", "line 5, user", "nothing imported"} {
		if r.code != exitFail || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, stderr %q; want it to name %q", r.code, r.stderr, want)
		}
	}
	if !strings.Contains(r.stderr, "PULSE_SLACK_BOT_TOKEN") {
		t.Errorf("stderr %q does not say emails need the bot token", r.stderr)
	}
	r = runPulse(t, env, "plan", "export", "--team", "Oslo Field")
	if strings.Contains(r.stdout, "2026-06-01") {
		t.Errorf("a refused file was half imported:\n%s", r.stdout)
	}

	usage := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no verb", []string{"plan"}, exitUsage, "say import or export"},
		{"no file", []string{"plan", "import"}, exitUsage, "name one CSV file"},
		{"a forged setter", []string{"plan", "import", good, "--by", "robert'); drop"}, exitUsage, "not a Slack user ID"},
		{"a missing file", []string{"plan", "import", filepath.Join(t.TempDir(), "none.csv")}, exitFail, "no such file"},
		{"several teams and reps of none", []string{"plan", "export"}, exitFail, "name one with --team"},
		{"an unknown team", []string{"plan", "export", "--team", "Nowhere"}, exitFail, `team "Nowhere"`},
	}
	for _, tt := range usage {
		t.Run(tt.name, func(t *testing.T) {
			if r := runPulse(t, env, tt.args...); r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tt.code, tt.want)
			}
		})
	}
}

func TestPlanImportThroughTheRunningPulse(t *testing.T) {
	dbPath := planDB(t)
	db, err := storage.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctl, err := startControl(db, slog.New(slog.NewTextHandler(io.Discard, nil)), controlConfig{Paths: controlPaths(envOf(nil), dbPath)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ctl.close() })
	env := map[string]string{"PULSE_DB_PATH": dbPath}
	file := writeFile(t, "plans.csv", "user,period,start,calls\nU04,quarter,2026-04-01,600\n")
	r := runPulse(t, env, "plan", "import", file)
	if r.code != 0 || r.stdout != "imported 1 plans of 1 reps into team Bergen\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	bergen, _ := db.TeamByName(context.Background(), "Bergen")
	if ps, _ := db.TeamPlans(context.Background(), bergen.ID, pulse.Date{}, pulse.Date{}); len(ps) != 1 || ps[0].Target != 600 {
		t.Errorf("the running pulse holds %+v", ps)
	}
	r = runPulse(t, env, "plan", "export", "--team", "Bergen")
	if r.code != 0 || r.stdout != "user,period,start,calls,meetings\nU04,quarter,2026-04-01,600,\n" {
		t.Errorf("export through the running pulse: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	bad := writeFile(t, "bad.csv", "user,period,start,calls\nU04,quarter,2026-04-01,@SUM(1)\n")
	if r := runPulse(t, env, "plan", "import", bad); r.code != exitFail || !strings.Contains(r.stderr, "line 2, calls") {
		t.Errorf("a bad file through the running pulse: exit %d, %q", r.code, r.stderr)
	}
}
