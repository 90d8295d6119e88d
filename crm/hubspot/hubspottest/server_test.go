package hubspottest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/hubspot/hubspottest"
)

// answer is one decoded reply.
type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func send(t *testing.T, s *hubspottest.Server, method, path, token, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s %s: %d with a body that is no JSON object: %s", method, path, resp.StatusCode, data)
	}
	return answer{resp.StatusCode, resp.Header, v}
}

func TestSearchIsValidatedAsHubSpotDoes(t *testing.T) {
	const ok = `{"propertyName":"hs_timestamp","operator":"GTE","value":"1772946000000"}`
	tests := []struct {
		name, object, body string
		status             int
	}{
		{"a valid search", "calls", `{"filterGroups":[{"filters":[` + ok + `]}],"limit":200}`, 200},
		{"an empty body searches everything", "calls", `{}`, 200},
		{"a datetime filter in ISO 8601", "calls", `{"filterGroups":[{"filters":[{"propertyName":"hs_timestamp","operator":"LT","value":"2026-03-08T05:00:00Z"}]}]}`, 200},
		{"a page of 201 records", "calls", `{"limit":201}`, 400},
		{"a page of no records", "calls", `{"limit":0}`, 400},
		{"a property calls do not have", "calls", `{"filterGroups":[{"filters":[{"propertyName":"closedate","operator":"EQ","value":"1"}]}]}`, 400},
		{"a property no object has", "deals", `{"filterGroups":[{"filters":[{"propertyName":"hs_closed_won","operator":"EQ","value":"true"}]}]}`, 400},
		{"an operator HubSpot lacks", "calls", `{"filterGroups":[{"filters":[{"propertyName":"hs_timestamp","operator":"AFTER","value":"1"}]}]}`, 400},
		{"IN with a value instead of values", "calls", `{"filterGroups":[{"filters":[{"propertyName":"hubspot_owner_id","operator":"IN","value":"1"}]}]}`, 400},
		{"a datetime that is no datetime", "calls", `{"filterGroups":[{"filters":[{"propertyName":"hs_timestamp","operator":"GTE","value":"yesterday"}]}]}`, 400},
		{"BETWEEN without a highValue", "calls", `{"filterGroups":[{"filters":[{"propertyName":"hs_timestamp","operator":"BETWEEN","value":"1"}]}]}`, 400},
		{"six filter groups", "calls", `{"filterGroups":[` + strings.Repeat(`{"filters":[`+ok+`]},`, 5) + `{"filters":[` + ok + `]}]}`, 400},
		{"seven filters in a group", "calls", `{"filterGroups":[{"filters":[` + strings.Repeat(ok+",", 6) + ok + `]}]}`, 400},
		{"a field the request model lacks", "calls", `{"filter_groups":[]}`, 400},
		{"a body that is no JSON", "calls", `{"limit":`, 400},
		{"a cursor that is no cursor", "calls", `{"after":"abc"}`, 400},
		{"a cursor at the 10,000th result", "calls", `{"after":"10000"}`, 400},
		{"a cursor just before it", "calls", `{"after":"9999"}`, 200},
		{"an object the stand-in does not serve", "tickets", `{}`, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := hubspottest.NewServer(hubspottest.WithSearchLimit(0, 0))
			defer s.Close()
			a := send(t, s, "POST", "/crm/v3/objects/"+tt.object+"/search", s.Token(), tt.body)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %v", a.status, tt.status, a.body)
			}
			if tt.status == 400 {
				if a.body["category"] != "VALIDATION_ERROR" || a.body["status"] != "error" || a.body["correlationId"] == "" {
					t.Errorf("a 400 not in HubSpot's shape: %v", a.body)
				}
				if errs, _ := a.body["errors"].([]any); len(errs) != 1 {
					t.Errorf("a 400 without one error detail: %v", a.body)
				}
			}
		})
	}
}

