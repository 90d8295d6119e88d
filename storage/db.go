// Package storage keeps all of Pulse's state in one bbolt file.
//
// DB implements every store interface of the root package. Reads run in
// read-only transactions, which do not block one another; writes are
// serialised by bbolt, and the small writes that arrive in bursts (check-ins,
// nudges, envelope marks) are grouped with bbolt's Batch so that many of them
// share one fsync. Keys are laid out so that each query is a cursor range
// scan over the entries it returns: "team/date/user" for a team's days,
// "user/date/team" for a rep's history, big-endian times for instants.
package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// openTimeout bounds how long Open waits for the file lock, so a second
// process started by mistake fails at once with ErrLocked instead of hanging.
const openTimeout = time.Second

// initialMmapSize is the address space mapped at open; see Open.
const initialMmapSize = 1 << 30

// Batch tuning, for db.Batch. A commit costs two fsyncs whatever it holds,
// so sharing one among a few saves already divides that cost; past that,
// bigger batches only make saves wait. A batch therefore runs as soon as
// four saves wait in it (bbolt's default is 1,000, which Pulse's bursts never
// fill, so every save would wait for the timer), and the next batch fills
// while it commits. Fewer waiting saves go when the delay runs out; Go
// rounds shorter sleeps of an idle process up to about a millisecond, so
// asking for less would change nothing.
const (
	maxBatchSize  = 4
	maxBatchDelay = time.Millisecond
)

// ErrLocked is matched (with errors.Is) by the error Open returns when
// another process holds the database file.
var ErrLocked = errors.New("database is locked by another process")

// ErrNewerSchema is matched (with errors.Is) by the error Open and Verify
// return for a file written by a newer build of Pulse, which this build must
// not touch.
var ErrNewerSchema = errors.New("database schema is newer than this build")

// lockedError names the file that is in use and keeps bbolt's own timeout
// error in the chain.
type lockedError struct {
	path string
	err  error
}

func (e *lockedError) Error() string {
	return fmt.Sprintf("database %s is in use by another process", e.path)
}

func (e *lockedError) Is(target error) bool { return target == ErrLocked }

func (e *lockedError) Unwrap() error { return e.err }

// DB is Pulse's database: one bbolt file, migrated to CurrentSchema. It is
// safe for concurrent use by many goroutines.
type DB struct {
	kv   kv.DB        // the engine every store method runs on
	bolt *bolt.DB     // the bbolt file, nil on PostgreSQL
	pg   *kv.Postgres // PostgreSQL, nil on bbolt
	path string       // the file, or the PostgreSQL URL without its password

	// Clock stamps the times the store assigns itself (a team's CreatedAt
	// and UpdatedAt, and the creation time of records saved without one).
	// Open sets it to pulse.SystemClock; replace it before first use.
	Clock pulse.Clock

	people *decoded[pulse.Person] // profiles as last decoded
	teams  *decoded[pulse.Team]   // teams as last decoded
	names  *names                 // IDs and names scans share
}

// Check at compile time that DB is a whole pulse.Store.
var _ pulse.Store = (*DB)(nil)

