package bot

import (
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// renderCheckIn asks a rep for the day's check-in: a greeting for their
// time of day, their goal, yesterday's plan, their streak, and the buttons
// the check-in handlers answer. rep is what Pulse knows of the rep (nil
// when nothing), now the time of sending.
func renderCheckIn(t voice, n pulse.Notice, p pulse.CheckInNotice, rep *pulse.Person, now time.Time) outgoing {
	name := greetName(rep, p.Rep)
	greeting := greetingKey(now.In(zoneIn(rep, n.Team)))
	blocks := []slack.Block{mrkdwnSection(t.T(greeting, map[string]any{"Name": name}))}
	if p.Goal != "" {
		blocks = append(blocks, contextBlock(t.T("notices.goal", map[string]any{"Goal": listText(p.Goal)})))
	}
	if p.PrevPlan != "" {
		blocks = append(blocks, mrkdwnSection(t.T("notices.prev_plan", map[string]any{"Date": t.date(p.PrevDate)})+"\n"+quoteText(p.PrevPlan, maxQuoteChars)))
	}
	streak := t.T("notices.streak_none", nil)
	if p.Streak > 0 {
		streak = t.Plural("notices.streak", p.Streak, map[string]any{"Count": t.count(p.Streak)})
	}
	if p.Pace != nil {
		streak += "\n" + paceLine(t, n.Team, *p.Pace)
	}
	blocks = append(blocks, contextBlock(streak), checkInButtons(t, n.Team.ID, p.Date))
	return outgoing{text: t.T("notices.checkin_text", map[string]any{"Date": t.date(p.Date)}), blocks: blocks}
}

// checkInButtons are Check in and I'm away today, for the team and day.
func checkInButtons(t voice, teamID string, day pulse.Date) *slack.ActionBlock {
	value := packValue(teamID, day.String())
	return slack.NewActionBlock("",
		noticeButton(ActionCheckIn, value, t.plainText(limit("notices.button_checkin", maxButtonText)), slack.StylePrimary),
		noticeButton(ActionAwayToday, value, t.plainText(limit("notices.button_away", maxButtonText)), slack.StyleDefault),
	)
}

// greetingKey picks good morning, afternoon or evening by the rep's own
// clock: local is now in the rep's zone.
func greetingKey(local time.Time) string {
	switch h := local.Hour(); {
	case h >= 4 && h < 12:
		return "notices.greeting_morning"
	case h >= 12 && h < 18:
		return "notices.greeting_afternoon"
	}
	return "notices.greeting_evening"
}

// renderReminder nudges a rep whose check-in is still open, with the same
// buttons, as a reply under the check-in when Slack gave it a ts. The
// reply is also shown in the conversation: Delivered reads the
// conversation's history, which holds no other thread replies.
func (b *Bot) renderReminder(n pulse.Notice, p pulse.ReminderNotice) outgoing {
	t := b.voice(n.Lang)
	text := t.T("notices.reminder", map[string]any{"Date": t.date(p.Date)})
	out := outgoing{text: text, blocks: []slack.Block{mrkdwnSection(text), checkInButtons(t, n.Team.ID, p.Date)}}
	if p.CheckIn.TS != "" {
		out.channel, out.threadTS, out.broadcast = p.CheckIn.Channel, p.CheckIn.TS, true
	}
	return out
}

// renderDailyThread opens the day's thread in the team channel.
func (b *Bot) renderDailyThread(n pulse.Notice, p pulse.DailyThreadNotice) outgoing {
	t := b.voice(n.Lang)
	date := t.date(p.Date)
	text := t.Plural("notices.thread_parent", len(p.Reps), map[string]any{"Date": date, "Count": t.count(len(p.Reps))})
	return outgoing{text: t.T("notices.thread_text", map[string]any{"Date": date}), blocks: []slack.Block{mrkdwnSection(text)}}
}
