package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/salespulse/pulse/storage"
)

// backupCmd writes a consistent copy of the database at PULSE_DB_PATH to
// the file named by its argument. It refuses to overwrite a file unless
// given --force. While `pulse run` holds the database, the running process
// makes the copy and streams it over its control socket.
func backupCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	force, files, err := parseFileArgs(args, true)
	if err == nil && len(files) != 1 {
		err = errors.New("name one file to write the backup to")
	}
	if err != nil {
		fmt.Fprintf(stderr, "pulse backup: %v\nusage: pulse backup [--force] <file>\n", err)
		return exitUsage
	}
	dst := files[0]
	if refusePostgres(env, stderr, "pulse backup", "pg_dump --format=custom --file=pulse.dump \"$PULSE_DATABASE_URL\"") {
		return exitUsage
	}
	dbPath := lookupOrDefault(env, "PULSE_DB_PATH")

	if err := requireFile(dbPath); err != nil {
		fmt.Fprintf(stderr, "pulse backup: %v\n", err)
		return exitFail
	}
	if _, err := os.Lstat(dst); err == nil && !force {
		fmt.Fprintf(stderr, "pulse backup: %s already exists; pass --force to overwrite it\n", dst)
		return exitFail
	}

	db, err := storage.Open(dbPath)
	if errors.Is(err, storage.ErrLocked) {
		if sameFile(dbPath, dst) {
			fmt.Fprintf(stderr, "pulse backup: back up to %s: it is the live database\n", dst)
			return exitFail
		}
		n, err := backupViaControl(ctx, controlPaths(env, dbPath), dst)
		if err != nil {
			fmt.Fprintf(stderr, "pulse backup: %s is held by a running pulse: %v\n", dbPath, err)
			return exitFail
		}
		fmt.Fprintf(stdout, "backed up %s to %s (%d bytes) through the running pulse\n", dbPath, dst, n)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "pulse backup: %v\n", err)
		return exitFail
	}
	defer db.Close()

	if err := storage.BackupFile(ctx, db, dst); err != nil {
		fmt.Fprintf(stderr, "pulse backup: %v\n", err)
		return exitFail
	}
	fi, err := os.Stat(dst)
	if err != nil {
		fmt.Fprintf(stderr, "pulse backup: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes)\n", dbPath, dst, fi.Size())
	return exitOK
}

// restoreCmd replaces the database at PULSE_DB_PATH with a backup. The
// backup is verified first; the database is refused while `pulse run` holds
// it, and held by restore itself during the swap so that a pulse starting
// meanwhile waits instead of writing to a file about to be replaced. The
// replaced database is kept beside it as <db>.before-restore-<UTC time>,
// and the backup goes into place by an atomic rename of a synced copy.
func restoreCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	_, files, err := parseFileArgs(args, false)
	if err == nil && len(files) != 1 {
		err = errors.New("name one backup file to restore")
	}
	if err != nil {
		fmt.Fprintf(stderr, "pulse restore: %v\nusage: pulse restore <file>\n", err)
		return exitUsage
	}
	src := files[0]
	if refusePostgres(env, stderr, "pulse restore", "pg_restore --clean --if-exists --dbname=\"$PULSE_DATABASE_URL\" pulse.dump") {
		return exitUsage
	}
	dbPath := lookupOrDefault(env, "PULSE_DB_PATH")

	if controlAnswers(ctx, controlPaths(env, dbPath)) {
		fmt.Fprintf(stderr, "pulse restore: %s is held by a running pulse; stop pulse run first, then restore.\n", dbPath)
		return exitFail
	}
	kept, err := restore(ctx, src, dbPath, time.Now())
	if errors.Is(err, storage.ErrLocked) {
		fmt.Fprintf(stderr, "pulse restore: %s is held by a running pulse; stop pulse run first, then restore.\n", dbPath)
		return exitFail
	}
	if err != nil {
		fmt.Fprintf(stderr, "pulse restore: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "restored %s into %s\n", src, dbPath)
	if kept != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s\n", kept)
	}
	return exitOK
}

