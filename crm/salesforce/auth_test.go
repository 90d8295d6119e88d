package salesforce_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/salesforce"
	sf "github.com/salespulse/pulse/crm/salesforce/salesforcetest"
)

// oneDay asks for calls of one owner on one day.
func oneDay(id string) pulse.CRMQuery {
	return pulse.CRMQuery{Owners: []string{id}, From: pulse.MustDate("2026-03-09"), To: pulse.MustDate("2026-03-09"), Measures: []pulse.MeasureSpec{calls}}
}

func TestAnExpiredSessionIsRenewedOnceAndTheCallGoesOn(t *testing.T) {
	o := newOrg(t, sf.Options{}, nil)
	id := o.srv.AddUser(sf.User{Email: "ana@example.com"})
	o.srv.AddTask(sf.Task{OwnerID: id, Subtype: "Call", Day: pulse.MustDate("2026-03-09")})
	ctx := context.Background()
	if _, err := o.client.Owners(ctx); err != nil {
		t.Fatal(err)
	}
	o.srv.ExpireSessions()
	got, err := o.client.Figures(ctx, oneDay(id))
	if err != nil {
		t.Fatalf("Figures after the session expired: %v", err)
	}
	if n := got[id][pulse.MustDate("2026-03-09")][calls]; n != 1 {
		t.Errorf("calls = %v, want 1", n)
	}
	if c := o.srv.Calls(); c.Token != 2 {
		t.Errorf("%d token requests, want 2: the first session and one renewal", c.Token)
	}
}

func TestARefusedCredentialIsUnauthorizedWithoutARetryStorm(t *testing.T) {
	tests := []struct {
		name string
		// break the org after a first, good call.
		breakIt func(s *sf.Server)
		// tokens and API requests the failing call may send.
		tokens, api int
	}{
		{"the client secret is revoked", (*sf.Server).Revoke, 1, 1},
		{"new sessions are refused too", func(s *sf.Server) { s.RefuseSessions(true) }, 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := newOrg(t, sf.Options{}, nil)
			id := o.srv.AddUser(sf.User{Email: "ana@example.com"})
			ctx := context.Background()
			if _, err := o.client.Figures(ctx, oneDay(id)); err != nil {
				t.Fatal(err)
			}
			tc.breakIt(o.srv)
			before := o.rec.Sent()
			for range 3 {
				_, err := o.client.Figures(ctx, oneDay(id))
				if code := pulse.ErrorCode(err); code != pulse.EUNAUTHORIZED {
					t.Fatalf("error %v has code %q, want %q", err, code, pulse.EUNAUTHORIZED)
				}
				if key, data := pulse.ErrorKey(err); key != "err.crm_unauthorized" || data["CRM"] != "Salesforce" {
					t.Errorf("error key %q %v, want err.crm_unauthorized for Salesforce", key, data)
				}
			}
			tokens, api := 0, 0
			for _, s := range o.rec.Sent()[len(before):] {
				if strings.HasSuffix(s.path, "/oauth2/token") {
					tokens++
				} else {
					api++
				}
			}
			if tokens != 3*tc.tokens || api != 3*tc.api {
				t.Errorf("three calls sent %d token and %d API requests, want %d and %d", tokens, api, 3*tc.tokens, 3*tc.api)
			}
		})
	}
}

func TestAWrongSecretIsUnauthorizedOnTheFirstCall(t *testing.T) {
	o := newOrg(t, sf.Options{}, func(c *salesforce.Config) { c.ClientSecret = pulse.NewSecret("not-the-secret") })
	_, err := o.client.Owners(context.Background())
	if code := pulse.ErrorCode(err); code != pulse.EUNAUTHORIZED {
		t.Fatalf("error %v has code %q, want %q", err, code, pulse.EUNAUTHORIZED)
	}
	if !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("error %q does not name Salesforce's reason", err)
	}
	if strings.Contains(err.Error(), "not-the-secret") {
		t.Errorf("error %q spells out the secret", err)
	}
}

func TestTheRequestLimitStopsTheCallAtOnce(t *testing.T) {
	o := newOrg(t, sf.Options{}, nil)
	id := o.srv.AddUser(sf.User{Email: "ana@example.com"})
	o.srv.SetUsage(100_000, 100_000)
	_, err := o.client.Figures(context.Background(), pulse.CRMQuery{
		Owners: []string{id}, From: pulse.MustDate("2026-03-09"), To: pulse.MustDate("2026-03-09"), Measures: measure,
	})
	var le *salesforce.LimitError
	if !errors.As(err, &le) || le.Code != "REQUEST_LIMIT_EXCEEDED" {
		t.Fatalf("error %v, want a LimitError of REQUEST_LIMIT_EXCEEDED", err)
	}
	if le.Usage != (salesforce.Usage{Used: 100_000, Limit: 100_000}) {
		t.Errorf("usage %+v, want 100000/100000 from Sforce-Limit-Info", le.Usage)
	}
	if code := pulse.ErrorCode(err); code == pulse.EUNAUTHORIZED {
		t.Errorf("a spent allocation is %q; the credential is fine", code)
	}
	if n := len(o.rec.Sent()); n != 2 {
		t.Errorf("%d requests sent, want the token and one query", n)
	}
}

