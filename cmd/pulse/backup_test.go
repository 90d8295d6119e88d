package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

// mustCreateDB writes a database at path holding one team per name, and
// closes it.
func mustCreateDB(t *testing.T, path string, teams ...string) {
	t.Helper()
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range teams {
		team := pulse.NewTeam(name, "Europe/Oslo")
		team.Managers = []string{"U01"}
		team.Reps = []string{"U02", "U03"}
		if err := db.CreateTeam(context.Background(), team); err != nil {
			t.Fatalf("create team %s: %v", name, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// teamNames opens the database at path and returns its teams' names.
func teamNames(t *testing.T, path string) []string {
	t.Helper()
	db, err := storage.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer db.Close()
	teams, err := db.Teams(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, team := range teams {
		names = append(names, team.Name)
	}
	return names
}

// assertTeams fails unless the database at path holds exactly the named teams.
func assertTeams(t *testing.T, path string, want ...string) {
	t.Helper()
	if got := teamNames(t, path); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s holds teams %q, want %q", filepath.Base(path), got, want)
	}
}

// assertFileHolds fails unless the file at path holds exactly want.
func assertFileHolds(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s holds %q, want %q", path, got, want)
	}
}

func TestBackup(t *testing.T) {
	t.Run("a backup is a database holding what the live one held", func(t *testing.T) {
		dir := t.TempDir()
		dbPath, dst := filepath.Join(dir, "pulse.db"), filepath.Join(dir, "copy.db")
		mustCreateDB(t, dbPath, "Oslo Field", "Bergen Inside")

		r := runPulse(t, map[string]string{"PULSE_DB_PATH": dbPath}, "backup", dst)
		if r.code != 0 {
			t.Fatalf("exit code %d; stderr: %s", r.code, r.stderr)
		}
		fi, err := os.Stat(dst)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("backed up %s to %s (%d bytes)\n", dbPath, dst, fi.Size()); r.stdout != want {
			t.Errorf("stdout %q, want %q", r.stdout, want)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("backup has mode %v, want 0600", fi.Mode().Perm())
		}
		if err := storage.Verify(dst); err != nil {
			t.Errorf("the backup does not verify: %v", err)
		}
		assertTeams(t, dst, "Oslo Field", "Bergen Inside")
	})

	t.Run("an existing file is kept unless --force is given", func(t *testing.T) {
		dir := t.TempDir()
		dbPath, dst := filepath.Join(dir, "pulse.db"), filepath.Join(dir, "copy.db")
		mustCreateDB(t, dbPath, "Oslo Field")
		if err := os.WriteFile(dst, []byte("precious"), 0o600); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"PULSE_DB_PATH": dbPath}

		r := runPulse(t, env, "backup", dst)
		if r.code != 1 || !strings.Contains(r.stderr, "already exists; pass --force") {
			t.Errorf("exit code %d, stderr %q; want 1 and a word about --force", r.code, r.stderr)
		}
		assertFileHolds(t, dst, "precious")

		r = runPulse(t, env, "backup", dst, "--force")
		if r.code != 0 {
			t.Fatalf("with --force: exit code %d; stderr: %s", r.code, r.stderr)
		}
		assertTeams(t, dst, "Oslo Field")
	})

	t.Run("a missing database is reported, not created", func(t *testing.T) {
		dir := t.TempDir()
		dbPath := filepath.Join(dir, "pulse.db")
		r := runPulse(t, map[string]string{"PULSE_DB_PATH": dbPath}, "backup", filepath.Join(dir, "copy.db"))
		if r.code != 1 || !strings.Contains(r.stderr, "there is no file at "+dbPath) {
			t.Errorf("exit code %d, stderr %q; want 1 and the missing path", r.code, r.stderr)
		}
		if _, err := os.Stat(dbPath); err == nil {
			t.Errorf("backup created %s", dbPath)
		}
	})

	t.Run("the database itself is not a destination", func(t *testing.T) {
		dbPath := filepath.Join(t.TempDir(), "pulse.db")
		mustCreateDB(t, dbPath, "Oslo Field")
		r := runPulse(t, map[string]string{"PULSE_DB_PATH": dbPath}, "backup", "--force", dbPath)
		if r.code != 1 || !strings.Contains(r.stderr, "it is the live database") {
			t.Errorf("exit code %d, stderr %q; want 1", r.code, r.stderr)
		}
		assertTeams(t, dbPath, "Oslo Field")
	})

	t.Run("the database path comes from PULSE_DB_PATH's default", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		mustCreateDB(t, "pulse.db", "Oslo Field")
		r := runPulse(t, nil, "backup", "copy.db")
		if r.code != 0 {
			t.Fatalf("exit code %d; stderr: %s", r.code, r.stderr)
		}
		assertTeams(t, filepath.Join(dir, "copy.db"), "Oslo Field")
	})
}

func TestBackupAndRestoreUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"backup without a file", []string{"backup"}, "usage: pulse backup [--force] <file>"},
		{"backup with two files", []string{"backup", "a.db", "b.db"}, "name one file"},
		{"backup with an unknown flag", []string{"backup", "--compress", "a.db"}, "unknown flag --compress"},
		{"restore without a file", []string{"restore"}, "usage: pulse restore <file>"},
		{"restore does not take --force", []string{"restore", "--force", "a.db"}, "unknown flag --force"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbPath := filepath.Join(t.TempDir(), "pulse.db")
			r := runPulse(t, map[string]string{"PULSE_DB_PATH": dbPath}, tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit code %d, stderr %q; want 2 and %q", r.code, r.stderr, tt.want)
			}
			if _, err := os.Stat(dbPath); err == nil {
				t.Errorf("a usage error created %s", dbPath)
			}
		})
	}
}