// backupViaControl asks the pulse holding the database for a snapshot, on
// its control socket at one of sockets, and writes it as
// storage.BackupFile does: to dst+".tmp" with mode 0600, synced, checked
// with storage.Verify, then renamed over dst. It returns the size.
func backupViaControl(ctx context.Context, sockets []string, dst string) (n int64, err error) {
	body, err := askControl(ctx, sockets, controlRequest{Op: "backup"})
	if errors.Is(err, errNoControl) {
		return 0, fmt.Errorf("%w; stop pulse run, back up, and start it again", err)
	}
	if err != nil {
		return 0, err
	}
	defer body.Close()
	tmp := dst + ".tmp"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if n, err = io.Copy(f, body); err != nil {
		return n, fmt.Errorf("receive the snapshot: %w", err)
	}
	if err := f.Sync(); err != nil {
		return n, fmt.Errorf("sync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return n, fmt.Errorf("close %s: %w", tmp, err)
	}
	if err := storage.Verify(tmp); err != nil {
		return n, fmt.Errorf("the snapshot received is broken: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return n, err
	}
	return n, syncDir(filepath.Dir(dst))
}

// restore puts src in place of the database at dbPath and returns where the
// replaced database was kept, or "" when there was none.
func restore(ctx context.Context, src, dbPath string, now time.Time) (kept string, err error) {
	if err := requireFile(src); err != nil {
		return "", err
	}
	if sameFile(src, dbPath) {
		return "", fmt.Errorf("%s is the database itself", src)
	}
	if err := storage.Verify(src); err != nil {
		return "", fmt.Errorf("%s is not a database this pulse can restore: %w", src, err)
	}

	// Holding the current database keeps another pulse out until the new
	// file is in place; on Unix the lock stays with the old file.
	if _, err := os.Stat(dbPath); err == nil {
		cur, err := storage.Open(dbPath)
		if err != nil {
			return "", err
		}
		defer func() {
			if cerr := cur.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}()
		kept = dbPath + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		if err := keepCopy(dbPath, kept); err != nil {
			return "", err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("database %s: %w", dbPath, err)
	}

	tmp, err := copyToTemp(src, filepath.Dir(dbPath))
	if err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		// Interrupted before the swap: the database is as it was.
		os.Remove(tmp)
		return "", fmt.Errorf("restore interrupted: %w", err)
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("put %s in place of %s: %w", src, dbPath, err)
	}
	if err := syncDir(filepath.Dir(dbPath)); err != nil {
		return kept, err
	}
	return kept, nil
}

// keepCopy keeps the database at path under the name kept: a hard link when
// the file system has them, which costs no space and leaves path in place,
// or else a synced copy.
func keepCopy(path, kept string) error {
	if _, err := os.Lstat(kept); err == nil {
		return fmt.Errorf("%s already exists; try again in a second", kept)
	}
	if err := os.Link(path, kept); err == nil {
		return syncDir(filepath.Dir(kept))
	}
	tmp, err := copyToTemp(path, filepath.Dir(kept))
	if err != nil {
		return fmt.Errorf("keep %s: %w", path, err)
	}
	if err := os.Rename(tmp, kept); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("keep %s as %s: %w", path, kept, err)
	}
	return syncDir(filepath.Dir(kept))
}

// copyToTemp copies src into a new 0600 file in dir, synced to disk, and
// returns its name.
func copyToTemp(src, dir string) (name string, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, ".pulse-restore-*.tmp")
	if err != nil {
		return "", fmt.Errorf("copy %s: %w", src, err)
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(out.Name())
		}
	}()
	if err := out.Chmod(0o600); err != nil {
		return "", fmt.Errorf("copy %s: %w", src, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		return "", fmt.Errorf("copy %s to %s: %w", src, out.Name(), err)
	}
	if err := out.Sync(); err != nil {
		return "", fmt.Errorf("sync %s: %w", out.Name(), err)
	}
	if err := out.Close(); err != nil {
		return "", fmt.Errorf("close %s: %w", out.Name(), err)
	}
	return out.Name(), nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}

// requireFile reports a clear error when path is not an existing regular
// file. It keeps backup and restore from creating an empty database where
// a path is mistyped.
func requireFile(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("there is no file at %s", path)
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", path)
	}
	return nil
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// parseFileArgs separates file names from the --force flag, which may come
// before or after them; "--" ends the flags. allowForce says whether the
// command takes --force at all.
func parseFileArgs(args []string, allowForce bool) (force bool, files []string, err error) {
	flags := true
	for _, a := range args {
		switch {
		case flags && a == "--":
			flags = false
		case flags && allowForce && (a == "--force" || a == "-force" || a == "-f"):
			force = true
		case flags && len(a) > 1 && a[0] == '-':
			return false, nil, fmt.Errorf("unknown flag %s", a)
		default:
			files = append(files, a)
		}
	}
	return force, files, nil
}

// refusePostgres tells, when PULSE_DATABASE_URL is set, that the command
// works on the bbolt file only and what to run instead, and reports
// whether it did.
func refusePostgres(env Env, stderr io.Writer, cmd, instead string) bool {
	if dsn, ok := env("PULSE_DATABASE_URL"); !ok || dsn == "" {
		return false
	}
	fmt.Fprintf(stderr, "%s: PULSE_DATABASE_URL is set, so the state is in PostgreSQL, which %s does not handle; use PostgreSQL's own tools, e.g.\n  %s\n", cmd, cmd, instead)
	return true
}
