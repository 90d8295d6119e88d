package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Tokens that look real enough to pass the checks; tests look for these
// strings in everything Pulse prints.
const (
	testBotToken = "xoxb-1111-2222-botsecretvalue"
	testAppToken = "xapp-1-A111-3333-appsecretvalue"
)

// envOf returns an Env that reads only the given variables.
func envOf(vars map[string]string) Env {
	return func(key string) (string, bool) {
		v, ok := vars[key]
		return v, ok
	}
}

// goodEnv returns the smallest environment `pulse run` accepts, plus extra.
func goodEnv(extra map[string]string) map[string]string {
	vars := map[string]string{
		"PULSE_SLACK_BOT_TOKEN": testBotToken,
		"PULSE_SLACK_APP_TOKEN": testAppToken,
	}
	for k, v := range extra {
		vars[k] = v
	}
	return vars
}

func TestLoadConfigTakesDefaultsForEverythingButTheTokens(t *testing.T) {
	cfg, err := loadConfig(envOf(goodEnv(nil)))
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	if got := cfg.SlackBotToken.Reveal(); got != testBotToken {
		t.Errorf("bot token = %q, want %q", got, testBotToken)
	}
	if got := cfg.SlackAppToken.Reveal(); got != testAppToken {
		t.Errorf("app token = %q, want %q", got, testAppToken)
	}
	checks := []struct{ name, got, want string }{
		{"DBPath", cfg.DBPath, "pulse.db"},
		{"SlackAPIURL", cfg.SlackAPIURL, "https://slack.com/api/"},
		{"HTTPAddr", cfg.HTTPAddr, ":8080"},
		{"LogLevel", cfg.Level().String(), "INFO"},
		{"LogFormat", cfg.LogFormat, "json"},
		{"DefaultTZ", cfg.Location().String(), "UTC"},
		{"Admins", fmt.Sprint(len(cfg.Admins)), "0"},
		{"PipedriveCallType", cfg.PipedriveCallType, "call"},
		{"PipedriveMeetingType", cfg.PipedriveMeetingType, "meeting"},
		{"PipedrivePlan", cfg.PipedrivePlan, "lite"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestLoadConfigReadsEveryVariable(t *testing.T) {
	cfg, err := loadConfig(envOf(goodEnv(map[string]string{
		"PULSE_DB_PATH":                "/data/p.db",
		"PULSE_SLACK_API_URL":          "http://127.0.0.1:9999/api",
		"PULSE_ADMINS":                 " U012AB3CD, W0123456 ,,",
		"PULSE_HTTP_ADDR":              "127.0.0.1:9090",
		"PULSE_LOG_LEVEL":              "DEBUG",
		"PULSE_LOG_FORMAT":             "text",
		"PULSE_DEFAULT_TZ":             "Europe/Oslo",
		"PULSE_PPROF":                  "true",
		"PULSE_OUTBOX_STALE":           " 90s",
		"PULSE_PIPEDRIVE_CALL_TYPE":    " phone_call ",
		"PULSE_PIPEDRIVE_MEETING_TYPE": "\tdemo_meeting\n",
		"PULSE_PIPEDRIVE_PLAN":         " Growth ",
	})))
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	pd, err := cfg.pipedriveSettings()
	if err != nil {
		t.Fatalf("pipedriveSettings: %v", err)
	}
	checks := []struct{ name, got, want string }{
		{"DBPath", cfg.DBPath, "/data/p.db"},
		{"SlackAPIURL gains its trailing slash", cfg.SlackAPIURL, "http://127.0.0.1:9999/api/"},
		{"Admins", strings.Join(cfg.Admins, "|"), "U012AB3CD|W0123456"},
		{"HTTPAddr", cfg.HTTPAddr, "127.0.0.1:9090"},
		{"LogLevel", cfg.Level().String(), "DEBUG"},
		{"LogFormat", cfg.LogFormat, "text"},
		{"DefaultTZ", cfg.Location().String(), "Europe/Oslo"},
		{"Pprof", strconv.FormatBool(cfg.Pprof), "true"},
		{"OutboxStale, spaces trimmed", cfg.EffectStale().String(), "1m30s"},
		{"PipedriveCallType, spaces trimmed", pd.types.Call, "phone_call"},
		{"PipedriveMeetingType, spaces trimmed", pd.types.Meeting, "demo_meeting"},
		{"PipedrivePlan, trimmed, any case", pd.plan, "growth"},
		{"PipedrivePlan's burst limit", fmt.Sprint(pd.limit.Requests, " per ", pd.limit.Window), "40 per 2s"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestLoadConfigRefusesBadValuesNamingTheVariable(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string // each must appear in the error
	}{
		{"an empty environment names both tokens", map[string]string{},
			[]string{"PULSE_SLACK_BOT_TOKEN is not set", "PULSE_SLACK_APP_TOKEN is not set"}},
		{"a token set to the empty string is not set", goodEnv(map[string]string{"PULSE_SLACK_BOT_TOKEN": ""}),
			[]string{"PULSE_SLACK_BOT_TOKEN is not set"}},
		{"a user token is not a bot token", goodEnv(map[string]string{"PULSE_SLACK_BOT_TOKEN": "xoxp-usersecretvalue"}),
			[]string{"PULSE_SLACK_BOT_TOKEN must start with xoxb-"}},
		{"a user token is not an app token", goodEnv(map[string]string{"PULSE_SLACK_APP_TOKEN": "xoxp-usersecretvalue"}),
			[]string{"PULSE_SLACK_APP_TOKEN must start with xapp-"}},
		{"the bot token given as the app token is named as such", goodEnv(map[string]string{"PULSE_SLACK_APP_TOKEN": testBotToken}),
			[]string{"PULSE_SLACK_APP_TOKEN must start with xapp-", "belongs in PULSE_SLACK_BOT_TOKEN"}},
		{"the two tokens swapped are both named", goodEnv(map[string]string{"PULSE_SLACK_APP_TOKEN": testBotToken, "PULSE_SLACK_BOT_TOKEN": testAppToken}),
			[]string{"PULSE_SLACK_APP_TOKEN must start with xapp-", "PULSE_SLACK_BOT_TOKEN must start with xoxb-"}},
		{"a token cut short after its prefix", goodEnv(map[string]string{"PULSE_SLACK_APP_TOKEN": "xapp-"}),
			[]string{"PULSE_SLACK_APP_TOKEN holds only xapp-"}},
		{"a token with a trailing newline", goodEnv(map[string]string{"PULSE_SLACK_BOT_TOKEN": testBotToken + "\n"}),
			[]string{"PULSE_SLACK_BOT_TOKEN has spaces or line breaks"}},
		{"an API URL without a scheme", goodEnv(map[string]string{"PULSE_SLACK_API_URL": "slack.com/api/"}),
			[]string{"PULSE_SLACK_API_URL must be an http:// or https:// URL"}},
		{"an API URL of another scheme", goodEnv(map[string]string{"PULSE_SLACK_API_URL": "ftp://slack.com/api/"}),
			[]string{"PULSE_SLACK_API_URL must be an http:// or https:// URL"}},
		{"an admin that is not a user ID", goodEnv(map[string]string{"PULSE_ADMINS": "U012AB3CD,@boss"}),
			[]string{`PULSE_ADMINS: "@boss" is not a Slack user ID`}},
		{"a web address without a public URL", goodEnv(map[string]string{"PULSE_WEB_ADDR": ":8090"}),
			[]string{"PULSE_PUBLIC_URL must be the http:// or https:// URL"}},
		{"a public URL without a scheme", goodEnv(map[string]string{"PULSE_WEB_ADDR": ":8090", "PULSE_PUBLIC_URL": "pulse.example.com"}),
			[]string{"PULSE_PUBLIC_URL must be the http:// or https:// URL"}},
		{"a web address without a port", goodEnv(map[string]string{"PULSE_WEB_ADDR": "localhost", "PULSE_PUBLIC_URL": "https://pulse.example.com"}),
			[]string{"PULSE_WEB_ADDR must be host:port"}},
		{"an HTTP address without a port", goodEnv(map[string]string{"PULSE_HTTP_ADDR": "localhost"}),
			[]string{"PULSE_HTTP_ADDR must be host:port"}},
		{"an HTTP address with a port out of range", goodEnv(map[string]string{"PULSE_HTTP_ADDR": ":70000"}),
			[]string{"PULSE_HTTP_ADDR has a bad port"}},
		{"a log level slog would take but Pulse does not offer", goodEnv(map[string]string{"PULSE_LOG_LEVEL": "info+2"}),
			[]string{"PULSE_LOG_LEVEL must be debug, info, warn or error"}},
		{"a switch that is neither true nor false", goodEnv(map[string]string{"PULSE_PPROF": "maybe"}),
			[]string{"PULSE_PPROF: must be true or false"}},
		{"an unknown log format", goodEnv(map[string]string{"PULSE_LOG_FORMAT": "xml"}),
			[]string{"PULSE_LOG_FORMAT must be json or text"}},
		{"an unknown time zone", goodEnv(map[string]string{"PULSE_DEFAULT_TZ": "Mars/Olympus"}),
			[]string{"PULSE_DEFAULT_TZ must be an IANA time zone"}},
		{"the server's Local zone", goodEnv(map[string]string{"PULSE_DEFAULT_TZ": "Local"}),
			[]string{"PULSE_DEFAULT_TZ must be an IANA time zone"}},
		{"an outbox claim without a unit", goodEnv(map[string]string{"PULSE_OUTBOX_STALE": "120"}),
			[]string{"PULSE_OUTBOX_STALE must be a duration of a second or more"}},
		{"an outbox claim too short to send anything in", goodEnv(map[string]string{"PULSE_OUTBOX_STALE": "500ms"}),
			[]string{"PULSE_OUTBOX_STALE must be a duration of a second or more"}},
		{"a Pipedrive call type given by its name", goodEnv(map[string]string{"PULSE_PIPEDRIVE_CALL_TYPE": "Phone call"}),
			[]string{`PULSE_PIPEDRIVE_CALL_TYPE must be the key of a Pipedrive activity type`, `got "Phone call"`}},
		{"a Pipedrive call type of spaces only", goodEnv(map[string]string{"PULSE_PIPEDRIVE_CALL_TYPE": "  "}),
			[]string{"PULSE_PIPEDRIVE_CALL_TYPE must be the key of a Pipedrive activity type"}},
		{"a Pipedrive meeting type that looks like a formula", goodEnv(map[string]string{"PULSE_PIPEDRIVE_MEETING_TYPE": "=HYPERLINK(1)"}),
			[]string{"PULSE_PIPEDRIVE_MEETING_TYPE must be the key of a Pipedrive activity type"}},
		{"a Pipedrive meeting type too long for a key", goodEnv(map[string]string{"PULSE_PIPEDRIVE_MEETING_TYPE": strings.Repeat("m", 101)}),
			[]string{"PULSE_PIPEDRIVE_MEETING_TYPE must be the key of a Pipedrive activity type"}},
		{"the same Pipedrive type for calls and meetings", goodEnv(map[string]string{"PULSE_PIPEDRIVE_CALL_TYPE": "meeting"}),
			[]string{`PULSE_PIPEDRIVE_CALL_TYPE and PULSE_PIPEDRIVE_MEETING_TYPE are both "meeting"`}},
		{"an unknown Pipedrive plan", goodEnv(map[string]string{"PULSE_PIPEDRIVE_PLAN": "gold"}),
			[]string{`PULSE_PIPEDRIVE_PLAN must be one of lite, growth, premium, ultimate, got "gold"`}},
		{"a Pipedrive plan bad beside a token", goodEnv(map[string]string{"PULSE_PIPEDRIVE_PLAN": "enterprise", "PULSE_PIPEDRIVE_TOKEN": "pd-secret-token-1", "PULSE_PIPEDRIVE_DOMAIN": "acme"}),
			[]string{"PULSE_PIPEDRIVE_PLAN must be one of"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(envOf(tt.env))
			if err == nil {
				t.Fatalf("loadConfig accepted %v: %+v", tt.env, cfg)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			for k, v := range tt.env {
				secret := strings.TrimSpace(v)
				if secret == "xoxb-" || secret == "xapp-" {
					continue // a bare prefix is no secret, and the message names it
				}
				if strings.Contains(k, "TOKEN") && secret != "" && strings.Contains(err.Error(), secret) {
					t.Errorf("error %q prints the value of %s", err, k)
				}
			}
		})
	}
}

// TestConfigExampleListsEveryVariable keeps config.example.env and Config
// from drifting apart: every variable of one is in the other, with the same
// default and the same one-line description.
func TestConfigExampleListsEveryVariable(t *testing.T) {
	f, err := os.Open("../../config.example.env")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	type entry struct{ value, comment string }
	example := map[string]entry{}
	var order []string
	var comment string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			comment = ""
		case strings.HasPrefix(line, "#"):
			comment = strings.TrimSpace(strings.TrimPrefix(line, "#"))
		default:
			key, value, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("config.example.env: line %q is neither a comment nor KEY=VALUE", line)
			}
			if _, dup := example[key]; dup {
				t.Errorf("config.example.env lists %s twice", key)
			}
			example[key] = entry{value, comment}
			order = append(order, key)
			comment = ""
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	vars := configVars()
	if len(vars) < 9 {
		t.Fatalf("Config has %d variables, want at least 9", len(vars))
	}
	inConfig := map[string]bool{}
	for _, v := range vars {
		inConfig[v.Key] = true
		e, ok := example[v.Key]
		if !ok {
			t.Errorf("config.example.env does not list %s", v.Key)
			continue
		}
		if e.value != v.Default {
			t.Errorf("config.example.env sets %s=%q, but its default is %q", v.Key, e.value, v.Default)
		}
		if e.comment != v.Desc {
			t.Errorf("config.example.env describes %s as %q, Config as %q", v.Key, e.comment, v.Desc)
		}
		if v.Desc == "" {
			t.Errorf("Config field %s has no desc tag", v.Name)
		}
	}
	for _, key := range order {
		if !inConfig[key] {
			t.Errorf("config.example.env lists %s, which Config does not read", key)
		}
	}
}

// TestConfigExampleLoads checks that the example, with the tokens filled
// in, is a valid configuration as it stands.
func TestConfigExampleLoads(t *testing.T) {
	data, err := os.ReadFile("../../config.example.env")
	if err != nil {
		t.Fatal(err)
	}
	vars := goodEnv(nil)
	for _, line := range strings.Split(string(data), "\n") {
		if key, value, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") && value != "" {
			vars[key] = value
		}
	}
	if _, err := loadConfig(envOf(vars)); err != nil {
		t.Fatalf("config.example.env with tokens filled in does not load: %v", err)
	}
}

// redacted is what a token shows wherever it is printed.
const redacted = "[redacted]"

func TestTokensNeverPrint(t *testing.T) {
	cfg, err := loadConfig(envOf(goodEnv(nil)))
	if err != nil {
		t.Fatal(err)
	}

	var jsonLog, textLog bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&jsonLog, nil), slog.NewTextHandler(&textLog, nil)} {
		l := slog.New(h)
		l.Info("starting", "config", cfg)
		l.Info("by value", "config", *cfg)
		l.Info("token alone", "token", cfg.SlackBotToken, "app", cfg.SlackAppToken)
		l.Info("token group", slog.Group("slack", "token", cfg.SlackAppToken))
	}
	jsonBytes, _ := json.Marshal(cfg)

	outputs := map[string]string{
		"slog JSON handler": jsonLog.String(),
		"slog text handler": textLog.String(),
		"encoding/json":     string(jsonBytes),
		"%v":                fmt.Sprintf("%v", cfg),
		"%+v":               fmt.Sprintf("%+v", *cfg),
		"%#v":               fmt.Sprintf("%#v", *cfg),
		"%s of a token":     fmt.Sprintf("%s", cfg.SlackBotToken),
		"%q of a token":     fmt.Sprintf("%q", cfg.SlackBotToken),
		"%x of a token":     fmt.Sprintf("%x", cfg.SlackBotToken),
		"%d of a token":     fmt.Sprintf("%d", cfg.SlackAppToken),
		"panic message":     panicMessage(cfg.SlackBotToken),
	}
	for name, out := range outputs {
		for _, secret := range []string{"botsecretvalue", "appsecretvalue", "626f74736563726574"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s prints a token: %s", name, out)
			}
		}
		if !strings.Contains(out, redacted) {
			t.Errorf("%s does not show %s: %s", name, redacted, out)
		}
	}
	if !strings.Contains(jsonLog.String(), `"db_path":"pulse.db"`) {
		t.Errorf("the JSON log hides the rest of the configuration too: %s", jsonLog.String())
	}
}

// panicMessage returns what a panic with v as its value would print.
func panicMessage(v any) (msg string) {
	defer func() { msg = fmt.Sprint(recover()) }()
	panic(v)
}

// A proxy's credentials in PULSE_SLACK_API_URL are a secret like a token:
// the start-up line and the validation error show the URL with its
// password redacted.
func TestAPIURLPasswordNeverPrints(t *testing.T) {
	const secret = "pr0xyS3cret"
	t.Run("the configuration logged at start-up", func(t *testing.T) {
		cfg, err := loadConfig(envOf(goodEnv(map[string]string{"PULSE_SLACK_API_URL": "https://user:" + secret + "@proxy.example/api/"})))
		if err != nil {
			t.Fatal(err)
		}
		var jsonLog, textLog bytes.Buffer
		slog.New(slog.NewJSONHandler(&jsonLog, nil)).Info("starting pulse", "config", cfg)
		slog.New(slog.NewTextHandler(&textLog, nil)).Info("starting pulse", "config", cfg)
		for name, out := range map[string]string{"JSON": jsonLog.String(), "text": textLog.String()} {
			if strings.Contains(out, secret) {
				t.Errorf("the %s log prints the proxy's password: %s", name, out)
			}
			if !strings.Contains(out, "https://user:xxxxx@proxy.example/api/") {
				t.Errorf("the %s log does not show the URL with its password redacted: %s", name, out)
			}
		}
	})

	tests := []struct {
		name, url, want string
	}{
		{"a URL of another scheme", "ftp://user:" + secret + "@proxy.example/api/", "ftp://user:xxxxx@proxy.example/api/"},
		{"a URL that does not parse", "https://user:" + secret + " @proxy.example/api/", "https://xxxxx@proxy.example/api/"},
		{"a URL without its scheme", "user:" + secret + "@proxy.example/api/", "xxxxx@proxy.example/api/"},
	}
	for _, tt := range tests {
		t.Run("the validation error of "+tt.name, func(t *testing.T) {
			_, err := loadConfig(envOf(goodEnv(map[string]string{"PULSE_SLACK_API_URL": tt.url})))
			if err == nil {
				t.Fatalf("loadConfig accepted %q", tt.url)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error prints the proxy's password: %v", err)
			}
			if !strings.Contains(err.Error(), "PULSE_SLACK_API_URL must be an http:// or https:// URL") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name the variable and show %q", err, tt.want)
			}
		})
	}
}
