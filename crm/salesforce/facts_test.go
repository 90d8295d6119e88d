package salesforce_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	sf "github.com/salespulse/pulse/crm/salesforce/salesforcetest"
)

// facts holds the shapes and patterns of testdata/FACTS.md.
type facts struct {
	shapes   map[string]any            // json shape=NAME blocks
	patterns map[string]*regexp.Regexp // pattern=NAME `regexp`
	examples map[string]string         // the example after a pattern, if any
}

var (
	shapeFence = regexp.MustCompile("(?s)```json shape=([a-z-]+)\n(.*?)```")
	patternRE  = regexp.MustCompile("pattern=([a-z-]+) `([^`]+)`(?: (\\S+))?")
)

func readFacts(t *testing.T) facts {
	t.Helper()
	b, err := os.ReadFile("testdata/FACTS.md")
	if err != nil {
		t.Fatal(err)
	}
	f := facts{shapes: map[string]any{}, patterns: map[string]*regexp.Regexp{}, examples: map[string]string{}}
	for _, m := range shapeFence.FindAllStringSubmatch(string(b), -1) {
		var v any
		if err := json.Unmarshal([]byte(m[2]), &v); err != nil {
			t.Fatalf("FACTS.md shape %s is not JSON: %v", m[1], err)
		}
		f.shapes[m[1]] = v
	}
	for _, m := range patternRE.FindAllStringSubmatch(string(b), -1) {
		f.patterns[m[1]] = regexp.MustCompile(m[2])
		f.examples[m[1]] = m[3]
	}
	for _, name := range []string{"token", "token-error", "query-page", "query-done", "aggregate-record", "api-error"} {
		if f.shapes[name] == nil {
			t.Fatalf("FACTS.md has no shape %s", name)
		}
	}
	for _, name := range []string{"next-records-url", "record-url", "datetime-value", "limit-info"} {
		if f.patterns[name] == nil {
			t.Fatalf("FACTS.md has no pattern %s", name)
		}
	}
	return f
}

// kind is a JSON value's type.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

// sameShape lists where got differs from the documented want: a key of
// want missing from got or of another type, and, when exact, a key of got
// that want lacks. Arrays compare their first elements.
func sameShape(want, got any, path string, exact bool) []string {
	if kind(want) != kind(got) {
		return []string{fmt.Sprintf("%s is %s, documented %s", path, kind(got), kind(want))}
	}
	var diffs []string
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s lacks %q", path, k))
				continue
			}
			diffs = append(diffs, sameShape(wv, gv, path+"."+k, exact)...)
		}
		if exact {
			for k := range g {
				if _, ok := w[k]; !ok {
					diffs = append(diffs, fmt.Sprintf("%s has %q, which is not documented", path, k))
				}
			}
		}
	case []any:
		g := got.([]any)
		if len(w) > 0 && len(g) == 0 {
			return []string{path + " is empty"}
		}
		if len(w) > 0 {
			diffs = append(diffs, sameShape(w[0], g[0], path+"[0]", exact)...)
		}
	}
	return diffs
}

// attributesOnly returns v's records with only their attributes: the documented
// examples select other fields than Pulse does.
func attributesOnly(v any) any {
	m := v.(map[string]any)
	out := map[string]any{}
	for k, x := range m {
		out[k] = x
	}
	var recs []any
	for _, r := range m["records"].([]any) {
		recs = append(recs, map[string]any{"attributes": r.(map[string]any)["attributes"]})
	}
	out["records"] = recs
	return out
}

