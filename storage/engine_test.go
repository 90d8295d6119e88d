package storage_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
	"github.com/salespulse/pulse/storage/pgtest"
)

// The suite runs on bbolt, and then, when PULSE_TEST_DATABASE_URL names a
// PostgreSQL database, once more on PostgreSQL: TestMain runs this test
// binary again with onPostgresEnv set, and MustOpenDB then opens a schema
// of its own in that database for each test.
const onPostgresEnv = "PULSE_TEST_STORAGE_ON_POSTGRES"

var (
	testDatabaseURL = pgtest.URL()
	onPostgres      = os.Getenv(onPostgresEnv) != "" && testDatabaseURL != ""
)

// runOnPostgres runs the suite again on PostgreSQL after the bbolt run, or
// says in one line how to. It returns the exit code of both runs.
func runOnPostgres(code int) int {
	if onPostgres {
		return code
	}
	if testDatabaseURL == "" {
		fmt.Println("storage: the suite's " + pgtest.SkipMessage)
		return code
	}
	fmt.Println("storage: the same suite on PostgreSQL")
	var args []string
	for _, a := range os.Args[1:] {
		// Benchmarks run both engines side by side in this process; files
		// named by flags belong to this run.
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "test.bench", "test.benchtime", "test.cpuprofile", "test.memprofile",
			"test.coverprofile", "test.blockprofile", "test.mutexprofile", "test.trace":
			continue
		}
		args = append(args, a)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), onPostgresEnv+"=1")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Println("storage: the PostgreSQL run failed:", err)
		return max(code, 1)
	}
	return code
}

// onlyBolt skips a test about the bbolt file itself in the PostgreSQL run.
func onlyBolt(tb testing.TB) {
	tb.Helper()
	if onPostgres {
		tb.Skip("about the bbolt file")
	}
}

// MustOpenPostgres opens a new, empty schema of the test database, dropped
// when the test ends. Its clock is fixed at testNow.
func MustOpenPostgres(tb testing.TB) *storage.DB {
	tb.Helper()
	dsn, drop := pgtest.NewSchema(tb)
	db, err := storage.OpenPostgres(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("open PostgreSQL: %v", err)
	}
	db.Clock = pulse.ClockFunc(func() time.Time { return testNow })
	tb.Cleanup(func() {
		_ = db.Close()
		drop()
	})
	return db
}
