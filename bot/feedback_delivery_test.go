package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

// restartedRun sends the outbox as a run started after another stopped
// does, once the stopped run's claims are stale, twice over: the second
// pass must send nothing more.
func restartedRun(h *harness) {
	h.tb.Helper()
	h.Clock.Advance(3 * time.Minute)
	for range 2 {
		if err := h.Bot.SendEffects(context.Background()); err != nil {
			h.tb.Fatalf("SendEffects: %v\n%s", err, h.Logs)
		}
	}
}

// saveFeedbackAsCommitted saves f with its delivery in the outbox, as the
// feedback handler commits them before its ack.
func saveFeedbackAsCommitted(h *harness, f *pulse.Feedback) {
	h.tb.Helper()
	e, err := pulse.NewFeedbackEffect(f)
	if err != nil {
		h.tb.Fatal(err)
	}
	if err := h.DB.SaveFeedback(pulse.WithEffects(context.Background(), e), f); err != nil {
		h.tb.Fatal(err)
	}
}

// repliesUnder counts the messages in the thread of ts that carry key's metadata.
func repliesUnder(h *harness, channel, ts string, key pulse.JobKey) int {
	n := 0
	for _, m := range h.Slack.Messages(channel) {
		if m.ThreadTS == ts && !m.Updated && jobOf(m) == key.String() {
			n++
		}
	}
	return n
}

// Feedback saved before the ack, the process killed before delivering it:
// the next run's outbox delivers it in the rep's check-in thread, once,
// and marks it; later passes send nothing more. The rep's reply, saved and
// not delivered, reaches the manager the same way.
func TestFeedbackSavedButNotDeliveredIsDeliveredOnceAfterARestart(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	nordic, _ := seedCheckIn(h)
	saveAnswered(h, nordic.ID, ciRep1, ciMonday, 4, "Call the Bergen leads")
	dm := h.postCheckInDM(ciRep1, nordic.ID, ciMonday)
	f := &pulse.Feedback{TeamID: nordic.ID, RepID: ciRep1, Date: ciMonday, From: ciMgr1, Kind: pulse.FeedbackPraise, Text: "Great plan", At: h.Clock.Now()}
	saveFeedbackAsCommitted(h, f)

	restartedRun(h)
	key := pulse.FeedbackKey(nordic.ID, ciRep1, f.ID, 0)
	if n := repliesUnder(h, dm.Channel, dm.Timestamp, key); n != 1 {
		t.Fatalf("the feedback was posted %d times in the check-in thread, want once\n%s", n, h.Logs)
	}
	got, err := h.DB.Feedback(ctx, f.ID)
	if err != nil || got.TS != dm.Timestamp {
		t.Fatalf("feedback %+v, %v: want it marked delivered under the check-in", got, err)
	}

	// The rep's reply is saved; the process stops before it goes out.
	deliver, err := pulse.NewFeedbackEffect(got)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.UpdateFeedback(pulse.WithEffects(ctx, deliver), f.ID, func(s *pulse.Feedback) error {
		s.Replies = append(s.Replies, pulse.FeedbackReply{From: ciRep1, Text: "Thanks, on it", At: h.Clock.Now()})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	restartedRun(h)
	got, _ = h.DB.Feedback(ctx, f.ID)
	reply := pulse.FeedbackKey(nordic.ID, ciMgr1, f.ID, 1)
	j, err := h.DB.Job(ctx, reply)
	if err != nil || j.State != pulse.JobSent || got.Replies[0].TS != j.TS || got.LeaderTS != j.TS {
		t.Fatalf("reply job %+v, %v, feedback %+v: want the reply sent to the manager once and marked", j, err, got)
	}
	if n := withJob(h, j.Channel, reply); n != 1 {
		t.Fatalf("the reply reached the manager %d times, want once", n)
	}
}

// withJob counts the messages in channel, threaded or not, that carry key's metadata.
func withJob(h *harness, channel string, key pulse.JobKey) int {
	n := 0
	for _, m := range h.Slack.Messages(channel) {
		if !m.Updated && jobOf(m) == key.String() {
			n++
		}
	}
	return n
}

// A sender that Slack accepted and that died before marking the job sent:
// the next run finds the post in the check-in thread by its metadata,
// marks the job and the feedback, and does not post it again.
func TestFeedbackAcceptedBySlackButNotMarkedIsNotRepeated(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	nordic, _ := seedCheckIn(h)
	dm := h.postCheckInDM(ciRep1, nordic.ID, ciMonday)
	f := &pulse.Feedback{TeamID: nordic.ID, RepID: ciRep1, Date: ciMonday, From: ciMgr1, Kind: pulse.FeedbackCoaching, Text: "Ask for a date", At: h.Clock.Now()}
	saveFeedbackAsCommitted(h, f)
	key := pulse.FeedbackKey(nordic.ID, ciRep1, f.ID, 0)
	if _, won, err := h.DB.Claim(ctx, key, "run-dead", h.Clock.Now()); err != nil || !won {
		t.Fatalf("claim %s: %v %v", key, won, err)
	}
	if _, _, err := h.webAPI().PostMessage(dm.Channel, slack.MsgOptionText("Feedback from the manager", false), slack.MsgOptionTS(dm.Timestamp),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: pulse.MetadataEventType, EventPayload: map[string]any{pulse.MetadataJobField: key.String()}})); err != nil {
		t.Fatal(err)
	}

	restartedRun(h)
	if n := repliesUnder(h, dm.Channel, dm.Timestamp, key); n != 1 {
		t.Fatalf("the feedback is %d times in the check-in thread, want the one Slack accepted\n%s", n, h.Logs)
	}
	got, err := h.DB.Feedback(ctx, f.ID)
	if err != nil || got.TS != dm.Timestamp || got.Channel != dm.Channel {
		t.Fatalf("feedback %+v, %v: want it marked delivered where Slack holds it", got, err)
	}
}

