package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/storage"
)

// liveDB is a database held open as `pulse run` holds it, with its control
// socket served and writers saving check-ins until the test ends.
type liveDB struct {
	path   string
	db     *storage.DB
	team   *pulse.Team
	writes atomic.Int64
}

func startLiveDB(t *testing.T) *liveDB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pulse.db")
	mustCreateDB(t, path, "Oslo Field")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	team, err := db.TeamByName(context.Background(), "Oslo Field")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SavePerson(context.Background(), &pulse.Person{ID: "U02", Name: "Åse, \"the closer\""}); err != nil {
		t.Fatal(err)
	}
	// The environment of the child processes runBinary starts: no
	// $XDG_RUNTIME_DIR or $TMPDIR, so the socket goes under /tmp.
	ctl, err := startControl(db, slog.New(slog.NewTextHandler(io.Discard, nil)), controlConfig{Paths: controlPaths(envOf(nil), path)})
	if err != nil {
		t.Fatalf("start control: %v", err)
	}
	l := &liveDB{path: path, db: db, team: team}
	ctx, cancel := context.WithCancel(context.Background())
	var writers sync.WaitGroup
	for w := range 2 {
		writers.Go(func() {
			day := pulse.MustDate("2026-01-05")
			for i := 0; ctx.Err() == nil; i++ {
				c := &pulse.CheckIn{TeamID: team.ID, UserID: []string{"U02", "U03"}[w], Date: day.AddDays(i), Status: pulse.CheckInOnTime,
					Energy: 3, Plan: fmt.Sprintf("plan %d of writer %d, with a comma", i, w), SubmittedAt: time.Now(), UpdatedAt: time.Now()}
				if err := db.SaveCheckIn(ctx, c); err != nil && ctx.Err() == nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				l.writes.Add(1)
			}
		})
	}
	t.Cleanup(func() {
		cancel()
		writers.Wait()
		if err := ctl.close(); err != nil {
			t.Errorf("close control: %v", err)
		}
		if err := db.Close(); err != nil {
			t.Errorf("close database: %v", err)
		}
		if _, err := os.Lstat(filepath.Dir(ctl.path)); err == nil {
			t.Errorf("the control socket's folder is left behind after close")
		}
	})
	// Let the writers get going, so the backup runs among their commits.
	waitUntil(t, "writers to commit", func() bool { return l.writes.Load() >= 20 })
	return l
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling a condition, not waiting for work
	}
}

