package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

// People of the check-in and status tests: team Nordic (Oslo) with two
// managers and three reps, team Baltic with its own manager and rep.
const (
	ciMgr1  = "UMGRONE"
	ciMgr2  = "UMGRTWO"
	ciRep1  = "UREPONE"
	ciRep2  = "UREPTWO"
	ciRep3  = "UREPTHREE"
	ciMgrB  = "UMGRBALTIC"
	ciRepB  = "UREPBALTIC"
	ciNoOne = "UNOBODY"
)

// ciMonday is the harness clock's start: Monday 2 March 2026, 10:00 in
// Oslo, an hour after the 09:00 check-in and an hour before the reminder.
var ciMonday = pulse.MustDate("2026-03-02")

// seedCheckIn stores Nordic, with two metrics, and Baltic.
func seedCheckIn(h *harness) (nordic, baltic *pulse.Team) {
	h.tb.Helper()
	nordic = pulse.NewTeam("Nordic", "Europe/Oslo")
	nordic.Managers = []string{ciMgr1, ciMgr2}
	nordic.Reps = []string{ciRep1, ciRep2, ciRep3}
	nordic.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}, {Key: "meetings", Name: "Meetings booked", Target: 5}}
	baltic = pulse.NewTeam("Baltic", "Europe/Riga")
	baltic.Managers = []string{ciMgrB}
	baltic.Reps = []string{ciRepB}
	for _, t := range []*pulse.Team{nordic, baltic} {
		if err := h.DB.CreateTeam(context.Background(), t); err != nil {
			h.tb.Fatalf("create team %s: %v", t.Name, err)
		}
	}
	return nordic, baltic
}

// webAPI is a Slack client of the app's own, for a test to post what the
// cadence would have posted (the check-in DM with its buttons).
func (h *harness) webAPI() *slack.Client {
	return slack.New(h.Slack.BotToken(), slack.OptionAPIURL(h.Slack.APIURL()))
}

// postCheckInDM posts the daily check-in DM with its two buttons to rep,
// records it in the job ledger as the cadence does when it sends one, and
// returns the message as a button press carries it.
func (h *harness) postCheckInDM(rep, teamID string, day pulse.Date) slack.Message {
	h.tb.Helper()
	value := teamID + "|" + day.String()
	actions := slack.NewActionBlock("checkin",
		slack.NewButtonBlockElement(bot.ActionCheckIn, value, slack.NewTextBlockObject(slack.PlainTextType, "Check in", false, false)),
		slack.NewButtonBlockElement(bot.ActionAwayToday, value, slack.NewTextBlockObject(slack.PlainTextType, "I'm away today", false, false)))
	ch, ts, err := h.webAPI().PostMessage(rep, slack.MsgOptionText("Time for your check-in", false), slack.MsgOptionBlocks(actions))
	if err != nil {
		h.tb.Fatalf("post check-in DM: %v", err)
	}
	h.recordSent(pulse.CheckInKey(teamID, rep, day), pulse.Delivery{Channel: ch, TS: ts})
	var m slack.Message
	m.Channel, m.Timestamp = ch, ts
	return m
}

// recordSent records in the job ledger that the job was sent to d, as the
// cadence engine does.
func (h *harness) recordSent(key pulse.JobKey, d pulse.Delivery) {
	h.tb.Helper()
	ctx := context.Background()
	if _, _, err := h.DB.Claim(ctx, key, "engine", h.Clock.Now()); err != nil {
		h.tb.Fatalf("claim %s: %v", key, err)
	}
	if err := h.DB.MarkSent(ctx, key, d.Channel, d.TS, h.Clock.Now()); err != nil {
		h.tb.Fatalf("mark %s sent: %v", key, err)
	}
}

// pressOn sends a block action on msg and returns its envelope ID.
func (h *harness) pressOn(user, actionID, value string, msg slack.Message) string {
	h.tb.Helper()
	cb := slack.InteractionCallback{
		Type: slack.InteractionTypeBlockActions,
		User: slack.User{ID: user},
		ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{
			{ActionID: actionID, BlockID: "b", Value: value, Type: "button"},
		}},
	}
	if msg.Channel != "" {
		cb.Channel = slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: msg.Channel}}}
		cb.Container = slack.Container{Type: "message", ChannelID: msg.Channel, MessageTs: msg.Timestamp}
	}
	id, err := h.Slack.SendInteraction(h.tb.Context(), cb)
	if err != nil {
		h.tb.Fatalf("press %s: %v", actionID, err)
	}
	return id
}

