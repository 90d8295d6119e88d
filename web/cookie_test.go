package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/web"
)

// sessionCookieFrom signs in through srv's handler directly and returns
// the session cookie it set.
func sessionCookieFrom(t *testing.T, f *fixture, publicURL string) *http.Cookie {
	t.Helper()
	srv, err := web.New(web.Config{Store: f.db, Catalog: mustCatalog(t), PublicURL: publicURL,
		Clock: pulse.ClockFunc(f.clock), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(f.link(t, manager), f.srv.URL)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	form := rec.Result()
	var nonce *http.Cookie
	for _, c := range form.Cookies() {
		if c.Name == "pulse_signin" {
			nonce = c
		}
	}
	if nonce == nil {
		t.Fatal("the sign-in form set no cookie for its token")
	}
	req := httptest.NewRequest("POST", path, strings.NewReader(url.Values{"csrf": {nonce.Value}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(nonce)
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "pulse_session" {
			return c
		}
	}
	t.Fatalf("no session cookie after sign-in: %d", rec.Code)
	return nil
}

func TestTheSessionCookieIsHttpOnlyLaxAndSecureBehindHTTPS(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct {
		url    string
		secure bool
	}{{"https://pulse.example.com", true}, {"http://localhost:8090", false}} {
		c := sessionCookieFrom(t, f, tt.url)
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.secure || c.MaxAge != 12*60*60 || c.Path != "/" {
			t.Errorf("%s: cookie %+v, want HttpOnly, SameSite=Lax, Secure=%v, 12 h, path /", tt.url, c, tt.secure)
		}
	}
}

func TestPagesForbidScriptsFramesAndReferrers(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.link(t, manager))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := resp.Header
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q lets scripts in", csp)
	}
	if h.Get("Referrer-Policy") != "no-referrer" || h.Get("Cache-Control") != "no-store" || h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers %v", h)
	}
}

func TestAPublicURLMustBeHTTP(t *testing.T) {
	db := newFixture(t).db
	for _, bad := range []string{"", "pulse.example.com", "ftp://x", "https://"} {
		if _, err := web.New(web.Config{Store: db, Catalog: mustCatalog(t), PublicURL: bad}); err == nil {
			t.Errorf("public URL %q accepted", bad)
		}
	}
}
