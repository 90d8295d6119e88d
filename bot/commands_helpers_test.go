package bot_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
)

// Users of the commands' tests: two teams, Nordic and Baltic, with their
// own managers and reps, and someone in no team.
const (
	mgrA     = "UMGRA"
	mgrB     = "UMGRB"
	repA1    = "UREPA1"
	repA2    = "UREPA2"
	repB1    = "UREPB1"
	outsider = "UOUTSIDER"
	adminID  = "UADMIN"
)

// seedTeams stores Nordic (mgrA; repA1, repA2) and Baltic (mgrB; repB1)
// and makes the team channel known to Slack.
func seedTeams(h *harness) (nordic, baltic *pulse.Team) {
	h.tb.Helper()
	h.Slack.AddChannel("C0SALES", "sales")
	nordic = h.createTeam("Nordic", []string{mgrA}, []string{repA1, repA2})
	baltic = h.createTeam("Baltic", []string{mgrB}, []string{repB1})
	return nordic, baltic
}

// command sends "/pulse text" from user and returns the ack's reply.
func (h *harness) command(user, text string) reply {
	h.tb.Helper()
	return decodeReply(h.tb, h.ack(h.slash(user, text), 1))
}

// opens sends "/pulse text" from user and checks the ack carries no
// answer: the command opens a modal instead.
func (h *harness) opens(user, text string) {
	h.tb.Helper()
	if a := h.ack(h.slash(user, text), 1); a.Payload != nil {
		h.tb.Errorf("/pulse %s answered %s; it should only open a modal", text, a.Payload)
	}
}

// en is the English sentence for key.
func (h *harness) en(key string, data map[string]any) string {
	return h.Bot.Catalog().T(pulse.English, key, data)
}

// escaped is text as the bot escapes an error's sentence for mrkdwn.
func escaped(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// wantText fails the test unless the reply's text is want.
func wantText(t *testing.T, what string, got reply, want string) {
	t.Helper()
	if got.Text != want {
		t.Errorf("%s answered %q, want %q", what, got.Text, want)
	}
}

// openedView waits for the n-th views.open (from 1) and returns it as
// Slack would hand it back in a view_submission: its blocks, callback,
// metadata and ID.
func (h *harness) openedView(n int) slack.View {
	h.tb.Helper()
	var rec slacktest.View
	h.waitFor("views.open", func() bool {
		var opened []slacktest.View
		for _, v := range h.Slack.Views() {
			if v.Method == "views.open" {
				opened = append(opened, v)
			}
		}
		if len(opened) < n {
			return false
		}
		rec = opened[n-1]
		return true
	})
	var v slack.View
	if err := json.Unmarshal(rec.View, &v); err != nil {
		h.tb.Fatalf("decode opened view %s: %v", rec.View, err)
	}
	v.ID = rec.ViewID
	return v
}

// viewsOpened counts the modals opened so far.
func (h *harness) viewsOpened() int {
	n := 0
	for _, v := range h.Slack.Views() {
		if v.Method == "views.open" {
			n++
		}
	}
	return n
}

// labels lists the labels of a view's input blocks, in order.
func labels(v slack.View) []string {
	var out []string
	for _, bl := range v.Blocks.BlockSet {
		if in, ok := bl.(*slack.InputBlock); ok {
			out = append(out, in.Label.Text)
		}
	}
	return out
}

// inputElement returns the element of the input block blockID.
func inputElement(t *testing.T, v slack.View, blockID string) slack.BlockElement {
	t.Helper()
	for _, bl := range v.Blocks.BlockSet {
		if in, ok := bl.(*slack.InputBlock); ok && in.BlockID == blockID {
			return in.Element
		}
	}
	t.Fatalf("view %s has no input %q", v.CallbackID, blockID)
	return nil
}

// viewResponse is a view_submission's ack payload.
type viewResponse struct {
	ResponseAction string            `json:"response_action"`
	Errors         map[string]string `json:"errors"`
}

// state is a view's submitted values: block ID → the element's value.
type state map[string]slack.BlockAction

// submit sends the view as submitted by user with values and returns the
// ack's response; an empty response means the modal closed.
func (h *harness) submit(user string, v slack.View, values state) viewResponse {
	h.tb.Helper()
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{}}
	for block, val := range values {
		if val.ActionID == "" {
			val.ActionID = block
		}
		st.Values[block] = map[string]slack.BlockAction{val.ActionID: val}
	}
	v.State = st
	id, err := h.Slack.SendInteraction(h.tb.Context(), slack.InteractionCallback{
		Type: slack.InteractionTypeViewSubmission,
		User: slack.User{ID: user},
		View: v,
	})
	if err != nil {
		h.tb.Fatalf("submit %s: %v", v.CallbackID, err)
	}
	a := h.ack(id, 1)
	var resp viewResponse
	if a.Payload != nil {
		if err := json.Unmarshal(a.Payload, &resp); err != nil {
			h.tb.Fatalf("view response %s: %v", a.Payload, err)
		}
	}
	return resp
}

// dm waits for a direct message to user containing want.
func (h *harness) dm(user, want string) {
	h.tb.Helper()
	h.waitFor("a DM to "+user+" saying "+want, func() bool {
		for _, m := range h.Slack.Messages(user) {
			if strings.Contains(m.Text, want) {
				return true
			}
		}
		return false
	})
}

// press sends a block action on a message in channel and returns its
// envelope ID.
func (h *harness) press(user, actionID, value string, msg slack.Message) string {
	h.tb.Helper()
	id, err := h.Slack.SendInteraction(h.tb.Context(), slack.InteractionCallback{
		Type:      slack.InteractionTypeBlockActions,
		User:      slack.User{ID: user},
		Channel:   slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: msg.Channel}}},
		Container: slack.Container{Type: "message", ChannelID: msg.Channel, MessageTs: msg.Timestamp},
		Message:   msg,
		ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{
			{ActionID: actionID, BlockID: "review", Value: value, Type: "button"},
		}},
	})
	if err != nil {
		h.tb.Fatalf("press %s: %v", actionID, err)
	}
	return id
}
