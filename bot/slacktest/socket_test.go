package slacktest_test

import (
	"encoding/json"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/salespulse/pulse/bot/slacktest"
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

func TestSocketModeDeliversInteractionsWithState(t *testing.T) {
	s := newServer(t)
	sm := startSocketMode(t, s)
	sm.next(socketmode.EventTypeHello)

	submission := slack.InteractionCallback{
		Type: slack.InteractionTypeViewSubmission,
		User: slack.User{ID: "U1"},
		View: slack.View{
			ID: "V1", CallbackID: "checkin", PrivateMetadata: "team=T1",
			State: &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
				"energy": {"energy_select": {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: "4"}}},
				"note":   {"note_input": {Type: "plain_text_input", Value: "good day"}},
			}},
		},
	}
	id, err := s.SendInteraction(testCtx(t), submission)
	if err != nil {
		t.Fatal(err)
	}
	evt := sm.next(socketmode.EventTypeInteractive)
	cb, ok := evt.Data.(slack.InteractionCallback)
	if !ok {
		t.Fatalf("interactive event data is %T", evt.Data)
	}
	if cb.Type != slack.InteractionTypeViewSubmission || cb.View.CallbackID != "checkin" || cb.View.PrivateMetadata != "team=T1" ||
		cb.View.State == nil || cb.View.State.Values["energy"]["energy_select"].SelectedOption.Value != "4" ||
		cb.View.State.Values["note"]["note_input"].Value != "good day" || cb.TriggerID == "" {
		t.Errorf("view submission = %+v, want callback, metadata, state values and a trigger", cb)
	}
	sm.Ack(*evt.Request, slack.NewErrorsViewSubmissionResponse(map[string]string{"note": "Too long"}))
	ack, err := s.WaitAck(testCtx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	var resp slack.ViewSubmissionResponse
	if err := json.Unmarshal(ack.Payload, &resp); err != nil || resp.ResponseAction != slack.RAErrors || resp.Errors["note"] != "Too long" {
		t.Errorf("ack payload = %s, want response_action errors", ack.Payload)
	}

	action := slack.InteractionCallback{
		Type:      slack.InteractionTypeBlockActions,
		User:      slack.User{ID: "U1"},
		Channel:   slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: "C1"}}},
		Container: slack.Container{Type: "message", MessageTs: "1700000000.000100", ChannelID: "C1"},
		ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{
			{ActionID: "done", BlockID: "commitment-7", Type: "button", Value: "7"},
		}},
		BlockActionState: &slack.BlockActionStates{Values: map[string]map[string]slack.BlockAction{
			"commitment-7": {"done": {Type: "button", Value: "7"}},
		}},
	}
	if _, err := s.SendInteraction(testCtx(t), action); err != nil {
		t.Fatal(err)
	}
	evt = sm.next(socketmode.EventTypeInteractive)
	cb = evt.Data.(slack.InteractionCallback)
	if len(cb.ActionCallback.BlockActions) != 1 || cb.ActionCallback.BlockActions[0].ActionID != "done" ||
		cb.ActionCallback.BlockActions[0].Value != "7" || cb.ResponseURL == "" ||
		cb.BlockActionState == nil || cb.BlockActionState.Values["commitment-7"]["done"].Value != "7" {
		t.Errorf("block actions = %+v, want the button action, its state and a response_url", cb)
	}
	sm.Ack(*evt.Request)
}

