// Package hubspot reads a team's numbers from HubSpot's CRM through its v3
// REST API with a private app's token: who owns records (the owners list)
// and, per owner and local day, calls logged, meetings held and booked,
// deals won and their amount, and activities of a call or meeting type
// (CRM search). Paths, shapes and limits are HubSpot's published ones,
// kept with their sources in testdata/FACTS.md. HubSpot offers no Go SDK;
// this is a small net/http client.
package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/salespulse/pulse"
)

// DefaultBaseURL is HubSpot's API host.
const DefaultBaseURL = "https://api.hubapi.com"

// HubSpot's rate limits (FACTS.md, "Limits"). Search allows four requests
// a second per token (five per account in the newer guide); every request,
// searches too, counts against a private app's hundred per ten seconds on
// the Free and Starter tiers (190 on Professional and Enterprise). The
// client paces at the floor of those figures, so a 429 stays the exception.
const (
	DefaultSearchesPerSecond    = 4
	DefaultRequestsPerTenSecond = 100
)

// Defaults of the rest of Config.
const (
	defaultWorkers    = 4
	defaultMaxRetries = 4
	maxRetryWait      = time.Minute // a longer wait is left to the next sync
	maxBody           = 8 << 20
)

// Config is a connection's settings. Token is required; the rest have
// defaults.
type Config struct {
	Token      pulse.Secret // the private app's access token
	BaseURL    string       // DefaultBaseURL unless a stand-in or proxy
	HTTPClient *http.Client // http.DefaultClient unless given

	// SearchesPerSecond and RequestsPerTenSecond pace the calls;
	// HubSpot's floor by default. Raise them only for an account known to
	// allow more: beyond its limit, calls meet 429s, which are waited out.
	SearchesPerSecond    int
	RequestsPerTenSecond int

	// Workers is how many searches may be in flight at once, so the pace
	// is kept even when each takes longer than the gap between two.
	Workers int
	// MaxRetries is how many times one request is tried again after a 429
	// or a server error before the call fails.
	MaxRetries int

	// Clock and Sleep are the time the pacing reads and waits on: the wall
	// clock unless a test moves its own.
	Clock pulse.Clock
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client is one connection to a HubSpot account. It is safe for concurrent
// use; all calls share one pace.
type Client struct {
	cfg  Config
	base string
	pace *pacer
}

var _ pulse.CRM = (*Client)(nil)

// New returns a client for the account of cfg.Token.
func New(cfg Config) (*Client, error) {
	if cfg.Token.IsZero() {
		return nil, errors.New("hubspot: no private app token")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.SearchesPerSecond <= 0 {
		cfg.SearchesPerSecond = DefaultSearchesPerSecond
	}
	if cfg.RequestsPerTenSecond <= 0 {
		cfg.RequestsPerTenSecond = DefaultRequestsPerTenSecond
	}
	if cfg.Workers <= 0 {
		cfg.Workers = defaultWorkers
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = defaultMaxRetries
	}
	if cfg.Clock == nil {
		cfg.Clock = pulse.SystemClock
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	return &Client{
		cfg:  cfg,
		base: strings.TrimRight(cfg.BaseURL, "/"),
		pace: newPacer(cfg.Clock, cfg.Sleep, cfg.SearchesPerSecond, cfg.RequestsPerTenSecond),
	}, nil
}

// Kind says this is HubSpot.
func (c *Client) Kind() pulse.CRMKind { return pulse.CRMHubSpot }

// call sends one request, in its turn of the pace, and decodes a 200's
// body into out. A 429 or a server error is waited out and tried again up
// to MaxRetries times; a refused token is an EUNAUTHORIZED error at once.
func (c *Client) call(ctx context.Context, method, path string, body any, search bool, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("encode %s %s: %w", method, path, err)
		}
	}
	for attempt := 0; ; attempt++ {
		if err := c.pace.wait(ctx, search); err != nil {
			return err
		}
		status, header, data, err := c.send(ctx, method, path, payload)
		if err != nil {
			return err
		}
		switch {
		case status == http.StatusOK:
			if err := json.Unmarshal(data, out); err != nil {
				return fmt.Errorf("decode %s %s: %w", method, path, err)
			}
			return nil
		case status == http.StatusUnauthorized || status == http.StatusForbidden:
			e := decodeError(data)
			return pulse.Errorf(pulse.EUNAUTHORIZED, "", nil,
				"hubspot refused the private app token: %s %s answered %d %s", method, path, status, e)
		case status == http.StatusTooManyRequests:
			e := decodeError(data)
			wait, ok := retryWait(header, e, c.cfg.Clock.Now())
			if !ok || attempt >= c.cfg.MaxRetries {
				return fmt.Errorf("%s %s: rate limited (%s) after %d tries", method, path, e, attempt+1)
			}
			c.pace.pause(c.cfg.Clock.Now().Add(wait), search && e.PolicyName != policyTenSecondly)
		case status >= 500:
			if attempt >= c.cfg.MaxRetries {
				return fmt.Errorf("%s %s: answered %d after %d tries", method, path, status, attempt+1)
			}
			c.pace.pause(c.cfg.Clock.Now().Add(time.Duration(attempt+1)*time.Second), false)
		default:
			e := decodeError(data)
			return fmt.Errorf("%s %s: answered %d %s", method, path, status, e)
		}
	}
}

// send makes one HTTP exchange and returns the status, headers and body.
func (c *Client) send(ctx context.Context, method, path string, payload []byte) (int, http.Header, []byte, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token.Reveal())
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	return resp.StatusCode, resp.Header, data, nil
}

// decodeError reads HubSpot's error body, leaving fields empty when it is
// not one.
func decodeError(data []byte) apiError {
	var e apiError
	_ = json.Unmarshal(data, &e)
	return e
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
