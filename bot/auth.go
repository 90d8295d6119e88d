package bot

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse/bot/webapi"
)

// AuthError is Slack refusing one of the tokens for good; its Var is
// BotTokenVar or AppTokenVar.
type AuthError = webapi.AuthError

// authError returns an *AuthError when err is Slack refusing the token held
// in the named variable, else nil.
func authError(variable string, err error) *AuthError { return webapi.AuthErrorOf(variable, err) }

// CheckAuth asks Slack whether both tokens work: auth.test with the bot
// token, and apps.connections.open with the app-level token (the URL it
// returns is left unused and expires). A refused token is an *AuthError
// naming its variable; other failures are wrapped with the variable too.
func (b *Bot) CheckAuth(ctx context.Context) error {
	if err := b.checkBotToken(ctx); err != nil {
		return err
	}
	if _, err := b.openSocket(ctx); err != nil {
		if ae, ok := err.(*AuthError); ok {
			return ae
		}
		return fmt.Errorf("check %s with apps.connections.open: %w", AppTokenVar, err)
	}
	return nil
}

func (b *Bot) checkBotToken(ctx context.Context) error {
	if _, err := b.api.AuthTestContext(ctx); err != nil {
		if ae := authError(BotTokenVar, err); ae != nil {
			return ae
		}
		return fmt.Errorf("check %s with auth.test: %w", BotTokenVar, err)
	}
	return nil
}

// openSocket asks apps.connections.open, with the app-level token, for the
// URL of a new Socket Mode connection. A refused token is returned as an
// *AuthError, which ends Run; any other error as it came.
func (b *Bot) openSocket(ctx context.Context) (string, error) {
	_, url, err := b.api.StartSocketModeContext(ctx)
	if ae := authError(AppTokenVar, err); ae != nil {
		return "", ae
	}
	return url, err
}

// tokenRefused is told by the pacer when any Web API call is refused for
// its token. The bot token dying mid-run ends Run: every answer would fail.
func (b *Bot) tokenRefused(token, code string) {
	variable := ""
	switch token {
	case b.cfg.BotToken:
		variable = BotTokenVar
	case b.cfg.AppToken:
		variable = AppTokenVar
	default:
		return // a call that carried some other token, e.g. a file URL's
	}
	b.log.Error("slack refused a token", "var", variable, "code", code)
	b.fail(&AuthError{Var: variable, Code: code})
}
