package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/storage"
)

// harness is a Bot running against the Slack stand-in over a real socket,
// with a real database in a temporary folder.
type harness struct {
	tb     testing.TB
	Slack  *slacktest.Server
	DB     *storage.DB
	DBPath string
	Bot    *bot.Bot
	Clock  *pulse.ManualClock
	Logs   *syncBuffer

	cfg        harnessConfig
	cancel     context.CancelFunc
	done       chan error
	stopped    bool
	violations bool // this test breaks a Block Kit limit on purpose
}

type harnessConfig struct {
	bot      bot.Config
	register func(*bot.Bot)
	noStart  bool // build the bot but leave Run to the test
	logLevel slog.Level
	logOut   io.Writer
}

type harnessOption func(*harnessConfig)

// withConfig changes the bot's configuration before it is built.
func withConfig(fn func(*bot.Config)) harnessOption {
	return func(c *harnessConfig) { fn(&c.bot) }
}

// withHandlers registers handlers before Run.
func withHandlers(fn func(*bot.Bot)) harnessOption {
	return func(c *harnessConfig) { c.register = fn }
}

// withSteadyAllowance keeps the default posting burst but gives nothing
// back within a test: the allowance runs on the wall clock, and a loaded
// machine can take longer than its refill to send a flood.
func withSteadyAllowance() harnessOption {
	return func(c *harnessConfig) {
		c.bot.PostAllowance = pulse.PostAllowance{Burst: pulse.DefaultPostAllowance.Burst, Every: time.Hour}
	}
}

// withoutRun leaves starting the bot to the test (see run).
func withoutRun() harnessOption {
	return func(c *harnessConfig) { c.noStart = true }
}

// withLogs sends the bot's log lines to w at level instead of the buffer.
func withLogs(w io.Writer, level slog.Level) harnessOption {
	return func(c *harnessConfig) { c.logOut, c.logLevel = w, level }
}

// start runs a bot against a fresh stand-in and database and waits until it
// is ready. At cleanup it stops the bot, and fails the test if Run returned
// an error, if the stand-in recorded a Block Kit violation (Slack would have
// rejected what the test made the bot send), or if a token reached the log.
func start(tb testing.TB, opts ...harnessOption) *harness {
	tb.Helper()
	cfg := harnessConfig{logLevel: slog.LevelDebug}
	cfg.bot = bot.Config{
		Watchdog:     2 * time.Second,
		ReconnectMin: 10 * time.Millisecond,
		ReconnectMax: 200 * time.Millisecond,
		DrainTimeout: 5 * time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	h := &harness{tb: tb, cfg: cfg, Logs: &syncBuffer{}, Clock: pulse.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))}
	// Slack pings every few seconds; the stand-in pings well inside the
	// watchdog so only a silenced socket trips it.
	ping := min(cfg.bot.Watchdog/10, 200*time.Millisecond)
	h.Slack = slacktest.NewServer(slacktest.WithPingInterval(ping))
	tb.Cleanup(h.Slack.Close)

	h.DBPath = filepath.Join(tb.TempDir(), "pulse.db")
	h.openDB()
	h.Bot = h.newBot()
	tb.Cleanup(h.finish)
	if !cfg.noStart {
		h.run()
		h.waitReady()
	}
	return h
}

func (h *harness) openDB() {
	h.tb.Helper()
	open := storage.Open
	if strings.HasPrefix(h.DBPath, "postgres://") {
		open = func(dsn string) (*storage.DB, error) { return storage.OpenPostgres(context.Background(), dsn) }
	}
	db, err := open(h.DBPath)
	if err != nil {
		h.tb.Fatalf("open database: %v", err)
	}
	db.Clock = h.Clock
	h.DB = db
}

// newBot builds a bot on the harness's stand-in and database.
func (h *harness) newBot() *bot.Bot {
	h.tb.Helper()
	cfg := h.cfg.bot
	if cfg.BotToken == "" {
		cfg.BotToken = h.Slack.BotToken()
	}
	if cfg.AppToken == "" {
		cfg.AppToken = h.Slack.AppToken()
	}
	if cfg.APIURL == "" {
		cfg.APIURL = h.Slack.APIURL()
	}
	out := h.cfg.logOut
	if out == nil {
		out = h.Logs
	}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: h.cfg.logLevel}))
	b, err := bot.New(cfg, h.DB, logger, h.Clock)
	if err != nil {
		h.tb.Fatalf("bot.New: %v", err)
	}
	if h.cfg.register != nil {
		h.cfg.register(b)
	}
	return b
}

// run starts Run in the background.
func (h *harness) run() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	h.stopped = false
	b := h.Bot
	go func() { h.done <- b.Run(ctx) }()
}

// waitReady waits until the bot says it is ready and the stand-in agrees.
func (h *harness) waitReady() {
	h.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.Slack.WaitFor(ctx, func() bool { return h.Bot.Ready() && h.Slack.Connections() > 0 }); err != nil {
		h.tb.Fatalf("bot not ready: %v\n%s", err, h.Logs)
	}
}

