package pipedrivetest_test

import (
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/pipedrive/pipedrivetest"
)

const token = pipedrivetest.DefaultToken

// seeded returns a stand-in without a burst limit holding one user, a call
// done, a meeting with a time and one without, and a won deal.
func seeded(t *testing.T, opts ...pipedrivetest.Option) *pipedrivetest.Server {
	t.Helper()
	s := pipedrivetest.NewServer(append([]pipedrivetest.Option{pipedrivetest.WithBurstLimit(0, 0)}, opts...)...)
	t.Cleanup(s.Close)
	id := s.AddUser("Ola Nordmann", "Ola@Example.com")
	s.AddActivity(pipedrivetest.Activity{Owner: id, Type: "call", Added: utc("2026-03-08T09:00:00Z"), Done: utc("2026-03-08T09:05:30Z")})
	s.AddActivity(pipedrivetest.Activity{Owner: id, Type: "meeting", Added: utc("2026-03-01T09:00:00Z"), Due: utc("2026-03-08T15:00:00Z")})
	s.AddActivity(pipedrivetest.Activity{Owner: id, Type: "meeting", Added: utc("2026-03-01T09:00:00Z"), Due: utc("2026-03-09T00:00:00Z"), AllDay: true})
	s.AddDeal(pipedrivetest.Deal{Owner: id, Value: 1234.56, Added: utc("2026-02-01T10:00:00Z"), Won: utc("2026-03-08T16:00:00Z")})
	return s
}

func TestResponsesCarryTheFieldsOfTheFactsFile(t *testing.T) {
	f := facts(t)
	s := seeded(t)
	tests := []struct {
		name, path, fields string
	}{
		{"a user of GET /api/v1/users", "/api/v1/users", "user-fields"},
		{"a user of GET /v1/users", "/v1/users", "user-fields"},
		{"an activity of GET /api/v2/activities", "/api/v2/activities", "activity-fields"},
		{"a deal of GET /api/v2/deals", "/api/v2/deals", "deal-fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, s, token, tt.path, nil)
			if r.status != http.StatusOK || r.body["success"] != true {
				t.Fatalf("status %d, body %v", r.status, r.body)
			}
			for _, rec := range r.data(t) {
				got := slices.Sorted(maps.Keys(rec))
				want := slices.Sorted(slices.Values(f[tt.fields]))
				if !slices.Equal(got, want) {
					t.Errorf("fields %v, want those of FACTS.md's %s %v", got, tt.fields, want)
				}
			}
		})
	}
	t.Run("an error body", func(t *testing.T) {
		r := get(t, s, "wrong", "/api/v2/activities", nil)
		got := slices.Sorted(maps.Keys(r.body))
		if want := slices.Sorted(slices.Values(f["error-fields"])); !slices.Equal(got, want) {
			t.Errorf("fields %v, want %v", got, want)
		}
	})
}

func TestListsTakeTheParametersOfTheFactsFileAndNoOthers(t *testing.T) {
	f := facts(t)
	s := seeded(t)
	for path, params := range map[string]string{"/api/v2/activities": "activity-params", "/api/v2/deals": "deal-params"} {
		for _, p := range f[params] {
			t.Run(path+" takes "+p, func(t *testing.T) {
				r := get(t, s, token, path, url.Values{p: {"1"}})
				if msg, _ := r.body["error"].(string); r.status == http.StatusBadRequest && strings.Contains(msg, "unknown") {
					t.Errorf("a documented parameter is refused as unknown: %v", r.body)
				}
			})
		}
		t.Run(path+" refuses a parameter Pipedrive does not document", func(t *testing.T) {
			// v1 filtered activities by type; v2 does not.
			r := get(t, s, token, path, url.Values{"type": {"call"}})
			if r.status != http.StatusBadRequest {
				t.Errorf("status %d, want 400: %v", r.status, r.body)
			}
		})
	}
}

