package socket

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestReconnectReasonNamesWhyAConnectionEnded(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		greeted bool
		want    string
	}{
		{"Slack's routine warning", disconnectError{reason: "warning"}, true, "disconnect_warning"},
		{"Slack refreshing", disconnectError{reason: "refresh_requested"}, true, "disconnect_refresh_requested"},
		{"the app's link disabled", disconnectError{reason: "link_disabled"}, true, "disconnect_link_disabled"},
		{"a reason Slack does not document", disconnectError{reason: "<script>"}, true, "disconnect_other"},
		{"the watchdog", fmt.Errorf("%w for 20s", errSilent), true, "watchdog"},
		{"a greeted socket that failed", errors.New("EOF"), true, "dropped"},
		{"no socket greeted", errors.New("dial: refused"), false, "connect_failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reconnectReason(tt.err, tt.greeted); got != tt.want {
				t.Errorf("reconnectReason(%v, %v) = %q, want %q", tt.err, tt.greeted, got, tt.want)
			}
		})
	}
}

func TestBackoffDoublesWithinItsBoundsAndStartsAgainOnReset(t *testing.T) {
	bo := backoff{min: 100 * time.Millisecond, max: time.Second}
	// Equal jitter: each wait lies between half the step and the step.
	steps := []time.Duration{100, 200, 400, 800, 1000, 1000, 1000}
	for i, ms := range steps {
		step := ms * time.Millisecond
		if got := bo.next(); got < step/2 || got > step {
			t.Errorf("wait %d = %v, want within [%v, %v]", i+1, got, step/2, step)
		}
	}
	bo.reset()
	if got := bo.next(); got < 50*time.Millisecond || got > 100*time.Millisecond {
		t.Errorf("wait after reset = %v, want within [50ms, 100ms]", got)
	}
}
