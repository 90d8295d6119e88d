package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/storage/kv"
)

// Leadership timing on PostgreSQL. A follower tries the lock every
// leaderRetry, so after a leader dies another leads within that (plus a
// tick); the leader checks its lock's connection every leaderCheck and
// stops ticking as soon as a check fails.
const (
	leaderRetry = 10 * time.Second
	leaderCheck = 2 * time.Second
)

// leaderLock names the advisory lock whose holder runs the cadence.
const leaderLock = "pulse cadence leader"

// replicaName names this process in /readyz and /metrics: the host (a
// pod's name) and the process ID.
func replicaName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "pulse"
	}
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// leaderEngine runs the cadence while this replica holds the leader lock:
// each term gets an engine of its own, whose first tick settles the jobs
// an earlier leader left claimed, and which is closed when the term ends.
// A brief double leader (the old one not yet aware that its lock is gone)
// is harmless: every send is claimed in the job ledger first.
type leaderEngine struct {
	pg        *kv.Postgres
	newEngine func() (*cadence.Engine, error)
	logger    *slog.Logger
	ops       *opsServer
	replica   string
}

// Run leads whenever it can until ctx ends.
func (l *leaderEngine) Run(ctx context.Context) error {
	l.pg.Lead(ctx, leaderLock, kv.Leading{
		Retry: leaderRetry,
		Check: leaderCheck,
		Changed: func(leading bool) {
			l.ops.setLeading(leading, l.replica)
			l.logger.Info("cadence leadership", "leading", leading, "replica", l.replica)
		},
		Failed: func(err error) { l.logger.Warn("cadence leadership", "err", err) },
	}, func(ctx context.Context) error {
		e, err := l.newEngine()
		if err != nil {
			return err
		}
		err = e.Run(ctx)
		if cerr := e.Close(); cerr != nil && !errors.Is(cerr, cadence.ErrClosed) {
			err = errors.Join(err, cerr)
		}
		return err
	})
	return nil
}

// Close does nothing: each term closes its own engine.
func (l *leaderEngine) Close() error { return nil }

var _ engineRunner = (*leaderEngine)(nil)
