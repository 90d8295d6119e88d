// Package pgtest gives tests a PostgreSQL schema of their own in the
// database named by PULSE_TEST_DATABASE_URL. Tests that need PostgreSQL skip
// without it, saying how to run them; .ci/run sets it.
package pgtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvVar names the test database.
const EnvVar = "PULSE_TEST_DATABASE_URL"

// SkipMessage says how to run what was skipped.
const SkipMessage = "PostgreSQL skipped: set " + EnvVar + "=postgres://user@host:port/db to run it (.ci/run does)"

// URL returns the test database's URL, or "" when none is set.
func URL() string { return os.Getenv(EnvVar) }

// Schema creates a schema with a random name in the test database and
// returns a URL whose connections use it; the schema is dropped when tb
// ends. It skips tb when no test database is set.
func Schema(tb testing.TB) string {
	tb.Helper()
	dsn, drop := NewSchema(tb)
	tb.Cleanup(drop)
	return dsn
}

// NewSchema is Schema for a schema that outlives one test: the caller
// drops it with drop.
func NewSchema(tb testing.TB) (dsn string, drop func()) {
	tb.Helper()
	base := URL()
	if base == "" {
		tb.Skip(SkipMessage)
	}
	schema := fmt.Sprintf("test_%x", rand.Uint64())
	if err := Exec(base, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvVar, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		if err := Exec(base, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	}
}

// Exec runs one statement on its own connection to dsn.
func Exec(dsn, sql string, args ...any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql, args...)
	return err
}