func TestSocketModeDeliversEventsAPIEvents(t *testing.T) {
	s := newServer(t)
	sm := startSocketMode(t, s)
	sm.next(socketmode.EventTypeHello)

	id, err := s.SendEvent(testCtx(t), "", slackevents.AppHomeOpenedEvent{Type: "app_home_opened", User: "U1", Channel: "D1", Tab: "home"})
	if err != nil {
		t.Fatal(err)
	}
	evt := sm.next(socketmode.EventTypeEventsAPI)
	outer, ok := evt.Data.(slackevents.EventsAPIEvent)
	if !ok {
		t.Fatalf("events_api data is %T", evt.Data)
	}
	inner, ok := outer.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	if outer.Type != slackevents.CallbackEvent || outer.TeamID != s.TeamID() || !ok || inner.User != "U1" || inner.Tab != "home" {
		t.Errorf("event = %+v / %+v, want app_home_opened for U1 in team %s", outer, outer.InnerEvent.Data, s.TeamID())
	}
	sm.Ack(*evt.Request)
	ack, err := s.WaitAck(testCtx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Payload != nil {
		t.Errorf("ack payload = %s, want none", ack.Payload)
	}

	if _, err := s.SendEvent(testCtx(t), "", map[string]any{"user": "U1"}); err == nil {
		t.Error("an event without a type was accepted")
	}
}

func TestSocketModeRedeliversAnEnvelope(t *testing.T) {
	s := newServer(t)
	sm := startSocketMode(t, s)
	sm.next(socketmode.EventTypeHello)

	payload, _ := json.Marshal(slack.SlashCommand{Command: "/pulse", UserID: "U1", ChannelID: "C1"})
	env := slacktest.Envelope{Type: "slash_commands", EnvelopeID: s.NewEnvelopeID(), Payload: payload, AcceptsResponsePayload: true}
	if err := s.SendEnvelope(testCtx(t), env); err != nil {
		t.Fatal(err)
	}
	first := sm.next(socketmode.EventTypeSlashCommand)
	sm.Ack(*first.Request)
	env.RetryAttempt, env.RetryReason = 1, "timeout"
	if err := s.SendEnvelope(testCtx(t), env); err != nil {
		t.Fatal(err)
	}
	again := sm.next(socketmode.EventTypeSlashCommand)
	if again.Request.EnvelopeID != env.EnvelopeID || again.Request.RetryAttempt != 1 || again.Request.RetryReason != "timeout" {
		t.Errorf("redelivery = %+v, want the same envelope with retry_attempt 1", again.Request)
	}
	sm.Ack(*again.Request)
	waitFor(t, s, "two acks", func() bool { return len(s.AcksFor(env.EnvelopeID)) == 2 })

	if err := s.SendEnvelope(testCtx(t), slacktest.Envelope{Type: "slash_commands"}); err == nil {
		t.Error("an envelope without an ID was accepted")
	}
}

func TestSocketModeQueuesEnvelopesUntilASocketConnects(t *testing.T) {
	s := newServer(t)
	id, err := s.SendSlashCommand(testCtx(t), slack.SlashCommand{Command: "/pulse", UserID: "U1", ChannelID: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Queued() != 1 {
		t.Fatalf("queued = %d, want 1 before any socket", s.Queued())
	}
	sm := startSocketMode(t, s)
	evt := sm.next(socketmode.EventTypeSlashCommand)
	if evt.Request.EnvelopeID != id {
		t.Errorf("delivered %s, want %s", evt.Request.EnvelopeID, id)
	}
}

func TestSocketModeReconnects(t *testing.T) {
	tests := []struct {
		name  string
		fault func(*slacktest.Server)
	}{
		{"after Slack asks for a refresh", func(s *slacktest.Server) { s.Disconnect("refresh_requested") }},
		{"after the TCP connection drops without a close frame", func(s *slacktest.Server) { s.DropSockets() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			sm := startSocketMode(t, s)
			sm.next(socketmode.EventTypeHello)
			if got := s.ConnectionsOpened(); got != 1 {
				t.Fatalf("connections opened = %d, want 1", got)
			}

			tt.fault(s)
			sm.next(socketmode.EventTypeHello)
			if got := s.ConnectionsOpened(); got != 2 {
				t.Errorf("connections opened = %d, want 2 after reconnecting", got)
			}
			waitFor(t, s, "one open socket", func() bool { return s.Connections() == 1 })

			id, err := s.SendSlashCommand(testCtx(t), slack.SlashCommand{Command: "/pulse", UserID: "U1", ChannelID: "C1"})
			if err != nil {
				t.Fatal(err)
			}
			evt := sm.next(socketmode.EventTypeSlashCommand)
			sm.Ack(*evt.Request)
			if _, err := s.WaitAck(testCtx(t), id); err != nil {
				t.Fatal(err)
			}
		})
	}
}
