package webapi

import (
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

// AuthError is Slack refusing one of the tokens for good: invalid_auth,
// not_authed, token_revoked, account_inactive or token_expired. It names the
// environment variable that holds the token, never the token, and says what
// a person can do about it; retrying cannot help.
type AuthError struct {
	Var  string // the variable that holds the refused token
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

// fatalAuthCodes are Slack's errors that mean a token will never work
// again as it is: retrying or reconnecting cannot help, a person must act.
var fatalAuthCodes = map[string]bool{
	"invalid_auth":     true,
	"not_authed":       true,
	"token_revoked":    true,
	"account_inactive": true,
	"token_expired":    true,
}

// AuthErrorOf returns an *AuthError when err is Slack refusing the token
// held in the named variable, else nil.
func AuthErrorOf(variable string, err error) *AuthError {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && fatalAuthCodes[se.Err] {
		return &AuthError{Var: variable, Code: se.Err}
	}
	return nil
}

// HideURL keeps url out of err's text: a Socket Mode URL carries a
// connection ticket and a response_url is a capability, so an error that
// quotes either says where, not what.
func HideURL(err error, url string) error {
	if err == nil || url == "" || !strings.Contains(err.Error(), url) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), url, "[socket url]"))
}
