// Package salesforcetest is a stand-in for a Salesforce org that the
// salesforce client's tests and `pulse demo` talk to over a real socket on
// 127.0.0.1.
//
// It answers the two endpoints the client calls the way Salesforce does
// (testdata/FACTS.md in the salesforce package keeps the facts, with their
// sources): the OAuth 2.0 token endpoint with the client credentials flow,
// and the REST query resource, which reads a strict subset of SOQL (see
// soql.go), filters the seeded records by the WHERE clause, groups and
// aggregates them (COUNT, SUM, expr0 aliases), and pages plain answers with
// nextRecordsUrl at a batch size of 2,000 or less. Errors come in
// Salesforce's shape, [{"message": ..., "errorCode": ...}]: MALFORMED_QUERY,
// INVALID_FIELD, INVALID_TYPE, INVALID_SESSION_ID once sessions are expired,
// REQUEST_LIMIT_EXCEEDED once the org's allocation is spent. Every API
// answer carries Sforce-Limit-Info.
//
// Records are seeded with AddUser, AddTask, AddEvent and AddOpportunity.
// The package does not import testing.
package salesforcetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/salespulse/pulse"
)

// The credentials the server accepts unless Options names others.
const (
	DefaultClientID     = "3MVG9pulse.standin.consumer.key"
	DefaultClientSecret = "pulse-standin-consumer-secret"
)

// Defaults of the org the server pretends to be.
const (
	// DefaultBatchSize is Salesforce's default and largest batch (FACTS.md).
	DefaultBatchSize = 2000
	// DefaultAllocation is the base daily allocation of an Enterprise
	// Edition org, before its per-licence requests (FACTS.md).
	DefaultAllocation = 100_000
	orgID             = "00D000000000001AAA"
	runAsUserID       = "005000000000000AAA"
)

// Options configure a Server; the zero value is a fresh org with the
// default credentials.
type Options struct {
	ClientID, ClientSecret string
	// BatchSize is the most records one answer holds. Salesforce's floor
	// for a requested batch is 200; tests may set less to page small sets.
	BatchSize int
	// Allocation is the API requests the org may make in 24 hours.
	Allocation int
	// Clock gives CreatedDate to records seeded without one; the system
	// clock when nil.
	Clock pulse.Clock
}

// Calls counts the requests the server answered, by endpoint.
type Calls struct {
	Token     int // POSTs to the token endpoint
	Query     int // GETs of the query resource with a q
	QueryMore int // GETs of a nextRecordsUrl
}

// API is the requests that count against the org's allocation.
func (c Calls) API() int { return c.Query + c.QueryMore }

// Server is the stand-in org. Its methods are safe for concurrent use.
type Server struct {
	srv              *httptest.Server
	clientID, secret string
	clock            pulse.Clock
	mu               sync.Mutex
	records          map[string][]record
	seq              int
	tokens           map[string]bool
	tokenSeq         int
	revoked          bool
	refuse           bool
	batch            int
	allocation, used int
	unavailable      int
	cursors          map[string]*cursor
	calls            Calls
	queries          []string
	cursorSeq        int
}

// cursor is a query answer that did not fit one batch, kept for its
// nextRecordsUrl.
type cursor struct {
	rows    []json.RawMessage
	batch   int
	version string
	grouped bool // an aggregate answer, whose locator cannot be used
}

// New starts a server on 127.0.0.1.
func New(opts Options) *Server {
	s := &Server{
		clientID:   opts.ClientID,
		secret:     opts.ClientSecret,
		clock:      opts.Clock,
		records:    map[string][]record{},
		tokens:     map[string]bool{},
		batch:      opts.BatchSize,
		allocation: opts.Allocation,
		cursors:    map[string]*cursor{},
	}
	if s.clientID == "" {
		s.clientID = DefaultClientID
	}
	if s.secret == "" {
		s.secret = DefaultClientSecret
	}
	if s.clock == nil {
		s.clock = pulse.SystemClock
	}
	if s.batch <= 0 {
		s.batch = DefaultBatchSize
	}
	if s.allocation <= 0 {
		s.allocation = DefaultAllocation
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/services/oauth2/token", s.token)
	mux.HandleFunc("/services/data/", s.data)
	s.srv = httptest.NewServer(mux)
	return s
}

// URL is both the org's My Domain URL and its instance URL.
func (s *Server) URL() string { return s.srv.URL }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// ExpireSessions ends every session issued so far, as a session timeout or
// an admin's revoking does: their requests are answered INVALID_SESSION_ID
// and a new token must be asked for.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// Revoke refuses the client credentials from now on, as a rotated consumer
// secret or a deleted app does, and ends every session.
func (s *Server) Revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = true
	clear(s.tokens)
}

