// Package pipedrivetest is a stand-in for Pipedrive's REST API that the
// pipedrive client's tests and `pulse demo` talk to over a real socket on
// 127.0.0.1.
//
// It serves the three endpoints Pulse reads, with the paths, parameters,
// paging and JSON shapes of Pipedrive's published OpenAPI documents
// (../testdata/FACTS.md lists each fact and its source, and a test holds the
// stand-in to that file):
//
//   - GET /api/v1/users (also /v1/users): every user of the company;
//   - GET /api/v2/activities: activities, filtered by owner_id, done,
//     updated_since and updated_until, paged by cursor and limit;
//   - GET /api/v2/deals: deals, filtered by owner_id, status, updated_since
//     and updated_until, paged the same way.
//
// Like Pipedrive it checks the API token (the x-api-token header, or the
// api_token query parameter, which it records so a test can forbid it),
// answers a refused token 401 in Pipedrive's error shape, rejects a limit
// over 500 and a malformed parameter with 400, and enforces a burst limit
// per token over a rolling window, answering 429 with Retry-After past it.
// It also counts each request's token cost against an optional daily
// budget. Parameters Pipedrive documents but the stand-in does not filter
// by are answered 501, so a client that starts to rely on one finds out;
// parameters Pipedrive does not document are answered 400.
//
// Seed it with AddUser, AddActivity and AddDeal; read what the client did
// with Calls.
package pipedrivetest

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"time"
)

// DefaultToken is the API token the stand-in accepts unless told another.
const DefaultToken = "pd-test-0123456789abcdef"

// Token costs of the endpoints, from their x-token-cost in Pipedrive's
// OpenAPI documents (FACTS.md, "Rate limits").
const (
	costUsers = 20 // GET /v1/users
	costList  = 10 // GET /api/v2/activities, GET /api/v2/deals
)

// Option configures a Server.
type Option func(*config)

type config struct {
	token    string
	requests int           // burst limit per window; 0: none
	window   time.Duration // rolling window of the burst limit
	budget   int           // daily token budget; 0: none
	now      func() time.Time
}

// WithToken sets the API token the server accepts.
func WithToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithBurstLimit sets the burst limit: at most requests per token in any
// rolling window; 0 turns it off. The default is Lite's 20 per 2 seconds,
// the lowest of Pipedrive's plans.
func WithBurstLimit(requests int, window time.Duration) Option {
	return func(c *config) { c.requests, c.window = requests, window }
}

// WithDailyBudget sets the company's daily token budget, which resets at
// midnight UTC (Pipedrive: "midnight at server's timezone"); 0, the
// default, is no budget.
func WithDailyBudget(tokens int) Option {
	return func(c *config) { c.budget = tokens }
}

// WithClock sets the clock the burst window and the budget's day read, so
// a test can move time instead of waiting. The default is the wall clock.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// Call is one request the server answered.
type Call struct {
	Path         string
	Query        url.Values
	Status       int
	TokenInQuery bool // the token came as ?api_token=, where URLs and logs see it
	At           time.Time
}

// Server is a running Pipedrive stand-in. All methods are safe for
// concurrent use.
type Server struct {
	cfg  config
	http *httptest.Server

	mu         sync.Mutex
	seq        int
	users      []userRecord
	activities []activityRecord
	deals      []dealRecord
	revoked    bool
	recent     []time.Time // accepted requests within the burst window
	limitNext  []time.Duration
	failNext   []int     // statuses of the next requests
	spent      int       // tokens spent on budgetDay
	budgetDay  time.Time // UTC midnight the budget counts from
	calls      []Call
}

// NewServer starts a stand-in listening on 127.0.0.1. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{cfg: config{
		token:    DefaultToken,
		requests: 20,
		window:   2 * time.Second,
		now:      time.Now,
	}}
	for _, o := range opts {
		o(&s.cfg)
	}
	s.http = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the server's base URL, to pass to pipedrive.WithBaseURL.
func (s *Server) URL() string { return s.http.URL }

// Close stops the server.
func (s *Server) Close() { s.http.Close() }

// Revoke makes the server refuse its token from now on, as Pipedrive does
// once a user regenerates theirs.
func (s *Server) Revoke() {
	s.mu.Lock()
	s.revoked = true
	s.mu.Unlock()
}

// RateLimitNext answers the next n requests 429 with a Retry-After of
// retryAfter, rounded up to whole seconds as the header carries them.
func (s *Server) RateLimitNext(n int, retryAfter time.Duration) {
	s.mu.Lock()
	for range n {
		s.limitNext = append(s.limitNext, retryAfter)
	}
	s.mu.Unlock()
}

// FailNext answers the next n requests with status, in Pipedrive's error
// shape: 503 for scheduled maintenance, 402 for a company account that is
// not open.
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	for range n {
		s.failNext = append(s.failNext, status)
	}
	s.mu.Unlock()
}

