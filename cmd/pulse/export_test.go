package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExport(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "pulse.db")
	mustCreateDB(t, dbPath, "Oslo Field")
	env := map[string]string{"PULSE_DB_PATH": dbPath}

	usage := []struct {
		name string
		args []string
		want string
	}{
		{"without a team", []string{"--from", "2026-03-02"}, "name the team with --team"},
		{"with a date that does not exist", []string{"--team", "Oslo Field", "--from", "2026-13-40"}, "--from"},
		{"with the range backwards", []string{"--team", "Oslo Field", "--from", "2026-03-09", "--to", "2026-03-02"}, "is after --to"},
		{"with a stray argument", []string{"--team", "Oslo Field", "extra"}, "unexpected argument"},
		{"with an unknown flag", []string{"--team", "Oslo Field", "--format", "xlsx"}, "format"},
	}
	for _, tt := range usage {
		t.Run("refuses to run "+tt.name, func(t *testing.T) {
			r := runPulse(t, env, append([]string{"export"}, tt.args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "usage: pulse export") {
				t.Errorf("exit %d, stderr %q; want 2, %q and the usage", r.code, r.stderr, tt.want)
			}
		})
	}

	t.Run("writes to stdout by default, from a database no pulse holds", func(t *testing.T) {
		r := runPulse(t, env, "export", "--team", "Oslo Field", "--from", "2026-03-02", "--to", "2026-03-03", "--no-bom")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\r\n")
		// The header and two reps on two past workdays, missed.
		if len(lines) != 5 || !strings.HasPrefix(lines[0], "Date,Rep ID,Rep,Status") || !strings.HasSuffix(lines[1], ",missed,,,,,") {
			t.Errorf("stdout:\n%s", r.stdout)
		}
	})

	t.Run("writes a file with the BOM and says how many rows", func(t *testing.T) {
		out := filepath.Join(dir, "out.csv")
		r := runPulse(t, env, "export", "--team", "Oslo Field", "--from", "2026-03-02", "--to", "2026-03-06", "--out", out)
		if r.code != 0 || r.stdout != "exported 10 rows of Oslo Field to "+out+"\n" {
			t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil || !strings.HasPrefix(string(b), "\ufeffDate,") {
			t.Errorf("file: %v %q", err, b[:min(len(b), 20)])
		}
	})

	t.Run("an unknown team fails without leaving a file", func(t *testing.T) {
		out := filepath.Join(dir, "none.csv")
		r := runPulse(t, env, "export", "--team", "Nowhere", "--out", out)
		if r.code != exitFail || !strings.Contains(r.stderr, `team "Nowhere"`) {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
		if entries, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(entries) > 0 || fileExists(out) {
			t.Errorf("left behind: %v", entries)
		}
	})
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
