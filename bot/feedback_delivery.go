package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// Feedback and its replies are saved before the ack with an outbox effect
// (pulse.FeedbackEffect) in the same transaction, and delivered after it by
// whichever replica sends the outbox. Each delivery is a job of the ledger
// (pulse.FeedbackKey), claimed before it is posted and posted with the
// job's metadata, and the record carries its delivered mark (the
// feedback's TS, each reply's TS). A claim a stopped run left is settled
// by the outbox's sender, which asks Delivered whether Slack holds the
// message once the claim is stale.

// sendFeedbackEffect delivers what the effect names; it is done once every
// part is delivered or can never be.
func (b *Bot) sendFeedbackEffect(ctx context.Context, e pulse.Effect) (bool, error) {
	var fe pulse.FeedbackEffect
	if err := json.Unmarshal(e.Body, &fe); err != nil {
		b.log.Warn("feedback effect unreadable; given up", "effect", e.Key.String(), "err", err)
		return true, nil
	}
	team, err := b.store.Team(ctx, e.TeamID)
	if pulse.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	var given []pulse.Feedback
	if fe.ID != "" {
		f, err := b.store.Feedback(ctx, fe.ID)
		if pulse.IsNotFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		given = append(given, *f)
	} else {
		all, err := b.store.TeamFeedback(ctx, team.ID, fe.At, fe.At.Add(time.Millisecond))
		if err != nil {
			return false, fmt.Errorf("feedback of %s at %s: %w", team.ID, fe.At, err)
		}
		for _, f := range all {
			if f.From == fe.From && f.RepID == fe.Rep && f.At.Equal(fe.At) {
				given = append(given, f)
			}
		}
	}
	all := true
	for i := range given {
		done, err := b.deliverFeedback(ctx, team, &given[i])
		if err != nil {
			return false, err
		}
		all = all && done
	}
	return all, nil
}

// deliverFeedback delivers the feedback to the rep, then each reply to
// the side that did not write it, each once; what is delivered is not
// sent again. f is updated with the delivered marks. done is false while
// a part waits for another sender.
func (b *Bot) deliverFeedback(ctx context.Context, team *pulse.Team, f *pulse.Feedback) (bool, error) {
	for n := 0; n <= len(f.Replies); n++ {
		if feedbackDelivered(f, n) {
			continue
		}
		done, err := b.deliverFeedbackPart(ctx, team, f, n)
		if err != nil || !done {
			return false, err
		}
		if f.TS == "" {
			return true, nil // never delivered: its replies have no thread to follow
		}
	}
	return true, nil
}

// deliverFeedbackPart delivers the feedback (n = 0) or its nth reply, or
// finds it delivered or undeliverable (done), or leaves it to the live
// sender that holds it.
func (b *Bot) deliverFeedbackPart(ctx context.Context, team *pulse.Team, f *pulse.Feedback, n int) (bool, error) {
	to, channel, thread := b.feedbackPlace(ctx, team, f, n)
	key := pulse.FeedbackKey(team.ID, to, f.ID, n)
	job, send, err := b.claimDelivery(ctx, key, channel, true)
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", key, err)
	}
	if !send {
		if job.State == pulse.JobSent {
			return true, b.markFeedback(ctx, f, n, job.Channel, job.TS, thread)
		}
		return finished(job), nil
	}
	from, text := f.From, f.Text
	if n > 0 {
		from, text = f.Replies[n-1].From, f.Replies[n-1].Text
	}
	pctx, cancel := b.postWindow(ctx, job)
	m := feedbackMessage(b.voice(langFor(b.personOf(pctx, to), team)), f, from, f.Kind, text, n == 0)
	ch, ts, err := b.postIn(pctx, channel, thread, m, slack.MsgOptionMetadata(jobMetadata(key)))
	cancel()
	if err != nil {
		err = deliveryError("chat.postMessage", key, err)
		if undeliverable(err) {
			b.log.Warn("feedback cannot be delivered; given up", "job", key.String(), "err", err)
			return true, b.store.MarkSkipped(ctx, key, b.clock.Now())
		}
		// Left claimed: Slack may have taken the post, which the history
		// tells once the claim is stale.
		return false, err
	}
	if err := b.store.MarkSent(ctx, key, ch, ts, b.clock.Now()); err != nil {
		return false, fmt.Errorf("mark %s sent: %w", key, err)
	}
	return true, b.markFeedback(ctx, f, n, ch, ts, thread)
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
