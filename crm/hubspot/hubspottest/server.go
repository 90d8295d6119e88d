// Package hubspottest is a stand-in for HubSpot's CRM API over a real
// socket, for the tests of the HubSpot client and for the demo: owners,
// calls, meetings and deals seeded through Go calls, served by the same
// endpoints, shapes and limits as HubSpot's (../testdata/FACTS.md): CRM
// search with its page size, 10,000-result cap, filter validation and
// per-second limit, the owners list, the ten-second request limit with
// 429 and Retry-After, and a revoked token's 401.
package hubspottest

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/salespulse/pulse"
)

// DefaultToken is the private app token the stand-in accepts unless told
// another. It has the shape of a real one and no other meaning.
const DefaultToken = "pat-na1-5d2a7c8e-0f1b-4c3d-9e8f-7a6b5c4d3e2f"

// HubSpot's published limits (FACTS.md, "Limits"), the stand-in's defaults:
// five searches a second per account, and a hundred requests every ten
// seconds for a private app on the Free and Starter tiers.
const (
	DefaultSearchLimit   = 5
	DefaultSearchWindow  = time.Second
	DefaultRequestLimit  = 100
	DefaultRequestWindow = 10 * time.Second
)

type config struct {
	token        string
	clock        pulse.Clock
	search, all  limit
	noRetryAfter bool
	latency      time.Duration
}

// limit is a rolling window: at most n requests in any span of per.
// n < 1 means no limit.
type limit struct {
	n   int
	per time.Duration
}

// Option configures a Server.
type Option func(*config)

// WithToken makes token the private app token the stand-in accepts.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithClock sets the clock the stand-in reads: the rate limits' windows, and
// the createdAt of what it stores. A test that injects a clock into the
// client passes the same one here, so both sides agree on when a window
// ends without anyone sleeping.
func WithClock(clock pulse.Clock) Option { return func(c *config) { c.clock = clock } }

// WithSearchLimit allows n searches in any span of per; n < 1 lifts the limit.
func WithSearchLimit(n int, per time.Duration) Option {
	return func(c *config) { c.search = limit{n, per} }
}

// WithRequestLimit allows n requests of any kind in any span of per; n < 1
// lifts the limit.
func WithRequestLimit(n int, per time.Duration) Option {
	return func(c *config) { c.all = limit{n, per} }
}

// WithoutRetryAfter leaves the Retry-After header off 429 answers, which
// HubSpot does not document that it sends: the client must then go by the
// body's policyName.
func WithoutRetryAfter() Option { return func(c *config) { c.noRetryAfter = true } }

// WithLatency holds every answer for d, like the network and HubSpot's own
// work would (wall clock).
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// Server is a running HubSpot stand-in. All methods are safe for concurrent
// use.
type Server struct {
	cfg  config
	http *httptest.Server

	mu       sync.Mutex
	revoked  bool
	noScopes bool
	throttle int // the next requests to answer 429 whatever the rate
	seq      int64
	owners   []owner
	objects  map[string][]*object // by object type, in the order added
	windows  map[string][]time.Time
	stats    Stats
	log      []Request
}

// Stats counts what the stand-in answered.
type Stats struct {
	Requests    int // every request, whatever its answer
	Searches    int // search pages answered 200
	OwnerPages  int // owners pages answered 200
	RateLimited int // 429s
	Refused     int // 401s and 403s
	Invalid     int // other 4xx
}

// Request is one request the stand-in received, for tests that check what
// a client sent.
type Request struct {
	Method, Path, Query string
	Body                []byte
	Status              int
}

// NewServer starts a stand-in listening on 127.0.0.1. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{
		token:  DefaultToken,
		clock:  pulse.SystemClock,
		search: limit{DefaultSearchLimit, DefaultSearchWindow},
		all:    limit{DefaultRequestLimit, DefaultRequestWindow},
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{cfg: cfg, objects: map[string][]*object{}, windows: map[string][]time.Time{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /crm/v3/objects/{object}/search", s.serveSearch)
	mux.HandleFunc("GET /crm/v3/owners/", s.serveOwners)
	mux.HandleFunc("GET /crm/v3/owners", s.serveOwners)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "", "resource not found")
	})
	s.http = httptest.NewServer(mux) // binds 127.0.0.1 only
	return s
}

