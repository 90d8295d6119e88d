package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/storage"
)

// startBot connects to Slack over Socket Mode with cfg's tokens, serves
// teams from db and runs the cadence engine that sends what is due, until
// ctx is done, when it returns nil after finishing the work in flight. It
// returns an error when a token is refused (naming its variable, never its
// value) or the connection or the engine stops for any other reason.
//
// On a bbolt file this process runs the cadence. On PostgreSQL every
// replica serves envelopes and the one holding the leader lock runs the
// cadence, with a new engine for each term of leadership.
func startBot(ctx context.Context, cfg *Config, db *storage.DB, logger *slog.Logger, ops *opsServer, replica string) error {
	b, err := bot.New(bot.Config{
		BotToken:       cfg.SlackBotToken.Reveal(),
		AppToken:       cfg.SlackAppToken.Reveal(),
		APIURL:         cfg.SlackAPIURL,
		Admins:         cfg.Admins,
		DefaultTZ:      cfg.DefaultTZ,
		PostsPerMinute: cfg.PostsPerMinute(),
		Metrics:        ops.metrics,
		WebURL:         cfg.webURL(),
		EffectStale:    cfg.EffectStale(),
	}, db, logger, pulse.SystemClock)
	if err != nil {
		return err
	}
	// The bot is the engine's Notifier and Directory: it renders and posts
	// each notice, and tells who a Slack user is.
	crms, err := cfg.CRMs()
	if err != nil {
		return err
	}
	newEngine := func() (*cadence.Engine, error) {
		// Each term's engine has a run ID of its own. What the bot posts on
		// people's actions goes through the outbox, whose senders settle
		// their own claims: the engine's recovery leaves them alone.
		engineOwner := runID(time.Now())
		// The engine's run also pulls teams' numbers from their CRMs,
		// under the same owner in the job ledger.
		sync, err := cadence.NewCRMSyncer(cadence.CRMSyncConfig{
			Clock: pulse.SystemClock, Store: db, Notifier: b, CRMs: crms, Admins: cfg.Admins,
			Owner: engineOwner, Logger: logger.With("part", "crm"),
		})
		if err != nil {
			return nil, err
		}
		e, err := cadence.New(cadence.Config{
			Clock:     pulse.SystemClock,
			Store:     db,
			Notifier:  b,
			Directory: b,
			Owner:     engineOwner,
			Logger:    logger.With("part", "cadence"),
			Metrics:   ops.metrics,
			CRM:       sync,
			Options:   engineOptions(db),
		})
		if err == nil {
			logger.Info("cadence engine started", "owner", e.Owner())
		}
		return e, err
	}
	ops.gateOnSlack(b.Ready)
	if pg := db.Postgres(); pg != nil {
		ops.setLeading(false, replica)
		return runBotAndEngine(ctx, b, &leaderEngine{pg: pg, newEngine: newEngine, logger: logger, ops: ops, replica: replica}, logger)
	}
	e, err := newEngine()
	if err != nil {
		return err
	}
	ops.setLeading(true, replica)
	return runBotAndEngine(ctx, b, e, logger)
}
