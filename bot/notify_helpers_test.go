package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
)

// noticeDay is the Monday the notice tests happen on; the harness's clock
// starts on it at 09:00 UTC.
var noticeDay = pulse.MustDate("2026-03-02")

// noticeTeam stores a team with a manager and two reps whose channel the
// stand-in knows.
func noticeTeam(h *harness) *pulse.Team {
	h.tb.Helper()
	h.Slack.AddChannel("C0SALES", "sales")
	return h.createTeam("Nordic", []string{"U0MGR"}, []string{"U0REP1", "U0REP2"})
}

// deliver hands the notice to the bot as the engine would, and returns the
// message the stand-in recorded for it.
func deliver(h *harness, n pulse.Notice) (pulse.Delivery, slacktest.Message) {
	h.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := h.Bot.Deliver(ctx, n)
	if err != nil {
		h.tb.Fatalf("Deliver %s: %v\n%s", n.Key, err, h.Logs)
	}
	for _, m := range h.Slack.Messages(d.Channel) {
		if m.TS == d.TS && !m.Updated {
			return d, m
		}
	}
	h.tb.Fatalf("Deliver %s returned %s/%s, but Slack holds no such message", n.Key, d.Channel, d.TS)
	return d, slacktest.Message{}
}

// jobOf returns the job key a message's metadata names, or "".
func jobOf(m slacktest.Message) string {
	if m.Metadata == nil || m.Metadata.EventType != pulse.MetadataEventType {
		return ""
	}
	s, _ := m.Metadata.EventPayload[pulse.MetadataJobField].(string)
	return s
}

// noticeBlocks decodes a message's blocks.
func noticeBlocks(t *testing.T, m slacktest.Message) []slack.Block {
	t.Helper()
	var bs slack.Blocks
	if err := json.Unmarshal(m.Blocks, &bs); err != nil {
		t.Fatalf("blocks of %s: %v", m.TS, err)
	}
	return bs.BlockSet
}

// buttonsOf lists a message's buttons by action ID.
func buttonsOf(t *testing.T, m slacktest.Message) map[string]*slack.ButtonBlockElement {
	t.Helper()
	out := map[string]*slack.ButtonBlockElement{}
	for _, b := range noticeBlocks(t, m) {
		a, ok := b.(*slack.ActionBlock)
		if !ok {
			continue
		}
		for _, e := range a.Elements.ElementSet {
			if bt, ok := e.(*slack.ButtonBlockElement); ok {
				out[bt.ActionID] = bt
			}
		}
	}
	return out
}

// pressNotice presses a button of a delivered message as user. The
// interaction carries the message, blocks and all, as Slack's does.
func pressNotice(h *harness, user string, m slacktest.Message, bt *slack.ButtonBlockElement) string {
	h.tb.Helper()
	var blocks slack.Blocks
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		h.tb.Fatalf("blocks of %s: %v", m.TS, err)
	}
	id, err := h.Slack.SendInteraction(context.Background(), slack.InteractionCallback{
		Type:      slack.InteractionTypeBlockActions,
		User:      slack.User{ID: user},
		Channel:   slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: m.Channel}}},
		Container: slack.Container{Type: "message", ChannelID: m.Channel, MessageTs: m.TS},
		Message:   slack.Message{Msg: slack.Msg{Timestamp: m.TS, Channel: m.Channel, Text: m.Text, Blocks: blocks}},
		ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{
			{ActionID: bt.ActionID, BlockID: blockOf(h, m, bt), Value: bt.Value, Type: "button"},
		}},
	})
	if err != nil {
		h.tb.Fatalf("press %s: %v", bt.ActionID, err)
	}
	return id
}

// blockOf returns the block ID of the actions block that holds bt.
func blockOf(h *harness, m slacktest.Message, bt *slack.ButtonBlockElement) string {
	var bs slack.Blocks
	if err := json.Unmarshal(m.Blocks, &bs); err != nil {
		h.tb.Fatalf("blocks of %s: %v", m.TS, err)
	}
	for _, b := range bs.BlockSet {
		if a, ok := b.(*slack.ActionBlock); ok {
			for _, e := range a.Elements.ElementSet {
				if x, ok := e.(*slack.ButtonBlockElement); ok && x.ActionID == bt.ActionID && x.Value == bt.Value {
					return a.BlockID
				}
			}
		}
	}
	return ""
}

// waitModal waits for a views.open of the callback ID.
func waitModal(h *harness, callbackID string) {
	h.tb.Helper()
	h.waitFor("a "+callbackID+" modal", func() bool {
		for _, v := range h.Slack.Views() {
			var view slack.View
			if v.Method == "views.open" && json.Unmarshal(v.View, &view) == nil && view.CallbackID == callbackID {
				return true
			}
		}
		return false
	})
}

// openedModal waits for the n-th views.open and decodes it.
func openedModal(h *harness, n int) slack.View {
	h.tb.Helper()
	var raw json.RawMessage
	h.waitFor("a modal", func() bool {
		var seen int
		for _, v := range h.Slack.Views() {
			if v.Method == "views.open" {
				if seen++; seen == n {
					raw = v.View
					return true
				}
			}
		}
		return false
	})
	var v slack.View
	if err := json.Unmarshal(raw, &v); err != nil {
		h.tb.Fatalf("decode view: %v", err)
	}
	return v
}

// submitReport submits the training report modal with the given text and
// returns the ack's payload (nil when the modal closed).
func submitReport(h *harness, user string, v slack.View, report string) json.RawMessage {
	h.tb.Helper()
	v.State = &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
		"report": {"report": {ActionID: "report", Type: "plain_text_input", Value: report}},
	}}
	id, err := h.Slack.SendInteraction(context.Background(), slack.InteractionCallback{
		Type: slack.InteractionTypeViewSubmission,
		User: slack.User{ID: user},
		View: v,
	})
	if err != nil {
		h.tb.Fatalf("submit report: %v", err)
	}
	return h.ack(id, 1).Payload
}

// updatedSaying reports whether the message at ts in channel was updated
// to say want.
func updatedSaying(h *harness, channel, ts, want string) bool {
	for _, m := range h.Slack.Messages(channel) {
		if m.Updated && m.TS == ts && strings.Contains(m.Text, want) {
			return true
		}
	}
	return false
}

// storedNudge reads a nudge, failing the test if it is missing.
func storedNudge(h *harness, training, user string, day int) *pulse.Nudge {
	h.tb.Helper()
	n, err := h.DB.Nudge(context.Background(), training, user, day)
	if err != nil {
		h.tb.Fatalf("nudge %s+%d of %s: %v", training, day, user, err)
	}
	return n
}

// noticeText is an English sentence from the catalogue.
func noticeText(h *harness, key string, data map[string]any) string {
	return h.Bot.Catalog().T(pulse.English, key, data)
}

// slackUser is a user as users.info describes them.
func slackUser(id, name, tz string, owner bool) slack.User {
	return slack.User{ID: id, Name: strings.ToLower(name), TZ: tz, Locale: "en-US", IsOwner: owner,
		Profile: slack.UserProfile{DisplayName: name, RealName: name + " Nilsen"}}
}
