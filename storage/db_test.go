package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

// MustOpenDB opens a new database file in tb's temporary folder (in the
// PostgreSQL run, a new schema), closed when the test ends. Its clock is fixed at testNow.
func MustOpenDB(tb testing.TB) *storage.DB {
	tb.Helper()
	if onPostgres {
		return MustOpenPostgres(tb)
	}
	return MustOpenPath(tb, filepath.Join(tb.TempDir(), "pulse.db"))
}

// MustOpenPath opens the database at path, closed when the test ends.
func MustOpenPath(tb testing.TB, path string) *storage.DB {
	tb.Helper()
	open := storage.Open
	if strings.HasPrefix(path, "postgres://") { // a reopen in the PostgreSQL run
		open = func(dsn string) (*storage.DB, error) { return storage.OpenPostgres(ctx, dsn) }
	}
	db, err := open(path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	db.Clock = pulse.ClockFunc(func() time.Time { return testNow })
	tb.Cleanup(func() {
		// Closing twice is harmless; tests that reopen close it themselves.
		_ = db.Close()
	})
	return db
}

// MustClose closes db and fails the test if it cannot.
func MustClose(tb testing.TB, db *storage.DB) {
	tb.Helper()
	if err := db.Close(); err != nil {
		tb.Fatalf("close: %v", err)
	}
}

var (
	ctx     = context.Background()
	testNow = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
)

func TestOpen(t *testing.T) {
	onlyBolt(t)
	t.Run("a new file is readable by its owner only", func(t *testing.T) {
		db := MustOpenDB(t)
		fi, err := os.Stat(db.Path())
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Errorf("mode = %v, want 0600", got)
		}
	})

	t.Run("an existing file open to others is tightened to 0600", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "pulse.db")
		MustClose(t, MustOpenPath(t, path))
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		MustOpenPath(t, path)
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Errorf("mode = %v, want 0600", got)
		}
	})

	t.Run("a second open of a file in use fails fast with ErrLocked", func(t *testing.T) {
		db := MustOpenDB(t)
		start := time.Now()
		second, err := storage.Open(db.Path())
		if err == nil {
			second.Close()
			t.Fatal("second Open succeeded, want ErrLocked")
		}
		if !errors.Is(err, storage.ErrLocked) {
			t.Fatalf("second Open: %v, want ErrLocked", err)
		}
		if want := "database " + db.Path() + " is in use by another process"; err.Error() != want {
			t.Errorf("error = %q, want %q", err, want)
		}
		// Generous bound: the point is that Open gives up rather than hangs.
		if waited := time.Since(start); waited > 10*time.Second {
			t.Errorf("second Open waited %v", waited)
		}
	})

	t.Run("data is kept across close and reopen", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "pulse.db")
		db := MustOpenPath(t, path)
		team := MustCreateTeam(t, db, "Oslo Field", "U01")
		c := checkIn(team.ID, "U02", "2026-11-23")
		if err := db.SaveCheckIn(ctx, &c); err != nil {
			t.Fatal(err)
		}
		key := pulse.JobKey{Kind: pulse.JobCheckIn, TeamID: team.ID, UserID: "U02", Occurrence: "2026-11-23"}
		if _, _, err := db.Claim(ctx, key, "run1", testNow); err != nil {
			t.Fatal(err)
		}
		MustClose(t, db)

		db = MustOpenPath(t, path)
		if got, err := db.TeamByName(ctx, "oslo field"); err != nil || got.ID != team.ID {
			t.Errorf("TeamByName after reopen = %v, %v", got, err)
		}
		if got, err := db.CheckIn(ctx, team.ID, "U02", pulse.MustDate("2026-11-23")); err != nil || got.Plan != c.Plan {
			t.Errorf("CheckIn after reopen = %v, %v", got, err)
		}
		if job, err := db.Job(ctx, key); err != nil || job.State != pulse.JobClaimed {
			t.Errorf("Job after reopen = %+v, %v", job, err)
		}
	})

	t.Run("Size reports the file's size", func(t *testing.T) {
		db := MustOpenDB(t)
		n, err := db.Size()
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(db.Path())
		if n != fi.Size() || n == 0 {
			t.Errorf("Size = %d, file is %d bytes", n, fi.Size())
		}
	})

	t.Run("a call with a cancelled context does nothing", func(t *testing.T) {
		db := MustOpenDB(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		team := pulse.NewTeam("Cancelled", "Europe/Oslo")
		team.Managers = []string{"U01"}
		if err := db.CreateTeam(cctx, team); !errors.Is(err, context.Canceled) {
			t.Fatalf("CreateTeam = %v, want context.Canceled", err)
		}
		if teams, _ := db.Teams(ctx); len(teams) != 0 {
			t.Errorf("Teams = %d, want none", len(teams))
		}
	})
}

// MustCreateTeam stores a team with the given manager and reps in Oslo.
func MustCreateTeam(tb testing.TB, db *storage.DB, name, manager string, reps ...string) *pulse.Team {
	tb.Helper()
	t := pulse.NewTeam(name, "Europe/Oslo")
	t.Managers = []string{manager}
	t.Reps = reps
	t.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}}
	if err := db.CreateTeam(ctx, t); err != nil {
		tb.Fatalf("create team %q: %v", name, err)
	}
	return t
}

// checkIn returns an answered check-in.
func checkIn(team, user, day string) pulse.CheckIn {
	return pulse.CheckIn{
		TeamID: team, UserID: user, Date: pulse.MustDate(day),
		Status: pulse.CheckInOnTime, Results: "3 meetings", Plan: "call " + user + " leads on " + day,
		Energy: 4, Metrics: map[string]float64{"calls": 12},
		SubmittedAt: testNow, UpdatedAt: testNow,
	}
}

// wantCode fails the test unless err carries the given pulse error code.
func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := pulse.ErrorCode(err); got != code {
		tb.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}

func TestReadTogether(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02")

	t.Run("reads under it read the store", func(t *testing.T) {
		var got *pulse.Team
		err := db.ReadTogether(ctx, func(ctx context.Context) error {
			var err error
			got, err = db.Team(ctx, team.ID)
			return err
		})
		if err != nil || got.Name != "Sales" {
			t.Errorf("Team under ReadTogether = %v, %v", got, err)
		}
	})

	t.Run("a write under it is refused and stores nothing", func(t *testing.T) {
		err := db.ReadTogether(ctx, func(ctx context.Context) error {
			return db.SavePerson(ctx, &pulse.Person{ID: "U09", Name: "Kari"})
		})
		if err == nil {
			t.Fatal("a write under ReadTogether was taken")
		}
		if _, err := db.Person(ctx, "U09"); !pulse.IsNotFound(err) {
			t.Errorf("Person after the refused write = %v, want not found", err)
		}
		// Outside it, the same write is taken.
		must(t, db.SavePerson(ctx, &pulse.Person{ID: "U09", Name: "Kari"}))
	})

	t.Run("fn's error comes back as it is", func(t *testing.T) {
		stop := errors.New("enough")
		if err := db.ReadTogether(ctx, func(context.Context) error { return stop }); err != stop {
			t.Errorf("ReadTogether = %v, want %v", err, stop)
		}
	})

	t.Run("a done context stops it before fn", func(t *testing.T) {
		done, cancel := context.WithCancel(ctx)
		cancel()
		called := false
		err := db.ReadTogether(done, func(context.Context) error { called = true; return nil })
		if !errors.Is(err, context.Canceled) || called {
			t.Errorf("ReadTogether on a done context = %v, fn called %v", err, called)
		}
	})
}
