package slacktest_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot/slacktest"
)

// quietWindow is how long a raw client listens to conclude that nothing
// arrives: many ping intervals of the servers these tests start.
const quietWindow = 300 * time.Millisecond

// rawSocket is a bare gorilla client, for seeing the frames themselves.
type rawSocket struct {
	t      *testing.T
	ws     *websocket.Conn
	frames chan []byte
	pings  chan string
	pongs  chan string
	err    error // why reading stopped; set before frames is closed
}

// dialRaw opens a socket the way slack-go does: apps.connections.open, then
// the URL it returns.
func dialRaw(t *testing.T, s *slacktest.Server) *rawSocket {
	t.Helper()
	_, url, err := webClient(s).StartSocketModeContext(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.DefaultDialer.DialContext(testCtx(t), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &rawSocket{t: t, ws: ws, frames: make(chan []byte, 16), pings: make(chan string, 64), pongs: make(chan string, 16)}
	ws.SetPingHandler(func(data string) error {
		r.pings <- data
		return nil // no pong: these tests look at the server alone
	})
	ws.SetPongHandler(func(data string) error {
		r.pongs <- data
		return nil
	})
	go func() {
		defer close(r.frames)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				r.err = err
				return
			}
			r.frames <- data
		}
	}()
	t.Cleanup(func() { _ = ws.Close() })
	return r
}

func (r *rawSocket) frame() map[string]any {
	r.t.Helper()
	select {
	case data := <-r.frames:
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			r.t.Fatalf("frame %s is not JSON: %v", data, err)
		}
		return m
	case <-time.After(waitTimeout):
		r.t.Fatal("no frame")
	}
	return nil
}

// quiet fails if any frame, ping or pong arrives within quietWindow.
func (r *rawSocket) quiet() {
	r.t.Helper()
	select {
	case data := <-r.frames:
		r.t.Errorf("frame %s arrived while the server was silent", data)
	case <-r.pings:
		r.t.Error("ping arrived while the server was silent")
	case <-r.pongs:
		r.t.Error("pong arrived while the server was silent")
	case <-time.After(quietWindow):
	}
}

func drain[T any](ch chan T) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

func TestRawSocketGetsHelloAndPings(t *testing.T) {
	s := newServer(t, slacktest.WithPingInterval(20*time.Millisecond))
	r := dialRaw(t, s)
	hello := r.frame()
	info, _ := hello["connection_info"].(map[string]any)
	debug, _ := hello["debug_info"].(map[string]any)
	if hello["type"] != "hello" || hello["num_connections"] != 1.0 || info["app_id"] != s.AppID() || debug["host"] == nil || debug["build_number"] == nil {
		t.Errorf("hello = %v, want Slack's hello frame", hello)
	}
	select {
	case <-r.pings:
	case <-time.After(waitTimeout):
		t.Fatal("no ping from the server")
	}
	if err := r.ws.WriteControl(websocket.PingMessage, []byte("client"), time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-r.pongs:
		if got != "client" {
			t.Errorf("pong = %q, want the ping's data", got)
		}
	case <-time.After(waitTimeout):
		t.Fatal("no pong for the client's ping")
	}
}

func TestSilenceStopsEveryFrameUntilLifted(t *testing.T) {
	s := newServer(t, slacktest.WithPingInterval(20*time.Millisecond))
	r := dialRaw(t, s)
	r.frame() // hello

	s.Silence(true)
	drain(r.pings) // pings already in flight when silence began
	id, err := s.SendSlashCommand(testCtx(t), slack.SlashCommand{Command: "/pulse", UserID: "U1", ChannelID: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.ws.WriteControl(websocket.PingMessage, []byte("anyone?"), time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := r.ws.WriteJSON(map[string]any{"envelope_id": "env-ignored"}); err != nil {
		t.Fatal(err)
	}
	r.quiet()
	if s.Connections() != 1 {
		t.Errorf("connections = %d, want the silent socket still open", s.Connections())
	}
	if len(s.Acks()) != 0 {
		t.Errorf("acks = %+v, want what was read while silent ignored", s.Acks())
	}

	s.Silence(false)
	env := r.frame()
	if env["envelope_id"] != id || env["type"] != "slash_commands" {
		t.Errorf("after silence got %v, want the queued envelope %s", env, id)
	}
	select {
	case <-r.pings:
	case <-time.After(waitTimeout):
		t.Fatal("pings did not resume")
	}
}

func TestTicketsAreSingleUse(t *testing.T) {
	s := newServer(t)
	_, url, err := webClient(s).StartSocketModeContext(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.DefaultDialer.DialContext(testCtx(t), url, nil)
	if err != nil {
		t.Fatalf("first use of the ticket: %v", err)
	}
	defer ws.Close()

	tests := []struct {
		name string
		url  string
	}{
		{"a reused ticket", url},
		{"an unknown ticket", "ws" + strings.TrimPrefix(s.URL(), "http") + "/link/?ticket=made-up"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			_, resp, err := websocket.DefaultDialer.DialContext(testCtx(t), tt.url, nil)
			if !errors.Is(err, websocket.ErrBadHandshake) {
				t.Fatalf("dial error = %v, want a refused handshake", err)
			}
			if resp.StatusCode != 401 {
				t.Errorf("status = %d, want 401", resp.StatusCode)
			}
		})
	}
}

func TestDropSocketsClosesWithoutACloseFrame(t *testing.T) {
	s := newServer(t)
	r := dialRaw(t, s)
	r.frame() // hello
	s.DropSockets()
	for range r.frames {
	}
	// gorilla reports a connection that ended without a close frame as 1006.
	var closeErr *websocket.CloseError
	if !errors.As(r.err, &closeErr) || closeErr.Code != websocket.CloseAbnormalClosure {
		t.Fatalf("read after drop = %v, want an abnormal closure (no close frame)", r.err)
	}
	if s.Connections() != 0 {
		t.Errorf("connections = %d, want 0", s.Connections())
	}
}