// Close stops the server.
func (s *Server) Close() { s.http.Close() }

// URL is the base URL to give the client in place of https://api.hubapi.com.
func (s *Server) URL() string { return s.http.URL }

// Token is the private app token the stand-in accepts.
func (s *Server) Token() string { return s.cfg.token }

// Revoke makes the token refused from now on, as when an admin deletes the
// private app or rotates its token: every request answers 401.
func (s *Server) Revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = true
}

// DenyScopes makes every request answer 403, as HubSpot does for a token
// whose private app lacks the scopes the endpoint needs.
func (s *Server) DenyScopes() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noScopes = true
}

// Throttle makes the next n requests answer 429, whatever the rate, as
// when other apps on the same account use up its limit.
func (s *Server) Throttle(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle = n
}

// Stats returns the counts so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Requests returns every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// admit runs the checks HubSpot makes before it looks at a request: the
// token, the scopes, then the rate limits. It answers and returns false
// when the request goes no further. The caller holds no lock.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, search bool) bool {
	if s.cfg.latency > 0 {
		time.Sleep(s.cfg.latency)
	}
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	s.mu.Lock()
	revoked, noScopes := s.revoked, s.noScopes
	s.mu.Unlock()
	switch {
	case !ok || token != s.cfg.token || revoked:
		s.fail(w, r, http.StatusUnauthorized, "INVALID_AUTHENTICATION",
			"Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview")
		return false
	case noScopes:
		s.fail(w, r, http.StatusForbidden, "MISSING_SCOPES",
			"This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.")
		return false
	}
	if policy, wait, limited := s.take(search); limited {
		s.rateLimited(w, r, policy, wait)
		return false
	}
	return true
}

// take counts a request against the rolling windows, or says which limit
// it is over and how long until the window lets one more through.
func (s *Server) take(search bool) (policy string, wait time.Duration, limited bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.clock.Now()
	if s.throttle > 0 {
		s.throttle--
		if search {
			return policySecondly, time.Second, true
		}
		return policyTenSecondly, time.Second, true
	}
	if search {
		if wait, ok := s.fits("search", s.cfg.search, now); !ok {
			return policySecondly, wait, true
		}
	}
	if wait, ok := s.fits("all", s.cfg.all, now); !ok {
		return policyTenSecondly, wait, true
	}
	if search {
		s.windows["search"] = append(s.windows["search"], now)
	}
	s.windows["all"] = append(s.windows["all"], now)
	return "", 0, false
}

// fits drops the instants that left the window and reports whether one
// more request fits in it, and if not, how long until it does. The caller
// holds s.mu.
func (s *Server) fits(name string, l limit, now time.Time) (time.Duration, bool) {
	if l.n < 1 {
		return 0, true
	}
	w := s.windows[name]
	i := 0
	for i < len(w) && !w[i].After(now.Add(-l.per)) {
		i++
	}
	w = w[i:]
	s.windows[name] = w
	if len(w) < l.n {
		return 0, true
	}
	return w[len(w)-l.n].Add(l.per).Sub(now), false
}

// record counts an answer and keeps the request. The caller holds no lock.
func (s *Server) record(r *http.Request, body []byte, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Requests++
	switch {
	case status == http.StatusOK && r.Method == http.MethodPost:
		s.stats.Searches++
	case status == http.StatusOK:
		s.stats.OwnerPages++
	case status == http.StatusTooManyRequests:
		s.stats.RateLimited++
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		s.stats.Refused++
	default:
		s.stats.Invalid++
	}
	s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: body, Status: status})
}

// newID returns the next numeric ID, as text like HubSpot's.
func (s *Server) newID() string {
	s.seq++
	return fmt.Sprint(80_000_000_000 + s.seq)
}

// correlationID returns a random UUID, like the one HubSpot puts on every
// error for its support to find the request.
func correlationID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
