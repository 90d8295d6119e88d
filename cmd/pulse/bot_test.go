package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Until the Slack connection is wired in, `pulse run` must say so and fail
// rather than sit there looking like a running bot.
func TestRunSaysTheSlackConnectionIsNotBuiltYet(t *testing.T) {
	r := runPulse(t, goodEnv(map[string]string{
		"PULSE_DB_PATH":   filepath.Join(t.TempDir(), "pulse.db"),
		"PULSE_HTTP_ADDR": "127.0.0.1:0",
	}), "run")
	if r.code != 1 {
		t.Errorf("exit code %d, want 1; stderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "pulse run: the Slack connection is not built yet") {
		t.Errorf("stderr does not say the Slack connection is missing:\n%s", r.stderr)
	}
}
