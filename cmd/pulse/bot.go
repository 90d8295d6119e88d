package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/salespulse/pulse/storage"
)

// startBot connects to Slack over Socket Mode with cfg's tokens and serves
// teams from db until ctx is done, when it returns nil. It returns an error
// when it cannot connect or stops for any other reason.
//
// The Slack connection is not wired in yet, so `pulse run` stops here with
// a plain error instead of pretending to run.
func startBot(ctx context.Context, cfg *Config, db *storage.DB, logger *slog.Logger) error {
	return errors.New("pulse run: the Slack connection is not built yet")
}
