package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"
)

// AuthError is Slack refusing one of the tokens for good: invalid_auth,
// not_authed, token_revoked, account_inactive or token_expired. It names the
// environment variable that holds the token, never the token, and says what
// a person can do about it; retrying cannot help.
type AuthError struct {
	Var  string // BotTokenVar or AppTokenVar
	Code string // Slack's error code
}

func (e *AuthError) Error() string {
	var hint string
	switch e.Code {
	case "invalid_auth":
		hint = "the token is not valid; copy it again from the app's settings"
	case "not_authed":
		hint = "Slack received no token; set the variable"
	case "token_revoked":
		hint = "the token was revoked; reinstall the app or create a new token"
	case "token_expired":
		hint = "the token expired; create a new one"
	case "account_inactive":
		hint = "the app's user or workspace is deactivated"
	default:
		hint = "check the token"
	}
	return fmt.Sprintf("slack refused %s (%s): %s", e.Var, e.Code, hint)
}

// authError returns an *AuthError when err is Slack refusing the token held
// in the named variable, else nil.
func authError(variable string, err error) *AuthError {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && fatalAuthCodes[se.Err] {
		return &AuthError{Var: variable, Code: se.Err}
	}
	return nil
}

// CheckAuth asks Slack whether both tokens work: auth.test with the bot
// token, and apps.connections.open with the app-level token (the URL it
// returns is left unused and expires). A refused token is an *AuthError
// naming its variable; other failures are wrapped with the variable too.
func (b *Bot) CheckAuth(ctx context.Context) error {
	if err := b.checkBotToken(ctx); err != nil {
		return err
	}
	if _, _, err := b.api.StartSocketModeContext(ctx); err != nil {
		if ae := authError(AppTokenVar, err); ae != nil {
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

// newAPI builds the one Web API client: slack-go's, over the pacer, with
// slack-go's retry wrapper (retry.go) waiting out every 429 for its
// Retry-After. Only 429s are retried: a 5xx or a broken connection may have
// posted the message already, and a second copy is worse than an error.
func newAPI(cfg Config, p *pacer) *slack.Client {
	retry := slack.RetryConfig{
		// Never give up on a 429 by count: Slack always lets the call
		// through in the end, and the caller's context bounds the wait.
		MaxRetries:         1_000_000,
		RetryAfterDuration: 30 * time.Second, // a 429 without Retry-After
		RetryAfterJitter:   250 * time.Millisecond,
	}
	retry.Handlers = []slack.RetryHandler{slack.NewRateLimitErrorRetryHandler(retry)}
	return slack.New(cfg.BotToken,
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionAppLevelToken(cfg.AppToken),
		slack.OptionHTTPClient(p), // before OptionRetryConfig, which wraps it
		slack.OptionRetryConfig(retry),
	)
}
