package socket

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"github.com/salespulse/pulse/bot/webapi"
)

// errSilent is the watchdog's verdict on a socket.
var errSilent = errors.New("socket silent")

// disconnectError is Slack asking the app to reconnect.
type disconnectError struct{ reason string }

func (e disconnectError) Error() string { return "slack asked to reconnect: " + e.reason }

// Run keeps one socket open, handing each envelope to handle on the
// reading goroutine (handle must not block), until ctx is done or the
// app-level token is refused, reconnecting with a fresh URL each time. It
// returns nil when ctx is done, leaving the socket open for the acks of
// envelopes still being handled (Close closes it), or the *webapi.AuthError.
func (s *Conn) Run(ctx context.Context, handle func(Envelope)) error {
	bo := backoff{min: s.cfg.ReconnectMin, max: s.cfg.ReconnectMax}
	for ctx.Err() == nil {
		started := time.Now()
		greeted, err := s.connectOnce(ctx, handle)
		var ae *webapi.AuthError
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.As(err, &ae):
			return ae
		}
		s.cfg.Metrics.Reconnect(reconnectReason(err, greeted))
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
		level := s.log.Warn
		if errors.As(err, &de) {
			level = s.log.Info
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
func (s *Conn) connectOnce(ctx context.Context, handle func(Envelope)) (greeted bool, err error) {
	url, err := s.cfg.Open(ctx)
	if err != nil {
		return false, fmt.Errorf("apps.connections.open: %w", err)
	}
	dialer := s.cfg.Dialer
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
		return false, fmt.Errorf("dial socket mode websocket: %w", webapi.HideURL(err, url))
	}
	c := &wsConn{ws: ws, n: s.opened.Add(1)}
	return s.serve(ctx, c, handle)
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