func TestControlSocket(t *testing.T) {
	t.Run("is a 0600 socket in a 0700 folder named after the database", func(t *testing.T) {
		l := startLiveDB(t)
		path := controlPaths(envOf(nil), l.path)[0]
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o600 {
			t.Errorf("control socket mode %v, want a socket with 0600", fi.Mode())
		}
		if fi, err := os.Lstat(filepath.Dir(path)); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
			t.Errorf("control socket's folder: %v, mode %v; want a folder with 0700", err, fi.Mode())
		}
		if !controlAnswers(context.Background(), controlPaths(envOf(nil), l.path)) {
			t.Error("the control socket does not answer a ping")
		}
	})

	t.Run("a backup from another process while writers commit is whole and holds their work", func(t *testing.T) {
		l := startLiveDB(t)
		dst := filepath.Join(t.TempDir(), "copy.db")
		before := l.writes.Load()
		r := runBinary(t, []string{"PULSE_DB_PATH=" + l.path}, "backup", dst)
		if r.code != 0 || !strings.Contains(r.stdout, "through the running pulse") {
			t.Fatalf("pulse backup: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
		}
		if err := storage.Verify(dst); err != nil {
			t.Fatalf("the copy does not verify: %v", err)
		}
		fi, err := os.Stat(dst)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("copy: %v, mode %v; want 0600", err, fi.Mode())
		}
		if _, err := os.Stat(dst + ".tmp"); err == nil {
			t.Error("the temporary file is left behind")
		}
		copyDB, err := storage.Open(dst)
		if err != nil {
			t.Fatal(err)
		}
		defer copyDB.Close()
		got, err := copyDB.TeamCheckIns(context.Background(), l.team.ID, pulse.MustDate("2026-01-01"), pulse.MustDate("2099-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(got)) < before {
			t.Errorf("the copy holds %d check-ins; %d were committed before the backup began", len(got), before)
		}
	})

	t.Run("restore is refused while a pulse answers on the socket", func(t *testing.T) {
		l := startLiveDB(t)
		backup := filepath.Join(t.TempDir(), "b.db")
		mustCreateDB(t, backup, "Bergen Inside")
		r := runBinary(t, []string{"PULSE_DB_PATH=" + l.path}, "restore", backup)
		if r.code != 1 || !strings.Contains(r.stderr, "held by a running pulse") {
			t.Errorf("restore: exit %d, stderr %q; want 1 and a word about the running pulse", r.code, r.stderr)
		}
		if names, _ := l.db.Teams(context.Background()); len(names) != 1 || names[0].Name != "Oslo Field" {
			t.Errorf("teams after the refused restore: %v", names)
		}
	})

	t.Run("an export from another process comes through the running pulse", func(t *testing.T) {
		l := startLiveDB(t)
		out := filepath.Join(t.TempDir(), "oslo.csv")
		r := runBinary(t, []string{"PULSE_DB_PATH=" + l.path}, "export", "--team", "Oslo Field",
			"--from", "2026-01-05", "--to", "2026-01-09", "--out", out)
		if r.code != 0 {
			t.Fatalf("pulse export: exit %d\n%s", r.code, r.stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatalf("read back: %v\n%s", err, b)
		}
		// Five workdays, two reps.
		if len(recs) != 11 || recs[0][0] != "Date" || recs[1][2] != "Åse, \"the closer\"" || recs[1][3] != "on_time" {
			t.Errorf("export has %d records, first %q", len(recs), recs[:min(2, len(recs))])
		}

		r = runBinary(t, []string{"PULSE_DB_PATH=" + l.path}, "export", "--team", "Nowhere")
		if r.code != 1 || !strings.Contains(r.stderr, "Nowhere") {
			t.Errorf("export of an unknown team: exit %d, stderr %q", r.code, r.stderr)
		}
	})

	t.Run("a held database without a control socket is refused, saying what to do", func(t *testing.T) {
		dir := t.TempDir()
		dbPath, dst := filepath.Join(dir, "pulse.db"), filepath.Join(dir, "copy.db")
		mustCreateDB(t, dbPath, "Oslo Field")
		held, err := storage.Open(dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer held.Close()
		r := runPulse(t, map[string]string{"PULSE_DB_PATH": dbPath}, "backup", dst)
		if r.code != 1 || !strings.Contains(r.stderr, "no running pulse answers") || !strings.Contains(r.stderr, "stop pulse run") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
		if _, err := os.Stat(dst); err == nil {
			t.Errorf("backup wrote %s anyway", dst)
		}
	})
}

// TestPulseRunServesBackupWhileRunning runs the real binary against the
// stand-in and backs it up from a second process while it serves.
func TestPulseRunServesBackupWhileRunning(t *testing.T) {
	s := slacktest.NewServer()
	defer s.Close()
	dbPath := filepath.Join(t.TempDir(), "pulse.db")
	p := startPulseRun(t, s, dbPath)
	p.opsAddr(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatalf("pulse never connected: %v\n%s", err, p.stderr.String())
	}
	dst := filepath.Join(t.TempDir(), "live.db")
	r := runBinary(t, []string{"PULSE_DB_PATH=" + dbPath}, "backup", dst)
	if r.code != 0 {
		t.Fatalf("backup of the running pulse: exit %d\n%s\n%s", r.code, r.stderr, p.stderr.String())
	}
	if err := storage.Verify(dst); err != nil {
		t.Fatalf("the live copy: %v", err)
	}
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("pulse exited with %v\n%s", err, p.stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("pulse did not stop\n%s", p.stderr.String())
	}
	if _, err := os.Lstat(filepath.Dir(controlPaths(envOf(nil), dbPath)[0])); err == nil {
		t.Error("pulse run left its control socket's folder behind")
	}
}