func TestRestore(t *testing.T) {
	t.Run("a backup replaces the database, and the old one is kept beside it", func(t *testing.T) {
		dir := t.TempDir()
		dbPath, src := filepath.Join(dir, "pulse.db"), filepath.Join(dir, "backup.db")
		mustCreateDB(t, dbPath, "Before")
		mustCreateDB(t, src, "After One", "After Two")
		srcBytes, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}

		r := runPulse(t, map[string]string{"PULSE_DB_PATH": dbPath}, "restore", src)
		if r.code != 0 {
			t.Fatalf("exit code %d; stderr: %s", r.code, r.stderr)
		}
		assertTeams(t, dbPath, "After One", "After Two")

		kept, _ := filepath.Glob(dbPath + ".before-restore-*")
		if len(kept) != 1 {
			t.Fatalf("kept copies %v, want one", kept)
		}
		if !strings.Contains(r.stdout, "kept as "+kept[0]) {
			t.Errorf("stdout %q does not say where the old database is kept", r.stdout)
		}
		stamp := strings.TrimPrefix(kept[0], dbPath+".before-restore-")
		if len(stamp) != len("20060102T150405Z") || !strings.HasSuffix(stamp, "Z") {
			t.Errorf("kept copy's stamp %q is not a UTC time like 20060102T150405Z", stamp)
		}
		assertTeams(t, kept[0], "Before")

		fi, err := os.Stat(dbPath)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("restored database has mode %v, want 0600", fi.Mode().Perm())
		}
		assertFileHolds(t, src, string(srcBytes))
		if leftovers, _ := filepath.Glob(filepath.Join(dir, ".pulse-restore-*")); len(leftovers) > 0 {
			t.Errorf("restore left temporary files %v", leftovers)
		}
	})

	t.Run("a backup made by pulse backup restores", func(t *testing.T) {
		dir := t.TempDir()
		dbPath, copyPath := filepath.Join(dir, "pulse.db"), filepath.Join(dir, "copy.db")
		mustCreateDB(t, dbPath, "Oslo Field")
		env := map[string]string{"PULSE_DB_PATH": dbPath}
		if r := runPulse(t, env, "backup", copyPath); r.code != 0 {
			t.Fatalf("backup: exit code %d; stderr: %s", r.code, r.stderr)
		}
		if err := os.Remove(dbPath); err != nil {
			t.Fatal(err)
		}

		r := runPulse(t, env, "restore", copyPath)
		if r.code != 0 {
			t.Fatalf("restore: exit code %d; stderr: %s", r.code, r.stderr)
		}
		assertTeams(t, dbPath, "Oslo Field")
		if strings.Contains(r.stdout, "kept as") {
			t.Errorf("stdout %q claims to keep a database that did not exist", r.stdout)
		}
	})

	t.Run("a file that is not a Pulse database is refused and nothing changes", func(t *testing.T) {
		dir := t.TempDir()
		dbPath, src := filepath.Join(dir, "pulse.db"), filepath.Join(dir, "notes.txt")
		mustCreateDB(t, dbPath, "Before")
		if err := os.WriteFile(src, []byte(strings.Repeat("not a database\n", 1000)), 0o600); err != nil {
			t.Fatal(err)
		}

		r := runPulse(t, map[string]string{"PULSE_DB_PATH": dbPath}, "restore", src)
		if r.code != 1 || !strings.Contains(r.stderr, "is not a database this pulse can restore") {
			t.Errorf("exit code %d, stderr %q; want 1 and a refusal", r.code, r.stderr)
		}
		assertTeams(t, dbPath, "Before")
		if kept, _ := filepath.Glob(dbPath + ".before-restore-*"); len(kept) > 0 {
			t.Errorf("a refused restore kept %v", kept)
		}
	})

	t.Run("a database held by a running pulse is refused and nothing changes", func(t *testing.T) {
		dir := t.TempDir()
		dbPath, src := filepath.Join(dir, "pulse.db"), filepath.Join(dir, "backup.db")
		mustCreateDB(t, dbPath, "Before")
		mustCreateDB(t, src, "After")
		held, err := storage.Open(dbPath)
		if err != nil {
			t.Fatal(err)
		}

		r := runPulse(t, map[string]string{"PULSE_DB_PATH": dbPath}, "restore", src)
		if r.code != 1 || !strings.Contains(r.stderr, "stop pulse run first") {
			t.Errorf("exit code %d, stderr %q; want 1 and a word about the running pulse", r.code, r.stderr)
		}
		if err := held.Close(); err != nil {
			t.Fatal(err)
		}
		assertTeams(t, dbPath, "Before")
		if kept, _ := filepath.Glob(dbPath + ".before-restore-*"); len(kept) > 0 {
			t.Errorf("a refused restore kept %v", kept)
		}
	})

	t.Run("a missing backup file is named", func(t *testing.T) {
		dir := t.TempDir()
		missing := filepath.Join(dir, "nope.db")
		r := runPulse(t, map[string]string{"PULSE_DB_PATH": filepath.Join(dir, "pulse.db")}, "restore", missing)
		if r.code != 1 || !strings.Contains(r.stderr, "there is no file at "+missing) {
			t.Errorf("exit code %d, stderr %q; want 1 naming %s", r.code, r.stderr, missing)
		}
	})
}
