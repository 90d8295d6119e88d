package slacktest_test

import (
	"encoding/json"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func TestSocketModeGreetsAndDeliversSlashCommand(t *testing.T) {
	s := newServer(t)
	sm := startSocketMode(t, s)

	sm.next(socketmode.EventTypeConnected)
	hello := sm.next(socketmode.EventTypeHello)
	if hello.Request == nil || hello.Request.ConnectionInfo.AppID != s.AppID() || hello.Request.NumConnections != 1 {
		t.Fatalf("hello = %+v, want app %s and one connection", hello.Request, s.AppID())
	}
	if hello.Request.DebugInfo.ApproximateConnectionTime != 18060 {
		t.Errorf("hello debug_info = %+v, want approximate_connection_time 18060", hello.Request.DebugInfo)
	}
	if err := s.WaitConnected(testCtx(t)); err != nil {
		t.Fatal(err)
	}

	id, err := s.SendSlashCommand(testCtx(t), slack.SlashCommand{
		Command: "/pulse", Text: "checkin", UserID: "U1", UserName: "ana", ChannelID: "C1", ChannelName: "sales",
	})
	if err != nil {
		t.Fatal(err)
	}
	evt := sm.next(socketmode.EventTypeSlashCommand)
	cmd, ok := evt.Data.(slack.SlashCommand)
	if !ok {
		t.Fatalf("slash command event data is %T", evt.Data)
	}
	if evt.Request.EnvelopeID != id || !evt.Request.AcceptsResponsePayload {
		t.Errorf("envelope = %+v, want id %s accepting a response payload", evt.Request, id)
	}
	if cmd.Command != "/pulse" || cmd.Text != "checkin" || cmd.UserID != "U1" || cmd.ChannelID != "C1" ||
		cmd.TeamID != s.TeamID() || cmd.APIAppID != s.AppID() || cmd.TriggerID == "" || cmd.ResponseURL == "" {
		t.Errorf("slash command = %+v, want the fields sent plus team, app, trigger_id and response_url", cmd)
	}

	sm.Ack(*evt.Request, map[string]any{"text": "Noted.", "response_type": "ephemeral"})
	ack, err := s.WaitAck(testCtx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	var reply struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(ack.Payload, &reply); err != nil || reply.Text != "Noted." {
		t.Errorf("ack payload = %s, want the reply text", ack.Payload)
	}
	if ack.SentAt.IsZero() || ack.Latency <= 0 || ack.AckedAt.Before(ack.SentAt) {
		t.Errorf("ack timing = sent %v acked %v latency %v, want a positive latency", ack.SentAt, ack.AckedAt, ack.Latency)
	}
	msgs := s.Messages("C1")
	if len(msgs) != 1 || !msgs[0].Ephemeral || !msgs[0].ViaAck || msgs[0].User != "U1" || msgs[0].Text != "Noted." {
		t.Errorf("messages in C1 = %+v, want the ack's ephemeral reply to U1", msgs)
	}
}
