package pulse_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// TestNopMetricsTakesEveryCall checks that the default a layer falls back
// on accepts every call, including from many goroutines, without effect.
func TestNopMetricsTakesEveryCall(t *testing.T) {
	var m pulse.Metrics = pulse.NopMetrics{}
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			m.Envelope("interactive")
			m.Ack("interactive", time.Millisecond)
			m.SlackCall("chat.postMessage", pulse.CallRateLimited)
			m.Reconnect("watchdog")
			m.SocketFrame(time.Now())
			m.Job(pulse.JobCheckIn, pulse.JobOutcomeSent)
			m.QueueDepth(3)
		}()
	}
	for range 4 {
		<-done
	}
	if got := pulse.CallRateLimited; got != "429" {
		t.Errorf("a rate-limited call is labelled %q; dashboards expect 429", got)
	}
}
