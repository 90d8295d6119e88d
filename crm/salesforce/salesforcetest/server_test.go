package salesforcetest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	sf "github.com/salespulse/pulse/crm/salesforce/salesforcetest"
)

// standIn is a server and a session with it.
type standIn struct {
	*sf.Server
	token string
	ids   map[string]string
}

// seeded starts a server with two users, a few tasks, events and deals.
func seeded(tb testing.TB, opts sf.Options) *standIn {
	tb.Helper()
	s := &standIn{Server: sf.New(opts), ids: map[string]string{}}
	tb.Cleanup(s.Close)
	a := s.AddUser(sf.User{Email: "ana@example.com", Name: "Ana"})
	b := s.AddUser(sf.User{Email: "bo@example.com", Name: "Bo"})
	s.ids["ana"], s.ids["bo"] = a, b
	day := pulse.MustDate("2026-03-09")
	s.AddTask(sf.Task{OwnerID: a, Subtype: "Call", Type: "Call", Day: day})
	s.AddTask(sf.Task{OwnerID: a, Subtype: "Call", Day: day})
	s.AddTask(sf.Task{OwnerID: a, Subtype: "Call", Day: day.AddDays(1), Open: true})
	s.AddTask(sf.Task{OwnerID: b, Subtype: "Email", Type: "Email", Day: day})
	s.AddTask(sf.Task{OwnerID: b, Subtype: "Call", Day: day.AddDays(-1)})
	s.AddEvent(sf.Event{OwnerID: a, Start: time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC), Created: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)})
	s.AddEvent(sf.Event{OwnerID: b, Start: time.Date(2026, 3, 9, 23, 30, 0, 0, time.UTC), Created: time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC), Child: true})
	s.AddOpportunity(sf.Opportunity{OwnerID: a, Won: true, CloseDate: day, Amount: sf.Amount(100.5)})
	s.AddOpportunity(sf.Opportunity{OwnerID: a, Won: true, CloseDate: day})
	s.AddOpportunity(sf.Opportunity{OwnerID: b, Won: true, CloseDate: day})
	s.AddOpportunity(sf.Opportunity{OwnerID: b, CloseDate: day, Amount: sf.Amount(7)})
	s.token = login(tb, s.Server, sf.DefaultClientSecret)["access_token"].(string)
	return s
}

// login asks the token endpoint for a session and returns its JSON answer.
func login(tb testing.TB, s *sf.Server, secret string) map[string]any {
	tb.Helper()
	resp, err := http.PostForm(s.URL()+"/services/oauth2/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {sf.DefaultClientID}, "client_secret": {secret},
	})
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		tb.Fatal(err)
	}
	return out
}

// get sends a GET of path with the session and returns the status, the
// Sforce-Limit-Info header and the decoded body.
func (s *standIn) get(tb testing.TB, path string, header ...string) (int, string, any) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL()+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		tb.Fatalf("GET %s: %d %q is not JSON", path, resp.StatusCode, body)
	}
	return resp.StatusCode, resp.Header.Get("Sforce-Limit-Info"), v
}

// soql runs a query and returns the status and body.
func (s *standIn) soql(tb testing.TB, q string) (int, any) {
	tb.Helper()
	status, _, v := s.get(tb, "/services/data/v66.0/query?q="+url.QueryEscape(q))
	return status, v
}

// errorCode returns the errorCode of an error answer, or "".
func errorCode(v any) string {
	list, ok := v.([]any)
	if !ok || len(list) != 1 {
		return ""
	}
	e, _ := list[0].(map[string]any)
	if msg, _ := e["message"].(string); msg == "" {
		return ""
	}
	code, _ := e["errorCode"].(string)
	return code
}

