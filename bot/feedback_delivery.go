package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// Feedback and its replies are saved before the ack and delivered after
// it. Each delivery is a job of the ledger (pulse.FeedbackKey), claimed
// before it is posted and posted with the job's metadata, and the record
// carries its delivered mark (the feedback's TS, each reply's TS). Whatever
// a stopped process left undone, Sweep finishes: a claim it left is
// settled by the cadence engine's recovery, which asks Delivered whether
// Slack holds the message, and what is unclaimed or released is posted.

// sweepSpan is how far back Sweep looks for undelivered feedback: past a
// week, a feedback on a check-in says nothing any more.
const sweepSpan = 7 * 24 * time.Hour

// Sweep delivers what was saved but not delivered: feedback and replies
// of the last week, and today's check-ins of teams that share them in the
// daily thread. The cadence engine calls it at every tick, after settling
// the jobs a stopped run left claimed.
func (b *Bot) Sweep(ctx context.Context) error {
	teams, err := b.store.Teams(ctx)
	if err != nil {
		return fmt.Errorf("sweep: teams: %w", err)
	}
	now := b.clock.Now()
	var errs []error
	for _, team := range teams {
		given, err := b.store.TeamFeedback(ctx, team.ID, now.Add(-sweepSpan), time.Time{})
		if err != nil {
			errs = append(errs, fmt.Errorf("sweep feedback of %s: %w", team.ID, err))
			continue
		}
		for i := range given {
			if f := &given[i]; f.Undelivered() {
				if err := b.deliverFeedback(ctx, team, f); err != nil {
					errs = append(errs, fmt.Errorf("sweep: %w", err))
				}
			}
		}
		if err := b.sweepDailyThread(ctx, team, now); err != nil {
			errs = append(errs, fmt.Errorf("sweep the daily thread of %s: %w", team.ID, err))
		}
	}
	return errors.Join(errs...)
}

// deliverFeedback delivers the feedback to the rep, then each reply to
// the side that did not write it, each once; what is delivered is not
// sent again. f is updated with the delivered marks.
func (b *Bot) deliverFeedback(ctx context.Context, team *pulse.Team, f *pulse.Feedback) error {
	for n := 0; n <= len(f.Replies); n++ {
		if err := b.deliverFeedbackPart(ctx, team, f, n); err != nil {
			return err
		}
		if f.TS == "" {
			return nil // replies follow the feedback into its thread
		}
	}
	return nil
}

// deliverFeedbackPart delivers the feedback (n = 0) or its nth reply.
func (b *Bot) deliverFeedbackPart(ctx context.Context, team *pulse.Team, f *pulse.Feedback, n int) error {
	if feedbackDelivered(f, n) {
		return nil
	}
	to, channel, thread := b.feedbackPlace(ctx, team, f, n)
	key := pulse.FeedbackKey(team.ID, to, f.ID, n)
	job, won, err := b.store.Claim(ctx, key, b.owner(), b.clock.Now())
	if err != nil {
		return fmt.Errorf("claim %s: %w", key, err)
	}
	if !won {
		if job.State == pulse.JobSent {
			return b.markFeedback(ctx, f, n, job.Channel, job.TS, thread)
		}
		// Another sender holds it, or it can never be delivered; a claim a
		// stopped run left is settled by the engine's recovery.
		return nil
	}
	from, text := f.From, f.Text
	if n > 0 {
		from, text = f.Replies[n-1].From, f.Replies[n-1].Text
	}
	m := feedbackMessage(b.voice(langFor(b.personOf(ctx, to), team)), f, from, f.Kind, text, n == 0)
	ch, ts, err := b.postIn(ctx, channel, thread, m, slack.MsgOptionMetadata(jobMetadata(key)))
	if err != nil {
		err = deliveryError("chat.postMessage", key, err)
		if undeliverable(err) {
			return errors.Join(err, b.store.MarkSkipped(ctx, key, b.clock.Now()))
		}
		return errors.Join(err, b.store.Release(ctx, key))
	}
	if err := b.store.MarkSent(ctx, key, ch, ts, b.clock.Now()); err != nil {
		return fmt.Errorf("mark %s sent: %w", key, err)
	}
	return b.markFeedback(ctx, f, n, ch, ts, thread)
}

// undeliverable reports whether Slack's answer means no retry can deliver.
func undeliverable(err error) bool {
	switch pulse.ErrorCode(err) {
	case pulse.EINVALID, pulse.ENOTFOUND, pulse.EFORBIDDEN:
		return true
	}
	return false
}

func feedbackDelivered(f *pulse.Feedback, n int) bool {
	if n == 0 {
		return f.TS != ""
	}
	return n > len(f.Replies) || f.Replies[n-1].TS != ""
}

