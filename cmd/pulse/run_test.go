package main

import (
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salespulse/pulse/storage"
)

func TestRunRefusesAMissingOrMalformedToken(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		want     []string
		secrets  []string // values that must not be printed
		wantCode int
	}{
		{
			name: "an empty environment names the bot token",
			env:  map[string]string{},
			want: []string{"pulse run: PULSE_SLACK_BOT_TOKEN is not set", "pulse run: PULSE_SLACK_APP_TOKEN is not set"},
		},
		{
			name:    "a user token as the app token names the app token",
			env:     goodEnv(map[string]string{"PULSE_SLACK_APP_TOKEN": "xoxp-secretvalue"}),
			want:    []string{"PULSE_SLACK_APP_TOKEN must start with xapp-"},
			secrets: []string{"xoxp-secretvalue", "secretvalue", testBotToken},
		},
		{
			name:    "the bot token given as the app token names the app token",
			env:     goodEnv(map[string]string{"PULSE_SLACK_APP_TOKEN": testBotToken}),
			want:    []string{"PULSE_SLACK_APP_TOKEN must start with xapp-"},
			secrets: []string{testBotToken, "botsecretvalue"},
		},
		{
			name:    "an app token as the bot token names the bot token",
			env:     goodEnv(map[string]string{"PULSE_SLACK_BOT_TOKEN": testAppToken}),
			want:    []string{"PULSE_SLACK_BOT_TOKEN must start with xoxb-"},
			secrets: []string{testAppToken, "appsecretvalue"},
		},
		{
			name:    "a bad setting beside good tokens is named",
			env:     goodEnv(map[string]string{"PULSE_LOG_LEVEL": "loud"}),
			want:    []string{"PULSE_LOG_LEVEL must be debug, info, warn or error"},
			secrets: []string{testAppToken, testBotToken},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The database path points into a folder that is never
			// created: run must stop before it opens anything.
			tt.env["PULSE_DB_PATH"] = filepath.Join(t.TempDir(), "never", "pulse.db")
			r := runPulse(t, tt.env, "run")
			if r.code != 2 {
				t.Errorf("exit code %d, want 2; stderr: %s", r.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, r.stderr)
				}
			}
			for _, s := range tt.secrets {
				if strings.Contains(r.stdout+r.stderr, s) {
					t.Errorf("output prints the secret %q:\n%s%s", s, r.stdout, r.stderr)
				}
			}
		})
	}
}

func TestRunTakesNoArguments(t *testing.T) {
	r := runPulse(t, goodEnv(nil), "run", "--token", "xoxb-x")
	if r.code != 2 || !strings.Contains(r.stderr, "pulse run takes no arguments") {
		t.Errorf("exit code %d, stderr %q; want 2 and a word about arguments", r.code, r.stderr)
	}
}

func TestRunStopsWhenTheDatabaseIsHeldByAnotherPulse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	r := runPulse(t, goodEnv(map[string]string{"PULSE_DB_PATH": path, "PULSE_HTTP_ADDR": "127.0.0.1:0"}), "run")
	if r.code != 1 {
		t.Errorf("exit code %d, want 1; stderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "is another pulse running") {
		t.Errorf("stderr does not say another pulse may be running:\n%s", r.stderr)
	}
}

func TestRunStopsWhenTheHTTPAddressIsTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	r := runPulse(t, goodEnv(map[string]string{
		"PULSE_DB_PATH":   filepath.Join(t.TempDir(), "pulse.db"),
		"PULSE_HTTP_ADDR": ln.Addr().String(),
	}), "run")
	if r.code != 1 {
		t.Errorf("exit code %d, want 1; stderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "listen on PULSE_HTTP_ADDR") {
		t.Errorf("stderr does not name PULSE_HTTP_ADDR:\n%s", r.stderr)
	}
}

func TestRunLogsTheConfigurationWithoutTokens(t *testing.T) {
	r := runPulse(t, goodEnv(map[string]string{
		"PULSE_DB_PATH":   filepath.Join(t.TempDir(), "pulse.db"),
		"PULSE_HTTP_ADDR": "127.0.0.1:0",
		"PULSE_LOG_LEVEL": "debug",
	}), "run")
	if !strings.Contains(r.stderr, `"msg":"starting pulse"`) || !strings.Contains(r.stderr, `"slack_bot_token":"[redacted]"`) {
		t.Errorf("run did not log its configuration as JSON with the token redacted:\n%s", r.stderr)
	}
	for _, s := range []string{"botsecretvalue", "appsecretvalue"} {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("run printed a token:\n%s", r.stderr)
		}
	}
}

func TestRunLogsTheAPIURLWithoutItsPassword(t *testing.T) {
	r := runPulse(t, goodEnv(map[string]string{
		"PULSE_DB_PATH":       filepath.Join(t.TempDir(), "pulse.db"),
		"PULSE_HTTP_ADDR":     "127.0.0.1:0",
		"PULSE_SLACK_API_URL": "http://user:pr0xyS3cret@127.0.0.1:1/api/",
	}), "run")
	if strings.Contains(r.stdout+r.stderr, "pr0xyS3cret") {
		t.Errorf("run printed the proxy's password:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, `"slack_api_url":"http://user:xxxxx@127.0.0.1:1/api/"`) {
		t.Errorf("run did not log the API URL with its password redacted:\n%s", r.stderr)
	}
}
