package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

func TestTheBotReconnectsWithAFreshURL(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(*slacktest.Server)
	}{
		{"when Slack asks it to refresh", func(s *slacktest.Server) { s.Disconnect("refresh_requested") }},
		{"when Slack warns it is about to", func(s *slacktest.Server) { s.Disconnect("warning") }},
		{"when the socket drops without a close frame", func(s *slacktest.Server) { s.DropSockets() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t)
			opened, hellos := h.Slack.ConnectionsOpened(), h.Slack.Hellos()
			tt.breakIt(h.Slack)
			h.waitFor("a new connection greeted", func() bool {
				return h.Slack.ConnectionsOpened() > opened && h.Slack.Hellos() > hellos && h.Bot.Ready()
			})
			// The new socket works end to end.
			if r := decodeReply(t, h.ack(h.slash("UREP1", "help"), 1)); r.ResponseType != "ephemeral" {
				t.Errorf("help after reconnecting: response_type %q", r.ResponseType)
			}
			// The old socket is closed, not left behind.
			h.waitFor("one socket open", func() bool { return h.Slack.Connections() == 1 })
		})
	}
}

func TestASilentSocketIsReplacedAndReadinessSaysSoMeanwhile(t *testing.T) {
	const limit = time.Second
	h := start(t, withConfig(func(c *bot.Config) { c.Watchdog = limit }))
	opened := h.Slack.ConnectionsOpened()

	h.Slack.Silence(true)
	h.waitFor("Ready to turn false", func() bool { return !h.Bot.Ready() })

	// The watchdog replaces the socket within a few limits, though the
	// old one never closed. (The stand-in greets no socket while silent.)
	ctx, cancel := context.WithTimeout(context.Background(), 5*limit)
	defer cancel()
	if err := h.Slack.WaitFor(ctx, func() bool { return h.Slack.ConnectionsOpened() > opened }); err != nil {
		t.Fatalf("no new connection within %s of silence: %v\n%s", 5*limit, err, h.Logs)
	}
	if h.Bot.Ready() {
		t.Error("Ready while no socket has been greeted")
	}

	// An envelope sent while silent is delivered once Slack speaks again.
	id := h.slash("UREP1", "help")
	h.Slack.Silence(false)
	h.waitFor("Ready again", h.Bot.Ready)
	if r := decodeReply(t, h.ack(id, 1)); r.ResponseType != "ephemeral" {
		t.Errorf("help after the silence: response_type %q", r.ResponseType)
	}
	if !strings.Contains(h.Logs.String(), "socket silent") {
		t.Errorf("the log does not say the socket went silent:\n%s", h.Logs)
	}
}

func TestARefusedTokenEndsRunNamingItsVariable(t *testing.T) {
	codes := []string{"invalid_auth", "not_authed", "token_revoked", "account_inactive"}
	type tokenCase struct {
		name     string
		variable string
		token    func(*slacktest.Server) string
	}
	tokens := []tokenCase{
		{"bot token", bot.BotTokenVar, (*slacktest.Server).BotToken},
		{"app token", bot.AppTokenVar, (*slacktest.Server).AppToken},
	}
	for _, tk := range tokens {
		for _, code := range codes {
			t.Run(tk.name+" refused with "+code+" at start", func(t *testing.T) {
				h := start(t, withoutRun())
				tok := tk.token(h.Slack)
				h.Slack.RevokeToken(tok, code)
				h.run()
				err := h.stopWhenDone(t)
				assertAuthError(t, err, tk.variable, code, tok)
				if n := h.Slack.Connections(); n != 0 {
					t.Errorf("%d sockets open after a refused token", n)
				}
			})
		}
	}

	t.Run("app token revoked while connected ends Run at the next reconnect", func(t *testing.T) {
		h := start(t)
		h.Slack.RevokeToken(h.Slack.AppToken(), "token_revoked")
		h.Slack.Disconnect("refresh_requested")
		assertAuthError(t, h.stopWhenDone(t), bot.AppTokenVar, "token_revoked", h.Slack.AppToken())
	})
	t.Run("bot token revoked while connected ends Run at the next Web API call", func(t *testing.T) {
		h := start(t)
		h.Slack.AddChannel("C0SALES", "sales")
		h.Slack.RevokeToken(h.Slack.BotToken(), "account_inactive")
		if _, err := h.Bot.PostMessage(t.Context(), "C0SALES", bot.Message{Text: "hello"}); err == nil {
			t.Error("PostMessage with a revoked token succeeded")
		}
		assertAuthError(t, h.stopWhenDone(t), bot.BotTokenVar, "account_inactive", h.Slack.BotToken())
	})
}

// stopWhenDone waits for Run to end by itself and returns its error.
func (h *harness) stopWhenDone(t *testing.T) error {
	t.Helper()
	select {
	case err := <-h.done:
		h.stopped = true
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("Run did not end\n%s", h.Logs)
		return nil
	}
}

func assertAuthError(t *testing.T, err error, variable, code, token string) {
	t.Helper()
	if !isAuthError(err, variable, code) {
		t.Fatalf("Run returned %v, want an AuthError for %s (%s)", err, variable, code)
	}
	if !strings.Contains(err.Error(), variable) {
		t.Errorf("error %q does not name %s", err, variable)
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("error %q shows the token", err)
	}
}

func TestCheckAuthNamesTheRefusedToken(t *testing.T) {
	h := start(t, withoutRun())
	if err := h.Bot.CheckAuth(t.Context()); err != nil {
		t.Fatalf("CheckAuth with good tokens: %v", err)
	}
	h.Slack.RevokeToken(h.Slack.AppToken(), "invalid_auth")
	assertAuthError(t, h.Bot.CheckAuth(t.Context()), bot.AppTokenVar, "invalid_auth", h.Slack.AppToken())
	h.Slack.RevokeToken(h.Slack.BotToken(), "not_authed")
	assertAuthError(t, h.Bot.CheckAuth(t.Context()), bot.BotTokenVar, "not_authed", h.Slack.BotToken())
}

func TestNewNamesAMissingToken(t *testing.T) {
	h := start(t, withoutRun())
	tests := []struct {
		name     string
		cfg      bot.Config
		variable string
	}{
		{"no bot token", bot.Config{AppToken: "xapp-1"}, bot.BotTokenVar},
		{"no app token", bot.Config{BotToken: "xoxb-1"}, bot.AppTokenVar},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bot.New(tt.cfg, h.DB, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tt.variable) {
				t.Errorf("New = %v, want an error naming %s", err, tt.variable)
			}
		})
	}
}