var (
	rfc3339UTC = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	clockTime  = regexp.MustCompile(`^\d\d:\d\d:\d\d$`)
	date       = regexp.MustCompile(`^\d{4}-\d\d-\d\d$`)
	v1Time     = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`)
)

func TestTimesAreWrittenAsTheFactsFileSays(t *testing.T) {
	s := seeded(t)
	check := func(t *testing.T, rec map[string]any, field string, re *regexp.Regexp, want string) {
		t.Helper()
		got, _ := rec[field].(string)
		if !re.MatchString(got) || (want != "" && got != want) {
			t.Errorf("%s = %v, want the form %s (%s)", field, rec[field], re, want)
		}
	}
	acts := get(t, s, token, "/api/v2/activities", nil).data(t)
	check(t, acts[0], "add_time", rfc3339UTC, "2026-03-08T09:00:00Z")
	check(t, acts[0], "marked_as_done_time", rfc3339UTC, "2026-03-08T09:05:30Z")
	check(t, acts[1], "due_date", date, "2026-03-08")
	check(t, acts[1], "due_time", clockTime, "15:00:00")
	if acts[1]["marked_as_done_time"] != nil || acts[1]["done"] != false {
		t.Errorf("a meeting not done has done %v, marked_as_done_time %v", acts[1]["done"], acts[1]["marked_as_done_time"])
	}
	if acts[2]["due_time"] != nil {
		t.Errorf("an all-day meeting has due_time %v, want null", acts[2]["due_time"])
	}
	deal := get(t, s, token, "/api/v2/deals", nil).data(t)[0]
	check(t, deal, "won_time", rfc3339UTC, "2026-03-08T16:00:00Z")
	if deal["value"] != 1234.56 || deal["status"] != "won" {
		t.Errorf("deal value %v (%T), status %v", deal["value"], deal["value"], deal["status"])
	}
	user := get(t, s, token, "/api/v1/users", nil).data(t)[0]
	check(t, user, "created", v1Time, "")
}

func TestLimitIsRefusedPastTheMaximumOfTheFactsFile(t *testing.T) {
	var def, most int
	for _, kv := range facts(t)["paging"] {
		k, v, _ := strings.Cut(kv, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "limit":
			def = n
		case "max":
			most = n
		}
	}
	s := seeded(t)
	for i := range 3 * def / 2 {
		s.AddActivity(pipedrivetest.Activity{Owner: 1, Type: "call", Added: utc("2026-03-08T09:00:00Z").Add(time.Duration(i) * time.Second)})
	}
	tests := []struct {
		name   string
		limit  string
		status int
		n      int
	}{
		{"no limit returns the default page", "", http.StatusOK, def},
		{"the maximum is taken", strconv.Itoa(most), http.StatusOK, 3*def/2 + 3},
		{"one more than the maximum is refused", strconv.Itoa(most + 1), http.StatusBadRequest, 0},
		{"zero is refused", "0", http.StatusBadRequest, 0},
		{"a word is refused", "all", http.StatusBadRequest, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{}
			if tt.limit != "" {
				q.Set("limit", tt.limit)
			}
			r := get(t, s, token, "/api/v2/activities", q)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %v", r.status, tt.status, r.body)
			}
			if tt.status == http.StatusOK && len(r.data(t)) != tt.n {
				t.Errorf("%d records, want %d", len(r.data(t)), tt.n)
			}
			if tt.status != http.StatusOK && (r.body["success"] != false || r.body["error"] == "") {
				t.Errorf("error body %v", r.body)
			}
		})
	}
}

func TestATokenTheServerDoesNotKnowIsRefusedInPipedrivesErrorShape(t *testing.T) {
	tests := []struct {
		name   string
		token  string
		revoke bool
	}{
		{"no token", "", false},
		{"a wrong token", "not-the-token", false},
		{"a revoked token", token, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := seeded(t)
			if tt.revoke {
				s.Revoke()
			}
			r := get(t, s, tt.token, "/api/v1/users", nil)
			if r.status != http.StatusUnauthorized || r.body["success"] != false ||
				r.body["error"] != "unauthorized access" || r.body["errorCode"] != float64(401) {
				t.Errorf("status %d, body %v; want 401 {success:false, error:unauthorized access, errorCode:401}", r.status, r.body)
			}
		})
	}
}

func TestTheTokenMayAlsoComeInTheQueryAndTheServerSaysSo(t *testing.T) {
	s := seeded(t)
	r := get(t, s, "", "/api/v1/users", url.Values{"api_token": {token}})
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %v", r.status, r.body)
	}
	if calls := s.Calls(); !calls[len(calls)-1].TokenInQuery {
		t.Error("the call is not marked as carrying its token in the URL")
	}
}

func TestRequestsPastTheBurstLimitAre429WithRetryAfter(t *testing.T) {
	c := pulse.NewManualClock(utc("2026-03-08T12:00:00Z"))
	s := seeded(t, pipedrivetest.WithBurstLimit(3, 2*time.Second), pipedrivetest.WithClock(c.Now))
	for i := range 3 {
		r := get(t, s, token, "/api/v2/deals", nil)
		if r.status != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, r.status)
		}
		if got, want := r.header.Get("x-ratelimit-remaining"), strconv.Itoa(2-i); got != want {
			t.Errorf("request %d: x-ratelimit-remaining %q, want %q", i+1, got, want)
		}
		if r.header.Get("x-ratelimit-limit") != "3" {
			t.Errorf("x-ratelimit-limit %q", r.header.Get("x-ratelimit-limit"))
		}
		c.Advance(500 * time.Millisecond)
	}
	r := get(t, s, token, "/api/v2/deals", nil)
	if r.status != http.StatusTooManyRequests || r.body["success"] != false {
		t.Fatalf("a fourth request within 2 s: status %d, %v", r.status, r.body)
	}
	// The first request leaves the window 2 s after it: 0.5 s from now.
	if got := r.header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After %q, want 1 (0.5 s rounded up)", got)
	}
	c.Advance(500 * time.Millisecond)
	if r := get(t, s, token, "/api/v2/deals", nil); r.status != http.StatusOK {
		t.Errorf("once the first request left the window: status %d", r.status)
	}
}

func TestTheDailyBudgetCountsEachEndpointsTokenCost(t *testing.T) {
	c := pulse.NewManualClock(utc("2026-03-08T18:00:00Z"))
	s := seeded(t, pipedrivetest.WithDailyBudget(30), pipedrivetest.WithClock(c.Now))
	if r := get(t, s, token, "/api/v1/users", nil); r.status != http.StatusOK {
		t.Fatalf("users: %d", r.status)
	}
	if r := get(t, s, token, "/api/v2/activities", nil); r.status != http.StatusOK {
		t.Fatalf("activities: %d", r.status)
	}
	if s.Spent() != 30 {
		t.Errorf("spent %d tokens, want 20 + 10", s.Spent())
	}
	r := get(t, s, token, "/api/v2/deals", nil)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != strconv.Itoa(6*3600) {
		t.Errorf("past the budget: status %d, Retry-After %q; want 429 until midnight UTC", r.status, r.header.Get("Retry-After"))
	}
	c.Advance(6 * time.Hour)
	if r := get(t, s, token, "/api/v2/deals", nil); r.status != http.StatusOK {
		t.Errorf("after midnight: status %d", r.status)
	}
}

func TestACursorPagesThroughEveryRecordOnceInIDOrder(t *testing.T) {
	s := pipedrivetest.NewServer(pipedrivetest.WithBurstLimit(0, 0))
	defer s.Close()
	var want []float64
	for i := range 7 {
		id := s.AddActivity(pipedrivetest.Activity{Owner: 1 + i%2, Type: "call", Added: utc("2026-03-08T09:00:00Z")})
		if i%2 == 0 {
			want = append(want, float64(id))
		}
	}
	var got []float64
	q := url.Values{"owner_id": {"1"}, "limit": {"2"}}
	for pages := 1; ; pages++ {
		r := get(t, s, token, "/api/v2/activities", q)
		for _, a := range r.data(t) {
			got = append(got, a["id"].(float64))
		}
		next := r.nextCursor(t)
		if next == "" {
			if pages != 2 {
				t.Errorf("%d pages, want 2 of owner 1's 4 activities", pages)
			}
			break
		}
		q.Set("cursor", next)
	}
	if !slices.Equal(got, want) {
		t.Errorf("ids %v, want %v", got, want)
	}
	if r := get(t, s, token, "/api/v2/activities", url.Values{"cursor": {"bm90IGEgY3Vyc29y"}}); r.status != http.StatusBadRequest {
		t.Errorf("a cursor the server never gave: status %d, want 400", r.status)
	}
}

func TestListsFilterAsPipedriveDocuments(t *testing.T) {
	s := pipedrivetest.NewServer(pipedrivetest.WithBurstLimit(0, 0))
	defer s.Close()
	add := func(owner int, done, updated string) {
		a := pipedrivetest.Activity{Owner: owner, Type: "call", Added: utc("2026-03-01T00:00:00Z"), Updated: utc(updated)}
		if done != "" {
			a.Done = utc(done)
		}
		s.AddActivity(a)
	}
	add(1, "2026-03-08T10:00:00Z", "2026-03-08T10:00:00Z")
	add(1, "", "2026-03-08T11:00:00Z")
	add(2, "2026-03-08T12:00:00Z", "2026-03-08T12:00:00Z")
	s.AddActivity(pipedrivetest.Activity{Owner: 1, Type: "call", Added: utc("2026-03-08T00:00:00Z"), Deleted: true})
	s.AddDeal(pipedrivetest.Deal{Owner: 1, Value: 10, Added: utc("2026-03-01T00:00:00Z")})
	s.AddDeal(pipedrivetest.Deal{Owner: 1, Value: 20, Added: utc("2026-03-01T00:00:00Z"), Won: utc("2026-03-08T10:00:00Z")})
	s.AddDeal(pipedrivetest.Deal{Owner: 1, Value: 30, Added: utc("2026-03-01T00:00:00Z"), Deleted: true})

	tests := []struct {
		name  string
		path  string
		query url.Values
		want  int
	}{
		{"every activity not deleted", "/api/v2/activities", nil, 3},
		{"one owner's", "/api/v2/activities", url.Values{"owner_id": {"1"}}, 2},
		{"done ones", "/api/v2/activities", url.Values{"done": {"true"}}, 2},
		{"not done ones", "/api/v2/activities", url.Values{"done": {"false"}}, 1},
		{"updated since an instant, which is included", "/api/v2/activities", url.Values{"updated_since": {"2026-03-08T11:00:00Z"}}, 2},
		{"updated until an instant, which is excluded", "/api/v2/activities", url.Values{"updated_until": {"2026-03-08T11:00:00Z"}}, 1},
		{"every deal not deleted", "/api/v2/deals", nil, 2},
		{"won deals", "/api/v2/deals", url.Values{"status": {"won"}}, 1},
		{"open and deleted deals", "/api/v2/deals", url.Values{"status": {"open,deleted"}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(get(t, s, token, tt.path, tt.query).data(t)); got != tt.want {
				t.Errorf("%d records, want %d", got, tt.want)
			}
		})
	}
	bad := []struct {
		path  string
		query url.Values
	}{
		{"/api/v2/activities", url.Values{"done": {"1"}}},
		{"/api/v2/activities", url.Values{"owner_id": {"me"}}},
		{"/api/v2/activities", url.Values{"updated_since": {"2026-03-08 11:00:00"}}},
		{"/api/v2/deals", url.Values{"status": {"closed"}}},
	}
	for _, b := range bad {
		if r := get(t, s, token, b.path, b.query); r.status != http.StatusBadRequest {
			t.Errorf("%s %v: status %d, want 400", b.path, b.query, r.status)
		}
	}
}
