package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

// saveAnswered stores an answered check-in of rep in team on day.
func saveAnswered(h *harness, team, rep string, day pulse.Date, energy int, plan string) {
	h.tb.Helper()
	c := &pulse.CheckIn{TeamID: team, UserID: rep, Date: day, Status: pulse.CheckInOnTime, Results: "Two demos", Plan: plan, Energy: energy,
		Metrics: map[string]float64{}, SubmittedAt: h.Clock.Now(), UpdatedAt: h.Clock.Now()}
	if err := h.DB.SaveCheckIn(context.Background(), c); err != nil {
		h.tb.Fatalf("save check-in: %v", err)
	}
}

// sendDigest delivers leader's digest of team's day as the engine does,
// records it in the ledger, and returns it.
func sendDigest(h *harness, team *pulse.Team, leader string, day pulse.Date) (pulse.Delivery, slacktest.Message) {
	h.tb.Helper()
	key := pulse.DigestKey(team.ID, leader, day)
	d, m := deliver(h, pulse.Notice{Key: key, Team: team, To: leader, Lang: pulse.English, Payload: pulse.DigestNotice{Leader: leader, Date: day}})
	h.recordSent(key, d)
	return d, m
}

// threadReply waits for a message in channel, in the thread of ts, whose
// text or blocks contain want.
func threadReply(h *harness, channel, ts, want string) slacktest.Message {
	h.tb.Helper()
	var got slacktest.Message
	h.waitFor(fmt.Sprintf("a reply in %s under %s saying %q", channel, ts, want), func() bool {
		for _, m := range h.Slack.Messages(channel) {
			if m.ThreadTS == ts && !m.Updated && (strings.Contains(m.Text, want) || strings.Contains(blocksText(m.Blocks), want)) {
				got = m
				return true
			}
		}
		return false
	})
	return got
}

// anyMessageSaying waits for a message anywhere (an ephemeral answer
// included) that contains want.
func anyMessageSaying(h *harness, want string) {
	h.tb.Helper()
	h.waitFor("a message saying "+want, func() bool {
		for _, m := range h.Slack.Messages("") {
			if strings.Contains(m.Text, want) || strings.Contains(blocksText(m.Blocks), want) {
				return true
			}
		}
		return false
	})
}

