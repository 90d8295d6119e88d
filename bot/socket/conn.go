// Package socket is Pulse's Socket Mode connection: it opens a socket with
// a fresh URL, waits for hello, hands each envelope to the caller, writes
// the caller's acks, pings, replaces a socket gone silent (the watchdog)
// and reconnects with backoff until its context is done or the app-level
// token is refused.
//
// It knows nothing of Pulse's product: an envelope is slack-go's
// socketmode.Request, an ack's payload any JSON value.
package socket

// Why a Socket Mode loop of our own rather than slack-go's socketmode.Client:
//
//   - Its dead-socket timer counts only Slack's PINGs, not frames, and
//     neither is visible to the caller, so Ready could not say "receiving";
//     nor can the timer's limit be told apart from its reconnects.
//   - An events_api envelope whose inner event slackevents does not know
//     becomes an error_bad_message event without its envelope parsed, so
//     acknowledging every envelope would mean parsing frames twice.
//   - Ack only queues the response; the caller never learns whether it was
//     written, which the per-envelope log line and the ack latency need.
//   - Restarting it on our own watchdog means cancelling its context and
//     building a new client, racing its internal reconnects.
//
// The protocol itself is small (FACTS.md): apps.connections.open with the
// app-level token for a single-use URL, a hello frame, envelopes acked by
// envelope_id, disconnect frames, WebSocket PINGs. This loop speaks it with
// gorilla/websocket and slack-go's own types (socketmode.Request and
// Response, slack.SlashCommand, slack.InteractionCallback, slackevents), and
// it calls apps.connections.open through slack-go, so it runs against Slack
// unchanged. The watchdog is a read deadline on the socket, pushed forward
// by every frame and every PING from Slack: a socket gone silent without
// closing fails its read at the deadline, even when the TCP connection
// itself is wedged (the failure slack-go's issue 1093 describes).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack/socketmode"
)

const (
	// writeTimeout bounds each frame written, so a wedged socket cannot
	// hold an ack forever.
	writeTimeout = 5 * time.Second
	// readLimit bounds one incoming frame. Slack's largest envelopes (a
	// view_submission with a big modal's state) are far smaller.
	readLimit = 16 << 20
	// maxAckSize is the largest ack Slack takes: it silently drops a
	// response of 20 KB or more (slack-go socketmode.go, maxResponseSize).
	maxAckSize = 20*1024 - 1
	// stableAfter is how long a connection must have lived for the next
	// reconnect to start again from the shortest backoff.
	stableAfter = 30 * time.Second
)

// Metrics counts what the connection does; the root package's Metrics
// has these methods.
type Metrics interface {
	// Reconnect counts one connection ended, by reason.
	Reconnect(reason string)
	// SocketFrame notes the time a frame or a PING last came from Slack.
	SocketFrame(at time.Time)
}

// Config is what the connection needs. Open is required; every duration
// must be set.
type Config struct {
	// Open calls apps.connections.open for a new socket's URL. An error
	// that is a *webapi.AuthError ends Run; any other is retried.
	Open func(ctx context.Context) (url string, err error)
	// Dialer opens the WebSocket; a default one when nil.
	Dialer *websocket.Dialer
	// Watchdog is how long a socket may stay silent (no frame, no PING
	// from Slack) before it is taken for dead and replaced.
	Watchdog time.Duration
	// ReconnectMin and ReconnectMax bound the wait between failed
	// attempts; each failure doubles it, with jitter.
	ReconnectMin, ReconnectMax time.Duration
	// Metrics counts reconnects and notes frames; discarded when nil.
	Metrics Metrics
	// Log takes the connection's lines; slog.Default() when nil.
	Log *slog.Logger
}

// nopMetrics discards what a Config without Metrics would count.
type nopMetrics struct{}

func (nopMetrics) Reconnect(string)      {}
func (nopMetrics) SocketFrame(time.Time) {}

// Envelope is one envelope from Slack and the instant its frame was read,
// from which its ack deadline counts.
type Envelope struct {
	Request  *socketmode.Request
	Received time.Time
}

