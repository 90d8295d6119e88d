package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/salespulse/pulse/cadence"
)

// runID names this process in the job ledger: the host, the process ID and
// the start time, so that a restarted process, even one that got the same
// PID, never takes a dead run's claims for its own and settles them by
// asking Slack instead.
func runID(now time.Time) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "pulse"
	}
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), now.UTC().Format("20060102T150405.000000000Z"))
}

// botRunner is the part of the bot that runs beside the engine.
type botRunner interface {
	Run(ctx context.Context) error
}

// engineRunner is the part of the cadence engine that runs beside the bot.
type engineRunner interface {
	Run(ctx context.Context) error
	Close() error
}

// runBotAndEngine runs the bot and the cadence engine side by side until
// ctx is done or either stops with an error, which stops the other too.
// On the way out the engine stops ticking first, then Close lets the
// deliveries under way finish and releases the jobs it claimed but never
// tried, so that the next run sends them without asking Slack; the bot
// drains its handlers meanwhile. It returns the first error that was not
// the stop itself.
func runBotAndEngine(ctx context.Context, b botRunner, e engineRunner, logger *slog.Logger) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	stopped := func(part string, err error) {
		if err != nil && !errors.Is(err, context.Canceled) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
			cancel(fmt.Errorf("%s stopped: %w", part, err))
			return
		}
		cancel(fmt.Errorf("%s stopped", part))
	}
	wg.Go(func() {
		err := b.Run(ctx)
		stopped("bot", err)
	})
	wg.Go(func() {
		err := e.Run(ctx)
		if err != nil {
			err = fmt.Errorf("cadence engine: %w", err)
		}
		stopped("cadence engine", err)
	})
	wg.Wait()
	if err := e.Close(); err != nil {
		logger.Error("close the cadence engine", "err", err)
		errs = append(errs, fmt.Errorf("close the cadence engine: %w", err))
	}
	return errors.Join(errs...)
}

// Make sure the real types fit.
var _ engineRunner = (*cadence.Engine)(nil)
