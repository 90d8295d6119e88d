package socket

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack/socketmode"
)

// serve reads c until it fails, Slack asks to reconnect, the watchdog
// fires, or ctx is done. Acks go to c while it is current.
func (s *Conn) serve(ctx context.Context, c *wsConn, handle func(Envelope)) (greeted bool, err error) {
	s.greeted.Store(false)
	s.alive()
	s.cur.Store(c)
	s.log.Debug("socket mode connected", "connection", c.n)

	readDone := make(chan error, 1)
	go func() { readDone <- s.read(c, handle) }()

	ping := time.NewTicker(max(s.cfg.Watchdog/2, 100*time.Millisecond))
	defer ping.Stop()
	for {
		select {
		case err := <-readDone:
			greeted = s.greeted.Load()
			s.cur.CompareAndSwap(c, nil)
			s.greeted.Store(false)
			_ = c.ws.Close()
			return greeted, err
		case <-ctx.Done():
			// Keep c open for the acks of handlers still running; Close
			// closes it once they are done, which ends read. Not ready
			// meanwhile: no new envelope is taken.
			return s.greeted.Swap(false), nil
		case <-ping.C:
			// Our own PINGs keep idle middleboxes from cutting the socket
			// (slack-go issue 1566). Liveness is judged on what Slack
			// sends, not on its PONGs.
			_ = c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeTimeout))
		}
	}
}

// read is c's only reader: it pushes the watchdog's deadline forward on
// every frame and PING, and hands envelopes to handle.
func (s *Conn) read(c *wsConn, handle func(Envelope)) error {
	limit := s.cfg.Watchdog
	ws := c.ws
	ws.SetReadLimit(readLimit)
	live := func() {
		s.alive()
		s.cfg.Metrics.SocketFrame(time.Now())
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
			s.log.Warn("socket mode frame is not JSON; ignored", "connection", c.n, "bytes", len(frame))
			continue
		}
		switch req.Type {
		case socketmode.RequestTypeHello:
			s.greeted.Store(true)
			s.log.Info("socket mode ready", "connection", c.n, "num_connections", req.NumConnections)
		case socketmode.RequestTypeDisconnect:
			return disconnectError{reason: req.Reason}
		default:
			if req.EnvelopeID == "" {
				s.log.Warn("socket mode frame without envelope; ignored", "type", req.Type, "connection", c.n)
				continue
			}
			handle(Envelope{Request: &req, Received: received})
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