// RefuseSessions makes the API answer every session INVALID_SESSION_ID,
// fresh ones too, while on: a run-as user who is frozen still gets tokens.
func (s *Server) RefuseSessions(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = on
}

// SetUsage sets the org's use of its allocation in the last 24 hours.
func (s *Server) SetUsage(used, allocation int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.used, s.allocation = used, allocation
}

// Usage returns the org's use of its allocation.
func (s *Server) Usage() (used, allocation int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.used, s.allocation
}

// FailUnavailable answers the next n API requests 503, as an org under
// maintenance does.
func (s *Server) FailUnavailable(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unavailable = n
}

// Calls returns the requests answered so far.
func (s *Server) Calls() Calls {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// Queries returns the SOQL of every query received, in order.
func (s *Server) Queries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}

// tokenAnswer is the token endpoint's success answer (FACTS.md).
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	Signature   string `json:"signature"`
	TokenFormat string `json:"token_format"`
	Scope       string `json:"scope"`
	InstanceURL string `json:"instance_url"`
	ID          string `json:"id"`
	TokenType   string `json:"token_type"`
	IssuedAt    string `json:"issued_at"`
}

// token is the OAuth 2.0 token endpoint, for the client credentials flow.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		oauthError(w, http.StatusBadRequest, "invalid_request", "must use HTTP POST")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "malformed request body")
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, secret = u, p
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls.Token++
	switch grant := r.PostForm.Get("grant_type"); {
	case grant == "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "grant type is missing")
		return
	case grant != "client_credentials":
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant type not supported")
		return
	case id != s.clientID || secret != s.secret || s.revoked:
		oauthError(w, http.StatusBadRequest, "invalid_client", "invalid client credentials")
		return
	}
	s.tokenSeq++
	tok := fmt.Sprintf("%s!AQ0standin%08d", orgID[:15], s.tokenSeq)
	s.tokens[tok] = true
	writeJSON(w, http.StatusOK, tokenAnswer{
		AccessToken: tok,
		Signature:   "c3RhbmQtaW4gc2lnbmF0dXJl",
		TokenFormat: "opaque",
		Scope:       "api",
		InstanceURL: s.srv.URL,
		ID:          s.srv.URL + "/id/" + orgID + "/" + runAsUserID,
		TokenType:   "Bearer",
		IssuedAt:    strconv.FormatInt(s.clock.Now().UnixMilli(), 10),
	})
}

var (
	queryPath = regexp.MustCompile(`^/services/data/(v\d+\.\d)/query/?$`)
	morePath  = regexp.MustCompile(`^/services/data/(v\d+\.\d)/query/(01g[0-9A-Za-z]+)-(\d+)$`)
)