// Conn is the live connection, shared by the reader and the handlers that
// ack through it.
type Conn struct {
	cfg      Config
	log      *slog.Logger
	cur      atomic.Pointer[wsConn] // the connection acks go to; nil between connections
	greeted  atomic.Bool            // hello received on cur
	lastLife atomic.Int64           // monotonic nanoseconds since epoch of the last frame or ping
	epoch    time.Time
	opened   atomic.Int64 // connections made, for logs
}

// New returns a connection that is not yet open; Run opens it.
func New(cfg Config) *Conn {
	lg := cfg.Log
	if lg == nil {
		lg = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = nopMetrics{}
	}
	return &Conn{cfg: cfg, log: lg, epoch: time.Now()}
}

// wsConn is one Socket Mode WebSocket.
type wsConn struct {
	ws *websocket.Conn
	n  int64 // which connection this is, from 1
	wm sync.Mutex
}

// writeJSON writes one text frame; safe for concurrent callers.
func (c *wsConn) writeJSON(b []byte) error {
	c.wm.Lock()
	defer c.wm.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// close says goodbye with a close frame, then closes the connection.
func (c *wsConn) close() {
	_ = c.ws.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	_ = c.ws.Close()
}

func (s *Conn) alive() {
	s.lastLife.Store(int64(time.Since(s.epoch)))
}

func (s *Conn) sinceLife() time.Duration {
	return time.Since(s.epoch) - time.Duration(s.lastLife.Load())
}

// Close closes the current socket, once Run has returned and the acks of
// the envelopes it handed out are written.
func (s *Conn) Close() {
	if c := s.cur.Swap(nil); c != nil {
		c.close()
	}
	s.greeted.Store(false)
}

// Ready reports whether the connection is hearing from Slack: the current
// socket was greeted with hello and has carried a frame or a PING within
// the watchdog's limit. It turns false as soon as a socket goes silent for
// that long, before the watchdog has replaced it.
func (s *Conn) Ready() bool {
	return s.cur.Load() != nil && s.greeted.Load() && s.sinceLife() <= s.cfg.Watchdog
}

// ackBufs holds the buffers acks are assembled in: a status answer is a
// few kilobytes, and allocating its frame anew was a good part of what an
// answer cost.
var ackBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Ack writes the envelope's acknowledgement to the current socket. A
// payload too big for Slack to take is left out and reported, so the
// caller can deliver it another way.
//
// The frame is socketmode.Response's JSON, assembled by hand in a pooled
// buffer so that the payload, often a few kilobytes of blocks, is encoded
// once, straight into the frame: pass a value that encodes itself without
// a MarshalJSON of its own, or it is encoded twice.
func (s *Conn) Ack(envelopeID string, payload any) (sentPayload bool, err error) {
	buf := ackBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 2*maxAckSize {
			ackBufs.Put(buf)
		}
	}()
	buf.Reset()
	enc := json.NewEncoder(buf)
	// Slack's mrkdwn is full of <@U…> mentions and &amp; entities; written
	// as \u003c…\u003e they take six bytes each for one, and a status of
	// fifty reps grew by a tenth of Slack's limit.
	enc.SetEscapeHTML(false)
	buf.WriteString(`{"envelope_id":`)
	if err := enc.Encode(envelopeID); err != nil {
		return false, fmt.Errorf("marshal ack %s: %w", envelopeID, err)
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	head := buf.Len()
	if payload != nil {
		buf.WriteString(`,"payload":`)
		if err := enc.Encode(payload); err != nil {
			return false, fmt.Errorf("marshal ack payload of %s: %w", envelopeID, err)
		}
		buf.Truncate(buf.Len() - 1)
		if sentPayload = buf.Len()+1 <= maxAckSize; !sentPayload {
			buf.Truncate(head)
		}
	}
	buf.WriteByte('}')
	c := s.cur.Load()
	if c == nil {
		return false, fmt.Errorf("ack %s: no socket", envelopeID)
	}
	if err := c.writeJSON(buf.Bytes()); err != nil {
		return false, fmt.Errorf("ack %s on connection %d: %w", envelopeID, c.n, err)
	}
	return sentPayload, nil
}
