// Package pipedrive reads a team's numbers from Pipedrive: its users and
// their emails, and per user per local day the calls, meetings and won deals
// that fill the team's metrics. It implements pulse.CRM over Pipedrive's
// REST API with an API token and the company's domain.
//
// It is a small net/http client rather than a library: the well-kept Go
// client (github.com/juhokoskela/pipedrive-go) is not served by the Go
// module proxy Pulse builds from, and Pulse needs three GET endpoints.
// Every path, parameter and field it uses is listed with its source in
// testdata/FACTS.md, and pipedrivetest serves the same shapes.
package pipedrive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/salespulse/pulse"
)

// Defaults of a Client.
const (
	// defaultWorkers is how many owners are fetched at once. The pace, not
	// the workers, bounds the rate; a few in flight hide the round trip.
	defaultWorkers = 4
	// maxAttempts bounds the tries of one request through 429s and 5xx.
	maxAttempts = 5
	// maxWait is the longest Retry-After waited out. A burst window is 2
	// seconds; a longer wait means the daily token budget is spent, which
	// resets at Pipedrive's midnight, and a sync should not hang till then.
	maxWait = time.Minute
	// maxBody bounds what is read of one response: a page of 500 records
	// is well under a megabyte.
	maxBody = 32 << 20
)

// Client is a connection to one Pipedrive company with one API token. It is
// safe for concurrent use; all its requests share one pace, since Pipedrive
// limits bursts per token.
type Client struct {
	base    string // https://<domain>.pipedrive.com, or the stand-in's URL
	token   pulse.Secret
	http    *http.Client
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	limit   BurstLimit
	pace    *pacer
	workers int
	types   ActivityTypes
}

// ActivityTypes names the activity types that count as calls and as
// meetings: the key_string of Pipedrive's activity types, "call" and
// "meeting" unless a company renamed them.
type ActivityTypes struct {
	Call, Meeting string
}

// Option configures a Client.
type Option func(*Client)

// WithBaseURL sends requests to u instead of https://<domain>.pipedrive.com:
// the stand-in, or a proxy.
func WithBaseURL(u string) Option {
	return func(c *Client) { c.base = strings.TrimRight(u, "/") }
}

// WithHTTPClient sets the HTTP client requests go through.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) { c.http = h }
}

// WithBurstLimit paces requests to the company plan's burst limit instead
// of Lite's, the floor.
func WithBurstLimit(l BurstLimit) Option {
	return func(c *Client) { c.limit = l }
}

// WithClock sets the wall clock the pace reads and the wait it sleeps with,
// so tests can wait out a Retry-After without waiting.
func WithClock(now func() time.Time, sleep func(context.Context, time.Duration) error) Option {
	return func(c *Client) { c.now, c.sleep = now, sleep }
}

// WithConcurrency sets how many requests may be in flight at once.
func WithConcurrency(n int) Option {
	return func(c *Client) { c.workers = max(1, n) }
}

// WithActivityTypes sets the activity types counted as calls and meetings.
func WithActivityTypes(t ActivityTypes) Option {
	return func(c *Client) { c.types = t }
}

// domainLabel is the company's subdomain: one DNS label.
var domainLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// New returns a client for the company at https://<domain>.pipedrive.com.
// The domain may also be given as acme.pipedrive.com or with https://.
func New(domain string, token pulse.Secret, opts ...Option) (*Client, error) {
	d := strings.ToLower(strings.TrimSpace(domain))
	d = strings.TrimSuffix(strings.TrimPrefix(d, "https://"), "/")
	d = strings.TrimSuffix(d, ".pipedrive.com")
	if !domainLabel.MatchString(d) {
		return nil, fmt.Errorf("pipedrive: company domain %q is not the name before .pipedrive.com", domain)
	}
	if token.IsZero() {
		return nil, errors.New("pipedrive: the API token is empty")
	}
	c := &Client{
		base:    "https://" + d + ".pipedrive.com",
		token:   token,
		http:    &http.Client{Timeout: time.Minute},
		now:     time.Now,
		sleep:   sleepTimer,
		limit:   LiteLimit,
		workers: defaultWorkers,
		types:   DefaultActivityTypes,
	}
	for _, o := range opts {
		o(c)
	}
	if c.limit.Requests <= paceBurst || c.limit.Window <= 0 {
		return nil, fmt.Errorf("pipedrive: burst limit %d per %s leaves no pace", c.limit.Requests, c.limit.Window)
	}
	if !ValidTypeKey(c.types.Call) || !ValidTypeKey(c.types.Meeting) || c.types.Call == c.types.Meeting {
		return nil, fmt.Errorf("pipedrive: activity types %q for calls and %q for meetings are not two type keys", c.types.Call, c.types.Meeting)
	}
	c.pace = newPacer(c.limit, c.now, c.sleep)
	return c, nil
}

