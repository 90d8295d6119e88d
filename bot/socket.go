package bot

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
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
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

// socketState is the live connection, shared by the reader and the
// handlers that ack through it.
type socketState struct {
	cur      atomic.Pointer[wsConn] // the connection acks go to; nil between connections
	greeted  atomic.Bool            // hello received on cur
	lastLife atomic.Int64           // monotonic nanoseconds since epoch of the last frame or ping
	epoch    time.Time
	opened   atomic.Int64 // connections made, for logs
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

func (s *socketState) alive() {
	s.lastLife.Store(int64(time.Since(s.epoch)))
}

func (s *socketState) sinceLife() time.Duration {
	return time.Since(s.epoch) - time.Duration(s.lastLife.Load())
}

func (s *socketState) closeCurrent() {
	if c := s.cur.Swap(nil); c != nil {
		c.close()
	}
	s.greeted.Store(false)
}

// Ready reports whether the bot is connected and hearing from Slack: the
// current socket was greeted with hello and has carried a frame or a PING
// within the watchdog's limit. It turns false as soon as a socket goes
// silent for that long, before the watchdog has replaced it.
func (b *Bot) Ready() bool {
	return b.socket.cur.Load() != nil && b.socket.greeted.Load() && b.socket.sinceLife() <= b.cfg.Watchdog
}

// errSilent is the watchdog's verdict on a socket.
var errSilent = errors.New("socket silent")

// disconnectError is Slack asking the app to reconnect.
type disconnectError struct{ reason string }

func (e disconnectError) Error() string { return "slack asked to reconnect: " + e.reason }

// connectLoop keeps one socket open until ctx is done or a token is
// refused, reconnecting with a fresh apps.connections.open each time.
func (b *Bot) connectLoop(ctx context.Context) error {
	bo := backoff{min: b.cfg.ReconnectMin, max: b.cfg.ReconnectMax}
	for ctx.Err() == nil {
		started := time.Now()
		greeted, err := b.connectOnce(ctx)
		var ae *AuthError
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.As(err, &ae):
			return ae
		}
		b.cfg.Metrics.Reconnect(reconnectReason(err, greeted))
		var wait time.Duration
		var de disconnectError
		switch {
		case errors.As(err, &de) && (de.reason == "warning" || de.reason == "refresh_requested"):
			// Slack's routine request before it moves the app to another
			// host: reconnect at once.
			bo.reset()
		case greeted && time.Since(started) >= stableAfter:
			bo.reset()
		case greeted:
			// A connection that dies soon after hello may be a server
			// that accepts and drops: back off, but start gently.
			wait = bo.next()
		default:
			wait = bo.next()
		}
		level := b.log.Warn
		if errors.As(err, &de) {
			level = b.log.Info
		}
		level("socket mode connection ended; reconnecting", "err", err, "in", wait.Round(time.Millisecond))
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil
			case <-t.C:
			}
		}
	}
	return nil
}

// reconnectReason names why a connection ended, as a metric label:
// disconnect_<reason> when Slack asked (for the reasons it documents),
// watchdog when the socket went silent, dropped when a greeted socket
// failed, connect_failed when no socket was greeted at all.
func reconnectReason(err error, greeted bool) string {
	var de disconnectError
	switch {
	case errors.As(err, &de):
		switch de.reason {
		case "warning", "refresh_requested", "link_disabled":
			return "disconnect_" + de.reason
		}
		return "disconnect_other"
	case errors.Is(err, errSilent):
		return "watchdog"
	case greeted:
		return "dropped"
	}
	return "connect_failed"
}

// connectOnce opens one socket and serves it until it ends. It reports
// whether Slack greeted it.
func (b *Bot) connectOnce(ctx context.Context) (greeted bool, err error) {
	_, url, err := b.api.StartSocketModeContext(ctx)
	if err != nil {
		if ae := authError(AppTokenVar, err); ae != nil {
			return false, ae
		}
		return false, fmt.Errorf("apps.connections.open: %w", err)
	}
	dialer := b.cfg.Dialer
	if dialer == nil {
		dialer = &websocket.Dialer{
			Proxy:            http.ProxyFromEnvironment,
			HandshakeTimeout: 10 * time.Second,
			// Slack does not reassemble continuation frames, so an ack
			// must fit one frame (slack-go socketmode.go,
			// defaultWriteBufferSize).
			WriteBufferSize: 32 * 1024,
		}
	}
	ws, resp, err := dialer.DialContext(ctx, url, nil)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		// The URL carries a ticket; say where, not what.
		return false, fmt.Errorf("dial socket mode websocket: %w", redactURL(err, url))
	}
	c := &wsConn{ws: ws, n: b.socket.opened.Add(1)}
	return b.serve(ctx, c)
}

