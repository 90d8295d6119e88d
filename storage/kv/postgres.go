package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres keeps buckets in PostgreSQL, in one table kv(bucket, key, value)
// whose primary key is (bucket, key): a cursor's range scan is an index
// range scan, read ahead in pages.
//
// Every transaction runs REPEATABLE READ: it reads one snapshot, and of two
// concurrent transactions that write the same key (put, delete, or insert
// it) the later one fails to serialize and runs again on a fresh snapshot,
// so no update of a record is lost and an insert is a claim. SERIALIZABLE
// would also order transactions that only read what another writes, but
// its predicate locks on index pages make check-ins of neighbouring keys
// fail one another; the store keeps each rule in the keys its writers
// share (a record, an index entry, a claim), which snapshot isolation
// orders.
//
// Puts and deletes are not sent one by one: they wait in the transaction
// and go out with its next query or its COMMIT, in one round trip.
type Postgres struct {
	pool *pgxpool.Pool
}

// maxAttempts bounds the runs of one write transaction that keeps meeting
// serialization failures.
const maxAttempts = 50

// OpenPostgres connects a pool to the database at url (a postgres:// URL;
// a search_path parameter picks the schema). It does not touch the schema;
// call Migrate.
func OpenPostgres(ctx context.Context, url string) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	// Every query is an index scan on (bucket, key), whatever its
	// arguments; left to choose, PostgreSQL plans range reads afresh on
	// each run (their generic plan's estimate looks dear), which cost more
	// than running them.
	if _, set := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return &Postgres{pool: pool}, nil
}

// Pool returns the connection pool, for the leader lock and health checks.
func (p *Postgres) Pool() *pgxpool.Pool { return p.pool }

// Close closes the pool.
func (p *Postgres) Close() error {
	p.pool.Close()
	return nil
}

// The statements that begin a transaction; each goes out with the
// transaction's first statement, in one round trip.
const (
	beginRead  = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
	beginWrite = "BEGIN ISOLATION LEVEL REPEATABLE READ"
)

// View runs fn in a read-only REPEATABLE READ transaction: one snapshot.
// Its COMMIT is not waited for: what it read is read.
func (p *Postgres) View(ctx context.Context, fn func(Tx) error) error {
	return p.run(ctx, beginRead, false, fn)
}

// Update runs fn in a REPEATABLE READ transaction, again (after a short
// random pause) while it fails to serialize with concurrent ones: while a
// key it writes was written by a transaction that committed after its
// snapshot.
func (p *Postgres) Update(ctx context.Context, fn func(Tx) error) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err = p.run(ctx, beginWrite, true, fn)
		if !Retryable(err) {
			return err
		}
		pause := time.Duration(rand.Int64N(int64(attempt) * int64(time.Millisecond)))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
	return fmt.Errorf("gave up after %d serialization failures: %w", maxAttempts, err)
}

// Batch is Update: PostgreSQL commits concurrent transactions in groups
// itself.
func (p *Postgres) Batch(ctx context.Context, fn func(Tx) error) error { return p.Update(ctx, fn) }

// Retryable reports whether err is a serialization failure or a deadlock,
// after which the transaction may run again.
func Retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

