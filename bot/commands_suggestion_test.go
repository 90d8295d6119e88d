package bot_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
)

func TestCommandsBlockSuggestionsReachTheirHandlerAndAnswerInTheAck(t *testing.T) {
	h := start(t, withHandlers(func(b *bot.Bot) {
		b.HandleSuggestion("test.many", func(_ context.Context, r *bot.Request) error {
			var opts []*slack.OptionBlockObject
			for i := range 150 {
				v := r.Interaction.Value + strconv.Itoa(i)
				opts = append(opts, slack.NewOptionBlockObject(v, slack.NewTextBlockObject(slack.PlainTextType, v, false, false), nil))
			}
			r.ReplyOptions(opts)
			return nil
		}, bot.ReadOnly())
		b.HandleSuggestion("test.none", func(_ context.Context, r *bot.Request) error {
			r.ReplyOptions(nil)
			return nil
		}, bot.ReadOnly())
	}))
	send := func(actionID, value string) json.RawMessage {
		t.Helper()
		id, err := h.Slack.SendInteraction(t.Context(), slack.InteractionCallback{
			Type: slack.InteractionTypeBlockSuggestion, User: slack.User{ID: adminID},
			ActionID: actionID, BlockID: "b", Value: value,
			View: slack.View{ID: "V1", CallbackID: "setup", Type: slack.VTModal},
		})
		if err != nil {
			t.Fatal(err)
		}
		return h.ack(id, 1).Payload
	}
	tests := []struct {
		name     string
		actionID string
		want     int // options in the answer; -1 for no answer at all
	}{
		{"a long list is cut to the hundred Slack shows", "test.many", 100},
		{"no match is an empty list", "test.none", 0},
		{"a select with no handler gets no answer", "test.unknown", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := send(tt.actionID, "q")
			if tt.want < 0 {
				if payload != nil {
					t.Errorf("ack carries %s, want nothing", payload)
				}
				return
			}
			var resp struct {
				Options *[]slack.OptionBlockObject `json:"options"`
			}
			if err := json.Unmarshal(payload, &resp); err != nil || resp.Options == nil {
				t.Fatalf("ack payload %s (%v), want {\"options\":[…]}", payload, err)
			}
			if len(*resp.Options) != tt.want {
				t.Errorf("%d options, want %d", len(*resp.Options), tt.want)
			}
			if tt.want > 0 && (*resp.Options)[0].Value != "q0" {
				t.Errorf("first option %+v, want q0: the handler should see what was typed", (*resp.Options)[0])
			}
		})
	}
}
