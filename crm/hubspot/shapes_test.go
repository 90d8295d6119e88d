package hubspot_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/hubspot/hubspottest"
)

// shapes is testdata/shapes.json: the fields of HubSpot's models as its
// generated client defines them.
type shapes struct {
	Models map[string]struct {
		Fields   map[string]string `json:"fields"`
		Required []string          `json:"required"`
	} `json:"models"`
	Enums map[string][]string `json:"enums"`
}

func loadShapes(t *testing.T) shapes {
	t.Helper()
	data, err := os.ReadFile("testdata/shapes.json")
	if err != nil {
		t.Fatal(err)
	}
	var s shapes
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// check fails the test where v, a decoded JSON object, has a field model
// lacks or lacks one model requires, down through the nested models.
func (s shapes) check(t *testing.T, model string, v any, where string) {
	t.Helper()
	m, ok := s.Models[model]
	if !ok {
		t.Fatalf("shapes.json has no model %s", model)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		t.Errorf("%s: %T where a %s object belongs", where, v, model)
		return
	}
	for _, r := range m.Required {
		if _, ok := obj[r]; !ok {
			t.Errorf("%s: %s lacks its required field %q", where, model, r)
		}
	}
	for k, fv := range obj {
		nested, ok := m.Fields[k]
		switch {
		case !ok:
			t.Errorf("%s: %s has no field %q", where, model, k)
		case fv == nil || nested == "" || nested == "map":
		case strings.HasPrefix(nested, "[]"):
			list, ok := fv.([]any)
			if !ok {
				t.Errorf("%s.%s: %T, want an array", where, k, fv)
				continue
			}
			for _, e := range list {
				s.check(t, nested[2:], e, where+"."+k+"[]")
			}
		default:
			s.check(t, nested, fv, where+"."+k)
		}
	}
}

func TestTheClientSendsHubSpotsShapes(t *testing.T) {
	s := loadShapes(t)
	f := newFixture(t)
	_, _, _, zones := seedMarch(t, f.srv)
	f.figures(t, zones, pulse.MustDate("2026-03-01"), pulse.MustDate("2026-03-31"))
	if _, err := f.client.Owners(context.Background()); err != nil {
		t.Fatal(err)
	}

	var searches, owners int
	for _, r := range f.srv.Requests() {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/search"):
			searches++
			var body map[string]any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatalf("search body %s: %v", r.Body, err)
			}
			s.check(t, "PublicObjectSearchRequest", body, r.Path)
			var req struct {
				Limit        int `json:"limit"`
				FilterGroups []struct {
					Filters []struct{ Operator string } `json:"filters"`
				} `json:"filterGroups"`
			}
			json.Unmarshal(r.Body, &req)
			if req.Limit < 1 || req.Limit > 200 {
				t.Errorf("%s asks for %d records a page, HubSpot allows 1 to 200", r.Path, req.Limit)
			}
			for _, g := range req.FilterGroups {
				for _, fl := range g.Filters {
					if !slices.Contains(s.Enums["FilterOperator"], fl.Operator) {
						t.Errorf("%s uses operator %q, not one of HubSpot's", r.Path, fl.Operator)
					}
				}
			}
		case r.Method == http.MethodGet && r.Path == "/crm/v3/owners/":
			owners++
			q, _ := url.ParseQuery(r.Query)
			for k := range q {
				if !slices.Contains([]string{"email", "after", "limit", "archived"}, k) {
					t.Errorf("the owners list takes no parameter %q", k)
				}
			}
		default:
			t.Errorf("a request to %s %s, which the client should not make", r.Method, r.Path)
		}
	}
	if searches == 0 || owners == 0 {
		t.Errorf("%d searches and %d owner lists checked; the test saw too little", searches, owners)
	}
}

func TestTheStandInAnswersHubSpotsShapes(t *testing.T) {
	s := loadShapes(t)
	srv := hubspottest.NewServer(hubspottest.WithSearchLimit(1, time.Hour))
	t.Cleanup(srv.Close)
	oslo := mustZone(t, "Europe/Oslo")
	for i := range 3 {
		id := srv.AddOwner("rep"+string(rune('a'+i))+"@example.com", "Rep", "X")
		srv.AddDeal(id, "10.5", at(oslo, 2026, 3, 10, 12, i), true)
	}
	do := func(method, path, token, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s %s answered %d with no JSON object: %s", method, path, resp.StatusCode, data)
		}
		return resp.StatusCode, v
	}
	search := `{"filterGroups":[{"filters":[{"propertyName":"hs_is_closed_won","operator":"EQ","value":"true"}]}],"properties":["amount","hubspot_owner_id"],"limit":2}`

	tests := []struct {
		name, method, path, token, body string
		status                          int
		model                           string
	}{
		{"a search page with a next cursor", "POST", "/crm/v3/objects/deals/search", srv.Token(), search, 200,
			"CollectionResponseWithTotalSimplePublicObjectForwardPaging"},
		{"a search over the per-second limit", "POST", "/crm/v3/objects/deals/search", srv.Token(), search, 429, "RateLimitError"},
		{"an owners page with a next cursor", "GET", "/crm/v3/owners/?limit=2", srv.Token(), "", 200,
			"CollectionResponsePublicOwnerForwardPaging"},
		{"a refused token", "GET", "/crm/v3/owners/", "pat-na1-wrong", "", 401, "Error"},
		{"an invalid owners cursor", "GET", "/crm/v3/owners/?after=x", srv.Token(), "", 400, "Error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, v := do(tt.method, tt.path, tt.token, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %v", status, tt.status, v)
			}
			s.check(t, tt.model, v, tt.name)
			if tt.status == 200 {
				// Every page here has a next one: paging.next.after is the cursor.
				next, _ := v["paging"].(map[string]any)["next"].(map[string]any)
				if after, _ := next["after"].(string); after == "" {
					t.Errorf("no paging.next.after in %v", v)
				}
				// A property's value is text or null, whatever its type.
				results, _ := v["results"].([]any)
				for _, r := range results {
					props, _ := r.(map[string]any)["properties"].(map[string]any)
					for k, pv := range props {
						if _, ok := pv.(string); !ok && pv != nil {
							t.Errorf("property %s is %T %v, want text or null", k, pv, pv)
						}
					}
				}
			}
		})
	}

}
