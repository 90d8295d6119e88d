package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/kelseyhightower/envconfig"
	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/storage"
)

// envPrefix is the prefix of every variable Pulse reads: PULSE_DB_PATH and so on.
const envPrefix = "PULSE"

// Env looks up one environment variable, like os.LookupEnv. Subcommands take
// it instead of reading the process environment so that tests can run them
// in-process, side by side, each with an environment of its own.
type Env func(key string) (value string, ok bool)

// Config is everything `pulse run` reads from the environment. The struct
// tags are the single source of the variables' names, defaults and
// descriptions: config.example.env and `pulse help` are checked against them.
type Config struct {
	SlackBotToken pulse.Secret `envconfig:"SLACK_BOT_TOKEN" required:"true" desc:"Bot token (xoxb-...) from the app's OAuth & Permissions page; required by pulse run."`
	SlackAppToken pulse.Secret `envconfig:"SLACK_APP_TOKEN" required:"true" desc:"App-level token (xapp-...) with connections:write, for Socket Mode; required by pulse run."`
	DBPath        string       `envconfig:"DB_PATH" default:"pulse.db" desc:"Path of the bbolt database file; created 0600 when missing."`
	DatabaseURL   pulse.Secret `envconfig:"DATABASE_URL" desc:"postgres:// URL of a PostgreSQL database to keep the state in instead of PULSE_DB_PATH, so several replicas can run; empty: the bbolt file."`
	SlackAPIURL   string       `envconfig:"SLACK_API_URL" default:"https://slack.com/api/" desc:"Base URL of Slack's Web API; change it for GovSlack, a proxy or a test server."`
	Admins        []string     `envconfig:"ADMINS" desc:"Comma-separated Slack user IDs allowed to create teams, beside workspace admins."`
	HTTPAddr      string       `envconfig:"HTTP_ADDR" default:":8080" desc:"Address of the HTTP server for /healthz, /readyz and /metrics."`
	LogLevel      string       `envconfig:"LOG_LEVEL" default:"info" desc:"Lowest level logged: debug, info, warn or error."`
	LogFormat     string       `envconfig:"LOG_FORMAT" default:"json" desc:"Log line format: json or text."`
	DefaultTZ     string       `envconfig:"DEFAULT_TZ" default:"UTC" desc:"IANA time zone for people whose zone Slack does not report."`
	PostsPerMin   string       `envconfig:"SLACK_POSTS_PER_MINUTE" default:"200" desc:"Messages a minute the bot posts across the workspace; raise it only where Slack allows more."`
	OutboxStale   string       `envconfig:"OUTBOX_STALE" default:"2m" desc:"How long a replica's claim of a message owed after an acknowledged command may stand before another replica asks Slack whether it went out and sends it if not."`
	Pprof         bool         `envconfig:"PPROF" default:"false" desc:"Also serve Go's runtime profiles under /debug/pprof/ on PULSE_HTTP_ADDR, for finding where time and memory go."`
	WebAddr       string       `envconfig:"WEB_ADDR" desc:"Address of the web dashboard, such as :8090; the dashboard is off when this is empty."`
	PublicURL     string       `envconfig:"PUBLIC_URL" desc:"URL people reach the web dashboard at, such as https://pulse.example.com; sign-in links start with it, and cookies are Secure when it is https. Needed with PULSE_WEB_ADDR."`

	HubSpotToken           pulse.Secret `envconfig:"HUBSPOT_TOKEN" desc:"Access token of a HubSpot private app with the crm.objects.owners, calls, meetings and deals read scopes, for teams whose numbers come from HubSpot."`
	HubSpotAPIURL          string       `envconfig:"HUBSPOT_API_URL" default:"https://api.hubapi.com" desc:"Base URL of HubSpot's API; change it only for a proxy or a test server."`
	PipedriveToken         pulse.Secret `envconfig:"PIPEDRIVE_TOKEN" desc:"Personal API token of a Pipedrive user who sees every rep's activities and deals, for teams whose numbers come from Pipedrive."`
	PipedriveDomain        string       `envconfig:"PIPEDRIVE_DOMAIN" desc:"The company's Pipedrive domain, the name before .pipedrive.com; needed with PULSE_PIPEDRIVE_TOKEN."`
	PipedriveCallType      string       `envconfig:"PIPEDRIVE_CALL_TYPE" default:"call" desc:"Key (key_string) of the Pipedrive activity type counted as calls, for a company that logs calls under a type of its own."`
	PipedriveMeetingType   string       `envconfig:"PIPEDRIVE_MEETING_TYPE" default:"meeting" desc:"Key (key_string) of the Pipedrive activity type counted as meetings, for a company that logs meetings under a type of its own."`
	PipedrivePlan          string       `envconfig:"PIPEDRIVE_PLAN" default:"lite" desc:"The company's Pipedrive plan: lite, growth, premium or ultimate; requests are paced to its API-token burst limit."`
	SalesforceLoginURL     string       `envconfig:"SALESFORCE_LOGIN_URL" desc:"The org's My Domain URL, such as https://acme.my.salesforce.com, for teams whose numbers come from Salesforce."`
	SalesforceClientID     string       `envconfig:"SALESFORCE_CLIENT_ID" desc:"Consumer key of the external client app with the client credentials flow; needed with PULSE_SALESFORCE_LOGIN_URL."`
	SalesforceClientSecret pulse.Secret `envconfig:"SALESFORCE_CLIENT_SECRET" desc:"Consumer secret of that app; needed with PULSE_SALESFORCE_LOGIN_URL."`

	level       slog.Level
	location    *time.Location
	postsPerMin int
	outboxStale time.Duration
}

