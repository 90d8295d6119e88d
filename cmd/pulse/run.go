package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/salespulse/pulse/metrics"
	"github.com/salespulse/pulse/storage"
)

// runCmd runs the bot: it checks the configuration, sets up logging, opens
// the database, serves the health and metrics endpoints, and hands over to
// startBot until ctx is done. Everything it opened is closed in reverse
// order on the way out.
//
// A missing or malformed setting exits 2 at once, before anything is
// opened, with one line per bad variable.
func runCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "pulse run takes no arguments; it reads its settings from the environment (see pulse help)\n")
		return exitUsage
	}
	cfg, err := loadConfig(env)
	if err != nil {
		printErrorLines(stderr, "pulse run", err)
		return exitUsage
	}
	logger := newLogger(stderr, cfg)
	logger.Info("starting pulse", "config", cfg)

	if err := serve(ctx, cfg, env, logger); err != nil {
		logger.Error("pulse stopped", "err", err)
		fmt.Fprintln(stderr, err)
		return exitFail
	}
	logger.Info("pulse stopped")
	return exitOK
}

// serve opens what `pulse run` needs, runs the bot, and closes everything
// in reverse order. env tells where the control socket goes.
func serve(ctx context.Context, cfg *Config, env Env, logger *slog.Logger) (err error) {
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return fmt.Errorf("pulse run: %w", err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("pulse run: %w", cerr)
		}
	}()
	logger.Info("database open", "path", db.Path())

	// Without its control socket pulse still serves Slack; only a live
	// backup or export has to wait for a stop. PostgreSQL needs none: any
	// number of processes open it at once.
	if db.Postgres() == nil {
		ctl, cerr := startControl(db, logger, controlConfig{Paths: controlPaths(env, cfg.DBPath)})
		if cerr != nil {
			logger.Warn("no control socket: pulse backup and pulse export cannot reach this pulse", "err", cerr)
		} else {
			defer func() {
				if cerr := ctl.close(); cerr != nil && err == nil {
					err = fmt.Errorf("pulse run: %w", cerr)
				}
			}()
		}
	}

	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg, metrics.Options{DBSize: db.Size})
	if err != nil {
		return fmt.Errorf("pulse run: %w", err)
	}
	ops, err := startOpsServer(cfg.HTTPAddr, reg, cfg.Pprof, logger)
	if err != nil {
		return fmt.Errorf("pulse run: %w", err)
	}
	defer func() {
		if serr := ops.shutdown(); serr != nil && err == nil {
			err = fmt.Errorf("pulse run: %w", serr)
		}
	}()
	ops.metrics = m
	replica := replicaName()
	if err := reg.Register(ops.leaderGauge(replica)); err != nil {
		return fmt.Errorf("pulse run: %w", err)
	}
	dash, err := startWebServer(cfg, db, logger)
	if err != nil {
		return fmt.Errorf("pulse run: %w", err)
	}
	if dash != nil {
		defer func() {
			if serr := dash.shutdown(); serr != nil && err == nil {
				err = fmt.Errorf("pulse run: %w", serr)
			}
		}()
	}
	// Ready means the database is open and the endpoints are served; from
	// the moment the bot runs, also that its Slack socket is live.
	ops.ready.Store(true)

	err = startBot(ctx, cfg, db, logger, ops, replica)
	if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		// Stopped by a signal: a clean shutdown, not a failure.
		return nil
	}
	return err
}

// newLogger returns the structured logger `pulse run` writes to w, in the
// configured format and from the configured level up.
func newLogger(w io.Writer, cfg *Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.Level()}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// printErrorLines writes each error joined in err on its own line, after
// the command's name.
func printErrorLines(w io.Writer, cmd string, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(w, "%s: %s\n", cmd, line)
	}
}

// openDatabase opens PostgreSQL when PULSE_DATABASE_URL is set, and the
// bbolt file at PULSE_DB_PATH otherwise.
func openDatabase(ctx context.Context, cfg *Config) (*storage.DB, error) {
	if dsn := cfg.DatabaseURL.Reveal(); dsn != "" {
		return storage.OpenPostgres(ctx, dsn)
	}
	db, err := storage.Open(cfg.DBPath)
	if errors.Is(err, storage.ErrLocked) {
		return nil, fmt.Errorf("%w; is another pulse running with PULSE_DB_PATH=%s?", err, cfg.DBPath)
	}
	return db, err
}