func TestQueriesItCannotReadAreAnsweredWithSalesforcesErrors(t *testing.T) {
	s := seeded(t, sf.Options{})
	tests := []struct {
		name, q, code string
	}{
		{"an empty query", "", "MALFORMED_QUERY"},
		{"a misspelt keyword", "SELEKT Id FROM Task", "MALFORMED_QUERY"},
		{"no FROM", "SELECT Id Task", "MALFORMED_QUERY"},
		{"an unterminated string", "SELECT Id FROM Task WHERE Type = 'Call", "MALFORMED_QUERY"},
		{"an escape SOQL lacks", `SELECT Id FROM Task WHERE Type = 'C\all'`, "MALFORMED_QUERY"},
		{"OR, which the stand-in does not read", "SELECT Id FROM Task WHERE Type = 'Call' OR Type = 'Email'", "MALFORMED_QUERY"},
		{"text after the query", "SELECT Id FROM Task ORDER BY Id", "MALFORMED_QUERY"},
		{"an object that does not exist", "SELECT Id FROM Tasks", "INVALID_TYPE"},
		{"a field that does not exist", "SELECT Id FROM Task WHERE Subtype = 'Call'", "INVALID_FIELD"},
		{"a dateTime for a date field", "SELECT Id FROM Task WHERE ActivityDate >= 2026-03-09T00:00:00Z", "INVALID_FIELD"},
		{"a quoted date", "SELECT Id FROM Task WHERE ActivityDate = '2026-03-09'", "INVALID_FIELD"},
		{"a date that does not exist", "SELECT Id FROM Opportunity WHERE CloseDate = 2026-02-30", "INVALID_FIELD"},
		{"an unquoted string", "SELECT Id FROM Task WHERE Type = Call", "MALFORMED_QUERY"},
		{"grouping by a dateTime", "SELECT StartDateTime, COUNT(Id) FROM Event GROUP BY StartDateTime", "INVALID_FIELD"},
		{"a field neither grouped nor aggregated", "SELECT OwnerId, ActivityDate, COUNT(Id) FROM Task GROUP BY OwnerId", "MALFORMED_QUERY"},
		{"SUM of a date", "SELECT SUM(CloseDate) FROM Opportunity", "MALFORMED_QUERY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, v := s.soql(t, tc.q)
			if status != http.StatusBadRequest || errorCode(v) != tc.code {
				t.Errorf("%q: %d %v, want 400 with %s", tc.q, status, v, tc.code)
			}
		})
	}
}

func TestQueriesFilterByTheirWhereClause(t *testing.T) {
	s := seeded(t, sf.Options{})
	a, b := s.ids["ana"], s.ids["bo"]
	tests := []struct {
		name, q string
		want    int
	}{
		{"every task", "SELECT Id FROM Task", 5},
		{"closed calls", "SELECT Id FROM Task WHERE TaskSubtype = 'Call' AND IsClosed = true", 3},
		{"one owner's tasks", "SELECT Id FROM Task WHERE OwnerId IN ('" + a + "')", 3},
		{"both owners' tasks of a day", "SELECT Id FROM Task WHERE OwnerId IN ('" + a + "','" + b + "') AND ActivityDate >= 2026-03-09 AND ActivityDate <= 2026-03-09", 3},
		{"a field that is not null", "SELECT Id FROM Task WHERE Type != null", 2},
		{"a null Type", "SELECT Id FROM Task WHERE Type = null", 3},
		{"picklists compare without case", "SELECT Id FROM Task WHERE TaskSubtype = 'call'", 4},
		{"events from a UTC instant, by offset", "SELECT Id FROM Event WHERE StartDateTime >= 2026-03-10T00:00:00+01:00", 1},
		{"events before an instant", "SELECT Id FROM Event WHERE StartDateTime < 2026-03-09T09:00:00Z", 0},
		{"not an invitee's copy", "SELECT Id FROM Event WHERE IsChild = false", 1},
		{"won deals", "SELECT Id FROM Opportunity WHERE IsWon = true", 3},
		{"deals over an amount", "SELECT Id FROM Opportunity WHERE Amount > 50", 1},
		{"a limit", "SELECT Id FROM Task LIMIT 2", 2},
		{"active users", "SELECT Id, Email, Name FROM User WHERE IsActive = true", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, v := s.soql(t, tc.q)
			m, _ := v.(map[string]any)
			records, _ := m["records"].([]any)
			if status != http.StatusOK || len(records) != tc.want || m["totalSize"] != float64(tc.want) {
				t.Errorf("%q: %d, %d records, totalSize %v; want %d", tc.q, status, len(records), m["totalSize"], tc.want)
			}
		})
	}
}

