package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/storage"
)

// longDBPath returns a database path of exactly n bytes under a new
// temporary folder: longer than a Unix socket's path may be.
func longDBPath(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	pad := n - len(dir) - len("/") - len("/pulse.db")
	if pad < 1 {
		t.Fatalf("the temporary folder %s is too long for a %d-byte path", dir, n)
	}
	dir = filepath.Join(dir, strings.Repeat("d", pad))
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "pulse.db")
	if len(path) != n {
		t.Fatalf("made a path of %d bytes, want %d", len(path), n)
	}
	return path
}

// shortTempDir returns a new folder under /tmp whose name, unlike
// t.TempDir's, leaves room for a socket's path under it.
func shortTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pulsetest")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// removeControlDirs removes the control socket's folders of a pulse run
// with env on dbPath: a pulse killed, as some tests kill it, leaves its
// socket behind for the next start to replace.
func removeControlDirs(env []string, dbPath string) {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	for _, p := range controlPaths(envOf(vars), dbPath) {
		os.RemoveAll(filepath.Dir(p))
	}
}

// pulseServing starts the real binary on dbPath with env and waits until
// it is connected to the stand-in and ready.
func pulseServing(t *testing.T, s *slacktest.Server, dbPath string, env ...string) *runningPulse {
	t.Helper()
	p := startPulseRun(t, s, dbPath, env...)
	addr := p.opsAddr(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.WaitFor(ctx, func() bool { return httpStatus("http://"+addr+"/readyz") == 200 }); err != nil {
		t.Fatalf("pulse never became ready: %v\n%s", err, p.stderr.String())
	}
	return p
}

func TestPulseRunOnALongDatabasePathServesALiveBackup(t *testing.T) {
	s := slacktest.NewServer()
	defer s.Close()
	dbPath := longDBPath(t, 150)
	p := pulseServing(t, s, dbPath)

	dst := filepath.Join(t.TempDir(), "live.db")
	r := runBinary(t, []string{"PULSE_DB_PATH=" + dbPath}, "backup", dst)
	if r.code != 0 || !strings.Contains(r.stdout, "through the running pulse") {
		t.Fatalf("backup of the running pulse: exit %d\nstdout %s\nstderr %s\npulse:\n%s", r.code, r.stdout, r.stderr, p.stderr.String())
	}
	if err := storage.Verify(dst); err != nil {
		t.Fatalf("the live copy: %v", err)
	}
	p.stopCleanly(t)
}

func TestPulseRunWithoutAControlSocketWarnsAndRuns(t *testing.T) {
	s := slacktest.NewServer()
	defer s.Close()
	// Neither beside a 150-byte database path nor under a temporary
	// folder that is a file can a socket be made.
	tmp := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(tmp, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dbPath := longDBPath(t, 150)
	p := pulseServing(t, s, dbPath, "TMPDIR="+tmp)
	if n := p.logCount("no control socket: pulse backup and pulse export cannot reach this pulse"); n != 1 {
		t.Errorf("%d warnings about the control socket, want 1\n%s", n, p.stderr.String())
	}

	r := runBinary(t, []string{"PULSE_DB_PATH=" + dbPath, "TMPDIR=" + tmp}, "backup", filepath.Join(t.TempDir(), "b.db"))
	if r.code != 1 || !strings.Contains(r.stderr, "no running pulse answers") || !strings.Contains(r.stderr, "stop pulse run") {
		t.Errorf("backup without a control socket: exit %d, stderr %q", r.code, r.stderr)
	}
	p.stopCleanly(t)
}

func TestControlPaths(t *testing.T) {
	dbPath := longDBPath(t, 150)
	t.Run("a 150-byte database path gives a socket path a socket can have", func(t *testing.T) {
		for _, p := range controlPaths(envOf(map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"}), dbPath) {
			if len(p) > maxSocketPath {
				t.Errorf("%s is %d bytes, more than %d", p, len(p), maxSocketPath)
			}
		}
	})
	t.Run("the runtime folder comes first, then the temporary one", func(t *testing.T) {
		got := controlPaths(envOf(map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000", "TMPDIR": "/var/tmp"}), dbPath)
		name := controlDirName(dbPath)
		want := []string{"/run/user/1000/" + name + "/control.sock", "/var/tmp/" + name + "/control.sock"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("without either variable the socket goes under /tmp", func(t *testing.T) {
		if got := controlPaths(envOf(nil), dbPath); len(got) != 1 || !strings.HasPrefix(got[0], "/tmp/pulse-") {
			t.Errorf("got %q", got)
		}
	})
	t.Run("relative folders are ignored", func(t *testing.T) {
		if got := controlPaths(envOf(map[string]string{"XDG_RUNTIME_DIR": "run", "TMPDIR": "tmp"}), dbPath); len(got) != 1 || !strings.HasPrefix(got[0], "/tmp/") {
			t.Errorf("got %q", got)
		}
	})
	t.Run("two names of one database share one socket", func(t *testing.T) {
		link := filepath.Join(t.TempDir(), "link.db")
		if err := os.Symlink(dbPath, link); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dbPath, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if a, b := controlDirName(dbPath), controlDirName(link); a != b {
			t.Errorf("%s and %s, a link to it, name folders %s and %s", dbPath, link, a, b)
		}
	})
	t.Run("two databases have a socket each", func(t *testing.T) {
		if a, b := controlDirName("/data/a.db"), controlDirName("/data/b.db"); a == b {
			t.Errorf("both name %s", a)
		}
	})
}

// A place where the control socket cannot safely be is refused, and the
// socket goes to the next place.
func TestStartControlRefusesAnUnsafePlace(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string) // dir is the socket's folder, not yet made
		want    string
	}{
		{"the folder is a symbolic link to a folder of ours", func(t *testing.T, dir string) {
			target := t.TempDir()
			if err := os.Chmod(target, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, dir); err != nil {
				t.Fatal(err)
			}
		}, "symbolic link"},
		{"the folder may be entered by others", func(t *testing.T, dir string) {
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}, "must be 0700"},
		{"the folder is a file", func(t *testing.T, dir string) {
			if err := os.WriteFile(dir, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}, "not a folder"},
		{"a file that is not a socket is in the socket's place", func(t *testing.T, dir string) {
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, socketName), []byte("keep"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "not a socket"},
		{"the folder belongs to another user", func(t *testing.T, dir string) {
			if os.Geteuid() != 0 {
				t.Skip("only root can give a folder to another user")
			}
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(dir, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}, "another user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbPath := filepath.Join(t.TempDir(), "pulse.db")
			mustCreateDB(t, dbPath, "Oslo Field")
			db, err := storage.Open(dbPath)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			bad, good := shortTempDir(t), shortTempDir(t)
			paths := controlPaths(envOf(map[string]string{"XDG_RUNTIME_DIR": bad, "TMPDIR": good}), dbPath)
			tt.prepare(t, filepath.Dir(paths[0]))

			_, err = startControl(db, slog.New(slog.NewTextHandler(io.Discard, nil)), controlConfig{Paths: paths[:1]})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("startControl in the unsafe place alone: %v, want an error saying %q", err, tt.want)
			}

			ctl, err := startControl(db, slog.New(slog.NewTextHandler(io.Discard, nil)), controlConfig{Paths: paths})
			if err != nil {
				t.Fatalf("startControl with a safe place after the unsafe one: %v", err)
			}
			defer ctl.close()
			if ctl.path != paths[1] {
				t.Errorf("serving on %s, want %s", ctl.path, paths[1])
			}
			if !controlAnswers(context.Background(), paths) {
				t.Error("a client trying every place does not reach it")
			}
			if controlAnswers(context.Background(), paths[:1]) {
				t.Error("a client reaches a socket through the unsafe place")
			}
		})
	}
}

func TestAControlSocketLeftByAPulseThatDiedIsReplaced(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "pulse.db")
	mustCreateDB(t, dbPath, "Oslo Field")
	db, err := storage.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	paths := controlPaths(envOf(map[string]string{"TMPDIR": shortTempDir(t)}), dbPath)
	// A listener closed without unlinking leaves its socket file, as a
	// killed process does.
	ln, err := listenPrivate(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()

	ctl, err := startControl(db, slog.New(slog.NewTextHandler(io.Discard, nil)), controlConfig{Paths: paths})
	if err != nil {
		t.Fatalf("startControl over a stale socket: %v", err)
	}
	defer ctl.close()
	if !controlAnswers(context.Background(), paths) {
		t.Error("the new socket does not answer")
	}
}
