package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// What follows a saved check-in, after the ack.

// afterCheckIn is what follows a saved check-in once it is acked: the
// day's check-in DM and reminder turned into the answer, the digests
// already sent rewritten, and what the check-in's write put in the outbox
// (made with saved): the managers' alert of a blocker raised, the share in
// the team's thread and the App Homes.
func (b *Bot) afterCheckIn(ctx context.Context, r *Request, team *pulse.Team, c *pulse.CheckIn, saved context.Context) {
	if sent := b.checkInMessages(ctx, team.ID, c.UserID, c.Date); len(sent) > 0 {
		m := checkedInMessage(r, team, c, b.repStreak(ctx, team, c.UserID, r.Person, c.Date))
		for _, d := range sent {
			if err := b.updateOrigin(ctx, nil, d.Channel, d.TS, m); err != nil {
				b.log.Warn("update check-in message", "user", c.UserID, "err", err)
			}
		}
	}
	b.refreshDigests(ctx, team, c.Date)
	if err := b.sendSaved(ctx, saved); err != nil {
		// Pending in the outbox, which every replica sends again.
		b.log.Warn("send what follows a check-in", "team", team.ID, "user", c.UserID, "err", err)
	}
}

// checkInMessages returns where the day's check-in DM and its reminder
// went: the messages a check-in updates, whichever button or command
// opened its modal.
func (b *Bot) checkInMessages(ctx context.Context, team, rep string, day pulse.Date) []pulse.Delivery {
	var out []pulse.Delivery
	for _, key := range []pulse.JobKey{pulse.CheckInKey(team, rep, day), pulse.ReminderKey(team, rep, day)} {
		if d, ok := b.sentMessage(ctx, key); ok {
			out = append(out, d)
		}
	}
	return out
}

// checkedInMessage is what the check-in DM becomes once answered: when,
// in the rep's zone, the streak, and a button to edit today's answer.
func checkedInMessage(r *Request, team *pulse.Team, c *pulse.CheckIn, streak int) Message {
	text := r.T("checkin.done", map[string]any{
		"Time":   r.clock(c.SubmittedAt, zoneIn(r.Person, team)),
		"Streak": streak,
	})
	edit := slack.NewButtonBlockElement(ActionCheckIn, packValue(team.ID, c.Date.String()), plainText(r.T(limit("checkin.edit", maxButtonText), nil)))
	return Message{Text: text, Blocks: []slack.Block{
		mrkdwnSection(mrkdwnEscape(text)),
		slack.NewActionBlock("checkin_done", edit),
	}}
}

// repStreak counts the rep's run of workdays checked in up to day, over
// the past year of check-ins.
func (b *Bot) repStreak(ctx context.Context, team *pulse.Team, rep string, p *pulse.Person, day pulse.Date) int {
	cs, err := b.store.RepCheckIns(ctx, rep, day.AddDays(-366), day)
	if err != nil {
		b.log.Warn("load check-ins for the streak", "user", rep, "err", err)
		return 0
	}
	away, err := b.store.AwayPeriods(ctx, rep)
	if err != nil {
		b.log.Warn("load away periods", "user", rep, "err", err)
	}
	return pulse.Streak(team, rep, team.HolidayPlaceOf(p), cs, away, day)
}
