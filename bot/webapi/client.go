// Package webapi is Pulse's one Slack Web API client: slack-go's client over
// an HTTP client that paces each method at its rate-limit tier (and each
// channel's posts at about one a second), waits out 429s, counts every
// attempt and spots a token Slack refuses for good.
//
// It knows nothing of Pulse's product: no people, teams or messages, only
// Slack's methods, its limits and its tokens.
package webapi

import (
	"net/http"
	"time"

	"github.com/slack-go/slack"
)

// Outcome is how one Web API attempt ended. The values are those of the
// root package's CallOutcome, which the bot passes them on as.
type Outcome string

// The outcomes of an attempt.
const (
	CallOK          Outcome = "ok"        // HTTP 200 and "ok": true
	CallError       Outcome = "error"     // Slack answered with an error
	CallRateLimited Outcome = "429"       // HTTP 429: waited out and retried
	CallTransport   Outcome = "transport" // no answer: network, timeout, cancelled
)

// Config is what the client needs. BotToken, AppToken, APIURL and
// HTTPClient are required.
type Config struct {
	BotToken string // xoxb-…: every call but apps.connections.open
	AppToken string // xapp-…: apps.connections.open
	APIURL   string // the Web API's base, ending in a slash
	// HTTPClient carries the calls under the pacer.
	HTTPClient *http.Client
	// NoPacing sends calls as fast as they come: only for a stand-in that
	// does not limit.
	NoPacing bool
	// PostsPerMinute paces chat.postMessage across the workspace; the
	// default (200) when zero or less.
	PostsPerMinute int
	// Refused is told, with the token it carried, when Slack answers a
	// call with an error that means the token is dead; may be nil.
	Refused func(token, code string)
	// Count counts each attempt by method and outcome; may be nil.
	Count func(method string, outcome Outcome)
}

// New builds the client: slack-go's, over the pacer, with slack-go's retry
// wrapper (retry.go) waiting out every 429 for its Retry-After. Only 429s
// are retried: a 5xx or a broken connection may have posted the message
// already, and a second copy is worse than an error.
func New(cfg Config) *slack.Client {
	p := newPacer(cfg.HTTPClient, cfg.NoPacing, cfg.Refused)
	if cfg.Count != nil {
		p.count = cfg.Count
	}
	p.apiURL = cfg.APIURL
	p.setPostRate(cfg.PostsPerMinute)
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