func TestTheStandInAnswersInTheShapesOfFactsMD(t *testing.T) {
	f := readFacts(t)
	srv := sf.New(sf.Options{BatchSize: 2})
	defer srv.Close()
	owner := srv.AddUser(sf.User{Email: "ana@example.com", Name: "Ana"})
	for i := range 3 {
		srv.AddEvent(sf.Event{OwnerID: owner, Start: time.Date(2026, 3, 9, 9+i, 0, 0, 0, time.UTC)})
	}
	srv.AddOpportunity(sf.Opportunity{OwnerID: owner, Won: true, CloseDate: pulse.MustDate("2026-03-09"), Amount: sf.Amount(12.5)})

	post := func(secret string) (int, any) {
		resp, err := http.PostForm(srv.URL()+"/services/oauth2/token", url.Values{
			"grant_type": {"client_credentials"}, "client_id": {sf.DefaultClientID}, "client_secret": {secret},
		})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	status, tok := post(sf.DefaultClientSecret)
	if status != http.StatusOK {
		t.Fatalf("token: %d %v", status, tok)
	}
	token := tok.(map[string]any)["access_token"].(string)
	get := func(path, bearer string) (int, http.Header, any) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL()+path, nil)
		req.Header.Set("Authorization", "Bearer "+bearer)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("GET %s: %q", path, b)
		}
		return resp.StatusCode, resp.Header, v
	}
	q := func(soql string) string { return "/services/data/v66.0/query?q=" + url.QueryEscape(soql) }

	_, badTok := post("wrong")
	_, hdr, page := get(q("SELECT OwnerId, StartDateTime FROM Event"), token)
	next, _ := page.(map[string]any)["nextRecordsUrl"].(string)
	_, _, done := get(next, token)
	_, _, agg := get(q("SELECT OwnerId, COUNT(Id), SUM(Amount) FROM Opportunity GROUP BY OwnerId"), token)
	_, _, apiErr := get(q("SELECT Id FROM Event"), "not-a-session")
	for name, v := range map[string]any{"the first page": page, "the last page": done, "the aggregate": agg} {
		if m, ok := v.(map[string]any); !ok || kind(m["records"]) != "array" || len(m["records"].([]any)) == 0 {
			t.Fatalf("%s is not a query answer with records: %v", name, v)
		}
	}

	checks := []struct {
		name  string
		got   any
		exact bool
	}{
		{"token", tok, false}, // the stand-in adds scope
		{"token-error", badTok, true},
		{"query-page", attributesOnly(page), true},
		{"query-done", attributesOnly(done), true},
		{"api-error", apiErr, true},
	}
	for _, c := range checks {
		want := f.shapes[c.name]
		if strings.HasPrefix(c.name, "query-") {
			want = attributesOnly(want)
		}
		for _, d := range sameShape(want, c.got, c.name, c.exact) {
			t.Errorf("%s: %s", c.name, d)
		}
	}

	rec := agg.(map[string]any)["records"].([]any)[0].(map[string]any)
	for _, d := range sameShape(f.shapes["aggregate-record"].(map[string]any)["attributes"], rec["attributes"], "aggregate attributes", true) {
		t.Error(d)
	}
	if kind(rec["expr0"]) != "number" || kind(rec["expr1"]) != "number" {
		t.Errorf("aggregate record %v: want expr0 and expr1 numbers", rec)
	}

	matches := func(name, v string) {
		t.Helper()
		if p := f.patterns[name]; !p.MatchString(v) {
			t.Errorf("%s: %q does not match %s", name, v, p)
		}
		if ex := f.examples[name]; ex != "" && !f.patterns[name].MatchString(ex) {
			t.Errorf("%s: the documented %q does not match its own pattern", name, ex)
		}
	}
	matches("next-records-url", next)
	matches("next-records-url", f.shapes["query-page"].(map[string]any)["nextRecordsUrl"].(string))
	first := page.(map[string]any)["records"].([]any)[0].(map[string]any)
	matches("record-url", first["attributes"].(map[string]any)["url"].(string))
	for _, shape := range []string{"query-page", "query-done"} {
		for _, r := range f.shapes[shape].(map[string]any)["records"].([]any) {
			matches("record-url", r.(map[string]any)["attributes"].(map[string]any)["url"].(string))
		}
	}
	matches("datetime-value", first["StartDateTime"].(string))
	matches("limit-info", hdr.Get("Sforce-Limit-Info"))

	codes := []string{}
	for _, e := range apiErr.([]any) {
		codes = append(codes, e.(map[string]any)["errorCode"].(string))
	}
	if !slices.Equal(codes, []string{"INVALID_SESSION_ID"}) {
		t.Errorf("a bad session is answered %v", codes)
	}
}
