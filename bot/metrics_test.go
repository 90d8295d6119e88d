package bot_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/metrics"
)

// failingTransport fails every request to one Web API method, as a network
// that drops the connection would, and passes the rest on.
type failingTransport struct {
	method string
	next   http.RoundTripper
}

func (f failingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/"+f.method) {
		return nil, errors.New("connection reset by peer")
	}
	return f.next.RoundTrip(req)
}

// scrapeMetrics returns the registry's exposition as /metrics serves it.
func scrapeMetrics(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return string(body)
}

// metricValue reads one sample's value from an exposition, or "absent".
func metricValue(t *testing.T, text, series string) string {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v
		}
	}
	return "absent"
}

// TestMetricsFollowEnvelopesCallsAndReconnects drives each instrumented
// path of the bot against the stand-in and reads /metrics after each.
func TestMetricsFollowEnvelopesCallsAndReconnects(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg, metrics.Options{NoRuntime: true})
	if err != nil {
		t.Fatalf("metrics: %v", err)
	}
	h := start(t, withConfig(func(c *bot.Config) {
		c.Metrics = m
		c.HTTPClient = &http.Client{Timeout: 10 * time.Second, Transport: failingTransport{"team.info", http.DefaultTransport}}
	}))
	ctx := context.Background()
	const rep = "U07REPAB12"

	// An envelope: counted by type, its ack timed.
	h.ack(h.slash(rep, "help"), 1)
	// The ack is written before the envelope's line is logged and counted.
	h.waitFor("the envelope counted and its ack timed", func() bool {
		text := scrapeMetrics(t, reg)
		return metricValue(t, text, `pulse_envelopes_total{type="slash_commands"}`) == "1" &&
			metricValue(t, text, `pulse_ack_latency_seconds_count{type="slash_commands"}`) == "1"
	})
	text := scrapeMetrics(t, reg)
	if v := metricValue(t, text, `pulse_socket_last_frame_age_seconds`); v == "absent" || strings.HasPrefix(v, "-") {
		t.Errorf("last frame age = %s after frames arrived", v)
	}

	// A 429 is counted, waited out, and the retry counted as ok.
	h.Slack.AddChannel("C0SALES", "sales")
	h.Slack.RateLimit("chat.postMessage", 1, time.Second)
	if _, _, err := h.Bot.API().PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("hello", false)); err != nil {
		t.Fatalf("post after a 429: %v", err)
	}
	// An error Slack answers, and a call that never reached it.
	if _, err := h.Bot.API().GetUserInfoContext(ctx, "U0NOBODY99"); err == nil {
		t.Error("users.info of an unknown user succeeded")
	}
	if _, err := h.Bot.API().GetTeamInfoContext(ctx); err == nil {
		t.Error("team.info through a failing network succeeded")
	}
	text = scrapeMetrics(t, reg)
	for series, want := range map[string]string{
		`pulse_slack_calls_total{method="chat.postMessage",outcome="429"}`: "1",
		`pulse_slack_calls_total{method="chat.postMessage",outcome="ok"}`:  "1",
		`pulse_slack_calls_total{method="users.info",outcome="error"}`:     "1",
		`pulse_slack_calls_total{method="team.info",outcome="transport"}`:  "1",
	} {
		if v := metricValue(t, text, series); v != want {
			t.Errorf("%s = %s, want %s", series, v, want)
		}
	}

	// Reconnects, by reason.
	opened := h.Slack.ConnectionsOpened()
	h.Slack.Disconnect("refresh_requested")
	h.waitFor("a new connection", func() bool { return h.Slack.ConnectionsOpened() > opened && h.Bot.Ready() })
	opened = h.Slack.ConnectionsOpened()
	h.Slack.DropSockets()
	h.waitFor("another connection", func() bool { return h.Slack.ConnectionsOpened() > opened && h.Bot.Ready() })
	text = scrapeMetrics(t, reg)
	for series, want := range map[string]string{
		`pulse_socket_reconnects_total{reason="disconnect_refresh_requested"}`: "1",
		`pulse_socket_reconnects_total{reason="dropped"}`:                      "1",
	} {
		if v := metricValue(t, text, series); v != want {
			t.Errorf("%s = %s, want %s", series, v, want)
		}
	}

	if ids := regexp.MustCompile(`U[A-Z0-9]{6,}`).FindAllString(text, -1); len(ids) > 0 {
		t.Errorf("the exposition holds user IDs %v:\n%s", ids, text)
	}
}
