package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// PostToDailyThread posts m (mrkdwn, escaped by the caller) as a reply
// under the day's thread in the team channel, and returns the reply's ts
// and its conversation.
// The thread's parent is the daily-thread job's message, found in the job
// ledger; until the engine has sent it, the answer is an ENOTFOUND error,
// and the caller decides whether to post elsewhere or not at all.
func (b *Bot) PostToDailyThread(ctx context.Context, team *pulse.Team, day pulse.Date, m Message, opts ...slack.MsgOption) (string, error) {
	key := pulse.DailyThreadKey(team.ID, day)
	j, err := b.store.Job(ctx, key)
	switch {
	case err != nil && !pulse.IsNotFound(err):
		return "", fmt.Errorf("daily thread of %s on %s: %w", team.ID, day, err)
	case err != nil || j.State != pulse.JobSent || j.TS == "":
		return "", pulse.Errorf(pulse.ENOTFOUND, "err.not_found", nil, "daily thread of %s on %s is not open", team.ID, day)
	}
	channel := j.Channel
	if channel == "" {
		channel = team.Channel
	}
	_, ts, err := b.api.PostMessageContext(ctx, channel, append(append(msgOptions(m), slack.MsgOptionTS(j.TS)), opts...)...)
	if err != nil {
		return "", fmt.Errorf("reply in the daily thread of %s on %s: %w", team.ID, day, wrapAPI("chat.postMessage", err))
	}
	return ts, nil
}
