package bot_test

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

// The modals whose submission rewrites a message (the check-in and the
// training report) take that message from the job ledger: a submission's
// private_metadata that names another message, here a post of the bot's
// in the team channel, rewrites nothing but the rep's own DM.

// channelPost posts a message of the bot's to channel and returns it.
func (h *harness) channelPost(channel, text string) slack.Message {
	h.tb.Helper()
	ch, ts, err := h.webAPI().PostMessage(channel, slack.MsgOptionText(text, false))
	if err != nil {
		h.tb.Fatalf("post to %s: %v", channel, err)
	}
	var m slack.Message
	m.Channel, m.Timestamp = ch, ts
	return m
}

// updates lists the chat.update calls Slack recorded in channel.
func (h *harness) updates(channel string) []slacktest.Message {
	var out []slacktest.Message
	for _, m := range h.Slack.Messages(channel) {
		if m.Updated && !m.ViaResponseURL {
			out = append(out, m)
		}
	}
	return out
}

// wantOnlyDMUpdated waits for an update in the DM or the channel, then
// fails the test unless the one update is of the DM at dmTS.
func wantOnlyDMUpdated(t *testing.T, h *harness, dmChannel, dmTS, channel string) {
	t.Helper()
	h.waitFor("a message updated", func() bool { return len(h.updates(dmChannel))+len(h.updates(channel)) > 0 })
	if u := h.updates(channel); len(u) > 0 {
		t.Errorf("a forged submission rewrote the channel post %s to %q", u[0].TS, u[0].Text)
	}
	if u := h.updates(dmChannel); len(u) != 1 || u[0].TS != dmTS {
		t.Errorf("the rep's DM %s was updated %d times, want once", dmTS, len(u))
	}
}

func TestCheckInWithForgedMetadataUpdatesOnlyTheRepsCheckInDM(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	h.Slack.AddChannel("C0SALES", "sales")
	post := h.channelPost("C0SALES", "Weekly meeting at 11:00")
	dm := h.postCheckInDM(ciRep1, nordic.ID, ciMonday)

	h.ack(h.pressOn(ciRep1, bot.ActionCheckIn, nordic.ID+"|"+ciMonday.String(), dm), 1)
	v, _ := h.nthView("views.open", 1)
	v.PrivateMetadata = strings.Join([]string{nordic.ID, ciMonday.String(), post.Channel, post.Timestamp}, "|")
	if action, errs := h.submitView(ciRep1, v, answers("Call the fair leads", "4", "")); action != "" || errs != nil {
		t.Fatalf("submit answered %q %v, want the modal closed", action, errs)
	}
	if c := h.storedCheckIn(nordic.ID, ciRep1, ciMonday); c == nil || c.Plan != "Call the fair leads" {
		t.Fatalf("stored %+v, want the check-in saved", c)
	}
	wantOnlyDMUpdated(t, h, dm.Channel, dm.Timestamp, "C0SALES")
	if m := h.messageSaying(ciRep1, "Checked in at 10:00"); m.TS != dm.Timestamp {
		t.Errorf("the check-in's answer went to %+v, want the DM %s", m, dm.Timestamp)
	}
}

func TestCheckInFromTheReminderUpdatesTheDMAndTheReminder(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	dm := h.postCheckInDM(ciRep1, nordic.ID, ciMonday)
	ch, ts, err := h.webAPI().PostMessage(ciRep1, slack.MsgOptionText("A reminder", false), slack.MsgOptionTS(dm.Timestamp), slack.MsgOptionBroadcast())
	if err != nil {
		t.Fatal(err)
	}
	h.recordSent(pulse.ReminderKey(nordic.ID, ciRep1, ciMonday), pulse.Delivery{Channel: ch, TS: ts})
	var reminder slack.Message
	reminder.Channel, reminder.Timestamp = ch, ts

	h.ack(h.pressOn(ciRep1, bot.ActionCheckIn, nordic.ID+"|"+ciMonday.String(), reminder), 1)
	v, _ := h.nthView("views.open", 1)
	h.submitView(ciRep1, v, answers("Plan", "3", ""))
	h.waitFor("both messages updated", func() bool {
		return updatedSaying(h, ch, dm.Timestamp, "Checked in at 10:00") && updatedSaying(h, ch, ts, "Checked in at 10:00")
	})
}

func TestTrainingReportWithForgedMetadataUpdatesOnlyTheRepsNudge(t *testing.T) {
	h := start(t)
	tr, m := nudged(h, "U0REP1")
	post := h.channelPost("C0SALES", "Weekly meeting at 11:00")

	pressNotice(h, "U0REP1", m, buttonsOf(t, m)[bot.ActionNudgeApplied])
	v := openedModal(h, 1)
	v.PrivateMetadata = strings.Join([]string{tr.ID, "7", "U0REP1", post.Channel, post.Timestamp}, "|")
	if resp := submitReport(h, "U0REP1", v, "Used feel-felt-found with Acme."); resp != nil && string(resp) != "null" {
		t.Fatalf("the report was answered %s, want the modal closed", resp)
	}
	if n := storedNudge(h, tr.ID, "U0REP1", 7); n.Response != pulse.NudgeApplied {
		t.Fatalf("stored nudge %+v, want applied", n)
	}
	wantOnlyDMUpdated(t, h, m.Channel, m.TS, "C0SALES")
	if !updatedSaying(h, m.Channel, m.TS, noticeText(h, "notices.nudge_reported", nil)) {
		t.Errorf("the nudge does not say it was reported")
	}
}
