// Package bot is Pulse's Slack side: the handlers of slash commands,
// interactions and events; the router that hands each envelope to its
// handler and acknowledges it within Slack's three seconds; and the message
// catalogue every answer is written from. The transport under them lives in
// two packages that know no Pulse type: bot/socket, the Socket Mode
// connection, and bot/webapi, the one Web API client, paced per method and
// patient with rate limits.
//
// Slack's types stay inside this package and its children; the rest of
// Pulse meets it through the root package's types and store interfaces.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
	"github.com/salespulse/pulse/bot/socket"
)

// The environment variables that hold the tokens. Errors about a token name
// its variable, never its value.
const (
	BotTokenVar = "PULSE_SLACK_BOT_TOKEN"
	AppTokenVar = "PULSE_SLACK_APP_TOKEN"
)

// DefaultAPIURL is Slack's own Web API.
const DefaultAPIURL = "https://slack.com/api/"

// Config is what the bot needs to know. Only the tokens are required; every
// duration left zero takes the default written beside it.
type Config struct {
	BotToken string // xoxb-…, from PULSE_SLACK_BOT_TOKEN
	AppToken string // xapp-…, from PULSE_SLACK_APP_TOKEN, for Socket Mode
	APIURL   string // Web API base; DefaultAPIURL when empty
	// Admins are the Slack user IDs that may create and edit any team,
	// beside workspace admins.
	Admins []string
	// DefaultTZ is the IANA zone of people whose zone Slack does not
	// report; UTC when empty.
	DefaultTZ string
	// Watchdog is how long the socket may stay silent (no frame, no ping
	// from Slack) before it is taken for dead and replaced. Default 20 s.
	Watchdog time.Duration
	// AckTimeout is how long a handler has before its envelope is
	// acknowledged without it; Slack allows 3 s end to end. Default 2 s.
	AckTimeout time.Duration
	// LaterTimeout bounds the work a handler leaves for after the ack.
	// Default 2 min.
	LaterTimeout time.Duration
	// DrainTimeout is how long Run waits, once its context is done, for
	// handlers and their later work before it cancels them. Default 10 s.
	DrainTimeout time.Duration
	// PruneEvery is how often envelopes older than a day are forgotten.
	// Default 1 h.
	PruneEvery time.Duration
	// OutboxEvery is how often the effects left pending (their replica
	// stopped after the ack, or Slack failed) are sent. Default 10 s.
	OutboxEvery time.Duration
	// EffectStale is how long another run's claim of an outbox delivery
	// stands before it is taken for a stopped run's. Default: 2 minutes.
	EffectStale time.Duration
	// ReconnectMin and ReconnectMax bound the wait between failed attempts
	// to connect; each failure doubles it, with jitter. Defaults 250 ms, 2 min.
	ReconnectMin, ReconnectMax time.Duration

	// PostsPerMinute is how many chat.postMessage calls a minute the
	// pacer lets out across the workspace; each channel also keeps to
	// about one a second. Slack documents "several hundred a minute";
	// default 200, its floor. Raise it only for a workspace or a proxy
	// known to allow more: beyond Slack's limit the extra calls meet 429s.
	PostsPerMinute int

	// WebURL is where the web dashboard is reached (PULSE_PUBLIC_URL),
	// for the sign-in links of /pulse web; empty when it is not served.
	WebURL string

	// EnvelopesAtOnce bounds the envelopes handled at once, counting the
	// work each leaves for after its ack; EnvelopesPerPerson bounds one
	// person's. Beyond either, an envelope is acknowledged with a short
	// "busy" answer. Defaults 128 and 4.
	EnvelopesAtOnce, EnvelopesPerPerson int

	// PostAllowance is how often one person may use the commands that
	// post in public (PostsInPublic); pulse.DefaultPostAllowance when zero.
	PostAllowance pulse.PostAllowance

	// ExportsAtOnce bounds the /pulse export files made at once across
	// the workspace; each person has one at a time. Default 3.
	ExportsAtOnce int
	// TempDir is where an export's file is written before it is
	// uploaded, and removed after; os.TempDir() when empty.
	TempDir string

	// NoPacing sends Web API calls as fast as they come. Only for a
	// stand-in that does not limit; against Slack, leave it off.
	NoPacing bool
	// HTTPClient carries Web API calls; a client with a 30 s timeout when nil.
	HTTPClient *http.Client
	// Dialer opens the Socket Mode WebSocket; a default one when nil.
	Dialer *websocket.Dialer
	// Metrics counts envelopes, Web API calls and reconnects; discarded
	// when nil.
	Metrics pulse.Metrics
}