// Level returns the lowest log level to record.
func (c *Config) Level() slog.Level { return c.level }

// Location returns the time zone named by DefaultTZ.
func (c *Config) Location() *time.Location { return c.location }

// PostsPerMinute returns the workspace-wide pace of chat.postMessage.
func (c *Config) PostsPerMinute() int { return c.postsPerMin }

// EffectStale returns PULSE_OUTBOX_STALE parsed; valid after Load.
func (c *Config) EffectStale() time.Duration { return c.outboxStale }

// webURL returns the dashboard's public URL while it is served, else "".
func (c *Config) webURL() string {
	if c.WebAddr == "" {
		return ""
	}
	return c.PublicURL
}

// LogValue logs the configuration as a group. The tokens print as
// [redacted] through their own LogValue, the API URL without its password.
func (c *Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Any("slack_bot_token", c.SlackBotToken),
		slog.Any("slack_app_token", c.SlackAppToken),
		slog.String("db_path", c.DBPath),
		slog.String("database_url", storage.RedactURL(c.DatabaseURL.Reveal())),
		slog.String("slack_api_url", bot.RedactURL(c.SlackAPIURL)),
		slog.Any("admins", c.Admins),
		slog.String("http_addr", c.HTTPAddr),
		slog.String("log_level", c.LogLevel),
		slog.String("log_format", c.LogFormat),
		slog.String("default_tz", c.DefaultTZ),
		slog.String("slack_posts_per_minute", c.PostsPerMin),
		slog.Bool("pprof", c.Pprof),
		slog.String("web_addr", c.WebAddr),
		slog.String("public_url", bot.RedactURL(c.PublicURL)),
		slog.Any("hubspot_token", c.HubSpotToken),
		slog.String("hubspot_api_url", bot.RedactURL(c.HubSpotAPIURL)),
		slog.Any("pipedrive_token", c.PipedriveToken),
		slog.String("pipedrive_domain", c.PipedriveDomain),
		slog.String("pipedrive_call_type", c.PipedriveCallType),
		slog.String("pipedrive_meeting_type", c.PipedriveMeetingType),
		slog.String("pipedrive_plan", c.PipedrivePlan),
		slog.String("salesforce_login_url", bot.RedactURL(c.SalesforceLoginURL)),
		slog.String("salesforce_client_id", c.SalesforceClientID),
		slog.Any("salesforce_client_secret", c.SalesforceClientSecret),
	)
}