// Open opens the database at path, creating it with mode 0600 when it does
// not exist and tightening an existing file's mode to 0600, then runs every
// forward migration the file lacks, each in its own transaction.
//
// Only one process may hold the file: when another does, Open gives up
// after about a second with an error matching ErrLocked. A file written by a
// newer build is refused with an error matching ErrNewerSchema.
func Open(path string) (*DB, error) {
	if err := tightenMode(path); err != nil {
		return nil, err
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: openTimeout,
		// The hashmap freelist keeps allocation cheap as the file grows
		// and frees pages; bbolt's own benchmarks show it ahead of the
		// array once the freelist is large.
		FreelistType: bolt.FreelistMapType,
		// A writer that must grow the memory map waits for every open
		// read transaction, so a backup streaming a large file would
		// stall check-ins. Mapping 1 GiB of address space up front (the
		// file itself still grows only as data is written) keeps writers
		// free of readers until the file outgrows it.
		InitialMmapSize: initialMmapSize,
		MmapFlags:       mmapFlags,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, &lockedError{path: path, err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	bdb.MaxBatchDelay = maxBatchDelay
	bdb.MaxBatchSize = maxBatchSize
	db := &DB{kv: kv.Bolt{DB: bdb}, bolt: bdb, path: path, Clock: pulse.SystemClock, names: newNames(),
		people: newDecoded[pulse.Person](), teams: newDecoded[pulse.Team]()}
	if err := db.migrate(); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return db, nil
}

// tightenMode makes an existing database file readable by its owner only:
// it holds people's notes and 1:1s.
func tightenMode(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("open database %s: %w", path, err)
	case fi.Mode().Perm()&0o077 == 0:
		return nil
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("restrict database %s to mode 0600: %w", path, err)
	}
	return nil
}

// Close waits for running transactions to finish and releases the file.
// Calls made after Close fail.
func (db *DB) Close() error {
	if err := db.kv.Close(); err != nil {
		return fmt.Errorf("close database %s: %w", db.path, err)
	}
	return nil
}

// Path returns the file the database lives in.
func (db *DB) Path() string { return db.path }

// Size returns the size of the database file in bytes, for metrics. It
// reads the file's metadata only and does not block writers.
func (db *DB) Size() (int64, error) {
	if db.bolt == nil {
		return 0, nil
	}
	fi, err := os.Stat(db.path)
	if err != nil {
		return 0, fmt.Errorf("size of database %s: %w", db.path, err)
	}
	return fi.Size(), nil
}

func (db *DB) now() time.Time { return db.Clock.Now() }

// view runs fn in a read-only transaction, unless ctx is already done.
func (db *DB) view(ctx context.Context, fn func(kv.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if tx, ok := ctx.Value(readKey{db}).(kv.Tx); ok {
		return fn(tx)
	}
	return db.kv.View(ctx, fn)
}

// readKey is the context key under which ReadTogether keeps its read
// transaction of one DB.
type readKey struct{ db *DB }

// errWriteInRead refuses a write made under ReadTogether's context: bbolt
// would wait for the read to end before growing the file, and the read
// waits for the write.
var errWriteInRead = errors.New("write inside ReadTogether's read")

// ReadTogether calls fn with a context under which every read of db shares
// one read transaction: what fn reads is one state of the store, and a
// status that reads a team in half a dozen queries opens one transaction
// instead of one a query. fn must not write; a write under its context is
// refused. Safe for concurrent use.
func (db *DB) ReadTogether(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(readKey{db}).(kv.Tx); ok {
		return fn(ctx) // inside one already
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.kv.View(ctx, func(tx kv.Tx) error {
		return fn(context.WithValue(ctx, readKey{db}, tx))
	})
}

// writable returns ctx's error, or errWriteInRead under ReadTogether.
func (db *DB) writable(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if ctx.Value(readKey{db}) != nil {
		return errWriteInRead
	}
	return nil
}

// update runs fn in a read-write transaction of its own, unless ctx is
// already done. On bbolt fn runs once; PostgreSQL runs it again after a
// serialization failure, so fn must compute its results afresh on each run
// and leave the caller's values alone until update returns.
func (db *DB) update(ctx context.Context, fn func(kv.Tx) error) error {
	if err := db.writable(ctx); err != nil {
		return err
	}
	return db.withEffects(ctx, func(fn func(kv.Tx) error) error { return db.forEnvelope(ctx, db.kv.Update, fn) }, fn)
}

// batch runs fn in a read-write transaction that it may share with other
// concurrent calls, unless ctx is already done. fn may run more than once,
// so it must compute its results afresh on each run and leave the caller's
// values alone until batch returns.
func (db *DB) batch(ctx context.Context, fn func(kv.Tx) error) error {
	if err := db.writable(ctx); err != nil {
		return err
	}
	return db.withEffects(ctx, func(fn func(kv.Tx) error) error { return db.forEnvelope(ctx, db.kv.Batch, fn) }, fn)
}

// errNotBolt refuses an operation only a bbolt file has.
func errNotBolt(what string) error {
	return fmt.Errorf("%s: the database is PostgreSQL, not a bbolt file; use pg_dump and pg_restore", what)
}

// forEnvelope runs fn through run (Update or Batch); when ctx carries the
// envelope a handler runs for, the same transaction records it applied
// (see applyEnvelope), and once it commits this process's later writes for
// the envelope skip that.
func (db *DB) forEnvelope(ctx context.Context, run func(context.Context, func(kv.Tx) error) error, fn func(kv.Tx) error) error {
	m := pulse.EnvelopeOf(ctx)
	if m == nil || m.Applied() {
		return run(ctx, fn)
	}
	err := run(ctx, func(tx kv.Tx) error {
		if err := applyEnvelope(ctx, tx); err != nil {
			return err
		}
		return fn(tx)
	})
	if err == nil {
		m.SetApplied()
	}
	return err
}
