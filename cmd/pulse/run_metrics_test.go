package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse/bot/slacktest"
)

func TestNewLoggerWritesTheConfiguredFormat(t *testing.T) {
	tests := []struct {
		format string
		check  func(line string) bool
	}{
		{"json", func(line string) bool {
			var rec map[string]any
			return json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "hello" && rec["team"] == "Nordic"
		}},
		{"text", func(line string) bool {
			return strings.Contains(line, "level=INFO msg=hello team=Nordic")
		}},
	}
	for _, tt := range tests {
		t.Run("as "+tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			newLogger(&buf, &Config{LogFormat: tt.format, LogLevel: "info"}).Info("hello", "team", "Nordic")
			if line := strings.TrimSpace(buf.String()); !tt.check(line) {
				t.Errorf("PULSE_LOG_FORMAT=%s wrote %q", tt.format, line)
			}
		})
	}
}

// TestPulseRunServesMetrics scrapes the real binary's /metrics while it is
// connected to the stand-in.
func TestPulseRunServesMetrics(t *testing.T) {
	s := slacktest.NewServer()
	defer s.Close()
	p := startPulseRun(t, s, filepath.Join(t.TempDir(), "pulse.db"))
	addr := p.opsAddr(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatalf("pulse never connected: %v\n%s", err, p.stderr.String())
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, family := range []string{"pulse_db_size_bytes ", "pulse_socket_last_frame_age_seconds ", "pulse_fanout_queue_depth ",
		"go_goroutines ", "process_resident_memory_bytes "} {
		if !bytes.Contains(body, []byte("\n"+family)) {
			t.Errorf("/metrics lacks %s", family)
		}
	}
	if bytes.Contains(body, []byte("pulse_db_size_bytes 0\n")) || bytes.Contains(body, []byte("pulse_db_size_bytes -1\n")) {
		t.Errorf("the database size is not read:\n%s", body)
	}
}
