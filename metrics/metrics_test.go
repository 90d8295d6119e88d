package metrics_test

import (
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/metrics"
)

// scrape returns reg's exposition as /metrics serves it.
func scrape(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Result().Body)
	if rec.Code != 200 {
		t.Fatalf("/metrics answered %d: %s", rec.Code, body)
	}
	return string(body)
}

// TestMetricsExposeEveryFamily feeds each method once and checks that the
// exposition has every family with the values fed.
func TestMetricsExposeEveryFamily(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg, metrics.Options{
		DBSize: func() (int64, error) { return 65536, nil },
		Now:    func() time.Time { return now },
	})
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	if text := scrape(t, reg); !strings.Contains(text, "pulse_socket_last_frame_age_seconds -1\n") {
		t.Errorf("frame age before any frame is not -1:\n%s", text)
	}
	m.Envelope("interactive")
	m.Envelope("interactive")
	m.Ack("interactive", 40*time.Millisecond)
	m.SlackCall("chat.postMessage", pulse.CallOK)
	m.SlackCall("chat.postMessage", pulse.CallRateLimited)
	m.Reconnect("watchdog")
	m.SocketFrame(now.Add(-7 * time.Second))
	m.Job(pulse.JobCheckIn, pulse.JobOutcomeSent)
	m.QueueDepth(12)

	text := scrape(t, reg)
	for _, want := range []string{
		`pulse_envelopes_total{type="interactive"} 2`,
		`pulse_ack_latency_seconds_bucket{type="interactive",le="0.05"} 1`,
		`pulse_ack_latency_seconds_count{type="interactive"} 1`,
		`pulse_slack_calls_total{method="chat.postMessage",outcome="429"} 1`,
		`pulse_slack_calls_total{method="chat.postMessage",outcome="ok"} 1`,
		`pulse_socket_reconnects_total{reason="watchdog"} 1`,
		`pulse_socket_last_frame_age_seconds 7`,
		`pulse_jobs_total{kind="checkin",state="sent"} 1`,
		`pulse_fanout_queue_depth 12`,
		`pulse_db_size_bytes 65536`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
}

// TestMetricsRefuseASecondRegistration checks that New reports a registry
// that already has Pulse's collectors, rather than panicking.
func TestMetricsRefuseASecondRegistration(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := metrics.New(reg, metrics.Options{}); err != nil {
		t.Fatalf("first: %v", err)
	}
	if _, err := metrics.New(reg, metrics.Options{}); err == nil {
		t.Fatal("second registration on one registry succeeded")
	}
}

// userID is how a Slack user ID looks; none may appear in a label.
var userID = regexp.MustCompile(`U[A-Z0-9]{6,}`)

// TestMetricsLabelsCarryNoUserIDs checks the label values the layers can
// pass: they name kinds, never people.
func TestMetricsLabelsCarryNoUserIDs(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg, metrics.Options{NoRuntime: true})
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	for _, k := range []pulse.JobKind{pulse.JobCheckIn, pulse.JobReminder, pulse.JobMissed, pulse.JobMeetingPrompt,
		pulse.JobNudge, pulse.JobCoachingDue, pulse.JobSummary, pulse.JobBlockerFollowUp, pulse.JobDailyThread} {
		m.Job(k, pulse.JobOutcomeClaimed)
	}
	if ids := userID.FindAllString(scrape(t, reg), -1); len(ids) > 0 {
		t.Errorf("exposition holds user IDs: %v", ids)
	}
}