// data answers the REST API under /services/data/.
func (s *Server) data(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !s.tokens[tok] || s.refuse {
		apiError(w, http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
		return
	}
	if s.used >= s.allocation {
		s.limitInfo(w)
		apiError(w, http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
		return
	}
	s.used++
	s.limitInfo(w)
	if s.unavailable > 0 {
		s.unavailable--
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "<html><body>Service Unavailable</body></html>")
		return
	}
	if r.Method != http.MethodGet {
		apiError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '"+r.Method+"' not allowed. Allowed are GET")
		return
	}
	if m := queryPath.FindStringSubmatch(r.URL.Path); m != nil {
		s.calls.Query++
		s.query(w, r, m[1])
		return
	}
	if m := morePath.FindStringSubmatch(r.URL.Path); m != nil {
		s.calls.QueryMore++
		s.more(w, m[1], m[2], m[3])
		return
	}
	apiError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
}

// query runs the q parameter's SOQL. The caller holds s.mu.
func (s *Server) query(w http.ResponseWriter, r *http.Request, version string) {
	text := r.URL.Query().Get("q")
	s.queries = append(s.queries, text)
	q, err := parse(text)
	if err != nil {
		qe := err.(*queryError)
		apiError(w, http.StatusBadRequest, qe.code, qe.message)
		return
	}
	res := s.run(q, version)
	if res.counted {
		writeJSON(w, http.StatusOK, queryAnswer{TotalSize: res.count, Done: true, Records: []json.RawMessage{}})
		return
	}
	batch := s.batch
	if n, ok := requestedBatch(r.Header.Get("Sforce-Query-Options")); ok && n < batch {
		batch = n
	}
	if len(res.rows) <= batch {
		writeJSON(w, http.StatusOK, queryAnswer{TotalSize: len(res.rows), Done: true, Records: res.rows})
		return
	}
	s.cursorSeq++
	locator := fmt.Sprintf("01g%015d", s.cursorSeq)
	s.cursors[locator] = &cursor{rows: res.rows, batch: batch, version: version, grouped: res.grouped}
	writeJSON(w, http.StatusOK, queryAnswer{
		TotalSize:      len(res.rows),
		Done:           false,
		NextRecordsURL: nextURL(version, locator, batch),
		Records:        res.rows[:batch],
	})
}

// more answers a nextRecordsUrl. The caller holds s.mu.
func (s *Server) more(w http.ResponseWriter, version, locator, offset string) {
	c := s.cursors[locator]
	from, err := strconv.Atoi(offset)
	if c == nil || err != nil || from <= 0 || from >= len(c.rows) || version != c.version {
		apiError(w, http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator")
		return
	}
	if c.grouped {
		// Salesforce: a GROUP BY query's locator cannot be used to get
		// more results (FACTS.md).
		apiError(w, http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "a query with GROUP BY cannot be continued with its query locator")
		return
	}
	to := min(from+c.batch, len(c.rows))
	a := queryAnswer{TotalSize: len(c.rows), Done: to == len(c.rows), Records: c.rows[from:to]}
	if !a.Done {
		a.NextRecordsURL = nextURL(version, locator, to)
	} else {
		delete(s.cursors, locator)
	}
	writeJSON(w, http.StatusOK, a)
}

// queryAnswer is the query resource's answer; nextRecordsUrl is present
// only while the answer is not done.
type queryAnswer struct {
	TotalSize      int               `json:"totalSize"`
	Done           bool              `json:"done"`
	NextRecordsURL string            `json:"nextRecordsUrl,omitempty"`
	Records        []json.RawMessage `json:"records"`
}

func nextURL(version, locator string, offset int) string {
	return "/services/data/" + version + "/query/" + locator + "-" + strconv.Itoa(offset)
}

// requestedBatch reads Sforce-Query-Options: batchSize=N, which Salesforce
// honours between 200 and 2,000.
func requestedBatch(h string) (int, bool) {
	for part := range strings.SplitSeq(h, ",") {
		v, ok := strings.CutPrefix(strings.TrimSpace(part), "batchSize=")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 200 || n > 2000 {
			return 0, false
		}
		return n, true
	}
	return 0, false
}

// limitInfo sets Sforce-Limit-Info. The caller holds s.mu.
func (s *Server) limitInfo(w http.ResponseWriter) {
	w.Header().Set("Sforce-Limit-Info", fmt.Sprintf("api-usage=%d/%d", s.used, s.allocation))
}

// apiError writes the REST API's error answer.
func apiError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, []struct {
		Message   string `json:"message"`
		ErrorCode string `json:"errorCode"`
	}{{message, code}})
}

// oauthError writes the token endpoint's error answer.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{code, description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(b)
}