// The loop of the leader's pulse: the manager's digest holds a rep's
// check-in; Give feedback opens a modal labelled Feedback; the rep (who
// reads Norwegian) gets it in the thread of their check-in DM, naming the
// manager, with Reply; the digest says it was sent; the rep's reply comes
// back in the digest's thread, and the manager's answer in the rep's.
func TestFeedbackReachesTheRepsCheckInThreadAndTheReplyComesBack(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	h.savePerson(&pulse.Person{ID: ciRep1, Lang: pulse.Norwegian})
	saveAnswered(h, nordic.ID, ciRep1, ciMonday, 4, "Call the Bergen leads")
	checkInDM := h.postCheckInDM(ciRep1, nordic.ID, ciMonday)

	digest, m := sendDigest(h, nordic, ciMgr1, ciMonday)
	text := blocksText(m.Blocks)
	for _, want := range []string{"Call the Bergen leads", "<@" + ciRep1 + ">", h.en("leader.button_feedback", nil), h.en("leader.button_agenda", nil), "<@" + ciRep2 + ">"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the digest lacks %q:\n%s", want, text)
		}
	}
	if jobOf(m) != pulse.DigestKey(nordic.ID, ciMgr1, ciMonday).String() {
		t.Fatalf("the digest carries job %q, want its key for recovery after a crash", jobOf(m))
	}

	pressNotice(h, ciMgr1, m, buttonsOf(t, m)[bot.ActionGiveFeedback])
	v := openedModal(h, 1)
	if v.CallbackID != bot.ViewFeedback || !contains(labels(v), "Feedback") || !contains(labels(v), "Kind") {
		t.Fatalf("the feedback modal is %s with labels %q, want Feedback and Kind", v.CallbackID, labels(v))
	}
	if action, errs := h.submitView(ciMgr1, v, submission{
		"kind":     {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: "coaching"}},
		"feedback": {Type: "plain_text_input", Value: "Ask Hansen for the next step & a date <!channel>"},
	}); action != "" || len(errs) > 0 {
		t.Fatalf("submitting feedback answered %q %v, want the modal closed", action, errs)
	}

	nb := pulse.Norwegian
	head := h.said(nb, "leader.feedback_coaching", map[string]any{"From": "<@" + ciMgr1 + ">", "Day": h.Bot.Catalog().Date(nb, ciMonday)})
	got := threadReply(h, checkInDM.Channel, checkInDM.Timestamp, head)
	if body := blocksText(got.Blocks); !strings.Contains(body, "Ask Hansen for the next step &amp; a date &lt;!channel&gt;") {
		t.Fatalf("the feedback does not quote the manager's words, escaped:\n%s", body)
	}
	h.waitFor("the digest updated", func() bool {
		return updatedSaying(h, digest.Channel, digest.TS, "") && strings.Contains(lastUpdate(h, digest), "Feedback sent to <@"+ciRep1+"> at 10:00")
	})
	fbs, err := h.DB.TeamFeedback(context.Background(), nordic.ID, h.Clock.Now().Add(-1), h.Clock.Now().Add(1))
	if err != nil || len(fbs) != 1 || fbs[0].Kind != pulse.FeedbackCoaching || fbs[0].From != ciMgr1 || fbs[0].TS != checkInDM.Timestamp {
		t.Fatalf("stored feedback %+v, %v; want one coaching from the manager, threaded under the check-in", fbs, err)
	}

	// The rep replies; it reaches the manager in the digest's thread.
	pressNotice(h, ciRep1, got, buttonsOf(t, got)[bot.ActionFeedbackReply])
	rv := openedModal(h, 2)
	if rv.CallbackID != bot.ViewFeedbackReply {
		t.Fatalf("the reply modal is %s", rv.CallbackID)
	}
	if action, errs := h.submitView(ciRep1, rv, submission{"reply": {Type: "plain_text_input", Value: "Takk, jeg ringer ham i dag"}}); action != "" || len(errs) > 0 {
		t.Fatalf("submitting the reply answered %q %v", action, errs)
	}
	back := threadReply(h, digest.Channel, digest.TS, "Takk, jeg ringer ham i dag")
	if !strings.Contains(back.Text, "<@"+ciRep1+">") {
		t.Fatalf("the reply does not name the rep: %q", back.Text)
	}
	// The manager answers in turn; it reaches the rep's check-in thread.
	pressNotice(h, ciMgr1, back, buttonsOf(t, back)[bot.ActionFeedbackReply])
	mv := openedModal(h, 3)
	h.submitView(ciMgr1, mv, submission{"reply": {Type: "plain_text_input", Value: "Great, tell me how it went"}})
	threadReply(h, checkInDM.Channel, checkInDM.Timestamp, "Great, tell me how it went")

	// Another rep may not reply in that thread.
	pressNotice(h, ciRep2, back, buttonsOf(t, back)[bot.ActionFeedbackReply])
	anyMessageSaying(h, h.en("deny.feedback_reply", nil))
}

// lastUpdate is the text of the latest update of the delivered message.
func lastUpdate(h *harness, d pulse.Delivery) string {
	out := ""
	for _, m := range h.Slack.Messages(d.Channel) {
		if m.Updated && m.TS == d.TS {
			out = m.Text + blocksText(m.Blocks)
		}
	}
	return out
}

// Only the team's managers and directors give feedback: a rep and another
// team's manager are refused, politely and to them only, and nothing is
// stored or sent.
func TestFeedbackRefusedToARepAndToAnotherTeamsManager(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	saveAnswered(h, nordic.ID, ciRep1, ciMonday, 4, "Call")
	_, m := sendDigest(h, nordic, ciMgr1, ciMonday)
	give, ack := buttonsOf(t, m)[bot.ActionGiveFeedback], buttonsOf(t, m)[bot.ActionFeedbackAck]
	for _, who := range []string{ciRep2, ciMgrB, ciNoOne} {
		pressNotice(h, who, m, give)
		pressNotice(h, who, m, ack)
	}
	refusal := h.en("deny.feedback", nil)
	h.waitFor("six refusals", func() bool {
		n := 0
		for _, msg := range h.Slack.Messages("") {
			if strings.Contains(msg.Text, refusal) {
				if !msg.Ephemeral && !msg.ViaResponseURL {
					t.Fatalf("a refusal went out for all to see: %+v", msg)
				}
				n++
			}
		}
		return n >= 6
	})
	// A forged value naming another team's rep is refused the same way.
	forged := *give
	forged.Value = nordic.ID + "|" + ciRepB + "|" + ciMonday.String()
	pressNotice(h, ciMgr1, m, &forged)
	if n := len(h.Slack.Views()); n != 0 {
		t.Fatalf("%d modals opened for people who may not give feedback", n)
	}
	fbs, err := h.DB.TeamFeedback(context.Background(), nordic.ID, h.Clock.Now().Add(-24*3600e9), h.Clock.Now().Add(24*3600e9))
	if err != nil || len(fbs) != 0 {
		t.Fatalf("feedback stored: %+v, %v", fbs, err)
	}
}