func TestSearchFindsPagesAndTotals(t *testing.T) {
	s := hubspottest.NewServer(hubspottest.WithSearchLimit(0, 0))
	defer s.Close()
	base := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	a, b := s.AddOwner("a@example.com", "A", "A"), s.AddOwner("b@example.com", "B", "B")
	for i := range 5 {
		s.AddCall(a, base.Add(time.Duration(i)*time.Hour))
	}
	s.AddCall(b, base)
	body := `{"filterGroups":[{"filters":[{"propertyName":"hubspot_owner_id","operator":"IN","values":["` + a + `"]},` +
		`{"propertyName":"hs_timestamp","operator":"GTE","value":"` + ms(base.Add(time.Hour)) + `"}]}],` +
		`"properties":["hs_timestamp","hubspot_owner_id","no_such_property"],"limit":3`
	first := send(t, s, "POST", "/crm/v3/objects/calls/search", s.Token(), body+`}`)
	if first.body["total"] != 4.0 {
		t.Errorf("total %v, want 4 of owner a's calls from 13:00", first.body["total"])
	}
	results := first.body["results"].([]any)
	if len(results) != 3 {
		t.Fatalf("%d results on the first page, want 3", len(results))
	}
	props := results[0].(map[string]any)["properties"].(map[string]any)
	if props["hs_timestamp"] != "2026-03-10T13:00:00Z" || props["hubspot_owner_id"] != a {
		t.Errorf("first result's properties %v", props)
	}
	if _, ok := props["no_such_property"]; ok {
		t.Errorf("a property that does not exist came back: %v", props)
	}
	for _, p := range []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id"} {
		if _, ok := props[p]; !ok {
			t.Errorf("%s missing from %v; every search returns it", p, props)
		}
	}
	after := first.body["paging"].(map[string]any)["next"].(map[string]any)["after"].(string)
	second := send(t, s, "POST", "/crm/v3/objects/calls/search", s.Token(), body+`,"after":"`+after+`"}`)
	if n := len(second.body["results"].([]any)); n != 1 {
		t.Errorf("%d results on the last page, want 1", n)
	}
	if _, ok := second.body["paging"]; ok {
		t.Errorf("the last page has paging: %v", second.body["paging"])
	}
}

func TestTheStandInLimitsRequestsLikeHubSpot(t *testing.T) {
	clk := pulse.NewManualClock(time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC))
	s := hubspottest.NewServer(hubspottest.WithClock(clk), hubspottest.WithSearchLimit(5, time.Second),
		hubspottest.WithRequestLimit(8, 10*time.Second))
	defer s.Close()
	search := func() answer { return send(t, s, "POST", "/crm/v3/objects/calls/search", s.Token(), `{}`) }

	for i := range 5 {
		if a := search(); a.status != 200 {
			t.Fatalf("search %d in the first second: %d, want 200", i+1, a.status)
		}
	}
	a := search()
	if a.status != 429 || a.body["policyName"] != "SECONDLY" || a.header.Get("Retry-After") != "1" {
		t.Errorf("a sixth search in a second: %d %v Retry-After %q; want 429 SECONDLY, Retry-After 1", a.status, a.body, a.header.Get("Retry-After"))
	}
	clk.Advance(time.Second)
	for i := range 3 {
		if a := search(); a.status != 200 {
			t.Fatalf("search %d in the next second: %d, want 200", i+1, a.status)
		}
	}
	a = send(t, s, "GET", "/crm/v3/owners/", s.Token(), "")
	if a.status != 429 || a.body["policyName"] != "TEN_SECONDLY_ROLLING" || a.header.Get("Retry-After") != "9" {
		t.Errorf("a ninth request in ten seconds: %d %v Retry-After %q; want 429 TEN_SECONDLY_ROLLING, Retry-After 9", a.status, a.body, a.header.Get("Retry-After"))
	}
	clk.Advance(9 * time.Second)
	if a := send(t, s, "GET", "/crm/v3/owners/", s.Token(), ""); a.status != 200 {
		t.Errorf("after the window: %d, want 200", a.status)
	}
	if st := s.Stats(); st.RateLimited != 2 || st.Searches != 8 || st.OwnerPages != 1 {
		t.Errorf("stats %+v, want 2 rate limited, 8 searches, 1 owners page", st)
	}
}

func TestARevokedTokenIsRefused(t *testing.T) {
	s := hubspottest.NewServer()
	defer s.Close()
	if a := send(t, s, "GET", "/crm/v3/owners", s.Token(), ""); a.status != 200 {
		t.Fatalf("before revoking: %d", a.status)
	}
	s.Revoke()
	for _, path := range []string{"/crm/v3/owners/", "/crm/v3/objects/deals/search"} {
		method := "GET"
		if strings.HasSuffix(path, "search") {
			method = "POST"
		}
		a := send(t, s, method, path, s.Token(), `{}`)
		if a.status != 401 || a.body["category"] != "INVALID_AUTHENTICATION" {
			t.Errorf("%s after revoking: %d %v, want 401 INVALID_AUTHENTICATION", path, a.status, a.body)
		}
	}
	if a := send(t, s, "GET", "/crm/v3/owners/", "", ""); a.status != 401 {
		t.Errorf("no token: %d, want 401", a.status)
	}
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
