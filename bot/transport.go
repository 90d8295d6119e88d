package bot

import (
	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/socket"
	"github.com/salespulse/pulse/bot/webapi"
)

// openTransport builds the bot's two ends of Slack from its configuration:
// the paced Web API client, which reports a refused token to tokenRefused
// and counts calls in the configured metrics, and the Socket Mode
// connection, which Run opens.
func (b *Bot) openTransport() {
	cfg := b.cfg
	b.api = webapi.New(webapi.Config{
		BotToken:       cfg.BotToken,
		AppToken:       cfg.AppToken,
		APIURL:         cfg.APIURL,
		HTTPClient:     cfg.HTTPClient,
		NoPacing:       cfg.NoPacing,
		PostsPerMinute: cfg.PostsPerMinute,
		Refused:        b.tokenRefused,
		Count: func(method string, o webapi.Outcome) {
			cfg.Metrics.SlackCall(method, pulse.CallOutcome(o))
		},
	})
	b.socket = socket.New(socket.Config{
		Open:         b.openSocket,
		Dialer:       cfg.Dialer,
		Watchdog:     cfg.Watchdog,
		ReconnectMin: cfg.ReconnectMin,
		ReconnectMax: cfg.ReconnectMax,
		Metrics:      cfg.Metrics,
		Log:          b.log,
	})
}

// Ready reports whether the bot is connected and hearing from Slack (see
// socket.Conn.Ready); false once Run's context is done.
func (b *Bot) Ready() bool { return b.socket.Ready() }
