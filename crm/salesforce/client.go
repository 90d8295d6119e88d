// Package salesforce reads a team's numbers from Salesforce: calls, meetings,
// won deals and activities of a type, per owner per local day, through SOQL
// sent to the REST query resource. It implements pulse.CRM.
//
// It authenticates with the OAuth 2.0 client credentials flow against the
// org's My Domain (the token endpoint answers with the access token and the
// instance URL to call), re-authenticates once when a session expires, and
// turns a refused credential into an EUNAUTHORIZED error without retrying.
// Salesforce meters an org by a rolling 24-hour allocation of API requests
// shared by every integration, not by a rate a second, so the client paces
// its requests gently, watches the Sforce-Limit-Info header, and stops (with
// a LimitError) rather than spend the org's last requests.
//
// The facts it relies on, each with its source, are in testdata/FACTS.md;
// the salesforcetest package is a stand-in that answers the same way.
package salesforce

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/salespulse/pulse"
)

// APIVersion is the REST API version the client calls: Spring '26, the
// newest release generally available everywhere when this was written (see
// FACTS.md). Every field the queries use exists in far older versions.
const APIVersion = "v66.0"

// Defaults of the knobs in Config.
const (
	// DefaultMinInterval keeps a client to four requests a second. Salesforce
	// sets no per-second limit on short requests; the pace is a courtesy to
	// the org, whose allocation every integration shares.
	DefaultMinInterval = 250 * time.Millisecond
	// DefaultStopAtUsage leaves the last tenth of the org's daily allocation
	// to the org's other integrations.
	DefaultStopAtUsage = 0.9
	// defaultTimeout bounds one HTTP exchange; a SOQL query may run for up
	// to two minutes on Salesforce's side.
	defaultTimeout = 150 * time.Second
)

// Config says how to reach one org. The credentials come from the
// environment; nothing here is stored.
type Config struct {
	// LoginURL is the org's My Domain URL, such as
	// https://acme.my.salesforce.com: tokens come from its
	// /services/oauth2/token. The client credentials flow needs My Domain;
	// login.salesforce.com does not issue those tokens.
	LoginURL string
	// ClientID and ClientSecret are the consumer key and secret of the
	// external client app (or connected app) that has the client credentials
	// flow enabled and a run-as user who may read Users, Tasks, Events and
	// Opportunities.
	ClientID     string
	ClientSecret pulse.Secret

	// APIVersion overrides APIVersion, as "v66.0".
	APIVersion string
	// HTTPClient sends the requests; a client with a 150-second timeout when
	// nil.
	HTTPClient *http.Client
	// Clock and Sleep pace the requests; the system clock and a timer when
	// nil. Tests pass a clock they move by hand.
	Clock pulse.Clock
	Sleep func(ctx context.Context, d time.Duration) error
	// MinInterval is the least time between the starts of two requests:
	// DefaultMinInterval when zero, no pacing when negative.
	MinInterval time.Duration
	// StopAtUsage is the share of the org's daily allocation, as the
	// Sforce-Limit-Info header reports it, past which a call stops and
	// returns a LimitError: DefaultStopAtUsage when zero.
	StopAtUsage float64
}

// Client is a connection to one Salesforce org. It is safe for concurrent
// use; each call's requests go one after the other.
type Client struct {
	loginURL     string
	clientID     string
	clientSecret pulse.Secret
	version      string
	http         *http.Client
	clock        pulse.Clock
	sleep        func(context.Context, time.Duration) error
	interval     time.Duration
	stopAt       float64

	authMu  sync.Mutex // one token request at a time
	mu      sync.Mutex
	session session   // the current access token and instance, zero before the first
	next    time.Time // when the next request may start
	usage   Usage     // from the last Sforce-Limit-Info seen
}

var _ pulse.CRM = (*Client)(nil)

// New checks cfg and returns a client. It sends nothing: the first call
// authenticates.
func New(cfg Config) (*Client, error) {
	login, err := url.Parse(strings.TrimRight(cfg.LoginURL, "/"))
	if err != nil || (login.Scheme != "https" && login.Scheme != "http") || login.Host == "" || login.RawQuery != "" || login.Fragment != "" {
		return nil, fmt.Errorf("salesforce: login URL %q is not an http(s) URL like https://acme.my.salesforce.com", cfg.LoginURL)
	}
	if cfg.ClientID == "" || cfg.ClientSecret.IsZero() {
		return nil, errors.New("salesforce: the client ID and the client secret are both required")
	}
	c := &Client{
		loginURL:     login.String(),
		clientID:     cfg.ClientID,
		clientSecret: cfg.ClientSecret,
		version:      cfg.APIVersion,
		http:         cfg.HTTPClient,
		clock:        cfg.Clock,
		sleep:        cfg.Sleep,
		interval:     cfg.MinInterval,
		stopAt:       cfg.StopAtUsage,
	}
	if c.version == "" {
		c.version = APIVersion
	}
	if !validVersion(c.version) {
		return nil, fmt.Errorf("salesforce: API version %q is not like v66.0", c.version)
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: defaultTimeout}
	}
	if c.clock == nil {
		c.clock = pulse.SystemClock
	}
	if c.sleep == nil {
		c.sleep = sleep
	}
	switch {
	case c.interval == 0:
		c.interval = DefaultMinInterval
	case c.interval < 0:
		c.interval = 0
	}
	if c.stopAt <= 0 || c.stopAt > 1 {
		c.stopAt = DefaultStopAtUsage
	}
	return c, nil
}

// String names the org without the client's secrets: fmt shows unexported
// fields raw, so a Client printed whole would spell out its secret and its
// access token.
func (c *Client) String() string { return "salesforce.Client{" + c.loginURL + "}" }

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb.
func (c *Client) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

// LogValue logs String, for log/slog.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Kind says the client reads Salesforce.
func (c *Client) Kind() pulse.CRMKind { return pulse.CRMSalesforce }

// Usage is the org's use of its daily API allocation, as the last response's
// Sforce-Limit-Info header said: api-usage=Used/Limit.
type Usage struct {
	Used, Limit int
}

// Share returns Used as a share of Limit, or 0 when the limit is unknown.
func (u Usage) Share() float64 {
	if u.Limit <= 0 {
		return 0
	}
	return float64(u.Used) / float64(u.Limit)
}

// Usage returns the org's use of its allocation as last reported; zero
// before the first response.
func (c *Client) Usage() Usage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.usage
}

// validVersion reports whether v reads like v66.0.
func validVersion(v string) bool {
	major, minor, ok := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	if !ok || !strings.HasPrefix(v, "v") || major == "" || minor == "" {
		return false
	}
	for _, r := range major + minor {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// pace waits until the next request may start, keeping MinInterval between
// the starts of two requests.
func (c *Client) pace(ctx context.Context) error {
	if c.interval <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	now := c.clock.Now()
	at := c.next
	if at.Before(now) {
		at = now
	}
	c.next = at.Add(c.interval)
	c.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		return c.sleep(ctx, d)
	}
	return ctx.Err()
}

// sleep waits d on a timer, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