func TestAggregatesGroupCountAndSum(t *testing.T) {
	s := seeded(t, sf.Options{})
	a, b := s.ids["ana"], s.ids["bo"]
	status, v := s.soql(t, "SELECT OwnerId, CloseDate, COUNT(Id), SUM(Amount) FROM Opportunity WHERE IsWon = true GROUP BY OwnerId, CloseDate")
	if status != http.StatusOK {
		t.Fatalf("%d %v", status, v)
	}
	got, _ := json.Marshal(v.(map[string]any)["records"])
	// Groups in key order; Bo's only won deal has no amount, so its SUM is null.
	want := `[{"CloseDate":"2026-03-09","OwnerId":"` + a + `","attributes":{"type":"AggregateResult"},"expr0":2,"expr1":100.5},` +
		`{"CloseDate":"2026-03-09","OwnerId":"` + b + `","attributes":{"type":"AggregateResult"},"expr0":1,"expr1":null}]`
	if string(got) != want {
		t.Errorf("records\n%s\nwant\n%s", got, want)
	}
	_, v = s.soql(t, "SELECT COUNT(Id) n, SUM(Amount) FROM Opportunity")
	got, _ = json.Marshal(v.(map[string]any)["records"])
	if want := `[{"attributes":{"type":"AggregateResult"},"expr0":107.5,"n":4}]`; string(got) != want {
		t.Errorf("an aliased count beside an unaliased sum: %s, want %s", got, want)
	}
	_, v = s.soql(t, "SELECT COUNT() FROM Task WHERE IsClosed = true")
	if m := v.(map[string]any); m["totalSize"] != float64(4) || len(m["records"].([]any)) != 0 {
		t.Errorf("COUNT() = %v, want totalSize 4 and no records", m)
	}
}

func TestAnswersPageWithNextRecordsURL(t *testing.T) {
	s := seeded(t, sf.Options{BatchSize: 2})
	status, _, v := s.get(t, "/services/data/v66.0/query?q="+url.QueryEscape("SELECT Id FROM Task"))
	var ids []string
	for status == http.StatusOK {
		m := v.(map[string]any)
		for _, r := range m["records"].([]any) {
			ids = append(ids, r.(map[string]any)["Id"].(string))
		}
		if m["totalSize"] != float64(5) {
			t.Fatalf("totalSize %v, want 5 on every page", m["totalSize"])
		}
		if m["done"] == true {
			if _, ok := m["nextRecordsUrl"]; ok {
				t.Error("a done answer has a nextRecordsUrl")
			}
			break
		}
		status, _, v = s.get(t, m["nextRecordsUrl"].(string))
	}
	if len(ids) != 5 {
		t.Errorf("paged %d records, want 5: %v", len(ids), ids)
	}
	if c := s.Calls(); c.Query != 1 || c.QueryMore != 2 {
		t.Errorf("calls %+v, want 1 query and 2 more", c)
	}
}