// stop cancels Run and returns what it returned.
func (h *harness) stop() error {
	h.tb.Helper()
	if h.stopped || h.cancel == nil {
		return nil
	}
	h.stopped = true
	h.cancel()
	select {
	case err := <-h.done:
		return err
	case <-time.After(15 * time.Second):
		h.tb.Fatalf("Run did not return after its context was cancelled\n%s", h.Logs)
		return nil
	}
}

// restart stops the bot, closes the database as a dying process would,
// and starts a new bot on the same file.
func (h *harness) restart() {
	h.tb.Helper()
	if err := h.stop(); err != nil {
		h.tb.Fatalf("Run: %v", err)
	}
	if err := h.DB.Close(); err != nil {
		h.tb.Fatalf("close database: %v", err)
	}
	h.openDB()
	h.Bot = h.newBot()
	h.run()
	h.waitReady()
}

// finish is the harness's cleanup.
func (h *harness) finish() {
	h.tb.Helper()
	if err := h.stop(); err != nil {
		h.tb.Errorf("Run returned %v", err)
	}
	h.checkViolations(h.tb)
	for _, tok := range []string{h.Slack.BotToken(), h.Slack.AppToken()} {
		if strings.Contains(h.Logs.String(), tok) {
			h.tb.Errorf("a token reached the log:\n%s", h.Logs)
		}
	}
	if err := h.DB.Close(); err != nil {
		h.tb.Errorf("close database: %v", err)
	}
	if h.tb.Failed() {
		h.tb.Logf("bot log:\n%s", h.Logs)
	}
}

// checkViolations fails tb if the stand-in recorded a Block Kit violation,
// or, in a test that breaks a limit on purpose, if it recorded none.
func (h *harness) checkViolations(tb testing.TB) {
	tb.Helper()
	vs := h.Slack.Violations()
	switch {
	case h.violations && len(vs) == 0:
		tb.Errorf("the test meant to break a Block Kit limit, but Slack recorded no violation")
	case !h.violations:
		for _, v := range vs {
			tb.Errorf("Slack would reject what the bot sent: %s %s: %s (limit %d, got %d)", v.Method, v.Pointer, v.Error, v.Limit, v.Got)
		}
	}
}

// slash sends "/pulse <text>" from user and returns the envelope ID.
func (h *harness) slash(user, text string) string {
	h.tb.Helper()
	id, err := h.Slack.SendSlashCommand(context.Background(), slack.SlashCommand{
		Command: "/pulse", Text: text, UserID: user, ChannelID: "C0SALES",
	})
	if err != nil {
		h.tb.Fatalf("send /pulse %s: %v", text, err)
	}
	return id
}

// ack waits for the n-th ack (from 1) of an envelope.
func (h *harness) ack(envelopeID string, n int) slacktest.Ack {
	h.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got slacktest.Ack
	err := h.Slack.WaitFor(ctx, func() bool {
		acks := h.Slack.AcksFor(envelopeID)
		if len(acks) < n {
			return false
		}
		got = acks[n-1]
		return true
	})
	if err != nil {
		h.tb.Fatalf("ack %d of %s: %v\n%s", n, envelopeID, err, h.Logs)
	}
	return got
}

// waitFor waits for cond, failing the test with what after 10 s.
func (h *harness) waitFor(what string, cond func() bool) {
	h.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.Slack.WaitFor(ctx, cond); err != nil {
		h.tb.Fatalf("waiting for %s: %v\n%s", what, err, h.Logs)
	}
}

// createTeam stores a team with the given managers and reps.
func (h *harness) createTeam(name string, managers, reps []string) *pulse.Team {
	h.tb.Helper()
	t := pulse.NewTeam(name, "Europe/Oslo")
	t.Managers, t.Reps, t.Channel = managers, reps, "C0SALES"
	if err := h.DB.CreateTeam(context.Background(), t); err != nil {
		h.tb.Fatalf("create team %s: %v", name, err)
	}
	return t
}

// reply is a slash command's ack payload as Slack reads it.
type reply struct {
	Text         string            `json:"text"`
	ResponseType string            `json:"response_type"`
	Blocks       []json.RawMessage `json:"blocks"`
}

func decodeReply(tb testing.TB, a slacktest.Ack) reply {
	tb.Helper()
	var r reply
	if a.Payload == nil {
		tb.Fatalf("ack of %s carries no payload", a.EnvelopeID)
	}
	if err := json.Unmarshal(a.Payload, &r); err != nil {
		tb.Fatalf("ack payload %s: %v", a.Payload, err)
	}
	return r
}

// allText is a reply's text and every block's, joined, for containment checks.
func (r reply) allText() string {
	var b strings.Builder
	b.WriteString(r.Text)
	for _, bl := range r.Blocks {
		b.WriteString("\n")
		b.Write(bl)
	}
	return b.String()
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// recordingTB records failures instead of failing, to test a helper that
// should fail its test.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// isAuthError reports whether err is a *bot.AuthError for variable.
func isAuthError(err error, variable, code string) bool {
	var ae *bot.AuthError
	return errors.As(err, &ae) && ae.Var == variable && ae.Code == code
}