// LogValue keeps the tokens, and any password in the API URL, out of any
// log line that prints a Config.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("bot_token", "[redacted]"),
		slog.String("app_token", "[redacted]"),
		slog.String("api_url", RedactURL(c.APIURL)),
		slog.Any("admins", c.Admins),
		slog.String("default_tz", c.DefaultTZ),
		slog.Duration("watchdog", c.Watchdog),
	)
}

func (c *Config) setDefaults() {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(c.APIURL, "/") {
		c.APIURL += "/" // slack-go appends the method name to it
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.Watchdog, 20*time.Second)
	def(&c.AckTimeout, 2*time.Second)
	def(&c.LaterTimeout, 2*time.Minute)
	def(&c.DrainTimeout, 10*time.Second)
	def(&c.PruneEvery, time.Hour)
	def(&c.OutboxEvery, 10*time.Second)
	def(&c.EffectStale, 2*time.Minute)
	def(&c.ReconnectMin, 250*time.Millisecond)
	def(&c.ReconnectMax, 2*time.Minute)
	if c.EnvelopesAtOnce <= 0 {
		c.EnvelopesAtOnce = 128
	}
	if c.EnvelopesPerPerson <= 0 {
		c.EnvelopesPerPerson = 4
	}
	if c.ExportsAtOnce <= 0 {
		c.ExportsAtOnce = 3
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if c.Metrics == nil {
		c.Metrics = pulse.NopMetrics{}
	}
}

// Bot is one Slack app connection. Register handlers, then call Run once.
type Bot struct {
	cfg    Config
	store  pulse.Store
	log    *slog.Logger
	clock  pulse.Clock
	cat    *catalog.Catalog
	api    *slack.Client
	zone   *time.Location
	admins map[string]bool

	routes routes
	socket *socket.Conn

	// feedbackOrigins holds, by feedback modal, where its Give feedback
	// button sat (see feedback_origin.go).
	feedbackOrigins feedbackOrigins

	exports    exportSlots
	posting    *postAllowances
	flight     *flightBounds
	stale      *userQueue // profiles to ask users.info for again
	dms        sync.Map   // user ID → the ID of their DM with the bot
	helpCache  sync.Map   // helpKey → Message, encoded
	helpCached atomic.Int64

	// work is the context of handlers and their later work. It outlives
	// Run's context so that a shutdown finishes what it started; Run
	// cancels it only when the drain times out.
	work       context.Context
	cancelWork context.CancelFunc

	mu       sync.Mutex
	closing  bool           // no new envelopes are taken
	drained  bool           // no new work of any kind is started
	inflight sync.WaitGroup // handlers and their later work
	recent   recentEnvelopes
	outbox   outboxState

	running atomic.Bool
	fatal   atomic.Pointer[func(error)] // ends Run; set while it runs
}

// New builds a bot that serves people from store. It checks the
// configuration but does not reach Slack; Run and CheckAuth do.
func New(cfg Config, store pulse.Store, logger *slog.Logger, clock pulse.Clock) (*Bot, error) {
	if cfg.BotToken == "" {
		return nil, fmt.Errorf("bot: %s is empty: set it to the app's bot token (xoxb-…)", BotTokenVar)
	}
	if cfg.AppToken == "" {
		return nil, fmt.Errorf("bot: %s is empty: set it to an app-level token (xapp-…) with connections:write", AppTokenVar)
	}
	if store == nil {
		return nil, errors.New("bot: no store")
	}
	if logger == nil {
		logger = slog.Default()
	}
	if clock == nil {
		clock = pulse.SystemClock
	}
	cfg.setDefaults()
	zone := time.UTC
	if cfg.DefaultTZ != "" {
		z, err := pulse.LoadLocation(cfg.DefaultTZ)
		if err != nil {
			return nil, fmt.Errorf("bot: default time zone: %w", err)
		}
		zone = z
	}
	cat, err := catalog.New(catalog.WithLogger(logger))
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	b := &Bot{
		cfg:    cfg,
		store:  store,
		log:    logger,
		clock:  clock,
		cat:    cat,
		stale:  newUserQueue(),
		zone:   zone,
		admins: make(map[string]bool),
	}
	for _, id := range cfg.Admins {
		b.admins[strings.TrimSpace(id)] = true
	}
	b.exports.max = cfg.ExportsAtOnce
	b.posting = newPostAllowances(cfg.PostAllowance)
	b.flight = newFlightBounds(cfg.EnvelopesAtOnce, cfg.EnvelopesPerPerson)
	b.openTransport()
	b.work, b.cancelWork = context.WithCancel(context.Background())
	b.routes.init()
	b.recent.init()
	b.outbox = newOutboxState()
	b.registerRoutes()
	return b, nil
}

// API is the process's one Web API client, authorised with the bot token.
// Every call through it is paced per method and waits out rate limits.
func (b *Bot) API() *slack.Client { return b.api }

// Catalog is the message catalogue answers are written from.
func (b *Bot) Catalog() *catalog.Catalog { return b.cat }

// DefaultZone is the time zone of people whose zone Slack does not report.
func (b *Bot) DefaultZone() *time.Location { return b.zone }

// Run connects to Slack and serves envelopes until ctx is done, then stops
// taking new ones, waits for the handlers it started (at most DrainTimeout)
// and returns nil. It returns early with an *AuthError when Slack refuses a
// token, at the start (auth.test) or later, since reconnecting cannot help;
// any other failure to reach Slack is retried with backoff. Run may be
// called once.
func (b *Bot) Run(ctx context.Context) error {
	if !b.running.CompareAndSwap(false, true) {
		return errors.New("bot: Run called twice")
	}
	defer b.cancelWork()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	fail := func(err error) { cancel(err) }
	b.fatal.Store(&fail)
	defer b.fatal.Store(nil)

	if err := b.checkBotToken(ctx); err != nil {
		var ae *AuthError
		if errors.As(err, &ae) {
			return ae
		}
		// Slack out of reach is not the token's fault: the connection
		// loop below retries until it is back.
		b.log.Warn("could not check the bot token; going on", "err", err)
	}
	var loops sync.WaitGroup
	loops.Go(func() { b.pruneLoop(ctx) })
	loops.Go(func() { b.refreshLoop(ctx) })
	loops.Go(func() { b.outboxLoop(ctx) })

	err := b.socket.Run(ctx, b.dispatch)
	b.drain()
	cancel(nil)
	loops.Wait()

	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) && !errors.Is(cause, context.DeadlineExceeded) {
		return cause
	}
	if err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

// fail ends Run with err, when it is running.
func (b *Bot) fail(err error) {
	if f := b.fatal.Load(); f != nil {
		(*f)(err)
	}
}

// drain stops taking envelopes and waits for the handlers and later work
// already started, cancelling them after DrainTimeout.
func (b *Bot) drain() {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	done := make(chan struct{})
	go func() {
		b.inflight.Wait()
		close(done)
	}()
	t := time.NewTimer(b.cfg.DrainTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		b.log.Warn("handlers still running at shutdown; cancelling them", "waited", b.cfg.DrainTimeout)
		b.cancelWork()
		<-done
	}
	b.mu.Lock()
	b.drained = true
	b.mu.Unlock()
	b.socket.Close()
}

// pruneLoop forgets envelopes first seen more than a day ago, now and then
// every PruneEvery: Slack stops redelivering long before that.
func (b *Bot) pruneLoop(ctx context.Context) {
	t := time.NewTicker(b.cfg.PruneEvery)
	defer t.Stop()
	for {
		n, err := b.store.PruneEnvelopes(ctx, b.clock.Now().Add(-envelopeMemory))
		switch {
		case err != nil && ctx.Err() == nil:
			b.log.Warn("prune envelope log", "err", err)
		case n > 0:
			b.log.Debug("pruned envelope log", "forgotten", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// envelopeMemory is how long an envelope ID is remembered. Slack retries
// an unacknowledged envelope within minutes; a day is a wide margin that
// also covers a process restarted the next morning.
const envelopeMemory = 24 * time.Hour

// isAdmin reports whether user may set up any team: named in Admins, or a
// workspace admin as Slack last told us.
func (b *Bot) isAdmin(user string, p *pulse.Person) bool {
	return b.admins[user] || (p != nil && p.IsAdmin)
}