// The quick 👍 sends the rep the catalogue's acknowledgement in their
// check-in thread, once however often it is pressed.
func TestFeedbackThumbsUpIsSentOnce(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	saveAnswered(h, nordic.ID, ciRep1, ciMonday, 4, "Call")
	dm := h.postCheckInDM(ciRep1, nordic.ID, ciMonday)
	_, m := sendDigest(h, nordic, ciMgr2, ciMonday)
	ack := buttonsOf(t, m)[bot.ActionFeedbackAck]
	h.ack(pressNotice(h, ciMgr2, m, ack), 1)
	want := h.en("leader.feedback_ack", map[string]any{"From": "<@" + ciMgr2 + ">", "Day": h.Bot.Catalog().Date(pulse.English, ciMonday)})
	threadReply(h, dm.Channel, dm.Timestamp, want)
	h.ack(pressNotice(h, ciMgr2, m, ack), 1) // acked once the handler found the first
	if n := h.messagesSaying(dm.Channel, want); n != 1 {
		t.Fatalf("%d acknowledgements sent, want 1", n)
	}
}

// A feedback submission Slack delivers again, also to a restarted bot, is
// applied once: one feedback stored, one message to the rep.
func TestFeedbackSubmissionRedeliveredIsAppliedOnce(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	saveAnswered(h, nordic.ID, ciRep1, ciMonday, 4, "Call")
	dm := h.postCheckInDM(ciRep1, nordic.ID, ciMonday)
	_, m := sendDigest(h, nordic, ciMgr1, ciMonday)
	pressNotice(h, ciMgr1, m, buttonsOf(t, m)[bot.ActionGiveFeedback])
	v := openedModal(h, 1)
	v.State = &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
		"kind":     {"kind": {ActionID: "kind", Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: "praise"}}},
		"feedback": {"feedback": {ActionID: "feedback", Type: "plain_text_input", Value: "Once only"}},
	}}
	payload, err := json.Marshal(slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: ciMgr1}, View: v})
	if err != nil {
		t.Fatal(err)
	}
	env := slacktest.Envelope{Type: "interactive", EnvelopeID: h.Slack.NewEnvelopeID(), Payload: payload, AcceptsResponsePayload: true}
	send(t, h, env)
	h.ack(env.EnvelopeID, 1)
	threadReply(h, dm.Channel, dm.Timestamp, "Once only")
	send(t, h, redeliver(env, 1))
	h.ack(env.EnvelopeID, 2)
	h.restart()
	send(t, h, redeliver(env, 2))
	h.ack(env.EnvelopeID, 3)
	fbs, err := h.DB.TeamFeedback(context.Background(), nordic.ID, h.Clock.Now().Add(-time.Hour), time.Time{})
	if err != nil || len(fbs) != 1 {
		t.Fatalf("%d feedback stored (%v), want 1", len(fbs), err)
	}
	if n := h.messagesSaying(dm.Channel, "Once only"); n != 1 {
		t.Fatalf("the rep got the feedback %d times, want once", n)
	}
}

// Give feedback on /pulse digest's answer, which only its reader sees,
// rewrites that answer to say the feedback went, through its response_url.
func TestFeedbackFromPulseDigestRewritesTheAnswer(t *testing.T) {
	h := start(t)
	h.Slack.AddChannel("C0SALES", "sales")
	nordic, _ := seedCheckIn(h)
	saveAnswered(h, nordic.ID, ciRep1, ciMonday, 4, "Call the Bergen leads")
	h.answer(h.slash(ciMgr1, "digest"))
	value := nordic.ID + "|" + ciRep1 + "|" + ciMonday.String()
	id, err := h.Slack.SendInteraction(t.Context(), slack.InteractionCallback{
		Type:      slack.InteractionTypeBlockActions,
		User:      slack.User{ID: ciMgr1},
		Channel:   slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: "C0SALES"}}},
		Container: slack.Container{Type: "message", ChannelID: "C0SALES", IsEphemeral: true},
		ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{
			{ActionID: bot.ActionGiveFeedback, BlockID: "digest_" + ciRep1, Value: value, Type: "button"},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(id, 1)
	v, _ := h.nthView("views.open", 1)
	h.submitView(ciMgr1, v, submission{
		"kind":     {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: "question"}},
		"feedback": {Type: "plain_text_input", Value: "What did Hansen say?"},
	})
	h.waitFor("the answer rewritten", func() bool {
		for _, m := range h.Slack.Messages("C0SALES") {
			if m.ViaResponseURL && m.Updated && strings.Contains(blocksText(m.Blocks), "Feedback sent to <@"+ciRep1+"> at 10:00") &&
				strings.Contains(blocksText(m.Blocks), "Call the Bergen leads") {
				return true
			}
		}
		return false
	})
	h.messageSaying(ciRep1, "What did Hansen say?")
}
