package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"github.com/salespulse/pulse/storage/kv"
	berrors "go.etcd.io/bbolt/errors"
)

// Backup writes a consistent copy of the whole database to w, as it stood
// when Backup began, and returns the number of bytes written. The copy is a
// database file of its own. It runs in one read-only transaction (bbolt's
// tx.WriteTo), so writers carry on meanwhile and none of their commits
// leaks in half-done; while it runs, pages freed by writers cannot be
// reused, so the live file may grow a little. Cancelling ctx stops the copy
// at the next write to w.
func (db *DB) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	if db.bolt == nil {
		return 0, errNotBolt("back up")
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(&ctxWriter{ctx: ctx, w: w})
		return err
	})
	if err != nil {
		return n, fmt.Errorf("back up database %s: %w", db.path, err)
	}
	return n, nil
}

// BackupFile writes a consistent copy of db to the file dst, safely: it
// writes dst+".tmp" with mode 0600, syncs it to disk, checks it with Verify,
// and only then renames it over dst, so dst is always either the old backup
// or a whole, checked new one. It refuses to overwrite db's own file.
func BackupFile(ctx context.Context, db *DB, dst string) (err error) {
	if same, err := sameFile(db.path, dst); err != nil || same {
		if err == nil {
			err = errors.New("it is the live database")
		}
		return fmt.Errorf("back up to %s: %w", dst, err)
	}
	tmp := dst + ".tmp"
	// A leftover from an interrupted backup may have another mode; start afresh.
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("back up to %s: %w", dst, err)
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("back up to %s: %w", dst, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err := db.Backup(ctx, f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("back up to %s: sync: %w", dst, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("back up to %s: close: %w", dst, err)
	}
	if err := Verify(tmp); err != nil {
		return fmt.Errorf("back up to %s: the copy is broken: %w", dst, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("back up to %s: %w", dst, err)
	}
	// Make the rename itself durable.
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("back up to %s: %w", dst, err)
	}
	return nil
}

// Verify opens the database file at path read-only and checks it: every page
// reachable once and in key order (bbolt's tx.Check), a schema version this
// build knows, and every bucket that version has. It returns the first
// problem found. The file must not be held by a running Pulse; check a
// backup instead.
func Verify(path string) error {
	bdb, err := openReadOnly(path)
	if err != nil {
		return err
	}
	defer bdb.Close()
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("verify database %s: %w", path, err)
	}
	err = bdb.View(func(tx *bolt.Tx) error {
		// A copy cut short (a full disk, an interrupted transfer) has valid
		// meta pages naming pages past its end. Reading those through the
		// memory map would crash the process, so check the size first.
		if tx.Size() > fi.Size() {
			return fmt.Errorf("file is truncated: %d bytes of the %d its meta page names", fi.Size(), tx.Size())
		}
		var first error
		for err := range tx.Check() {
			if first == nil {
				first = err
			}
		}
		if first != nil {
			return first
		}
		version, err := readSchema(kv.BoltTx{Tx: tx})
		if err != nil {
			return err
		}
		if version == 0 {
			return errors.New("not a Pulse database: no schema version")
		}
		for _, name := range bucketsOf(version) {
			if tx.Bucket(name) == nil {
				return fmt.Errorf("schema %d lacks bucket %s", version, name)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("verify database %s: %w", path, err)
	}
	return nil
}

// SchemaVersion returns the schema version of the database file at path,
// opened read-only: 0 for a file Pulse has not set up, and also a version
// newer than CurrentSchema, which Open would refuse.
func SchemaVersion(path string) (int, error) {
	bdb, err := openReadOnly(path)
	if err != nil {
		return 0, err
	}
	defer bdb.Close()
	var version int
	err = bdb.View(func(tx *bolt.Tx) error {
		var err error
		version, err = readSchema(kv.BoltTx{Tx: tx})
		if errors.Is(err, ErrNewerSchema) {
			err = nil
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("schema version of %s: %w", path, err)
	}
	return version, nil
}

// openReadOnly opens an existing database file without writing to it.
func openReadOnly(path string) (*bolt.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: openTimeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, &lockedError{path: path, err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return bdb, nil
}

// sameFile reports whether the two paths name one existing file.
func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// syncDir flushes a directory's entries, so a rename into it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ctxWriter stops a long copy when its context is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