// nthView waits for the n-th view sent with method (from 1) and returns it
// as Slack hands it back in a view_submission.
func (h *harness) nthView(method string, n int) (slack.View, json.RawMessage) {
	h.tb.Helper()
	var rec slacktest.View
	h.waitFor(fmt.Sprintf("%s #%d", method, n), func() bool {
		k := 0
		for _, v := range h.Slack.Views() {
			if v.Method == method {
				if k++; k == n {
					rec = v
					return true
				}
			}
		}
		return false
	})
	var v slack.View
	if err := json.Unmarshal(rec.View, &v); err != nil {
		h.tb.Fatalf("decode view %s: %v", rec.View, err)
	}
	v.ID = rec.ViewID
	return v, rec.View
}

// countViews counts the views sent with method, for user when not empty.
func (h *harness) countViews(method, user string) int {
	n := 0
	for _, v := range h.Slack.Views() {
		if v.Method == method && (user == "" || v.UserID == user) {
			n++
		}
	}
	return n
}

// submission is a view's submitted values: block ID → the element's value.
type submission map[string]slack.BlockAction

// answers is a check-in as a rep fills it in.
func answers(plan string, energy string, calls string) submission {
	s := submission{
		"results": {Type: "plain_text_input", Value: "Two demos"},
		"plan":    {Type: "plain_text_input", Value: plan},
	}
	if energy != "" {
		s["energy"] = slack.BlockAction{Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: energy}}
	}
	if calls != "" {
		s["metric_calls"] = slack.BlockAction{Type: "number_input", Value: calls}
	}
	return s
}

// submitView sends v as submitted by user with values and returns the
// ack's response: empty when the modal closed.
func (h *harness) submitView(user string, v slack.View, values submission) (action string, errs map[string]string) {
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
		Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: user}, View: v,
	})
	if err != nil {
		h.tb.Fatalf("submit %s: %v", v.CallbackID, err)
	}
	a := h.ack(id, 1)
	var resp struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
	}
	if a.Payload != nil {
		if err := json.Unmarshal(a.Payload, &resp); err != nil {
			h.tb.Fatalf("view response %s: %v", a.Payload, err)
		}
	}
	return resp.ResponseAction, resp.Errors
}

// messageSaying waits for a message in channel (a user ID for a DM) whose
// text or blocks contain want, and returns it.
func (h *harness) messageSaying(channel, want string) slacktest.Message {
	h.tb.Helper()
	var got slacktest.Message
	h.waitFor(fmt.Sprintf("a message in %s saying %q", channel, want), func() bool {
		for _, m := range h.Slack.Messages(channel) {
			if strings.Contains(m.Text, want) || strings.Contains(blocksText(m.Blocks), want) {
				got = m
				return true
			}
		}
		return false
	})
	return got
}

// messagesSaying counts the messages in channel that contain want.
func (h *harness) messagesSaying(channel, want string) int {
	n := 0
	for _, m := range h.Slack.Messages(channel) {
		if strings.Contains(m.Text, want) || strings.Contains(blocksText(m.Blocks), want) {
			n++
		}
	}
	return n
}

// sentence is the English catalogue's sentence for key.
func (h *harness) sentence(key string, data map[string]any) string {
	return h.Bot.Catalog().T(pulse.English, key, data)
}

// storedCheckIn returns the rep's stored check-in for the day, nil when none.
func (h *harness) storedCheckIn(team, rep string, day pulse.Date) *pulse.CheckIn {
	h.tb.Helper()
	c, err := h.DB.CheckIn(context.Background(), team, rep, day)
	if pulse.IsNotFound(err) {
		return nil
	}
	if err != nil {
		h.tb.Fatalf("load check-in: %v", err)
	}
	return c
}

// answer waits for the answer to a slash command: the ack's payload, or
// the post to its response_url when the answer was too big for an ack.
func (h *harness) answer(envelopeID string) reply {
	h.tb.Helper()
	a := h.ack(envelopeID, 1)
	if a.Payload != nil {
		return decodeReply(h.tb, a)
	}
	var got reply
	h.waitFor("the answer through the response_url", func() bool {
		for _, m := range h.Slack.Messages("C0SALES") {
			if m.ViaResponseURL {
				got.Text = m.Text
				var blocks []json.RawMessage
				_ = json.Unmarshal(m.Blocks, &blocks)
				got.Blocks = blocks
				return true
			}
		}
		return false
	})
	return got
}

// blocksText is blocks' JSON with <, > and & as Slack shows them, for
// containment checks of mentions and quotes.
func blocksText(raw []byte) string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(raw))
}