func TestACallStopsWhenTheOrgsUsagePassesItsShare(t *testing.T) {
	o := newOrg(t, sf.Options{}, nil)
	id := o.srv.AddUser(sf.User{Email: "ana@example.com"})
	o.srv.SetUsage(89_999, 100_000)
	_, err := o.client.Figures(context.Background(), pulse.CRMQuery{
		Owners: []string{id}, From: pulse.MustDate("2026-03-09"), To: pulse.MustDate("2026-03-09"), Measures: measure,
	})
	var le *salesforce.LimitError
	if !errors.As(err, &le) || le.Code != "" {
		t.Fatalf("error %v, want Pulse's own LimitError", err)
	}
	if used, _ := o.srv.Usage(); used != 90_000 {
		t.Errorf("the org used %d requests, want 90000: one query, then stop", used)
	}
	if got := o.client.Usage(); got != (salesforce.Usage{Used: 90_000, Limit: 100_000}) {
		t.Errorf("Usage() = %+v", got)
	}
}

func TestAnUnavailableOrgIsWaitedOutOnce(t *testing.T) {
	tests := []struct {
		name  string
		fails int
		ok    bool
	}{
		{"one 503 is waited out", 1, true},
		{"a second 503 fails the call", 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := newOrg(t, sf.Options{}, func(c *salesforce.Config) { c.MinInterval = -1 })
			id := o.srv.AddUser(sf.User{Email: "ana@example.com"})
			o.srv.FailUnavailable(tc.fails)
			_, err := o.client.Figures(context.Background(), oneDay(id))
			if (err == nil) != tc.ok {
				t.Fatalf("error %v, want success %v", err, tc.ok)
			}
			if got := o.clock.SleptInAll(); got != 5*time.Second {
				t.Errorf("waited %v, want 5s once", got)
			}
		})
	}
}

func TestRequestsArePacedByTheInjectedClock(t *testing.T) {
	o := newOrg(t, sf.Options{}, nil) // DefaultMinInterval
	id := o.srv.AddUser(sf.User{Email: "ana@example.com"})
	if _, err := o.client.Figures(context.Background(), pulse.CRMQuery{
		Owners: []string{id}, From: pulse.MustDate("2026-03-09"), To: pulse.MustDate("2026-03-09"), Measures: measure,
	}); err != nil {
		t.Fatal(err)
	}
	sent := o.rec.Sent()
	if len(sent) != 6 {
		t.Fatalf("%d requests, want the token and five queries", len(sent))
	}
	for i := 1; i < len(sent); i++ {
		if gap := sent[i].at.Sub(sent[i-1].at); gap < salesforce.DefaultMinInterval {
			t.Errorf("request %d started %v after the one before, want at least %v", i, gap, salesforce.DefaultMinInterval)
		}
	}
}

func TestANextRecordsURLOfAnotherHostIsNotFollowed(t *testing.T) {
	var other int
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { other++ }))
	defer evil.Close()
	var org *httptest.Server
	org = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/services/oauth2/token" {
			fmt.Fprintf(w, `{"access_token":"tok","instance_url":%q,"token_type":"Bearer"}`, org.URL)
			return
		}
		fmt.Fprintf(w, `{"totalSize":2,"done":false,"nextRecordsUrl":%q,"records":[{"attributes":{"type":"User"},"Id":"005000000000001AAA","Email":"a@example.com","Name":"A"}]}`, evil.URL+"/services/data/v66.0/query/01g-1")
	}))
	defer org.Close()
	c, err := salesforce.New(salesforce.Config{LoginURL: org.URL, ClientID: "id", ClientSecret: pulse.NewSecret("secret"), MinInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Owners(context.Background()); err == nil || !strings.Contains(err.Error(), "nextRecordsUrl") {
		t.Errorf("error %v, want one about the nextRecordsUrl", err)
	}
	if other != 0 {
		t.Errorf("the other host got %d requests", other)
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	const secret = "s3cr3t-consumer-secret"
	o := newOrg(t, sf.Options{ClientSecret: secret}, func(c *salesforce.Config) { c.ClientSecret = pulse.NewSecret(secret) })
	if _, err := o.client.Owners(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg := salesforce.Config{LoginURL: o.srv.URL(), ClientID: "id", ClientSecret: pulse.NewSecret(secret)}
	var log strings.Builder
	slog.New(slog.NewJSONHandler(&log, nil)).Info("config", "cfg", cfg, "secret", cfg.ClientSecret, "client", o.client)
	for name, out := range map[string]string{
		"%v config": fmt.Sprintf("%v", cfg), "%+v config": fmt.Sprintf("%+v", cfg), "%#v config": fmt.Sprintf("%#v", cfg),
		"%+v client": fmt.Sprintf("%+v", o.client), "%#v client": fmt.Sprintf("%#v", o.client),
		"slog": log.String(),
	} {
		if strings.Contains(out, secret) || strings.Contains(out, "!AQ0standin") {
			t.Errorf("%s shows a secret or an access token: %s", name, out)
		}
	}
}

func TestNewRefusesAConfigItCannotUse(t *testing.T) {
	good := salesforce.Config{LoginURL: "https://acme.my.salesforce.com", ClientID: "id", ClientSecret: pulse.NewSecret("s")}
	tests := []struct {
		name string
		edit func(*salesforce.Config)
	}{
		{"no login URL", func(c *salesforce.Config) { c.LoginURL = "" }},
		{"a login URL without a scheme", func(c *salesforce.Config) { c.LoginURL = "acme.my.salesforce.com" }},
		{"no client secret", func(c *salesforce.Config) { c.ClientSecret = pulse.Secret{} }},
		{"no client ID", func(c *salesforce.Config) { c.ClientID = "" }},
		{"an API version not like v66.0", func(c *salesforce.Config) { c.APIVersion = "66" }},
	}
	if _, err := salesforce.New(good); err != nil {
		t.Fatalf("the good config: %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := good
			tc.edit(&cfg)
			if _, err := salesforce.New(cfg); err == nil {
				t.Error("New accepted it")
			}
		})
	}
}