// configVar is one variable of Config, as envconfig names it.
type configVar struct {
	Key      string // e.g. PULSE_DB_PATH
	Name     string // the Config field, e.g. DBPath
	Default  string
	Desc     string
	Required bool
}

// configVars lists Config's variables in the order of its fields, taking
// their names from envconfig itself so that the prefix and tag rules are
// envconfig's. envconfig.Process reads only the process environment, which
// would stop tests from giving each run an environment of its own, so
// loadConfig asks envconfig for the list and decodes the values itself.
func configVars() []configVar {
	var vars []configVar
	tmpl := template.Must(template.New("vars").Funcs(template.FuncMap{
		"add": func(key, name string, tags reflect.StructTag) string {
			req, _ := strconv.ParseBool(tags.Get("required"))
			vars = append(vars, configVar{Key: key, Name: name, Default: tags.Get("default"), Desc: tags.Get("desc"), Required: req})
			return ""
		},
	}).Parse(`{{range .}}{{add .Key .Name .Tags}}{{end}}`))
	if err := envconfig.Usaget(envPrefix, &Config{}, io.Discard, tmpl); err != nil {
		// Config is a fixed struct; an error here is a programming mistake
		// that every test run would show.
		panic(fmt.Sprintf("envconfig cannot read Config: %v", err))
	}
	return vars
}

// lookupOrDefault returns the value of one of Config's variables, or its
// default when it is unset or empty.
func lookupOrDefault(env Env, key string) string {
	if v, ok := env(key); ok && v != "" {
		return v
	}
	for _, v := range configVars() {
		if v.Key == key {
			return v.Default
		}
	}
	return ""
}

// loadConfig reads and checks the configuration. A variable set to the
// empty string counts as unset, so that a copied config.example.env with
// blank lines means "the default". The error lists every bad variable, one
// per line, naming each and never printing a token.
func loadConfig(env Env) (*Config, error) {
	cfg := &Config{}
	spec := reflect.ValueOf(cfg).Elem()
	var errs []error
	for _, v := range configVars() {
		value, ok := env(v.Key)
		if !ok || value == "" {
			if v.Required {
				errs = append(errs, fmt.Errorf("%s is not set", v.Key))
				continue
			}
			value = v.Default
		}
		if err := setField(spec.FieldByName(v.Name), value); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", v.Key, err))
		}
	}
	if len(errs) > 0 {
		// Checking values that failed to load would only repeat the failure.
		return nil, errors.Join(errs...)
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// setField decodes one value into a Config field, the way envconfig does
// for the kinds Config uses.
func setField(f reflect.Value, value string) error {
	if d, ok := f.Addr().Interface().(envconfig.Decoder); ok {
		return d.Decode(value)
	}
	switch {
	case f.Kind() == reflect.String:
		f.SetString(value)
	case f.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("must be true or false, got %q", value)
		}
		f.SetBool(b)
	case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
		var items []string
		for _, s := range strings.Split(value, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		f.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("Config field of type %s has no decoder", f.Type())
	}
	return nil
}

// validate checks every variable and fills the parsed fields. Each message
// starts with the variable's name.
func (c *Config) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	c.checkSlack(bad)

	for _, id := range c.Admins {
		if !pulse.ValidUserID(id) {
			bad("PULSE_ADMINS: %q is not a Slack user ID (like U012AB3CD)", id)
		}
	}

	if v := c.DatabaseURL.Reveal(); v != "" && !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
		bad("PULSE_DATABASE_URL must be a postgres:// URL, got %q", storage.RedactURL(v))
	}

	if _, port, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		bad("PULSE_HTTP_ADDR must be host:port or :port, got %q", c.HTTPAddr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad("PULSE_HTTP_ADDR has a bad port %q", port)
	}

	c.checkLogging(bad)

	if loc, err := pulse.LoadLocation(c.DefaultTZ); err != nil {
		bad("PULSE_DEFAULT_TZ must be an IANA time zone such as Europe/Oslo, got %q", c.DefaultTZ)
	} else {
		c.location = loc
	}

	c.checkWeb(bad)

	if n, err := strconv.Atoi(strings.TrimSpace(c.PostsPerMin)); err != nil || n < 1 {
		bad("PULSE_SLACK_POSTS_PER_MINUTE must be a whole number of messages a minute, 1 or more, got %q", c.PostsPerMin)
	} else {
		c.postsPerMin = n
	}

	if d, err := time.ParseDuration(strings.TrimSpace(c.OutboxStale)); err != nil || d < time.Second {
		bad("PULSE_OUTBOX_STALE must be a duration of a second or more, such as 2m, got %q", c.OutboxStale)
	} else {
		c.outboxStale = d
	}

	if _, err := c.CRMs(); err != nil {
		bad("%v", err)
	}
	return errors.Join(errs...)
}

