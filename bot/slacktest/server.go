// Package slacktest is a stand-in for Slack that the bot's tests and
// `pulse demo` talk to over real sockets on 127.0.0.1.
//
// A Server speaks the two halves of Slack an app sees: Socket Mode (the app
// calls apps.connections.open with its app-level token, dials the single-use
// WebSocket URL, is greeted with hello, receives envelopes and acknowledges
// them) and the Web API (chat.postMessage, views.open, users.info and the other
// methods the bot calls). It answers slack-go's own clients the way Slack does,
// so a bot that works against it has exercised the same code paths it uses in
// production.
//
// Everything the app sends is recorded (Calls, Messages, Views, Files, Acks)
// for tests to assert on, and faults can be injected: rate limits (HTTP 429
// with Retry-After), revoked tokens, dropped or silent sockets, disconnect
// requests, redelivered envelopes. Block Kit limits are enforced on every
// message and view (see limits.go): a violation is answered invalid_blocks, as
// Slack does, and kept in Violations, so a layout that Slack would reject
// fails a test instead of failing silently in front of a person.
//
// Conventions worth knowing when writing a test against it:
//   - Channels (C…, G…) must be added with AddChannel, else posting answers
//     channel_not_found. Direct messages need no setup: a user ID "U123" as
//     channel, conversations.open for U123 and the ID "D123" all mean the
//     D123 conversation, and messages are recorded under "D123" (Messages
//     accepts either ID).
//   - users.info and users.list know only users added with AddUser;
//     users.info also knows those added with AddOutsideUser.
//   - Envelopes go to the newest greeted socket, or wait in a queue until
//     one connects; slash commands and block actions carry a trigger_id and
//     a response_url that this server honours (3 s once; 5 posts in 30 min).
//   - Messages is a log of what happened in a channel (posts, ephemerals,
//     updates, deletions, replies), not its current state; the current state
//     is what conversations.history returns.
//
// The package does not import testing; tests wait on conditions with
// WaitFor, WaitConnected and WaitAck rather than sleeping.
package slacktest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// Defaults for the workspace the server pretends to be.
const (
	DefaultBotToken = "xoxb-test-bot"
	DefaultAppToken = "xapp-test-app"
	DefaultTeamID   = "T0PULSE"
	DefaultTeamName = "Pulse Test"
	DefaultAppID    = "A0PULSE"
	DefaultBotID    = "B0PULSE"
	DefaultBotUser  = "U0PULSEBOT"
)

// Slack's documented windows for trigger IDs and response URLs.
const (
	triggerLifetime     = 3 * time.Second
	responseURLLifetime = 30 * time.Minute
	responseURLUses     = 5
)

// Option configures a Server.
type Option func(*config)

type config struct {
	botToken     string
	appToken     string
	teamID       string
	teamName     string
	appID        string
	pingInterval time.Duration
	clock        pulse.Clock

	// spread, when set, deals envelopes round-robin across the greeted
	// sockets and redelivers an events_api envelope left unacknowledged
	// for redeliverAfter (or whose socket dropped) on another socket.
	spread         bool
	redeliverAfter time.Duration
}

// WithSpread makes the server behave as Slack does with several Socket Mode
// connections of one app: it spreads envelopes across every greeted socket
// in turn, and an events_api envelope not acknowledged within after, or
// whose socket went away first, is delivered again, to another socket when
// there is one, with retry_attempt counting up and retry_reason "timeout",
// at most three times. Slash commands and interactions are never delivered
// again: unacknowledged, they are an error the person sees.
func WithSpread(after time.Duration) Option {
	return func(c *config) { c.spread, c.redeliverAfter = true, after }
}

// WithPingInterval sets how often the server sends a WebSocket PING on each
// socket. slack-go treats 30 s without one as a dead socket, so the default
// is 2 s.
func WithPingInterval(d time.Duration) Option {
	return func(c *config) { c.pingInterval = d }
}

// WithClock sets the clock behind message timestamps and the expiry of
// trigger IDs and response URLs, so a test that moves its clock can expire
// them. Latencies and rate limits always use the wall clock, because they
// measure the real program.
func WithClock(clock pulse.Clock) Option {
	return func(c *config) { c.clock = clock }
}

