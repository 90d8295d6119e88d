package pipedrive_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/pipedrive"
	"github.com/salespulse/pulse/crm/pipedrive/pipedrivetest"
)

func TestOwnersAreTheCompanysUsersWithTheirEmailsLowerCased(t *testing.T) {
	c := newClock()
	s := standIn(t, c)
	s.AddUser("Nora York", "Nora.York@Example.COM")
	gone := s.AddUser("Gone Person", "gone@example.com")
	s.AddUser("Ola Oslo", "ola@example.com")
	s.RemoveUser(gone)
	cl := client(t, s, c)
	if cl.Kind() != pulse.CRMPipedrive {
		t.Errorf("kind %q", cl.Kind())
	}
	got, err := cl.Owners(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []pulse.CRMOwner{{ID: "1", Email: "nora.york@example.com", Name: "Nora York"}, {ID: "3", Email: "ola@example.com", Name: "Ola Oslo"}}
	if !slices.Equal(got, want) {
		t.Errorf("owners %v, want %v (the user deleted from the company left out)", got, want)
	}
}

// roundTrip adapts a function to http.RoundTripper.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRequestsGoToTheCompanyDomainWithTheTokenInTheHeaderOnly(t *testing.T) {
	for _, domain := range []string{"acme", "ACME.pipedrive.com", "https://acme.pipedrive.com/"} {
		t.Run(domain, func(t *testing.T) {
			var got *http.Request
			h := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
				got = r
				return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"success":true,"data":[]}`))}, nil
			})}
			cl, err := pipedrive.New(domain, pulse.NewSecret("tok-123"), pipedrive.WithHTTPClient(h))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := cl.Owners(context.Background()); err != nil {
				t.Fatal(err)
			}
			if u := got.URL.String(); u != "https://acme.pipedrive.com/api/v1/users" {
				t.Errorf("URL %s", u)
			}
			if got.Header.Get("x-api-token") != "tok-123" || strings.Contains(got.URL.String(), "tok-123") {
				t.Errorf("token in header %q, URL %s", got.Header.Get("x-api-token"), got.URL)
			}
		})
	}
}

func TestNewRefusesADomainOrTokenItCannotUse(t *testing.T) {
	tests := []struct {
		name   string
		domain string
		token  string
	}{
		{"an empty domain", "", "tok"},
		{"a domain with a space", "ac me", "tok"},
		{"another host", "evil.example.com/x", "tok"},
		{"an empty token", "acme", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := pipedrive.New(tt.domain, pulse.NewSecret(tt.token)); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestA429IsWaitedOutForItsRetryAfter(t *testing.T) {
	c := newClock()
	s := standIn(t, c)
	s.AddUser("Rep", "rep@example.com")
	s.RateLimitNext(2, 7*time.Second)
	got, err := client(t, s, c).Owners(context.Background())
	if err != nil || len(got) != 1 {
		t.Fatalf("owners %v, %v", got, err)
	}
	var statuses []int
	for _, call := range s.Calls() {
		statuses = append(statuses, call.Status)
	}
	if !slices.Equal(statuses, []int{429, 429, 200}) {
		t.Errorf("statuses %v, want two 429s then 200", statuses)
	}
	waits := 0
	for _, d := range c.Slept() {
		if d >= 7*time.Second {
			waits++
		}
	}
	if waits != 2 {
		t.Errorf("slept %v, want two waits of at least Retry-After's 7 s", c.Slept())
	}
}

func TestA429IsNotWaitedOutBeyondAMinuteNorBeyondFiveTries(t *testing.T) {
	tests := []struct {
		name       string
		n          int
		retryAfter time.Duration
		calls      int
	}{
		{"a Retry-After of hours: the daily budget is spent", 1, 3 * time.Hour, 1},
		{"429s that do not stop", 10, time.Second, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			s := standIn(t, c)
			s.RateLimitNext(tt.n, tt.retryAfter)
			_, err := client(t, s, c).Owners(context.Background())
			if err == nil || pulse.ErrorCode(err) == pulse.EUNAUTHORIZED {
				t.Fatalf("error %v, want a rate-limit error", err)
			}
			if n := len(s.Calls()); n != tt.calls {
				t.Errorf("%d calls, want %d", n, tt.calls)
			}
			for _, d := range c.Slept() {
				if d > time.Minute {
					t.Errorf("slept %s", d)
				}
			}
		})
	}
}

func TestAServerErrorIsTriedAgainAfterAPause(t *testing.T) {
	c := newClock()
	s := standIn(t, c)
	s.AddUser("Rep", "rep@example.com")
	s.FailNext(2, http.StatusServiceUnavailable)
	if _, err := client(t, s, c).Owners(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Calls()); n != 3 {
		t.Errorf("%d calls, want two 503s and a 200", n)
	}
	if slept := c.Slept(); !slices.Contains(slept, time.Second) || !slices.Contains(slept, 2*time.Second) {
		t.Errorf("slept %v, want pauses of 1 s and 2 s", slept)
	}
}

func TestARefusedTokenIsUnauthorizedAtOnce(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(*pipedrivetest.Server)
	}{
		{"a revoked token", (*pipedrivetest.Server).Revoke},
		{"a company account that is not open", func(s *pipedrivetest.Server) { s.FailNext(10, http.StatusPaymentRequired) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			s := standIn(t, c)
			me := s.AddUser("Rep", "rep@example.com")
			tt.spoil(s)
			cl := client(t, s, c, pipedrive.WithConcurrency(1))
			_, err := cl.Owners(context.Background())
			if pulse.ErrorCode(err) != pulse.EUNAUTHORIZED {
				t.Errorf("owners: error %v (code %q), want %s", err, pulse.ErrorCode(err), pulse.EUNAUTHORIZED)
			}
			day := pulse.MustDate("2026-03-10")
			_, err = cl.Figures(context.Background(), pulse.CRMQuery{Owners: []string{id(me), "2", "3"}, From: day, To: day, Measures: measures})
			if pulse.ErrorCode(err) != pulse.EUNAUTHORIZED {
				t.Errorf("figures: error %v (code %q), want %s", err, pulse.ErrorCode(err), pulse.EUNAUTHORIZED)
			}
			if n := len(s.Calls()); n != 2 {
				t.Errorf("%d calls, want one for owners and one for figures: no retry, no other owner asked", n)
			}
			var pe *pulse.Error
			if errors.As(err, &pe) && (pe.Key == "" || pe.Data["CRM"] != "Pipedrive") {
				t.Errorf("error key %q data %v: a person cannot be told which CRM refused", pe.Key, pe.Data)
			}
		})
	}
}

func TestTheTokenNeverShowsInErrorsLogsOrURLs(t *testing.T) {
	const secret = "tok-SECRET-4242"
	c := newClock()
	s := standIn(t, c, pipedrivetest.WithToken(secret))
	s.AddUser("Rep", "rep@example.com")
	cl, err := pipedrive.New("acme", pulse.NewSecret(secret), pipedrive.WithBaseURL(s.URL()), pipedrive.WithClock(c.Now, c.Sleep))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Owners(context.Background()); err != nil {
		t.Fatalf("the right token is refused: %v", err)
	}
	s.Revoke()
	_, refused := cl.Owners(context.Background())
	s.Close()
	_, unreachable := cl.Owners(context.Background())
	if unreachable == nil {
		t.Fatal("no error from a closed server")
	}

	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	tok := pulse.NewSecret(secret)
	log.Info("config", "token", tok, "client", cl)
	jsonBytes, _ := json.Marshal(struct{ Token pulse.Secret }{tok})
	outputs := map[string]string{
		"a refused token's error":  refused.Error(),
		"a network error":          unreachable.Error(),
		"a slog JSON line":         logs.String(),
		"encoding/json":            string(jsonBytes),
		"%v of the token":          fmt.Sprintf("%v", tok),
		"%#v of the token":         fmt.Sprintf("%#v", tok),
		"%x of the token":          fmt.Sprintf("%x", tok),
		"%+v of the client":        fmt.Sprintf("%+v", cl),
		"%#v of the client":        fmt.Sprintf("%#v", *cl),
		"String of the token":      tok.String(),
		"the refused call's query": s.Calls()[1].Query.Encode(),
	}
	for name, out := range outputs {
		for _, leak := range []string{secret, fmt.Sprintf("%x", secret)} {
			if strings.Contains(out, leak) {
				t.Errorf("%s shows the token: %s", name, out)
			}
		}
	}
	for _, call := range s.Calls() {
		if call.TokenInQuery {
			t.Errorf("%s carried the token in its URL", call.Path)
		}
	}
}

func TestPacingKeepsASyncWithinLitesBurstLimit(t *testing.T) {
	c := newClock()
	s := standIn(t, c) // Lite: 20 requests per rolling 2 s
	var owners []string
	zones := map[string]*time.Location{}
	for i := range 50 {
		o := id(s.AddUser(fmt.Sprint("Rep ", i), fmt.Sprintf("rep%d@example.com", i)))
		owners = append(owners, o)
		zones[o] = newYork
	}
	day := pulse.MustDate("2026-03-10")
	cl := client(t, s, c, pipedrive.WithConcurrency(1)) // one at a time, so the clock moves only by the pace
	if _, err := cl.Figures(context.Background(), pulse.CRMQuery{Owners: owners, Zones: zones, From: day, To: day, Measures: measures}); err != nil {
		t.Fatal(err)
	}
	calls := s.Calls()
	if len(calls) != 100 {
		t.Fatalf("%d calls, want one list of activities and one of deals per owner", len(calls))
	}
	for i, call := range calls {
		if call.Status != http.StatusOK {
			t.Fatalf("call %d: status %d", i, call.Status)
		}
		if i >= 20 && call.At.Sub(calls[i-20].At) < 2*time.Second {
			t.Fatalf("calls %d to %d fall within %s, more than 20 in 2 s", i-20, i, call.At.Sub(calls[i-20].At))
		}
	}
	// The pace is the floor less one request a window (see paceBurst):
	// 99 gaps of 1/9.5 s, so not needlessly slower than the limit.
	if span, most := calls[99].At.Sub(calls[0].At), 99*time.Second*2/19+time.Millisecond; span > most {
		t.Errorf("100 calls took %s, want at most %s", span, most)
	}
}
