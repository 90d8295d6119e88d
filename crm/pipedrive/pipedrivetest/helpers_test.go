package pipedrivetest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse/crm/pipedrive/pipedrivetest"
)

// reply is one answer of the stand-in, decoded.
type reply struct {
	status int
	header http.Header
	body   map[string]any
}

// get sends GET path?query with the token in the x-api-token header (none
// when token is empty) and decodes the JSON answer.
func get(t *testing.T, s *pipedrivetest.Server, token, path string, query url.Values) reply {
	t.Helper()
	u := s.URL() + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("x-api-token", token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header}
	if err := json.NewDecoder(resp.Body).Decode(&r.body); err != nil {
		t.Fatalf("GET %s: %d with a body that is not JSON: %v", path, resp.StatusCode, err)
	}
	return r
}

// data returns the records of a list answer.
func (r reply) data(t *testing.T) []map[string]any {
	t.Helper()
	raw, ok := r.body["data"].([]any)
	if !ok {
		t.Fatalf("data is %T, want an array: %v", r.body["data"], r.body)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i] = v.(map[string]any)
	}
	return out
}

// nextCursor returns additional_data.next_cursor, "" when it is null.
func (r reply) nextCursor(t *testing.T) string {
	t.Helper()
	ad, ok := r.body["additional_data"].(map[string]any)
	if !ok {
		t.Fatalf("additional_data is %T: %v", r.body["additional_data"], r.body)
	}
	v, present := ad["next_cursor"]
	if !present {
		t.Fatalf("additional_data has no next_cursor: %v", ad)
	}
	s, _ := v.(string)
	return s
}

// facts reads the ```facts NAME blocks of ../testdata/FACTS.md: for each
// name, the words of its block.
func facts(t *testing.T) map[string][]string {
	t.Helper()
	src, err := os.ReadFile("../testdata/FACTS.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	name := ""
	for line := range strings.SplitSeq(string(src), "\n") {
		switch {
		case strings.HasPrefix(line, "```facts "):
			name = strings.TrimSpace(strings.TrimPrefix(line, "```facts "))
		case strings.HasPrefix(line, "```"):
			name = ""
		case name != "":
			out[name] = append(out[name], strings.Fields(line)...)
		}
	}
	if len(out) == 0 {
		t.Fatal("FACTS.md has no facts blocks")
	}
	return out
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
