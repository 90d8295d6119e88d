package socket_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/bot/socket"
	"github.com/salespulse/pulse/bot/webapi"
)

// countMetrics is a socket.Metrics that counts reconnects by reason.
type countMetrics struct{ reconnects chan string }

func (m countMetrics) Reconnect(reason string) { m.reconnects <- reason }
func (countMetrics) SocketFrame(time.Time)     {}

// run is Run's result, once it has returned.
type run struct {
	done chan struct{} // closed when Run returns
	err  error
}

// open runs a connection against srv, handing envelopes to handle; Run
// ends at the test's end.
func open(t *testing.T, srv *slacktest.Server, handle func(*socket.Conn, socket.Envelope)) (*socket.Conn, countMetrics, *run) {
	t.Helper()
	api := webapi.New(webapi.Config{BotToken: srv.BotToken(), AppToken: srv.AppToken(), APIURL: srv.APIURL(),
		HTTPClient: &http.Client{Timeout: 10 * time.Second}, NoPacing: true})
	m := countMetrics{reconnects: make(chan string, 16)}
	c := socket.New(socket.Config{
		Open: func(ctx context.Context) (string, error) {
			_, url, err := api.StartSocketModeContext(ctx)
			if ae := webapi.AuthErrorOf("APP_TOKEN", err); ae != nil {
				return "", ae
			}
			return url, err
		},
		Watchdog:     2 * time.Second,
		ReconnectMin: 10 * time.Millisecond,
		ReconnectMax: 100 * time.Millisecond,
		Metrics:      m,
		Log:          slog.New(slog.DiscardHandler),
	})
	ctx, cancel := context.WithCancel(t.Context())
	r := &run{done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.err = c.Run(ctx, func(e socket.Envelope) { handle(c, e) })
	}()
	t.Cleanup(func() {
		cancel()
		<-r.done
		c.Close()
	})
	return c, m, r
}

// slash sends a slash command envelope and returns its ID.
func slash(t *testing.T, srv *slacktest.Server, text string) string {
	t.Helper()
	payload, err := json.Marshal(slack.SlashCommand{Command: "/pulse", Text: text, UserID: "U1", ChannelID: "C1", TeamID: srv.TeamID()})
	if err != nil {
		t.Fatal(err)
	}
	id := srv.NewEnvelopeID()
	if err := srv.SendEnvelope(t.Context(), slacktest.Envelope{Type: "slash_commands", EnvelopeID: id, Payload: payload, AcceptsResponsePayload: true}); err != nil {
		t.Fatal(err)
	}
	return id
}

func waitReady(t *testing.T, srv *slacktest.Server, c *socket.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := srv.WaitFor(ctx, c.Ready); err != nil {
		t.Fatalf("connection never ready: %v", err)
	}
}

func TestEnvelopesAreHandedOverAndAckedWithTheirPayload(t *testing.T) {
	srv := slacktest.NewServer(slacktest.WithPingInterval(100 * time.Millisecond))
	t.Cleanup(srv.Close)
	type answer struct {
		sent bool
		err  error
	}
	answers := make(chan answer, 4)
	c, _, _ := open(t, srv, func(c *socket.Conn, e socket.Envelope) {
		var cmd slack.SlashCommand
		if err := json.Unmarshal(e.Request.Payload, &cmd); err != nil {
			t.Errorf("envelope payload: %v", err)
		}
		text := "echo " + cmd.Text
		switch cmd.Text {
		case "big":
			text = strings.Repeat("x", 21*1024) // past Slack's 20 KB
		case "mentions":
			text = strings.Repeat("<@U1>", 3000) // 15 KB; 33 KB escaped
		}
		sent, err := c.Ack(e.Request.EnvelopeID, map[string]string{"text": text, "response_type": "ephemeral"})
		answers <- answer{sent, err}
	})
	waitReady(t, srv, c)

	id := slash(t, srv, "hello")
	ack, err := srv.WaitAck(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a := <-answers; !a.sent || a.err != nil {
		t.Errorf("Ack = %v, %v; want the payload sent", a.sent, a.err)
	}
	if !strings.Contains(string(ack.Payload), "echo hello") {
		t.Errorf("ack payload %s, want the echo", ack.Payload)
	}

	// Mentions and entities travel as they are, not as \u003c escapes:
	// an answer of 3,000 mentions fits Slack's 20 KB only so.
	id = slash(t, srv, "<@U1> &amp;")
	if ack, err = srv.WaitAck(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	if a := <-answers; !a.sent || a.err != nil || !strings.Contains(string(ack.Payload), `"echo <@U1> &amp;"`) {
		t.Errorf("ack payload %s (sent %v, %v), want the mention and entity as written", ack.Payload, a.sent, a.err)
	}
	id = slash(t, srv, "mentions")
	if ack, err = srv.WaitAck(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	if a := <-answers; !a.sent || a.err != nil || ack.Payload == nil {
		t.Errorf("Ack of 3,000 mentions = %v, %v; want the payload sent", a.sent, a.err)
	}

	// A payload Slack would drop is left out: the envelope is acked bare
	// and the caller told, so it can answer another way.
	id = slash(t, srv, "big")
	ack, err = srv.WaitAck(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a := <-answers; a.sent || a.err != nil {
		t.Errorf("Ack of 21 KB = %v, %v; want acked without the payload", a.sent, a.err)
	}
	if ack.Payload != nil {
		t.Errorf("ack carried %d bytes, want none", len(ack.Payload))
	}
}

func TestAskedToReconnectTheConnectionOpensAFreshSocket(t *testing.T) {
	srv := slacktest.NewServer(slacktest.WithPingInterval(100 * time.Millisecond))
	t.Cleanup(srv.Close)
	c, m, _ := open(t, srv, func(c *socket.Conn, e socket.Envelope) { _, _ = c.Ack(e.Request.EnvelopeID, nil) })
	waitReady(t, srv, c)
	srv.Disconnect("refresh_requested")
	if reason := <-m.reconnects; reason != "disconnect_refresh_requested" {
		t.Errorf("reconnect reason %q, want disconnect_refresh_requested", reason)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := srv.WaitFor(ctx, func() bool { return srv.ConnectionsOpened() >= 2 && c.Ready() }); err != nil {
		t.Fatalf("no second connection: %v", err)
	}
	if _, err := srv.WaitAck(ctx, slash(t, srv, "again")); err != nil {
		t.Errorf("envelope on the new socket: %v", err)
	}
}

func TestARefusedAppTokenEndsRun(t *testing.T) {
	srv := slacktest.NewServer()
	t.Cleanup(srv.Close)
	srv.RevokeToken(srv.AppToken(), "token_revoked")
	_, _, r := open(t, srv, func(*socket.Conn, socket.Envelope) {})
	select {
	case <-r.done:
		err := r.err
		var ae *webapi.AuthError
		if !errors.As(err, &ae) || ae.Code != "token_revoked" {
			t.Errorf("Run = %v, want the AuthError", err)
		}
		if strings.Contains(err.Error(), srv.AppToken()) {
			t.Errorf("Run's error names the token: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run goes on with a refused token")
	}
}