// Format prints the client's address and [redacted] for its token, for
// every verb: fmt prints unexported fields without asking their own
// Format, so a Token inside a Client would otherwise be spelled out.
func (c Client) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "pipedrive.Client{base:%s token:%v}", c.base, c.token)
}

// LogValue logs the client as its address, for log/slog.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base", c.base), slog.Any("token", c.token))
}

// ActivityTypes returns the activity types the client counts as calls and
// meetings.
func (c *Client) ActivityTypes() ActivityTypes { return c.types }

// BurstLimit returns the burst limit the client paces its requests to.
func (c *Client) BurstLimit() BurstLimit { return c.limit }

// Kind says the client reads Pipedrive.
func (c *Client) Kind() pulse.CRMKind { return pulse.CRMPipedrive }

// errorBody is Pipedrive's error response (testdata/FACTS.md, "Errors").
type errorBody struct {
	Success bool   `json:"success"`
	Error   string `json:"error"`
}

// get sends GET path?query, paced, and decodes a 200's JSON into into.
// 429s are waited out (every caller pauses), 5xx and network failures
// retried with a growing wait, both at most maxAttempts tries; a refused
// token is EUNAUTHORIZED at once. The token travels in the x-api-token
// header only, so the URLs that net/http's errors quote hold no secret.
func (c *Client) get(ctx context.Context, path string, query url.Values, into any) error {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	backoff := time.Second
	for attempt := 1; ; attempt++ {
		if err := c.pace.wait(ctx); err != nil {
			return fmt.Errorf("GET %s: %w", path, err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return fmt.Errorf("GET %s: %w", path, err)
		}
		req.Header.Set("x-api-token", c.token.Reveal())
		req.Header.Set("Accept", "application/json")
		resp, err := c.http.Do(req)
		if err != nil {
			if ctx.Err() != nil || attempt == maxAttempts {
				return fmt.Errorf("GET %s: %w", path, err)
			}
			if err := c.sleep(ctx, backoff); err != nil {
				return fmt.Errorf("GET %s: %w", path, err)
			}
			backoff *= 2
			continue
		}
		retry, err := c.answer(resp, path, attempt, into)
		if !retry {
			return err
		}
		if resp.StatusCode >= 500 {
			if err := c.sleep(ctx, backoff); err != nil {
				return fmt.Errorf("GET %s: %w", path, err)
			}
			backoff *= 2
		}
	}
}

// answer reads one response: it decodes a 200 into into, and says whether
// the request is worth another try. It always closes the body.
func (c *Client) answer(resp *http.Response, path string, attempt int, into any) (retry bool, err error) {
	defer resp.Body.Close()
	body := io.LimitReader(resp.Body, maxBody)
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
		if err := json.NewDecoder(body).Decode(into); err != nil {
			return false, fmt.Errorf("GET %s: decode: %w", path, err)
		}
		return false, nil
	case code == http.StatusUnauthorized, code == http.StatusPaymentRequired:
		// 401 is a wrong or revoked token; 402 a company account that is
		// not open (trial over, payment missing). Either way a person must
		// act, and trying again only spends the budget.
		return false, &pulse.Error{
			Code:    pulse.EUNAUTHORIZED,
			Key:     "err.crm_unauthorized",
			Data:    map[string]any{"CRM": "Pipedrive"},
			Message: fmt.Sprintf("GET %s: Pipedrive refused the API token: %s%s", path, resp.Status, reason(body)),
		}
	case code == http.StatusTooManyRequests:
		wait := retryAfter(resp.Header, c.now(), c.limit.Window)
		if wait > maxWait {
			return false, fmt.Errorf("GET %s: rate limited for %s, likely the daily token budget: not waiting%s", path, wait.Round(time.Second), reason(body))
		}
		if attempt == maxAttempts {
			return false, fmt.Errorf("GET %s: still rate limited after %d tries%s", path, attempt, reason(body))
		}
		c.pace.pauseUntil(c.now().Add(wait))
		return true, nil
	case code >= 500 && attempt < maxAttempts:
		return true, nil
	default:
		return false, fmt.Errorf("GET %s: %s%s", path, resp.Status, reason(body))
	}
}

// reason returns ": " and the error message of Pipedrive's error body, or
// nothing when the body is not one.
func reason(body io.Reader) string {
	var e errorBody
	if err := json.NewDecoder(io.LimitReader(body, 64<<10)).Decode(&e); err != nil || e.Error == "" {
		return ""
	}
	const most = 200
	if len(e.Error) > most {
		e.Error = e.Error[:most] + "…"
	}
	return ": " + e.Error
}

// retryAfter returns how long a 429 asks to wait: its Retry-After (seconds
// or an HTTP date), else x-ratelimit-reset (seconds), else one window.
func retryAfter(h http.Header, now time.Time, window time.Duration) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(0, t.Sub(now))
		}
	}
	if v := h.Get("x-ratelimit-reset"); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
	}
	return window
}