// feedbackPlace returns the reader of the feedback's delivery n, and where
// it goes: the conversation (a user ID for a DM) and the thread ("" for a
// message of its own). The feedback goes to the thread of the rep's
// check-in DM of its day, else to their DM; a leader's reply to the
// feedback's thread; the rep's reply to the thread its leader first read
// a reply in, else their digest of the day, else their DM.
func (b *Bot) feedbackPlace(ctx context.Context, team *pulse.Team, f *pulse.Feedback, n int) (to, channel, thread string) {
	if n == 0 {
		if d, ok := b.sentMessage(ctx, pulse.CheckInKey(team.ID, f.RepID, f.Date)); ok {
			return f.RepID, d.Channel, d.TS
		}
		return f.RepID, f.RepID, ""
	}
	if f.Replies[n-1].From == f.From {
		return f.RepID, f.Channel, f.TS
	}
	if f.LeaderTS != "" {
		return f.From, f.LeaderChannel, f.LeaderTS
	}
	if d, ok := b.sentMessage(ctx, pulse.DigestKey(team.ID, f.From, f.Date)); ok {
		return f.From, d.Channel, d.TS
	}
	return f.From, f.From, ""
}

// markFeedback records delivery n of f as delivered at channel and ts
// (in thread, when it went to one), in the store and in f.
func (b *Bot) markFeedback(ctx context.Context, f *pulse.Feedback, n int, channel, ts, thread string) error {
	if thread == "" {
		thread = ts
	}
	updated, err := b.store.UpdateFeedback(ctx, f.ID, func(s *pulse.Feedback) error {
		if n == 0 {
			s.Channel, s.TS = channel, thread
			return nil
		}
		if n > len(s.Replies) {
			return fmt.Errorf("feedback %s has no reply %d", s.ID, n)
		}
		s.Replies[n-1].TS = ts
		if s.Replies[n-1].From != s.From && s.LeaderTS == "" {
			s.LeaderChannel, s.LeaderTS = channel, thread
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record where feedback %s went: %w", f.ID, err)
	}
	*f = *updated
	return nil
}

// threadOf returns, for a job whose message is a reply in a thread, the
// conversation and the thread it went to; thread is "" for other jobs
// and for a feedback delivery that went to a DM of its own. Delivered asks
// it: conversations.history does not hold thread replies.
func (b *Bot) threadOf(ctx context.Context, key pulse.JobKey) (channel, thread string, err error) {
	switch key.Kind {
	case pulse.JobDailyThread:
		day, _, entry := strings.Cut(key.Occurrence, "+")
		if !entry {
			return "", "", nil
		}
		d, err := pulse.ParseDate(day)
		if err != nil {
			return "", "", nil
		}
		parent, ok := b.sentMessage(ctx, pulse.DailyThreadKey(key.TeamID, d))
		if !ok {
			return "", "", nil
		}
		return parent.Channel, parent.TS, nil
	case pulse.JobFeedback:
		id, n, ok := pulse.ParseFeedbackOccurrence(key.Occurrence)
		if !ok {
			return "", "", nil
		}
		f, err := b.store.Feedback(ctx, id)
		if pulse.IsNotFound(err) {
			return "", "", nil
		}
		if err != nil {
			return "", "", err
		}
		team, err := b.store.Team(ctx, f.TeamID)
		if err != nil {
			return "", "", err
		}
		if n > len(f.Replies) {
			return "", "", nil
		}
		_, channel, thread := b.feedbackPlace(ctx, team, f, n)
		return channel, thread, nil
	}
	return "", "", nil
}

// deliveredInThread reports whether the thread holds a reply whose
// metadata names the job key.
func (b *Bot) deliveredInThread(ctx context.Context, key pulse.JobKey, channel, thread string) (pulse.Delivery, bool, error) {
	channel, err := b.conversationOf(ctx, channel)
	if err != nil {
		return pulse.Delivery{}, false, deliveryError("conversations.open", key, err)
	}
	want := key.String()
	params := &slack.GetConversationRepliesParameters{ChannelID: channel, Timestamp: thread, Limit: historyPage, IncludeAllMetadata: true}
	for range historyPages {
		msgs, more, next, err := b.api.GetConversationRepliesContext(ctx, params)
		if err != nil {
			return pulse.Delivery{}, false, deliveryError("conversations.replies", key, err)
		}
		for _, m := range msgs {
			if m.Metadata.EventType == pulse.MetadataEventType && m.Metadata.EventPayload[pulse.MetadataJobField] == want {
				return pulse.Delivery{Channel: channel, TS: m.Timestamp}, true, nil
			}
		}
		if !more || next == "" {
			return pulse.Delivery{}, false, nil
		}
		params.Cursor = next
	}
	return pulse.Delivery{}, false, nil
}
