package slacktest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/salespulse/pulse/bot/slacktest"
)

// frameOn reads frames off r until one carries an envelope, and returns it.
func (r *rawSocket) envelope() slacktest.Envelope {
	r.t.Helper()
	for {
		m := r.frame()
		if m["envelope_id"] == nil {
			continue // hello
		}
		data, _ := json.Marshal(m)
		var env slacktest.Envelope
		if err := json.Unmarshal(data, &env); err != nil {
			r.t.Fatal(err)
		}
		return env
	}
}

func (r *rawSocket) ack(id string) {
	r.t.Helper()
	if err := r.ws.WriteJSON(map[string]string{"envelope_id": id}); err != nil {
		r.t.Fatal(err)
	}
}

// With WithSpread, envelopes go to each connection in turn, and an event
// left unacknowledged is delivered again on another connection, as Slack
// does with several Socket Mode connections of one app; a slash command is
// never delivered again.
func TestSpreadAndRedeliver(t *testing.T) {
	s := newServer(t, slacktest.WithSpread(100*time.Millisecond))
	a, b := dialRaw(t, s), dialRaw(t, s)
	a.frame() // hello
	b.frame()
	ctx := testCtx(t)
	if err := s.WaitFor(ctx, func() bool { return s.Hellos() == 2 }); err != nil {
		t.Fatal(err)
	}

	// Four commands: two on each connection, each acked.
	for range 4 {
		if _, err := s.SendSlashCommand(ctx, slack.SlashCommand{Command: "/pulse", UserID: "U012AB3CD", ChannelID: "C0123"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []*rawSocket{a, b, a, b} {
		r.ack(r.envelope().EnvelopeID)
	}
	if got := s.Spread(); len(got) != 2 || got[0] != 2 || got[1] != 2 {
		t.Errorf("spread %v, want [2 2]", got)
	}

	// An event the connection it went to never acks comes again, on the
	// other connection, marked as a retry; acked there, it stops.
	id, err := s.SendEvent(ctx, "", slackevents.AppHomeOpenedEvent{Type: "app_home_opened", User: "U012AB3CD", Tab: "home"})
	if err != nil {
		t.Fatal(err)
	}
	first := a.envelope()
	if first.EnvelopeID != id || first.RetryAttempt != 0 {
		t.Fatalf("first delivery %+v", first)
	}
	again := b.envelope()
	if again.EnvelopeID != id || again.RetryAttempt != 1 || again.RetryReason != "timeout" {
		t.Fatalf("redelivery %+v, want %s with retry_attempt 1 on the other connection", again, id)
	}
	b.ack(id)
	if _, err := s.WaitAck(ctx, id); err != nil {
		t.Fatal(err)
	}

	// A slash command left unacknowledged is not delivered again.
	cmd, err := s.SendSlashCommand(ctx, slack.SlashCommand{Command: "/pulse", UserID: "U012AB3CD", ChannelID: "C0123"})
	if err != nil {
		t.Fatal(err)
	}
	got := a.envelope() // the next in turn after the redelivery went to b
	if got.EnvelopeID != cmd {
		t.Fatalf("got %s, want the command %s", got.EnvelopeID, cmd)
	}
	a.quiet()
	b.quiet()
	if n := s.Redelivered(); n != 1 {
		t.Errorf("%d redeliveries, want 1", n)
	}
}

// An event whose connection drops before its ack is delivered again on a
// connection that is still there.
func TestRedeliverAfterADroppedConnection(t *testing.T) {
	s := newServer(t, slacktest.WithSpread(time.Hour))
	a, b := dialRaw(t, s), dialRaw(t, s)
	a.frame()
	b.frame()
	ctx := testCtx(t)
	if err := s.WaitFor(ctx, func() bool { return s.Hellos() == 2 }); err != nil {
		t.Fatal(err)
	}
	id, err := s.SendEvent(ctx, "", slackevents.AppHomeOpenedEvent{Type: "app_home_opened", User: "U012AB3CD", Tab: "home"})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.envelope(); got.EnvelopeID != id {
		t.Fatalf("first delivery %s, want %s", got.EnvelopeID, id)
	}
	_ = a.ws.Close() // the replica holding it dies
	again := b.envelope()
	if again.EnvelopeID != id || again.RetryAttempt != 1 {
		t.Fatalf("redelivery %+v", again)
	}
}
