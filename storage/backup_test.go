package storage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

func TestBackupWhileWriting(t *testing.T) {
	onlyBolt(t)
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Busy", "U01")

	// Four writers save check-ins until told to stop, each noting the ones
	// whose save has returned, that is, committed.
	var (
		mu        sync.Mutex
		committed []pulse.CheckIn
		warm      = make(chan struct{})
		warmOnce  sync.Once
		stop      = make(chan struct{})
		progress  = make(chan struct{}, 1) // poked after each commit
		wg        sync.WaitGroup
	)
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				c := checkIn(team.ID, fmt.Sprintf("U%03d", w), pulse.MustDate("2026-01-01").AddDays(i).String())
				if err := db.SaveCheckIn(ctx, &c); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				committed = append(committed, c)
				if len(committed) >= 200 {
					warmOnce.Do(func() { close(warm) })
				}
				mu.Unlock()
				select {
				case progress <- struct{}{}:
				default:
				}
			}
		})
	}
	select {
	case <-warm:
	case <-time.After(30 * time.Second):
		close(stop)
		wg.Wait()
		t.Fatal("writers did not commit 200 check-ins within 30s")
	}

	mu.Lock()
	before := append([]pulse.CheckIn(nil), committed...)
	mu.Unlock()
	// The backup's first write, made inside its read transaction, waits
	// until the writers have committed 50 more check-ins, so commits
	// certainly land while its snapshot is open.
	waitForCommits := func() {
		mu.Lock()
		target := len(committed) + 50
		mu.Unlock()
		deadline := time.After(30 * time.Second)
		for {
			mu.Lock()
			n := len(committed)
			mu.Unlock()
			if n >= target {
				return
			}
			select {
			case <-progress:
			case <-deadline:
				t.Error("writers did not commit 50 check-ins while the backup was open")
				return
			}
		}
	}
	var buf bytes.Buffer
	n, err := db.Backup(ctx, &gatedWriter{w: &buf, wait: waitForCommits})
	mu.Lock()
	during := len(committed) - len(before)
	mu.Unlock()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("Backup reported %d bytes, wrote %d", n, buf.Len())
	}
	t.Logf("%d check-ins committed before the backup, %d while it ran", len(before), during)

	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := storage.Verify(path); err != nil {
		t.Fatalf("Verify(backup): %v", err)
	}
	restored := MustOpenPath(t, path)
	for _, c := range before {
		got, err := restored.CheckIn(ctx, c.TeamID, c.UserID, c.Date)
		if err != nil {
			t.Fatalf("check-in committed before the backup is missing: %v", err)
		}
		if got.Plan != c.Plan {
			t.Fatalf("check-in %s/%s: plan %q, want %q", c.UserID, c.Date, got.Plan, c.Plan)
		}
	}
	// The rep index came along in the same snapshot.
	for _, user := range []string{"U000", "U001", "U002", "U003"} {
		if _, err := restored.RepCheckIns(ctx, user, pulse.Date{}, pulse.Date{}); err != nil {
			t.Errorf("RepCheckIns(%s) on the backup: %v", user, err)
		}
	}
}

// gatedWriter calls wait before its first write.
type gatedWriter struct {
	w    io.Writer
	wait func()
	once sync.Once
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	g.once.Do(g.wait)
	return g.w.Write(p)
}

func TestBackupFile(t *testing.T) {
	onlyBolt(t)
	t.Run("a backup file is private, verified, complete and has no leftover", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		c := checkIn(team.ID, "U02", "2026-11-23")
		must(t, db.SaveCheckIn(ctx, &c))
		dir := t.TempDir()
		dst := filepath.Join(dir, "pulse-backup.db")
		// An older backup is replaced; a leftover temporary file is no obstacle.
		must(t, os.WriteFile(dst, []byte("old backup"), 0o644))
		must(t, os.WriteFile(dst+".tmp", []byte("interrupted"), 0o644))

		must(t, storage.BackupFile(ctx, db, dst))
		fi, err := os.Stat(dst)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("backup mode = %v, want 0600", fi.Mode().Perm())
		}
		if _, err := os.Stat(dst + ".tmp"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("temporary file left behind: %v", err)
		}
		must(t, storage.Verify(dst))
		copyDB := MustOpenPath(t, dst)
		got, err := copyDB.CheckIn(ctx, team.ID, "U02", c.Date)
		if err != nil || got.Plan != c.Plan {
			t.Errorf("check-in in the backup = %v, %v", got, err)
		}
	})

	t.Run("the live database cannot be backed up onto itself", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := storage.BackupFile(ctx, db, db.Path()); err == nil {
			t.Fatal("BackupFile onto the live file succeeded")
		}
		MustCreateTeam(t, db, "Still works", "U01")
	})

	t.Run("a cancelled backup writes nothing", func(t *testing.T) {
		db := MustOpenDB(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		dst := filepath.Join(t.TempDir(), "b.db")
		if err := storage.BackupFile(cctx, db, dst); !errors.Is(err, context.Canceled) {
			t.Errorf("BackupFile = %v, want context.Canceled", err)
		}
		for _, p := range []string{dst, dst + ".tmp"} {
			if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s exists after a cancelled backup", p)
			}
		}
	})
}

func TestVerify(t *testing.T) {
	onlyBolt(t)
	for _, tt := range []struct {
		name  string
		write func(path string) error
	}{
		{"a file that is not a database fails", func(p string) error {
			return os.WriteFile(p, bytes.Repeat([]byte("not bbolt"), 2000), 0o600)
		}},
		{"a truncated backup fails", func(p string) error {
			db, err := storage.Open(filepath.Join(filepath.Dir(p), "src.db"))
			if err != nil {
				return err
			}
			defer db.Close()
			var buf bytes.Buffer
			if _, err := db.Backup(ctx, &buf); err != nil {
				return err
			}
			return os.WriteFile(p, buf.Bytes()[:buf.Len()/2], 0o600)
		}},
		{"a missing file fails", func(string) error { return nil }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.db")
			must(t, tt.write(path))
			if err := storage.Verify(path); err == nil {
				t.Error("Verify passed")
			}
		})
	}
}
