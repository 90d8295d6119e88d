package kv

import (
	"context"
	"fmt"
)

// The tables' own migrations, recorded in pulse_schema_migrations. They
// only ever append; the data inside kv is migrated by the storage package
// as in bbolt.
var pgMigrations = []struct {
	version int
	about   string
	sql     string
}{
	{1, "the key-value table and bucket sequences", `
CREATE TABLE kv (
	bucket text COLLATE "C" NOT NULL,
	key    bytea NOT NULL,
	value  bytea NOT NULL,
	PRIMARY KEY (bucket, key)
);
CREATE TABLE kv_sequence (
	bucket text COLLATE "C" PRIMARY KEY,
	seq    bigint NOT NULL
);`},
}

// lockKey names an advisory lock within the current schema, so databases
// that hold several Pulse schemas (tests do) keep them apart.
const lockKey = `hashtextextended($1::text || '/' || current_schema(), 0)`

// Migrate brings the tables up to date and then runs then, all while
// holding a session-level advisory lock: of replicas starting at once, one
// migrates and the others wait and find nothing left to do.
func (p *Postgres) Migrate(ctx context.Context, then func() error) error {
	conn, err := p.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(`+lockKey+`)`, "pulse migrate"); err != nil {
		return fmt.Errorf("migrate: take the lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+lockKey+`)`, "pulse migrate")
	}()
	_, err = conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS pulse_schema_migrations (
		version    integer PRIMARY KEY,
		about      text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var have int
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM pulse_schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if last := pgMigrations[len(pgMigrations)-1].version; have > last {
		return fmt.Errorf("migrate: tables at version %d, this build knows up to %d; run a newer pulse", have, last)
	}
	for _, m := range pgMigrations {
		if m.version <= have {
			continue
		}
		tx, err := conn.Begin(ctx)
		if err != nil {
			return fmt.Errorf("migrate to %d: %w", m.version, err)
		}
		_, err = tx.Exec(ctx, m.sql)
		if err == nil {
			_, err = tx.Exec(ctx, `INSERT INTO pulse_schema_migrations (version, about) VALUES ($1, $2)`, m.version, m.about)
		}
		if err == nil {
			err = tx.Commit(ctx)
		}
		if err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			return fmt.Errorf("migrate to %d (%s): %w", m.version, m.about, err)
		}
	}
	if then != nil {
		return then()
	}
	return nil
}