// Calls returns the requests answered so far, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Spent returns the tokens of the daily budget spent today.
func (s *Server) Spent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spent
}

// errorBody is Pipedrive's error response (FACTS.md, "Errors").
type errorBody struct {
	Success        bool   `json:"success"`
	Error          string `json:"error"`
	ErrorCode      int    `json:"errorCode"`
	ErrorInfo      string `json:"error_info"`
	Data           any    `json:"data"`
	AdditionalData any    `json:"additional_data"`
}

const errorInfo = "Please check developers.pipedrive.com for more information about Pipedrive API."

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.now()
	query := r.URL.Query()
	token, inQuery := r.Header.Get("x-api-token"), false
	if token == "" && query.Has("api_token") {
		token, inQuery = query.Get("api_token"), true
		query.Del("api_token")
	}
	status := s.answer(w, r, query, token, now)
	s.calls = append(s.calls, Call{Path: r.URL.Path, Query: query, Status: status, TokenInQuery: inQuery, At: now})
}

// answer writes the response to one request and returns its status.
// s.mu is held.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, q url.Values, token string, now time.Time) int {
	if token == "" || token != s.cfg.token || s.revoked {
		return writeError(w, http.StatusUnauthorized, "unauthorized access")
	}
	if len(s.failNext) > 0 {
		code := s.failNext[0]
		s.failNext = s.failNext[1:]
		return writeError(w, code, http.StatusText(code))
	}
	var cost int
	var list func(url.Values) (any, *string, int, string)
	switch r.URL.Path {
	case "/api/v1/users", "/v1/users":
		cost = costUsers
	case "/api/v2/activities":
		cost, list = costList, s.listActivities
	case "/api/v2/deals":
		cost, list = costList, s.listDeals
	default:
		return writeError(w, http.StatusNotFound, "Unknown method .")
	}
	if r.Method != http.MethodGet {
		return writeError(w, http.StatusMethodNotAllowed, "Method not allowed")
	}
	if wait, limited := s.limited(now, cost); limited {
		w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		s.rateHeaders(w, now)
		return writeError(w, http.StatusTooManyRequests, "Request over limit")
	}
	s.rateHeaders(w, now)
	if list == nil {
		if len(q) > 0 {
			return writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown query parameter %q", slices.Sorted(maps.Keys(q))[0]))
		}
		return writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": s.userJSON()})
	}
	data, next, code, msg := list(q)
	if code != http.StatusOK {
		return writeError(w, code, msg)
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"success":         true,
		"data":            data,
		"additional_data": map[string]any{"next_cursor": next},
	})
}

// limited applies an injected 429, the daily budget and the burst limit,
// in that order, and reports how long the caller should wait when one
// refuses the request. An accepted request is counted in both.
func (s *Server) limited(now time.Time, cost int) (time.Duration, bool) {
	if len(s.limitNext) > 0 {
		wait := s.limitNext[0]
		s.limitNext = s.limitNext[1:]
		return wait, true
	}
	if s.cfg.budget > 0 {
		day := now.UTC().Truncate(24 * time.Hour)
		if !day.Equal(s.budgetDay) {
			s.budgetDay, s.spent = day, 0
		}
		if s.spent+cost > s.cfg.budget {
			return day.Add(24 * time.Hour).Sub(now), true
		}
	}
	if s.cfg.requests > 0 {
		s.prune(now)
		if len(s.recent) >= s.cfg.requests {
			return s.recent[0].Add(s.cfg.window).Sub(now), true
		}
		s.recent = append(s.recent, now)
	}
	s.spent += cost
	return 0, false
}

// prune forgets requests that left the rolling window.
func (s *Server) prune(now time.Time) {
	i := 0
	for i < len(s.recent) && !s.recent[i].Add(s.cfg.window).After(now) {
		i++
	}
	s.recent = s.recent[i:]
}

// rateHeaders sets Pipedrive's burst-limit headers (FACTS.md, "Rate
// limits").
func (s *Server) rateHeaders(w http.ResponseWriter, now time.Time) {
	if s.cfg.requests == 0 {
		return
	}
	s.prune(now)
	reset := s.cfg.window
	if len(s.recent) > 0 {
		reset = s.recent[0].Add(s.cfg.window).Sub(now)
	}
	h := w.Header()
	h.Set("x-ratelimit-limit", fmt.Sprint(s.cfg.requests))
	h.Set("x-ratelimit-remaining", fmt.Sprint(max(0, s.cfg.requests-len(s.recent))))
	h.Set("x-ratelimit-reset", fmt.Sprint(int(math.Ceil(reset.Seconds()))))
}

func writeError(w http.ResponseWriter, code int, msg string) int {
	return writeJSON(w, code, errorBody{Error: msg, ErrorCode: code, ErrorInfo: errorInfo})
}

func writeJSON(w http.ResponseWriter, code int, v any) int {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
	return code
}
