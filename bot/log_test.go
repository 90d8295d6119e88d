package bot_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/salespulse/pulse/bot"
)

func TestRedactURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a proxy's password is redacted", "https://user:password@proxy/api/", "https://user:xxxxx@proxy/api/"},
		{"Slack's own URL is shown as it is", "https://slack.com/api/", "https://slack.com/api/"},
		{"a user without a password is shown", "https://user@proxy/api/", "https://user@proxy/api/"},
		{"an @ in the query is no credential", "https://proxy/api/?next=a@b", "https://proxy/api/?next=a@b"},
		{"a password in a URL of another scheme is redacted", "ftp://user:password@proxy/", "ftp://user:xxxxx@proxy/"},
		{"a URL that does not parse keeps nothing before its @", "https://user:pass word@proxy/api/", "https://xxxxx@proxy/api/"},
		{"a password with a slash keeps nothing before the @", "https://user:pa/ss@proxy/api/", "https://xxxxx@proxy/api/"},
		{"a URL without its scheme keeps nothing before its @", "user:password@proxy/api/", "xxxxx@proxy/api/"},
		{"the empty string stays empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bot.RedactURL(tt.in); got != tt.want {
				t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestConfigLogsTheAPIURLWithoutItsPassword(t *testing.T) {
	cfg := bot.Config{BotToken: "xoxb-botsecret", AppToken: "xapp-appsecret", APIURL: "https://user:pr0xyS3cret@proxy.example/api/"}
	var out bytes.Buffer
	slog.New(slog.NewJSONHandler(&out, nil)).Info("bot", "config", cfg)
	for _, secret := range []string{"pr0xyS3cret", "botsecret", "appsecret"} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("the log line prints %q: %s", secret, out.String())
		}
	}
	if !strings.Contains(out.String(), `"api_url":"https://user:xxxxx@proxy.example/api/"`) {
		t.Errorf("the log line does not show the API URL with its password redacted: %s", out.String())
	}
}
