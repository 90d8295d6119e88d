package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
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
