package main

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestHealthURL(t *testing.T) {
	tests := []struct {
		name, addr, want string
	}{
		{"a port alone is asked on loopback", ":8080", "http://127.0.0.1:8080/healthz"},
		{"every IPv4 interface is asked on loopback", "0.0.0.0:9000", "http://127.0.0.1:9000/healthz"},
		{"every IPv6 interface is asked on IPv6 loopback", "[::]:9000", "http://[::1]:9000/healthz"},
		{"a named host is asked as named", "localhost:8081", "http://localhost:8081/healthz"},
		{"a specific address is asked as given", "10.0.0.5:8080", "http://10.0.0.5:8080/healthz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := healthURL(tt.addr)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("healthURL(%q) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}

// portOf returns the port a test server listens on.
func portOf(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return port
}

func TestHealthcheckAsksHealthz(t *testing.T) {
	var ready atomic.Bool
	srv := httptest.NewServer(newOpsHandler(ready.Load, nil, prometheus.NewRegistry(), false))
	defer srv.Close()

	r := runPulse(t, map[string]string{"PULSE_HTTP_ADDR": ":" + portOf(t, srv)}, "healthcheck")
	if r.code != 0 {
		t.Fatalf("healthcheck exit code %d against a healthy server; stderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "/healthz: ok") {
		t.Errorf("stdout = %q, want it to say /healthz: ok", r.stdout)
	}
}

func TestHealthcheckFails(t *testing.T) {
	unhealthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "broken", http.StatusInternalServerError)
	}))
	defer unhealthy.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedAddr := closed.Listener.Addr().String()
	closed.Close()

	tests := []struct {
		name, addr string
		wantCode   int
		wantStderr string
	}{
		{"a server answering 500 is unhealthy", unhealthy.Listener.Addr().String(), 1, "500"},
		{"nothing listening is unhealthy", closedAddr, 1, "pulse healthcheck:"},
		{"an address without a port is a usage error", "localhost", 2, "PULSE_HTTP_ADDR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runPulse(t, map[string]string{"PULSE_HTTP_ADDR": tt.addr}, "healthcheck")
			if r.code != tt.wantCode {
				t.Errorf("exit code %d, want %d; stderr: %s", r.code, tt.wantCode, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tt.wantStderr)
			}
		})
	}
}

func TestOpsEndpoints(t *testing.T) {
	var ready atomic.Bool
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewCounter(prometheus.CounterOpts{Name: "pulse_test_total", Help: "A counter for this test."}))
	srv := httptest.NewServer(newOpsHandler(ready.Load, nil, reg, false))
	defer srv.Close()

	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		if _, err := io.Copy(&b, resp.Body); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, b.String()
	}

	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz = %d, want 200", code)
	}
	if code, _ := get("/readyz"); code != 503 {
		t.Errorf("/readyz before ready = %d, want 503", code)
	}
	ready.Store(true)
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz when ready = %d, want 200", code)
	}
	code, body := get("/metrics")
	if code != 200 || !strings.Contains(body, "pulse_test_total 0") {
		t.Errorf("/metrics = %d %q, want 200 with pulse_test_total", code, body)
	}
	// Served plain even to a scraper that takes gzip (see newOpsHandler).
	req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	if resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
		if enc := resp.Header.Get("Content-Encoding"); enc != "" {
			t.Errorf("/metrics came back as %s", enc)
		}
	}
	if code, _ := get("/nothing"); code != 404 {
		t.Errorf("/nothing = %d, want 404", code)
	}
}

func TestOpsProfilesOnlyWhenAskedFor(t *testing.T) {
	for _, tt := range []struct {
		name     string
		profiles bool
		want     int
	}{
		{"off by default: no profile is served", false, 404},
		{"PULSE_PPROF=true serves them", true, 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(newOpsHandler(func() bool { return true }, nil, prometheus.NewRegistry(), tt.profiles))
			defer srv.Close()
			for _, path := range []string{"/debug/pprof/", "/debug/pprof/goroutine?debug=1", "/debug/pprof/heap"} {
				resp, err := http.Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tt.want {
					t.Errorf("%s = %d, want %d", path, resp.StatusCode, tt.want)
				}
				if tt.want == 200 && len(body) == 0 {
					t.Errorf("%s answered nothing", path)
				}
			}
		})
	}
}

func TestOpsServerStopsCleanlyWithAConnectionThatSentNothing(t *testing.T) {
	s, err := startOpsServer("127.0.0.1:0", prometheus.NewRegistry(), false, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	// A scraper that has connected and not yet asked: net/http holds such a
	// connection busy for five seconds.
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := s.shutdown(); err != nil {
		t.Fatalf("shutdown = %v, want a clean stop", err)
	}
	if _, err := http.Get("http://" + s.Addr() + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}
