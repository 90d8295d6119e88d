package storage

import (
	"context"
	"fmt"
	"net/url"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// OpenPostgres opens Pulse's state in the PostgreSQL database at dsn (a
// postgres:// URL), migrating its tables and then its data to
// CurrentSchema under an advisory lock, so replicas starting together
// migrate once. Many processes may hold it at once.
func OpenPostgres(ctx context.Context, dsn string) (*DB, error) {
	where := RedactURL(dsn)
	pg, err := kv.OpenPostgres(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", where, err)
	}
	db := &DB{kv: pg, pg: pg, path: where, Clock: pulse.SystemClock, names: newNames(),
		people: newDecoded[pulse.Person](), teams: newDecoded[pulse.Team]()}
	if err := pg.Migrate(ctx, db.migrate); err != nil {
		_ = pg.Close()
		return nil, fmt.Errorf("database %s: %w", where, err)
	}
	return db, nil
}

// Postgres returns the PostgreSQL engine, or nil for a bbolt file.
func (db *DB) Postgres() *kv.Postgres { return db.pg }

// RedactURL drops a URL's password, for errors and logs; empty stays empty.
func RedactURL(dsn string) string {
	if dsn == "" {
		return ""
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable PostgreSQL URL)"
	}
	return u.Redacted()
}
