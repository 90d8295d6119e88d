package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/salespulse/pulse/storage"
)

// migrateCmd copies the bbolt file at PULSE_DB_PATH into the empty
// PostgreSQL database named by --to, in one transaction, and checks every
// bucket's count there. It refuses a database that already holds a
// workspace, and a file held by a running pulse.
func migrateCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pulse migrate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	to := fs.String("to", "", "postgres:// URL of the empty database to copy into")
	usage := "usage: pulse migrate --to postgres://user:password@host:5432/db"
	err := fs.Parse(args)
	switch {
	case err != nil:
	case fs.NArg() > 0:
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case *to == "":
		err = errors.New("name the PostgreSQL database with --to")
	}
	if err != nil {
		fmt.Fprintf(stderr, "pulse migrate: %v\n%s\n", err, usage)
		return exitUsage
	}
	dbPath := lookupOrDefault(env, "PULSE_DB_PATH")
	if err := requireFile(dbPath); err != nil {
		fmt.Fprintf(stderr, "pulse migrate: %v\n", err)
		return exitFail
	}
	db, err := storage.Open(dbPath)
	if errors.Is(err, storage.ErrLocked) {
		fmt.Fprintf(stderr, "pulse migrate: %s is held by a running pulse; stop pulse run first, then migrate.\n", dbPath)
		return exitFail
	}
	if err != nil {
		fmt.Fprintf(stderr, "pulse migrate: %v\n", err)
		return exitFail
	}
	defer db.Close()
	copied, err := db.CopyToPostgres(ctx, *to)
	if err != nil {
		fmt.Fprintf(stderr, "pulse migrate: %v\n", err)
		return exitFail
	}
	for _, name := range slices.Sorted(maps.Keys(copied)) {
		fmt.Fprintf(stdout, "%-20s %d\n", name, copied[name])
	}
	fmt.Fprintf(stdout, "copied %d keys in %d buckets from %s to %s; every count checked.\nRun pulse with PULSE_DATABASE_URL set to that URL.\n",
		copied.Total(), len(copied), dbPath, storage.RedactURL(*to))
	return exitOK
}
