package kv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Leading tunes Lead.
type Leading struct {
	// Retry is how long a replica that did not get the lock waits before
	// trying again.
	Retry time.Duration
	// Check is how often the leader checks that its connection, and with
	// it the lock, is still there.
	Check time.Duration
	// Changed is told each time this process starts or stops leading.
	Changed func(leading bool)
	// Failed is told why an attempt to lead failed or a term ended early.
	Failed func(err error)
}

// Lead runs fn while this process holds the session-level advisory lock
// name, taken on a connection of its own outside the pool, until ctx ends.
// Of all processes on the database one holds it; the others try again every
// Retry. When the leader's connection fails a check (every Check), the lock
// is gone with its session: fn's context is cancelled at once, and Lead
// tries again with a new connection. When the leader's process dies, its
// session ends and another takes the lock at its next try.
func (p *Postgres) Lead(ctx context.Context, name string, opt Leading, fn func(ctx context.Context) error) {
	for ctx.Err() == nil {
		if err := p.leadOnce(ctx, name, opt, fn); err != nil && ctx.Err() == nil && opt.Failed != nil {
			opt.Failed(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(opt.Retry):
		}
	}
}

// leadOnce tries the lock once and, when it gets it, runs one term.
func (p *Postgres) leadOnce(ctx context.Context, name string, opt Leading, fn func(ctx context.Context) error) error {
	conn, err := pgx.ConnectConfig(ctx, p.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("lead %s: connect: %w", name, err)
	}
	defer conn.Close(context.Background())
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+lockKey+`)`, name).Scan(&got); err != nil {
		return fmt.Errorf("lead %s: try the lock: %w", name, err)
	}
	if !got {
		return nil
	}
	term, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		tick := time.NewTicker(opt.Check)
		defer tick.Stop()
		for {
			select {
			case <-term.Done():
				return
			case <-tick.C:
			}
			pctx, pcancel := context.WithTimeout(term, opt.Check)
			err := conn.Ping(pctx)
			pcancel()
			if err != nil && term.Err() == nil {
				cancel(fmt.Errorf("lead %s: lost the lock's connection: %w", name, err))
				return
			}
		}
	}()
	if opt.Changed != nil {
		opt.Changed(true)
	}
	ferr := fn(term)
	if opt.Changed != nil {
		opt.Changed(false)
	}
	lost := context.Cause(term)
	cancel(nil)
	<-watched
	// Closing the connection ends the session and frees the lock.
	if ctx.Err() == nil && lost != nil && !errors.Is(lost, context.Canceled) {
		return lost
	}
	if ferr != nil {
		return fmt.Errorf("lead %s: %w", name, ferr)
	}
	return nil
}