// A daily-thread entry claimed and not posted when the process stopped is
// posted by the next run's outbox, once, without the rep editing anything.
func TestDailyThreadEntryLeftClaimedIsPostedOnceAfterARestart(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	nordic, _ := seedCheckIn(h)
	day := pulse.DateOf(h.Clock.Now().In(nordic.Location()))
	ch, parent := openDailyThread(h, nordic, day)
	c := &pulse.CheckIn{TeamID: nordic.ID, UserID: ciRep1, Date: day, Status: pulse.CheckInOnTime, Results: "Two demos", Plan: "Call the Bergen leads", Energy: 4,
		Metrics: map[string]float64{}, SubmittedAt: h.Clock.Now(), UpdatedAt: h.Clock.Now()}
	share, err := bot.NewThreadEffect(nordic, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.DB.SaveCheckIn(pulse.WithEffects(ctx, share), c); err != nil {
		t.Fatal(err)
	}
	key := pulse.ThreadEntryKey(nordic.ID, ciRep1, day)
	if _, won, err := h.DB.Claim(ctx, key, "run-dead", h.Clock.Now()); err != nil || !won {
		t.Fatalf("claim %s: %v %v", key, won, err)
	}

	restartedRun(h)
	if n := repliesUnder(h, ch, parent, key); n != 1 {
		t.Fatalf("the check-in is %d times in the day's thread, want once\n%s", n, h.Logs)
	}
	if j, err := h.DB.Job(ctx, key); err != nil || j.State != pulse.JobSent {
		t.Fatalf("entry job %+v, %v: want sent", j, err)
	}
}

// A check-in that raises a blocker, saved with the managers' alerts in the
// outbox, the process killed before it sent them (one claimed by the dead
// run): the next run tells each manager once, with the blocker as it
// stands now (taken meanwhile by the second manager), and later passes
// send nothing more.
func TestBlockerAlertSavedButNotSentIsSentOnceAfterARestart(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	nordic, _ := seedCheckIn(h)
	day := pulse.DateOf(h.Clock.Now().In(nordic.Location()))
	c := &pulse.CheckIn{TeamID: nordic.ID, UserID: ciRep1, Date: day, Status: pulse.CheckInOnTime, Results: "Two demos", Plan: "Call the Bergen leads",
		Blocker: "The CRM is down", Energy: 3, Metrics: map[string]float64{}, SubmittedAt: h.Clock.Now(), UpdatedAt: h.Clock.Now()}
	raised := &pulse.Blocker{TeamID: nordic.ID, UserID: ciRep1, Date: day, Text: c.Blocker, RaisedAt: h.Clock.Now()}
	alerts, err := pulse.NewBlockerEffects(nordic, raised)
	if err != nil || len(alerts) != 2 {
		t.Fatalf("alerts %+v, %v; want one to each manager", alerts, err)
	}
	saved := pulse.WithEffects(ctx, alerts...)
	if err := h.DB.SaveCheckInRaising(saved, c, raised); err != nil {
		t.Fatal(err)
	}
	keys := map[string]pulse.JobKey{}
	for _, e := range pulse.EffectsOf(saved).Stored() {
		keys[e.To] = e.Key
	}
	if _, won, err := h.DB.Claim(ctx, keys[ciMgr1], "run-dead", h.Clock.Now()); err != nil || !won {
		t.Fatalf("claim %s: %v %v", keys[ciMgr1], won, err)
	}
	if _, err := h.DB.UpdateBlocker(ctx, raised.ID, func(b *pulse.Blocker) error {
		b.Status, b.TakenBy, b.TakenAt = pulse.BlockerOnIt, ciMgr2, h.Clock.Now()
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	restartedRun(h)
	for _, mgr := range []string{ciMgr1, ciMgr2} {
		var got []slacktest.Message
		for _, m := range h.Slack.Messages(mgr) {
			if jobOf(m) == keys[mgr].String() {
				got = append(got, m)
			}
		}
		if len(got) != 1 {
			t.Fatalf("%s was told %d times, want once\n%s", mgr, len(got), h.Logs)
		}
		text := blocksText(got[0].Blocks)
		if !strings.Contains(text, "<@"+ciRep1+">") || !strings.Contains(text, "The CRM is down") || !strings.Contains(text, "<@"+ciMgr2+">") ||
			!strings.Contains(text, bot.ActionBlockerResolved) || strings.Contains(text, bot.ActionBlockerOnIt) {
			t.Errorf("%s's alert does not show the blocker as taken by %s:\n%s", mgr, ciMgr2, text)
		}
		if j, err := h.DB.Job(ctx, keys[mgr]); err != nil || j.State != pulse.JobSent {
			t.Errorf("alert job of %s %+v, %v: want sent", mgr, j, err)
		}
	}
	if pending, err := h.DB.PendingEffects(ctx); err != nil || len(pending) != 0 {
		t.Fatalf("pending effects %+v, %v; want none", pending, err)
	}
}
