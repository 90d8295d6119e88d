package salesforce_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/salesforce"
	"github.com/salespulse/pulse/crm/salesforce/salesforcetest"
)

// recorder is the client's transport: it notes when each request started,
// by the test's clock, and what it asked for.
type recorder struct {
	clock *pulse.ManualClock
	next  http.RoundTripper
	mu    sync.Mutex
	sent  []sent
}

type sent struct {
	at   time.Time
	path string
	host string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.sent = append(r.sent, sent{at: r.clock.Now(), path: req.URL.Path, host: req.URL.Host})
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *recorder) Sent() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.sent...)
}

// org is a stand-in org and a client of it.
type org struct {
	srv    *salesforcetest.Server
	client *salesforce.Client
	clock  *pulse.ManualClock
	rec    *recorder
}

// newOrg starts a stand-in with opts and a client paced by a hand-moved
// clock; edit may change the client's config before it is made.
func newOrg(tb testing.TB, opts salesforcetest.Options, edit func(*salesforce.Config)) *org {
	tb.Helper()
	clk := pulse.NewManualClock(time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC))
	if opts.Clock == nil {
		opts.Clock = clk
	}
	srv := salesforcetest.New(opts)
	tb.Cleanup(srv.Close)
	rec := &recorder{clock: clk, next: http.DefaultTransport}
	cfg := salesforce.Config{
		LoginURL:     srv.URL(),
		ClientID:     salesforcetest.DefaultClientID,
		ClientSecret: pulse.NewSecret(salesforcetest.DefaultClientSecret),
		HTTPClient:   &http.Client{Transport: rec, Timeout: 10 * time.Second},
		Clock:        clk,
		Sleep:        clk.Sleep,
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := salesforce.New(cfg)
	if err != nil {
		tb.Fatalf("salesforce.New: %v", err)
	}
	return &org{srv: srv, client: c, clock: clk, rec: rec}
}

// zone loads an IANA zone or fails the test.
func zone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

// at is an instant written in a zone, for seeds near local midnight.
func at(tb testing.TB, loc *time.Location, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		tb.Fatalf("parse %q: %v", s, err)
	}
	return t
}