func (p *Postgres) run(ctx context.Context, begin string, writable bool, fn func(Tx) error) error {
	conn, err := p.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &pgTx{ctx: ctx, conn: conn, begin: begin, writable: writable}
	err = fn(t)
	if t.err != nil {
		err = t.err // the cause of whatever fn made of it
	}
	switch {
	case !t.begun && (err != nil || len(t.pending) == 0): // nothing was sent
		conn.Release()
		return err
	case err != nil && writable:
		_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		conn.Release()
		return err
	case !writable:
		// A read's end is not waited for, failed or not: what it read
		// is read.
		end := "COMMIT"
		if err != nil {
			end = "ROLLBACK"
		}
		go func() {
			_, _ = conn.Exec(context.WithoutCancel(ctx), end)
			conn.Release()
		}()
		return err
	}
	// The writes still waiting go out with COMMIT.
	tag, err := t.exec("COMMIT")
	if err != nil && t.begun {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
	}
	conn.Release() // the pool drops a connection left inside a transaction
	if err == nil && tag.String() != "COMMIT" {
		err = fmt.Errorf("the transaction was rolled back (%s)", tag)
	}
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// pgTx is one PostgreSQL transaction. Its first failure sticks: later calls
// do nothing, and run returns it.
type pgTx struct {
	ctx      context.Context
	conn     *pgxpool.Conn
	begin    string // sent with the first statement
	begun    bool
	writable bool
	err      error

	// pending are the writes not sent yet: they go out, in order, ahead of
	// the next statement, in the same round trip.
	pending []statement

	// seen keeps, per bucket, the key ranges this transaction has read in
	// full, so that the next read inside one (a lookup of the next rep's
	// profile, a scan of a prefix already passed) needs no query. A write
	// to the bucket forgets its ranges.
	seen map[string]*seenRanges
}

func (t *pgTx) fail(err error) error {
	if t.err == nil {
		t.err = err
	}
	return t.err
}

// Bucket returns the named bucket. Every bucket exists: rows appear as
// they are put.
func (t *pgTx) Bucket(name []byte) Bucket { return &pgBucket{t: t, name: string(name)} }

func (t *pgTx) CreateBucketIfNotExists(name []byte) (Bucket, error) {
	return t.Bucket(name), nil
}

func (t *pgTx) Writable() bool { return t.writable }

// statement is a write waiting to be sent: op (put, delete) and its
// arguments, bucket and key first, name it in an error.
type statement struct {
	op   string
	sql  string
	args []any
}

// later queues a write to go out ahead of the transaction's next
// statement.
func (t *pgTx) later(op, sql string, args ...any) {
	t.pending = append(t.pending, statement{op: op, sql: sql, args: args})
}

// exec runs a statement after the waiting writes, beginning the
// transaction with them if nothing was sent yet.
func (t *pgTx) exec(sql string, args ...any) (pgconn.CommandTag, error) {
	if t.begun && len(t.pending) == 0 {
		return t.conn.Exec(t.ctx, sql, args...)
	}
	br := t.start(sql, args...)
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

// query runs a query after the waiting writes, beginning the transaction
// with them if nothing was sent yet; done must be called after the rows are
// closed.
func (t *pgTx) query(sql string, args ...any) (rows pgx.Rows, done func() error, err error) {
	if t.begun && len(t.pending) == 0 {
		rows, err = t.conn.Query(t.ctx, sql, args...)
		return rows, func() error { return nil }, err
	}
	br := t.start(sql, args...)
	rows, err = br.Query()
	if err != nil {
		_ = br.Close()
		return nil, nil, err
	}
	return rows, br.Close, nil
}

// start sends BEGIN when nothing was sent yet, the waiting writes and sql
// in one batch, and reads the answers before sql's, leaving that to the
// caller. A failed write fails the batch with the write named.
func (t *pgTx) start(sql string, args ...any) pgx.BatchResults {
	var b pgx.Batch
	begin := !t.begun
	if begin {
		b.Queue(t.begin)
	}
	for _, w := range t.pending {
		b.Queue(w.sql, w.args...)
	}
	b.Queue(sql, args...)
	pending := t.pending
	t.begun, t.pending = true, nil
	br := t.conn.SendBatch(t.ctx, &b)
	if begin {
		if _, err := br.Exec(); err != nil {
			return failedBatch{br, err}
		}
	}
	for _, w := range pending {
		if _, err := br.Exec(); err != nil {
			return failedBatch{br, fmt.Errorf("%s %s/%q: %w", w.op, w.args[0], w.args[1], err)}
		}
	}
	return br
}

// failedBatch answers every read with the error BEGIN met.
type failedBatch struct {
	pgx.BatchResults
	err error
}

func (f failedBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, f.err }
func (f failedBatch) Query() (pgx.Rows, error)         { return nil, f.err }
func (f failedBatch) Close() error {
	_ = f.BatchResults.Close()
	return f.err
}

func (t *pgTx) write() error {
	if t.err != nil {
		return t.err
	}
	if !t.writable {
		return ErrReadOnly
	}
	return nil
}

// one reads the single row of a query into dest, and reports whether there
// was one.
func (t *pgTx) one(sql string, args []any, dest ...any) (bool, error) {
	rows, done, err := t.query(sql, args...)
	if err != nil {
		return false, err
	}
	found := rows.Next()
	if found {
		err = rows.Scan(dest...)
	}
	rows.Close()
	return found, errors.Join(err, rows.Err(), done())
}

type pgBucket struct {
	t    *pgTx
	name string
}

const (
	sqlGet        = `SELECT value FROM kv WHERE bucket = $1 AND key = $2`
	sqlPut        = `INSERT INTO kv (bucket, key, value) VALUES ($1, $2, $3) ON CONFLICT (bucket, key) DO UPDATE SET value = EXCLUDED.value`
	sqlInsert     = `INSERT INTO kv (bucket, key, value) VALUES ($1, $2, $3) ON CONFLICT (bucket, key) DO NOTHING`
	sqlDelete     = `DELETE FROM kv WHERE bucket = $1 AND key = $2`
	sqlNext       = `INSERT INTO kv_sequence (bucket, seq) VALUES ($1, 1) ON CONFLICT (bucket) DO UPDATE SET seq = kv_sequence.seq + 1 RETURNING seq`
	sqlAfter      = `SELECT key, value FROM kv WHERE bucket = $1 AND key > $2 ORDER BY key LIMIT $3`
	sqlFrom       = `SELECT key, value FROM kv WHERE bucket = $1 AND key >= $2 ORDER BY key LIMIT $3`
	sqlBefore     = `SELECT key, value FROM kv WHERE bucket = $1 AND key < $2 ORDER BY key DESC LIMIT $3`
	sqlLast       = `SELECT key, value FROM kv WHERE bucket = $1 ORDER BY key DESC LIMIT $2`
	sqlAtOrBefore = `SELECT key, value FROM kv WHERE bucket = $1 AND key <= $2 ORDER BY key DESC LIMIT $3`
	// A bounded walk's range, and the first key past it, where the walk's
	// last Next lands.
	sqlRange = `(SELECT key, value FROM kv WHERE bucket = $1 AND key >= $2 AND key < $3 ORDER BY key LIMIT $4)
UNION ALL (SELECT key, value FROM kv WHERE bucket = $1 AND key >= $3 ORDER BY key LIMIT 1)`
)

func (b *pgBucket) Get(k []byte) []byte {
	if b.t.err != nil {
		return nil
	}
	if sp, i, ok := b.t.lookup(b.name, k, false); ok {
		if i < len(sp.rows) && bytes.Equal(sp.rows[i].k, k) {
			return sp.rows[i].v
		}
		return nil
	}
	if p, ok := b.t.known(b.name, k); ok {
		return p.v
	}
	r := b.t.ranges(b.name)
	order := 0
	if r.lastGet != nil {
		order = bytes.Compare(k, r.lastGet)
	}
	r.lastGet = append(r.lastGet[:0], k...)
	switch {
	case order > 0:
		// The second lookup in key order: read a page from here on.
		c := pgCursor{b: b}
		if at, v := c.Seek(k); bytes.Equal(at, k) {
			return v
		}
		return nil
	case order < 0:
		// Lookups in falling key order (a rep's past days): read a page
		// from here down.
		return b.getBack(k)
	}
	var v []byte
	found, err := b.t.one(sqlGet, []any{b.name, k}, &v)
	if err != nil {
		b.t.fail(fmt.Errorf("get %s/%q: %w", b.name, k, err))
		return nil
	}
	if !found {
		return nil
	}
	if v == nil {
		v = []byte{}
	}
	return v
}

// getBack reads (and remembers) a page of keys up to and including k, and
// returns k's value.
func (b *pgBucket) getBack(k []byte) []byte {
	c := pgCursor{b: b, page: b.t.readAhead(b.name)}
	if at, v := c.load(-1, append(bytes.Clone(k), 0), sqlAtOrBefore, b.name, k, c.page); bytes.Equal(at, k) {
		return v
	}
	return nil
}

func (b *pgBucket) Put(k, v []byte) error {
	if err := b.t.write(); err != nil {
		return err
	}
	if v == nil {
		v = []byte{}
	}
	b.t.forget(b.name)
	// Copies: the caller may reuse its slices before the write goes out.
	b.t.later("put", sqlPut, b.name, bytes.Clone(k), bytes.Clone(v))
	return nil
}

func (b *pgBucket) Insert(k, v []byte) (bool, error) {
	if err := b.t.write(); err != nil {
		return false, err
	}
	if v == nil {
		v = []byte{}
	}
	b.t.forget(b.name)
	tag, err := b.t.exec(sqlInsert, b.name, k, v)
	if err != nil {
		return false, b.t.fail(fmt.Errorf("insert %s/%q: %w", b.name, k, err))
	}
	return tag.RowsAffected() == 1, nil
}

const sqlKeys = `SELECT key, value FROM kv WHERE bucket = $1 AND key = ANY($2::bytea[])`

// prefetch reads keys in one query and remembers what it found, and what
// it did not.
func (b *pgBucket) prefetch(keys [][]byte) {
	if b.t.err != nil {
		return
	}
	// Keys already read need no query.
	var missing [][]byte
	for _, k := range keys {
		if _, ok := b.t.known(b.name, k); ok {
			continue
		}
		if _, _, ok := b.t.lookup(b.name, k, false); !ok {
			missing = append(missing, k)
		}
	}
	if keys = missing; len(keys) == 0 {
		return
	}
	rows, done, err := b.t.query(sqlKeys, b.name, keys)
	if err != nil {
		b.t.fail(fmt.Errorf("read %d keys of %s: %w", len(keys), b.name, err))
		return
	}
	r := b.t.ranges(b.name)
	if r.keys == nil {
		r.keys = make(map[string]pair, len(keys))
	}
	for _, k := range keys {
		r.keys[string(k)] = pair{k: bytes.Clone(k)}
	}
	if err = readPairs(rows, done, func(p pair) { r.keys[string(p.k)] = p }); err != nil {
		clear(r.keys)
		b.t.fail(fmt.Errorf("read %d keys of %s: %w", len(keys), b.name, err))
	}
}

// readPairs hands each key and value rows hold to each, a present empty
// value as a non-nil empty slice, then closes rows and ends the query with
// done.
func readPairs(rows pgx.Rows, done func() error, each func(pair)) error {
	var err error
	for rows.Next() {
		var p pair
		if err = rows.Scan(&p.k, &p.v); err != nil {
			break
		}
		if p.v == nil {
			p.v = []byte{}
		}
		each(p)
	}
	rows.Close()
	return errors.Join(err, rows.Err(), done())
}

const sqlInsertAll = `INSERT INTO kv (bucket, key, value) SELECT $1, k, v FROM unnest($2::bytea[], $3::bytea[]) AS u(k, v)
ON CONFLICT (bucket, key) DO NOTHING RETURNING key`

// insertAll is InsertAll in one statement.
func (b *pgBucket) insertAll(keys, values [][]byte) ([]bool, error) {
	if err := b.t.write(); err != nil {
		return nil, err
	}
	vs := make([][]byte, len(values))
	for i, v := range values {
		if vs[i] = v; v == nil {
			vs[i] = []byte{}
		}
	}
	b.t.forget(b.name)
	rows, done, err := b.t.query(sqlInsertAll, b.name, keys, vs)
	if err != nil {
		return nil, b.t.fail(fmt.Errorf("insert %d keys into %s: %w", len(keys), b.name, err))
	}
	inserted := map[string]bool{}
	for rows.Next() {
		var k []byte
		if err = rows.Scan(&k); err != nil {
			break
		}
		inserted[string(k)] = true
	}
	rows.Close()
	if err = errors.Join(err, rows.Err(), done()); err != nil {
		return nil, b.t.fail(fmt.Errorf("insert %d keys into %s: %w", len(keys), b.name, err))
	}
	out := make([]bool, len(keys))
	for i, k := range keys {
		// The first of a key given twice took it.
		out[i] = inserted[string(k)]
		delete(inserted, string(k))
	}
	return out, nil
}

func (b *pgBucket) Delete(k []byte) error {
	if err := b.t.write(); err != nil {
		return err
	}
	b.t.forget(b.name)
	b.t.later("delete", sqlDelete, b.name, bytes.Clone(k))
	return nil
}

func (b *pgBucket) NextSequence() (uint64, error) {
	if err := b.t.write(); err != nil {
		return 0, err
	}
	var n int64
	if found, err := b.t.one(sqlNext, []any{b.name}, &n); err != nil || !found {
		return 0, b.t.fail(fmt.Errorf("next sequence of %s: %w", b.name, errors.Join(err, pgx.ErrNoRows)))
	}
	return uint64(n), nil
}

func (b *pgBucket) Cursor() Cursor { return &pgCursor{b: b} }

func (b *pgBucket) ForEach(fn func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return b.t.err
}