func TestARequestedBatchSizeIsHonouredFromTwoHundred(t *testing.T) {
	s := seeded(t, sf.Options{})
	for range 450 {
		s.AddTask(sf.Task{OwnerID: s.ids["bo"], Subtype: "Call", Day: pulse.MustDate("2026-03-01")})
	}
	q := "/services/data/v66.0/query?q=" + url.QueryEscape("SELECT Id FROM Task")
	for _, tc := range []struct {
		header string
		want   int
	}{{"batchSize=200", 200}, {"batchSize=100", 455}, {"", 455}} {
		_, _, v := s.get(t, q, "Sforce-Query-Options", tc.header)
		if n := len(v.(map[string]any)["records"].([]any)); n != tc.want {
			t.Errorf("Sforce-Query-Options %q: %d records, want %d", tc.header, n, tc.want)
		}
	}
}

func TestAGroupedAnswerBeyondOneBatchCannotBeContinued(t *testing.T) {
	s := seeded(t, sf.Options{BatchSize: 1})
	_, _, v := s.get(t, "/services/data/v66.0/query?q="+url.QueryEscape("SELECT OwnerId, COUNT(Id) FROM Task GROUP BY OwnerId"))
	next := v.(map[string]any)["nextRecordsUrl"].(string)
	status, _, v := s.get(t, next)
	if status != http.StatusBadRequest || errorCode(v) != "INVALID_QUERY_LOCATOR" {
		t.Errorf("%d %v, want 400 INVALID_QUERY_LOCATOR", status, v)
	}
}

func TestSessionsAndTheAllocation(t *testing.T) {
	s := seeded(t, sf.Options{Allocation: 3})
	path := "/services/data/v66.0/query?q=" + url.QueryEscape("SELECT Id FROM User")
	status, limit, _ := s.get(t, path)
	if status != http.StatusOK || limit != "api-usage=1/3" {
		t.Errorf("first query: %d, Sforce-Limit-Info %q; want 200 and api-usage=1/3", status, limit)
	}
	s.get(t, path)
	s.get(t, path)
	status, limit, v := s.get(t, path)
	if status != http.StatusForbidden || errorCode(v) != "REQUEST_LIMIT_EXCEEDED" || limit != "api-usage=3/3" {
		t.Errorf("past the allocation: %d %v %q, want 403 REQUEST_LIMIT_EXCEEDED", status, v, limit)
	}
	s.ExpireSessions()
	status, _, v = s.get(t, path)
	if status != http.StatusUnauthorized || errorCode(v) != "INVALID_SESSION_ID" {
		t.Errorf("an expired session: %d %v, want 401 INVALID_SESSION_ID", status, v)
	}
}

func TestTheTokenEndpointRefusesWhatItShould(t *testing.T) {
	s := sf.New(sf.Options{})
	defer s.Close()
	post := func(form url.Values) (int, map[string]any) {
		resp, err := http.PostForm(s.URL()+"/services/oauth2/token", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {sf.DefaultClientID}, "client_secret": {sf.DefaultClientSecret}}
	tests := []struct {
		name string
		edit func(url.Values)
		err  string
	}{
		{"a wrong secret", func(v url.Values) { v.Set("client_secret", "x") }, "invalid_client"},
		{"an unknown client", func(v url.Values) { v.Set("client_id", "x") }, "invalid_client"},
		{"the password grant", func(v url.Values) { v.Set("grant_type", "password") }, "unsupported_grant_type"},
		{"no grant", func(v url.Values) { v.Del("grant_type") }, "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range good {
				form[k] = append([]string(nil), v...)
			}
			tc.edit(form)
			status, out := post(form)
			if status != http.StatusBadRequest || out["error"] != tc.err || out["error_description"] == "" {
				t.Errorf("%d %v, want 400 %s with a description", status, out, tc.err)
			}
		})
	}
	status, out := post(good)
	if status != http.StatusOK || out["instance_url"] != s.URL() || !strings.Contains(out["access_token"].(string), "!") {
		t.Errorf("good credentials: %d %v", status, out)
	}
	s.Revoke()
	if status, out := post(good); status != http.StatusBadRequest || out["error"] != "invalid_client" {
		t.Errorf("after Revoke: %d %v, want invalid_client", status, out)
	}
}