// serve reads c until it fails, Slack asks to reconnect, the watchdog
// fires, or ctx is done. Acks from handlers go to c while it is current.
func (b *Bot) serve(ctx context.Context, c *wsConn) (greeted bool, err error) {
	b.socket.greeted.Store(false)
	b.socket.alive()
	b.socket.cur.Store(c)
	b.log.Debug("socket mode connected", "connection", c.n)

	readDone := make(chan error, 1)
	go func() { readDone <- b.read(c) }()

	ping := time.NewTicker(max(b.cfg.Watchdog/2, 100*time.Millisecond))
	defer ping.Stop()
	for {
		select {
		case err := <-readDone:
			greeted = b.socket.greeted.Load()
			b.socket.cur.CompareAndSwap(c, nil)
			b.socket.greeted.Store(false)
			_ = c.ws.Close()
			return greeted, err
		case <-ctx.Done():
			// Keep c open for the acks of handlers still running; drain
			// closes it once they are done, which ends read. Not ready
			// meanwhile: no new envelope is taken.
			return b.socket.greeted.Swap(false), nil
		case <-ping.C:
			// Our own PINGs keep idle middleboxes from cutting the socket
			// (slack-go issue 1566). Liveness is judged on what Slack
			// sends, not on its PONGs.
			_ = c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeTimeout))
		}
	}
}

// read is c's only reader: it pushes the watchdog's deadline forward on
// every frame and PING, and hands envelopes to the router.
func (b *Bot) read(c *wsConn) error {
	limit := b.cfg.Watchdog
	ws := c.ws
	ws.SetReadLimit(readLimit)
	live := func() {
		b.socket.alive()
		b.cfg.Metrics.SocketFrame(time.Now())
		_ = ws.SetReadDeadline(time.Now().Add(limit))
	}
	live()
	ws.SetPingHandler(func(data string) error {
		live()
		err := ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeTimeout))
		var ne net.Error
		if err == websocket.ErrCloseSent || errors.As(err, &ne) && ne.Timeout() {
			return nil // as gorilla's default handler: the next read tells
		}
		return err
	})
	// One buffer takes every frame: what a frame says is copied out of it
	// as it is decoded, and ReadMessage made a new, growing one for each.
	var buf bytes.Buffer
	for {
		err := readFrame(ws, &buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return fmt.Errorf("%w for %s", errSilent, limit)
			}
			return err
		}
		frame := buf.Bytes()
		received := time.Now()
		live()
		var req socketmode.Request
		if err := json.Unmarshal(frame, &req); err != nil {
			b.log.Warn("socket mode frame is not JSON; ignored", "connection", c.n, "bytes", len(frame))
			continue
		}
		switch req.Type {
		case socketmode.RequestTypeHello:
			b.socket.greeted.Store(true)
			b.log.Info("socket mode ready", "connection", c.n, "num_connections", req.NumConnections)
		case socketmode.RequestTypeDisconnect:
			return disconnectError{reason: req.Reason}
		default:
			if req.EnvelopeID == "" {
				b.log.Warn("socket mode frame without envelope; ignored", "type", req.Type, "connection", c.n)
				continue
			}
			b.dispatch(&req, received)
		}
	}
}

// readFrame reads the next message of ws into buf, emptied first.
func readFrame(ws *websocket.Conn, buf *bytes.Buffer) error {
	_, r, err := ws.NextReader()
	if err != nil {
		return err
	}
	buf.Reset()
	_, err = buf.ReadFrom(r)
	return err
}

// ackBufs holds the buffers acks are assembled in: a status answer is a
// few kilobytes, and allocating its frame anew was a good part of what an
// answer cost.
var ackBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// ack writes the envelope's acknowledgement to the current socket. A
// payload too big for Slack to take is left out and reported, so the
// caller can deliver it another way.
//
// The frame is socketmode.Response's JSON, assembled by hand in a pooled
// buffer so that the payload, often a few kilobytes of blocks, is encoded
// once, straight into the frame.
func (b *Bot) ack(envelopeID string, payload any) (sentPayload bool, err error) {
	buf := ackBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 2*maxAckSize {
			ackBufs.Put(buf)
		}
	}()
	buf.Reset()
	enc := json.NewEncoder(buf)
	buf.WriteString(`{"envelope_id":`)
	if err := enc.Encode(envelopeID); err != nil {
		return false, fmt.Errorf("marshal ack %s: %w", envelopeID, err)
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	head := buf.Len()
	if payload != nil {
		if m, ok := payload.(Message); ok {
			payload = m.wire()
		}
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
	c := b.socket.cur.Load()
	if c == nil {
		return false, fmt.Errorf("ack %s: no socket", envelopeID)
	}
	if err := c.writeJSON(buf.Bytes()); err != nil {
		return false, fmt.Errorf("ack %s on connection %d: %w", envelopeID, c.n, err)
	}
	return sentPayload, nil
}

// backoff doubles a wait from min to max with jitter, so that many
// processes cut off at once do not reconnect in step.
type backoff struct {
	min, max time.Duration
	n        int
}

func (b *backoff) next() time.Duration {
	d := b.min << min(b.n, 30)
	if d <= 0 || d > b.max {
		d = b.max
	}
	b.n++
	// Equal jitter: half fixed, half random.
	return d/2 + rand.N(d/2+1)
}

func (b *backoff) reset() { b.n = 0 }

// redactURL keeps the socket URL out of a dial error: it carries a
// connection ticket.
func redactURL(err error, url string) error {
	if url == "" || !strings.Contains(err.Error(), url) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), url, "[socket url]"))
}
