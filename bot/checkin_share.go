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

// ownerBot is the job ledger's owner of what the bot posts on a person's
// action, rather than on the engine's schedule, when Config.Owner is unset.
const ownerBot = "bot"

// owner returns whom the job ledger names for the bot's own posts.
func (b *Bot) owner() string {
	if b.cfg.Owner != "" {
		return b.cfg.Owner
	}
	return ownerBot
}

// shareCheckIn takes a saved check-in where the team's leaders read it:
// the digests already sent that day are rewritten to hold it, and a team
// that shares check-ins gets it as a reply in the day's thread, once (an
// edit rewrites that reply).
func (b *Bot) shareCheckIn(ctx context.Context, team *pulse.Team, c *pulse.CheckIn) {
	b.refreshDigests(ctx, team, c.Date)
	if !team.DailyThread || team.Channel == "" {
		return
	}
	if err := b.shareInDailyThread(ctx, team, c); err != nil {
		b.log.Warn("share a check-in in the daily thread", "team", team.ID, "user", c.UserID, "err", err)
	}
}

func (b *Bot) shareInDailyThread(ctx context.Context, team *pulse.Team, c *pulse.CheckIn) error {
	key := pulse.ThreadEntryKey(team.ID, c.UserID, c.Date)
	m := threadEntry(b.voice(team.Lang), team, c)
	now := b.clock.Now()
	job, won, err := b.store.Claim(ctx, key, b.owner(), now)
	if err != nil {
		return fmt.Errorf("claim %s: %w", key, err)
	}
	if !won {
		if job.State == pulse.JobSent && job.TS != "" {
			return b.updateOrigin(ctx, nil, job.Channel, job.TS, m)
		}
		return nil // another request is posting it
	}
	ts, err := b.PostToDailyThread(ctx, team, c.Date, m, slack.MsgOptionMetadata(jobMetadata(key)))
	if err != nil {
		if rerr := b.store.Release(ctx, key); rerr != nil {
			b.log.Warn("release a daily thread entry", "job", key.String(), "err", rerr)
		}
		if pulse.IsNotFound(err) {
			return nil // the day's thread is not open: nothing to reply under
		}
		return err
	}
	channel := team.Channel
	if j, err := b.store.Job(ctx, pulse.DailyThreadKey(team.ID, c.Date)); err == nil && j.Channel != "" {
		channel = j.Channel
	}
	return b.store.MarkSent(ctx, key, channel, ts, b.clock.Now())
}

// sweepDailyThread posts in the day's thread each of today's check-ins
// that is not there yet: one saved while the thread was not open, or whose
// post a stopped process left undone (its claim released by the engine's
// recovery). Each is claimed as shareInDailyThread does, so once.
func (b *Bot) sweepDailyThread(ctx context.Context, team *pulse.Team, now time.Time) error {
	if !team.DailyThread || team.Channel == "" {
		return nil
	}
	today := pulse.DateOf(now.In(team.Location()))
	if _, open := b.sentMessage(ctx, pulse.DailyThreadKey(team.ID, today)); !open {
		return nil
	}
	checkIns, err := b.store.TeamCheckIns(ctx, team.ID, today, today)
	if err != nil {
		return fmt.Errorf("check-ins of %s: %w", today, err)
	}
	var errs []error
	for i := range checkIns {
		c := &checkIns[i]
		j, err := b.store.Job(ctx, pulse.ThreadEntryKey(team.ID, c.UserID, c.Date))
		switch {
		case err != nil && !pulse.IsNotFound(err):
			errs = append(errs, err)
			continue
		case err == nil && j.State != pulse.JobReleased:
			continue // posted, or being posted, or settled by recovery
		}
		if err := b.shareInDailyThread(ctx, team, c); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// threadEntry is a check-in as the team's channel reads it, in the team's
// language, with the leaders' buttons (the handlers refuse anyone else).
func threadEntry(p voice, team *pulse.Team, c *pulse.CheckIn) Message {
	text := strings.Join(checkInLines(p, c), "\n")
	value := packValue(team.ID, c.UserID, c.Date.String())
	return Message{Text: text, Blocks: []slack.Block{
		mrkdwnSection(text),
		slack.NewActionBlock("thread_"+c.UserID,
			slack.NewButtonBlockElement(ActionGiveFeedback, value, plainText(p.T(limit("leader.button_feedback", maxButtonText), nil))),
			slack.NewButtonBlockElement(ActionFeedbackAck, value, plainText(p.T(limit("leader.button_ack", maxButtonText), nil))),
		),
	}}
}

// checkInLines is a check-in as its leaders read it, in the digest and in
// the daily thread: who, energy and status, then each answer on a line,
// the team's own questions' last (each under the question as asked).
func checkInLines(p voice, c *pulse.CheckIn) []string {
	lines := []string{p.T("leader.entry_head", map[string]any{"Rep": mention(c.UserID), "Energy": c.Energy, "Status": p.T("leader.status_"+string(c.Status), nil)})}
	for _, f := range []struct{ key, text string }{
		{"leader.entry_results", c.Results}, {"leader.entry_plan", c.Plan}, {"leader.entry_blocker", c.Blocker}, {"leader.entry_skill", c.Skill},
	} {
		if f.text != "" {
			lines = append(lines, p.T(f.key, map[string]any{"Text": listText(f.text)}))
		}
	}
	for _, a := range c.Answers {
		lines = append(lines, answerLine(p, a))
	}
	return lines
}
