package main

import (
	"context"
	"log/slog"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/storage"
)

// startBot connects to Slack over Socket Mode with cfg's tokens and serves
// teams from db until ctx is done, when it returns nil after finishing the
// work in flight. It returns an error when a token is refused (naming its
// variable, never its value) or the connection stops for any other reason.
func startBot(ctx context.Context, cfg *Config, db *storage.DB, logger *slog.Logger, ops *opsServer) error {
	b, err := bot.New(bot.Config{
		BotToken:  cfg.SlackBotToken.Reveal(),
		AppToken:  cfg.SlackAppToken.Reveal(),
		APIURL:    cfg.SlackAPIURL,
		Admins:    cfg.Admins,
		DefaultTZ: cfg.DefaultTZ,
	}, db, logger, pulse.SystemClock)
	if err != nil {
		return err
	}
	ops.gateOnSlack(b.Ready)
	return b.Run(ctx)
}