// Server is a running Slack stand-in. All methods are safe for concurrent use.
type Server struct {
	cfg  config
	http *httptest.Server

	mu      sync.Mutex
	changed chan struct{} // closed and replaced whenever recorded state changes
	closed  bool

	seq    int   // source of unique IDs
	lastTS int64 // microseconds of the newest message ts, so ts only grows

	users    map[string]slack.User
	unlisted map[string]bool   // users.info knows them, users.list leaves them out
	channels map[string]string // channel ID -> name

	socket socketState
	web    webState
	faults faultState
	rec    record
}

// NewServer starts a stand-in listening on 127.0.0.1. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{
		botToken:     DefaultBotToken,
		appToken:     DefaultAppToken,
		teamID:       DefaultTeamID,
		teamName:     DefaultTeamName,
		appID:        DefaultAppID,
		pingInterval: 2 * time.Second,
		clock:        pulse.SystemClock,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.pingInterval <= 0 {
		cfg.pingInterval = 2 * time.Second
	}
	if cfg.clock == nil {
		cfg.clock = pulse.SystemClock
	}
	s := &Server{
		cfg:      cfg,
		changed:  make(chan struct{}),
		users:    map[string]slack.User{},
		unlisted: map[string]bool{},
		channels: map[string]string{},
	}
	s.socket.init()
	if cfg.spread {
		s.socket.quit = make(chan struct{})
		go s.redeliverLoop()
	}
	s.web.init()
	s.faults.init()

	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/link/", s.serveLink)
	mux.HandleFunc("/response/", s.serveResponseURL)
	mux.HandleFunc("/upload/", s.serveUpload)
	s.http = httptest.NewServer(mux) // binds 127.0.0.1 only
	return s
}

// Close drops every socket and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	if s.socket.quit != nil {
		close(s.socket.quit)
	}
	socks := s.socket.takeAll()
	s.notifyLocked()
	s.mu.Unlock()
	for _, sk := range socks {
		sk.close()
	}
	s.faults.releaseAll() // the server waits for every call it answers
	s.http.Close()
}

// URL is the server's base URL, http://127.0.0.1:port.
func (s *Server) URL() string { return s.http.URL }

// APIURL is the Web API base with a trailing slash, for slack.OptionAPIURL.
func (s *Server) APIURL() string { return s.http.URL + "/api/" }

// BotToken is the bot token the Web API accepts.
func (s *Server) BotToken() string { return s.cfg.botToken }

// AppToken is the app-level token apps.connections.open accepts.
func (s *Server) AppToken() string { return s.cfg.appToken }

// TeamID is the workspace ID the server reports.
func (s *Server) TeamID() string { return s.cfg.teamID }

// AppID is the app ID the server reports.
func (s *Server) AppID() string { return s.cfg.appID }

// AddUser makes users.info answer for u.ID and users.list list it. Users
// not added are unknown (user_not_found).
func (s *Server) AddUser(u slack.User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.TeamID == "" {
		u.TeamID = s.cfg.teamID
	}
	s.users[u.ID] = u
}

// AddChannel makes a public or private channel (C… or G…) known, so messages
// can be posted to it. Direct messages need no setup: a user ID or D… ID
// is always accepted.
func (s *Server) AddChannel(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = name
}

// WaitFor returns once cond reports true, or with the context's error. cond
// is checked whenever the server records something and at least every 10 ms,
// so it may also look at state outside the server. cond must not call
// WaitFor.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("slacktest: wait: %w", ctx.Err())
		case <-ch:
		case <-tick.C:
		}
	}
}

// notifyLocked wakes every WaitFor. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// nextIDLocked returns prefix followed by a number unique within the server.
func (s *Server) nextIDLocked(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%06d", prefix, s.seq)
}

// nextTSLocked returns a message timestamp ("1700000000.000100") from the
// clock, strictly greater than every one issued before, as Slack's are
// unique per channel.
func (s *Server) nextTSLocked() string {
	us := s.cfg.clock.Now().UnixMicro()
	if us <= s.lastTS {
		us = s.lastTS + 1
	}
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1_000_000, us%1_000_000)
}

// dmChannel is the D… channel the server uses for a direct message with the
// user: "U123" becomes "D123". Channel IDs other than user IDs are returned
// unchanged, so every DM is recorded under one ID whichever the bot used.
func dmChannel(id string) string {
	if strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W") {
		return "D" + id[1:]
	}
	return id
}