// checkSlack checks the tokens and the Web API URL, adding the slash
// slack-go needs at the URL's end.
func (c *Config) checkSlack(bad func(format string, args ...any)) {
	checkToken := func(key string, t pulse.Secret, prefix, otherKind, otherKey string) {
		switch v := t.Reveal(); {
		case strings.ContainsAny(v, " \t\r\n"):
			bad("%s has spaces or line breaks in it; a Slack token has none", key)
		case v == prefix:
			bad("%s holds only %s; copy the whole token", key, prefix)
		case strings.HasPrefix(v, prefix):
		case strings.HasPrefix(v, otherKind):
			bad("%s must start with %s (this looks like the token that belongs in %s)", key, prefix, otherKey)
		default:
			bad("%s must start with %s", key, prefix)
		}
	}
	checkToken("PULSE_SLACK_BOT_TOKEN", c.SlackBotToken, "xoxb-", "xapp-", "PULSE_SLACK_APP_TOKEN")
	checkToken("PULSE_SLACK_APP_TOKEN", c.SlackAppToken, "xapp-", "xoxb-", "PULSE_SLACK_BOT_TOKEN")

	if u, err := url.Parse(c.SlackAPIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("PULSE_SLACK_API_URL must be an http:// or https:// URL, got %q", bot.RedactURL(c.SlackAPIURL))
	} else if !strings.HasSuffix(c.SlackAPIURL, "/") {
		// slack-go appends method names to the base URL as is.
		c.SlackAPIURL += "/"
	}
}

// checkLogging checks the log level and format, and keeps the level.
func (c *Config) checkLogging(bad func(format string, args ...any)) {
	switch strings.ToLower(c.LogLevel) {
	case "debug":
		c.level = slog.LevelDebug
	case "info":
		c.level = slog.LevelInfo
	case "warn":
		c.level = slog.LevelWarn
	case "error":
		c.level = slog.LevelError
	default:
		bad("PULSE_LOG_LEVEL must be debug, info, warn or error, got %q", c.LogLevel)
	}

	switch strings.ToLower(c.LogFormat) {
	case "json", "text":
		c.LogFormat = strings.ToLower(c.LogFormat)
	default:
		bad("PULSE_LOG_FORMAT must be json or text, got %q", c.LogFormat)
	}
}

// checkWeb checks the dashboard's addresses when it is served.
func (c *Config) checkWeb(bad func(format string, args ...any)) {
	if c.WebAddr != "" {
		if _, _, err := net.SplitHostPort(c.WebAddr); err != nil {
			bad("PULSE_WEB_ADDR must be host:port or :port, got %q", c.WebAddr)
		}
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("PULSE_PUBLIC_URL must be the http:// or https:// URL people reach the dashboard at when PULSE_WEB_ADDR is set, got %q", bot.RedactURL(c.PublicURL))
		}
	}
}
