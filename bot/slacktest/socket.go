package slacktest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// writeTimeout bounds every frame write, so a client that stopped reading
// cannot wedge the server.
const writeTimeout = 5 * time.Second

// socketState is the Socket Mode half of the server, guarded by Server.mu.
type socketState struct {
	tickets  map[string]bool // issued and not yet used
	socks    []*sock         // open sockets, oldest first
	opened   int             // apps.connections.open answers with a URL
	hellos   int             // hello frames sent
	silenced bool
	queue    []Envelope           // waiting for a socket that can take them
	sent     map[string]sentFrame // envelope ID -> the latest delivery
	sendMu   sync.Mutex           // serialises flushing, so the queue keeps its order

	// With WithSpread:
	turn        int              // the next socket in the round
	avoid       map[string]*sock // envelope ID -> the socket a redelivery should skip
	redelivered int
	quit        chan struct{} // closed by Close
}

type sentFrame struct {
	env Envelope
	at  time.Time
	to  *sock
}

func (st *socketState) init() {
	st.tickets = map[string]bool{}
	st.sent = map[string]sentFrame{}
	st.avoid = map[string]*sock{}
}

// takeAll removes and returns every open socket. s.mu must be held.
func (st *socketState) takeAll() []*sock {
	socks := st.socks
	st.socks = nil
	return socks
}

// sock is one accepted WebSocket.
type sock struct {
	ws      *websocket.Conn
	writeMu sync.Mutex   // gorilla allows one concurrent writer of data frames
	buf     bytes.Buffer // the frame being written; guarded by writeMu
	done    chan struct{}
	once    sync.Once
	greeted bool // hello is being or has been sent; guarded by Server.mu
	ready   bool // hello sent; guarded by Server.mu
	got     int  // envelopes written to it; guarded by Server.mu
}

func (k *sock) writeJSON(v any) error {
	k.writeMu.Lock()
	defer k.writeMu.Unlock()
	// One buffer per socket, under the write lock: the stand-in runs in
	// the process it measures, and a frame's garbage would pace that
	// process's collector.
	k.buf.Reset()
	if err := json.NewEncoder(&k.buf).Encode(v); err != nil {
		return err
	}
	_ = k.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	return k.ws.WriteMessage(websocket.TextMessage, bytes.TrimSuffix(k.buf.Bytes(), []byte("\n")))
}

// close shuts the TCP connection without a close frame.
func (k *sock) close() {
	k.once.Do(func() {
		close(k.done)
		_ = k.ws.NetConn().Close()
	})
}

// handleConnectionsOpen answers apps.connections.open with a single-use URL.
func (s *Server) handleConnectionsOpen(r *request) {
	s.mu.Lock()
	ticket := s.nextIDLocked("ticket-")
	s.socket.tickets[ticket] = true
	s.socket.opened++
	s.mu.Unlock()
	u := "ws" + strings.TrimPrefix(s.http.URL, "http") + "/link/?ticket=" + ticket
	r.ok(map[string]any{"url": u})
}

var upgrader = websocket.Upgrader{
	CheckOrigin: func(*http.Request) bool { return true }, // slack-go sends Origin: https://api.slack.com
}

// serveLink accepts a WebSocket on a ticket issued by apps.connections.open,
// once.
func (s *Server) serveLink(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	valid := s.socket.tickets[ticket]
	delete(s.socket.tickets, ticket)
	closed := s.closed
	s.mu.Unlock()
	if closed {
		http.Error(w, "server closed", http.StatusServiceUnavailable)
		return
	}
	if !valid {
		http.Error(w, "invalid or used ticket", http.StatusUnauthorized)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered the client
	}
	k := &sock{ws: ws, done: make(chan struct{})}
	ws.SetPingHandler(func(data string) error {
		if s.isSilenced() {
			return nil
		}
		// A failed pong means a dead socket; the next read says so.
		_ = ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeTimeout))
		return nil
	})

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		k.close()
		return
	}
	s.socket.socks = append(s.socket.socks, k)
	n := len(s.socket.socks)
	greet := !s.socket.silenced
	k.greeted = greet
	s.notifyLocked()
	s.mu.Unlock()

	go s.readLoop(k)
	go s.pingLoop(k)

	if greet {
		s.sendHello(k, n)
	}
	s.flush()
}

// sendHello greets a new socket the way Slack does; only then is the socket
// given envelopes.
func (s *Server) sendHello(k *sock, numConnections int) {
	hello := map[string]any{
		"type":            "hello",
		"num_connections": numConnections,
		"connection_info": map[string]any{"app_id": s.cfg.appID},
		"debug_info": map[string]any{
			"host":                        "applink-slacktest",
			"build_number":                1,
			"approximate_connection_time": 18060,
		},
	}
	if err := k.writeJSON(hello); err != nil {
		s.dropSock(k)
		return
	}
	s.mu.Lock()
	k.ready = true
	s.socket.hellos++
	s.notifyLocked()
	s.mu.Unlock()
}

// readLoop reads acks until the socket fails.
func (s *Server) readLoop(k *sock) {
	defer s.dropSock(k)
	var buf bytes.Buffer // every frame, in turn: what is kept is copied out
	for {
		_, r, err := k.ws.NextReader()
		if err != nil {
			return
		}
		buf.Reset()
		if _, err := buf.ReadFrom(r); err != nil {
			return
		}
		data := buf.Bytes()
		// The ack arrived now; reading what it says is the server's time,
		// not the app's.
		at := time.Now()
		if s.isSilenced() {
			continue
		}
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal(data, &ack); err != nil || ack.EnvelopeID == "" {
			continue // not an ack; Slack ignores what it does not understand
		}
		s.recordAck(ack.EnvelopeID, ack.Payload, at)
	}
}

// pingLoop sends a WebSocket PING every interval, as Slack does; slack-go
// counts them to decide the socket is alive.
func (s *Server) pingLoop(k *sock) {
	t := time.NewTicker(s.cfg.pingInterval)
	defer t.Stop()
	for {
		select {
		case <-k.done:
			return
		case <-t.C:
			if s.isSilenced() {
				continue
			}
			if err := k.ws.WriteControl(websocket.PingMessage, []byte("slacktest"), time.Now().Add(writeTimeout)); err != nil {
				s.dropSock(k)
				return
			}
		}
	}
}

// dropSock forgets and closes a socket.
func (s *Server) dropSock(k *sock) {
	s.mu.Lock()
	for i, o := range s.socket.socks {
		if o == k {
			s.socket.socks = append(s.socket.socks[:i], s.socket.socks[i+1:]...)
			s.notifyLocked()
			break
		}
	}
	s.mu.Unlock()
	k.close()
}

func (s *Server) isSilenced() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.socket.silenced
}

// WaitConnected waits until some socket has been greeted with hello.
func (s *Server) WaitConnected(ctx context.Context) error {
	return s.WaitFor(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, k := range s.socket.socks {
			if k.ready {
				return true
			}
		}
		return false
	})
}

// Connections reports how many sockets are open now.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.socket.socks)
}

// ConnectionsOpened reports how many times apps.connections.open has handed
// out a WebSocket URL (refused calls are in CallsTo("apps.connections.open")).
func (s *Server) ConnectionsOpened() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.socket.opened
}

// Hellos reports how many sockets have been greeted with hello.
func (s *Server) Hellos() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.socket.hellos
}
