package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// threadEffect names the check-in an effect shares in its team's daily
// thread: the rep's of the day.
type threadEffect struct {
	Rep string `json:"rep"`
	Day string `json:"day"`
}

// newThreadEffect is the effect of sharing c in team's daily thread, for a
// team that shares check-ins there, else false.
func newThreadEffect(team *pulse.Team, c *pulse.CheckIn) (pulse.Effect, bool, error) {
	if !team.DailyThread || team.Channel == "" {
		return pulse.Effect{}, false, nil
	}
	body, err := json.Marshal(threadEffect{Rep: c.UserID, Day: c.Date.String()})
	if err != nil {
		return pulse.Effect{}, false, fmt.Errorf("encode the thread entry of %s: %w", c.UserID, err)
	}
	return pulse.Effect{Kind: pulse.EffectThread, TeamID: team.ID, To: team.Channel, Body: body}, true, nil
}

// sendThreadEffect takes a saved check-in to the team's daily thread, as
// one reply (an edit rewrites that reply). Until the day's thread is open
// the effect waits; a day that ended without it gives up.
func (b *Bot) sendThreadEffect(ctx context.Context, e pulse.Effect) (bool, error) {
	var te threadEffect
	if err := json.Unmarshal(e.Body, &te); err != nil {
		b.log.Warn("thread entry effect unreadable; given up", "effect", e.Key.String(), "err", err)
		return true, nil
	}
	day, err := pulse.ParseDate(te.Day)
	if err != nil {
		b.log.Warn("thread entry effect unreadable; given up", "effect", e.Key.String(), "err", err)
		return true, nil
	}
	team, err := b.store.Team(ctx, e.TeamID)
	if pulse.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if !team.DailyThread || team.Channel == "" {
		return true, nil
	}
	c, err := b.store.CheckIn(ctx, team.ID, te.Rep, day)
	if pulse.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	parent, open := b.sentMessage(ctx, pulse.DailyThreadKey(team.ID, day))
	if !open {
		today := pulse.DateOf(b.clock.Now().In(team.Location()))
		return day.Before(today), nil
	}
	key := pulse.ThreadEntryKey(team.ID, c.UserID, c.Date)
	m := threadEntry(b.voice(team.Lang), team, c)
	job, send, err := b.claimDelivery(ctx, key, team.Channel, true)
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", key, err)
	}
	if !send {
		if job.State == pulse.JobSent && job.TS != "" {
			// Posted already: the reply shows the check-in as it stands.
			return true, b.updateOrigin(ctx, nil, job.Channel, job.TS, m)
		}
		return finished(job), nil
	}
	pctx, cancel := b.postWindow(ctx, job)
	ts, err := b.PostToDailyThread(pctx, team, c.Date, m, slack.MsgOptionMetadata(jobMetadata(key)))
	cancel()
	switch {
	case undeliverable(err):
		b.log.Warn("thread entry cannot be posted; given up", "job", key.String(), "err", err)
		return true, b.store.MarkSkipped(ctx, key, b.clock.Now())
	case err != nil:
		return false, err // left claimed: the history tells once it is stale
	}
	return true, b.store.MarkSent(ctx, key, parent.Channel, ts, b.clock.Now())
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
