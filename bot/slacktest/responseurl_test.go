package slacktest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
)

// slashResponseURL sends a slash command and returns the response_url the
// app received with it.
func slashResponseURL(t *testing.T, s *slacktest.Server, sm *socketClient) string {
	t.Helper()
	if _, err := s.SendSlashCommand(testCtx(t), slack.SlashCommand{Command: "/pulse", UserID: "U1", ChannelID: "C1"}); err != nil {
		t.Fatal(err)
	}
	evt := sm.next(socketmode.EventTypeSlashCommand)
	sm.Ack(*evt.Request)
	return evt.Data.(slack.SlashCommand).ResponseURL
}

func TestResponseURLTakesFivePostsWithinThirtyMinutes(t *testing.T) {
	clock := pulse.NewManualClock(time.Date(2024, 5, 6, 9, 0, 0, 0, time.UTC))
	s := newServer(t, slacktest.WithClock(clock))
	s.AddChannel("C1", "sales")
	sm := startSocketMode(t, s)
	api := webClient(s)

	u := slashResponseURL(t, s, sm)
	for i := range 5 {
		if err := slack.PostWebhookContext(testCtx(t), u, &slack.WebhookMessage{Text: "working on it"}); err != nil {
			t.Fatalf("post %d: %v", i+1, err)
		}
	}
	if err := slack.PostWebhookContext(testCtx(t), u, &slack.WebhookMessage{Text: "one too many"}); err == nil {
		t.Error("a sixth post was accepted")
	}
	msgs := s.Messages("C1")
	if len(msgs) != 5 || !msgs[0].ViaResponseURL || !msgs[0].Ephemeral || msgs[0].User != "U1" {
		t.Errorf("messages = %+v, want five ephemeral replies to U1", msgs)
	}

	fresh := slashResponseURL(t, s, sm)
	if _, _, err := api.PostMessageContext(testCtx(t), "", slack.MsgOptionResponseURL(fresh, slack.ResponseTypeInChannel), slack.MsgOptionText("for everyone", false)); err != nil {
		t.Fatal(err)
	}
	last := s.Messages("C1")[len(s.Messages("C1"))-1]
	if last.Ephemeral || last.TS == "" || last.Text != "for everyone" {
		t.Errorf("in-channel reply = %+v, want a channel message with a ts", last)
	}

	stale := slashResponseURL(t, s, sm)
	clock.Advance(30*time.Minute + time.Second)
	if err := slack.PostWebhookContext(testCtx(t), stale, &slack.WebhookMessage{Text: "late"}); err == nil {
		t.Error("a post after 30 minutes was accepted")
	}
	refused := 0
	for _, c := range s.CallsTo("response_url") {
		if c.SlackError != "" {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("refused response_url calls = %d, want 2 (used up, expired)", refused)
	}
}

func TestResponseURLReplacesAndDeletesTheOriginalMessage(t *testing.T) {
	s := newServer(t)
	s.AddChannel("C1", "sales")
	sm := startSocketMode(t, s)
	_, ts, err := webClient(s).PostMessageContext(testCtx(t), "C1", slack.MsgOptionText("Did you do it?", false))
	if err != nil {
		t.Fatal(err)
	}
	click := func() string {
		_, err := s.SendInteraction(testCtx(t), slack.InteractionCallback{
			Type:      slack.InteractionTypeBlockActions,
			User:      slack.User{ID: "U1"},
			Container: slack.Container{Type: "message", MessageTs: ts, ChannelID: "C1"},
			ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{
				{ActionID: "done", BlockID: "b1", Type: "button", Value: "yes"},
			}},
		})
		if err != nil {
			t.Fatal(err)
		}
		evt := sm.next(socketmode.EventTypeInteractive)
		sm.Ack(*evt.Request)
		return evt.Data.(slack.InteractionCallback).ResponseURL
	}

	if err := slack.PostWebhookContext(testCtx(t), click(), &slack.WebhookMessage{Text: "Done ✓", ReplaceOriginal: true}); err != nil {
		t.Fatal(err)
	}
	hist, err := webClient(s).GetConversationHistoryContext(testCtx(t), &slack.GetConversationHistoryParameters{ChannelID: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.Messages) != 1 || hist.Messages[0].Text != "Done ✓" {
		t.Errorf("history = %+v, want the original replaced", hist.Messages)
	}
	if err := slack.PostWebhookContext(testCtx(t), click(), &slack.WebhookMessage{DeleteOriginal: true}); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages("C1")
	if n := len(msgs); n != 3 || !msgs[1].Updated || msgs[1].TS != ts || !msgs[2].Deleted || msgs[2].TS != ts {
		t.Errorf("messages = %+v, want post, replace, delete of %s", msgs, ts)
	}
}

func TestAckPayloadsChangeTheConversation(t *testing.T) {
	s := newServer(t)
	sm := startSocketMode(t, s)

	if _, err := s.SendSlashCommand(testCtx(t), slack.SlashCommand{Command: "/pulse", UserID: "U1", ChannelID: "C1"}); err != nil {
		t.Fatal(err)
	}
	evt := sm.next(socketmode.EventTypeSlashCommand)
	blocks := []slack.Block{slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "Team pulse", false, false))}
	sm.Ack(*evt.Request, map[string]any{"text": "Team pulse", "response_type": "in_channel", "blocks": blocks})

	if _, err := s.SendInteraction(testCtx(t), slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: "U1"}, View: slack.View{ID: "V1"}}); err != nil {
		t.Fatal(err)
	}
	evt = sm.next(socketmode.EventTypeInteractive)
	next := modal("Thanks")
	sm.Ack(*evt.Request, slack.NewUpdateViewSubmissionResponse(&next))

	waitFor(t, s, "both acks", func() bool { return len(s.Acks()) == 2 })
	msgs := s.Messages("C1")
	if len(msgs) != 1 || msgs[0].Ephemeral || msgs[0].TS == "" || !msgs[0].ViaAck || msgs[0].Text != "Team pulse" {
		t.Errorf("messages = %+v, want the in-channel reply posted", msgs)
	} else if want, _ := json.Marshal(blocks); string(msgs[0].Blocks) != string(want) {
		t.Errorf("reply blocks = %s, want %s", msgs[0].Blocks, want)
	}
	views := s.Views()
	if len(views) != 1 || views[0].Method != "response_action.update" || views[0].ViewID != "V1" {
		t.Errorf("views = %+v, want V1 updated by the ack", views)
	}
}

// A response_url issued for an envelope built by hand works like the ones
// the stand-in puts in the envelopes it builds.
func TestNewResponseURLReplacesTheMessageItNames(t *testing.T) {
	s := newServer(t)
	s.AddChannel("C1", "sales")
	_, ts, err := webClient(s).PostMessageContext(testCtx(t), "C1", slack.MsgOptionText("Check in?", false))
	if err != nil {
		t.Fatal(err)
	}
	url := s.NewResponseURL("C1", "U1", ts)
	if err := slack.PostWebhookContext(testCtx(t), url, &slack.WebhookMessage{Text: "Checked in", ReplaceOriginal: true}); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages("C1")
	if n := len(msgs); n != 2 || !msgs[1].Updated || msgs[1].TS != ts || msgs[1].Text != "Checked in" || !msgs[1].ViaResponseURL {
		t.Errorf("messages = %+v, want the post and its replacement through the response_url", msgs)
	}
}
