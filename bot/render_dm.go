package bot

import (
	"strconv"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// renderNudge asks a training attendee how they applied the skill, with
// Applied it (which opens the report modal) and Not yet. The buttons name
// the training, the day and the rep, so that only that rep can answer.
func (b *Bot) renderNudge(n pulse.Notice, p pulse.NudgeNotice) outgoing {
	t := b.voice(n.Lang)
	skill := listText(p.Skill)
	value := packValue(p.TrainingID, strconv.Itoa(p.Day), p.Rep)
	return outgoing{
		text: t.T("notices.nudge_text", map[string]any{"Skill": skill}),
		blocks: []slack.Block{
			nudgeQuestion(t, p.Skill, p.TrainingDate),
			slack.NewActionBlock("",
				noticeButton(ActionNudgeApplied, value, t.plainText(limit("notices.button_applied", maxButtonText)), slack.StylePrimary),
				noticeButton(ActionNudgeNotYet, value, t.plainText(limit("notices.button_not_yet", maxButtonText)), slack.StyleDefault),
			),
		},
	}
}

// nudgeQuestion is the nudge's question, also kept when it is answered.
func nudgeQuestion(t voice, skill string, trained pulse.Date) slack.Block {
	return mrkdwnSection(t.T("notices.nudge_question", map[string]any{"Skill": listText(skill), "Date": t.date(trained)}))
}

// renderCoaching tells a manager a rep's 1:1 is due: when the last one
// was (or that there was none), how long ago, the team's cadence, the
// rep's 1:1 agenda (items) and how to log it.
func renderCoaching(t voice, p pulse.CoachingNotice, items []pulse.AgendaItem) outgoing {
	data := map[string]any{"Rep": mention(p.Rep), "Count": t.count(p.DaysSince), "Cadence": t.count(p.Cadence)}
	key := "notices.coaching_never"
	if !p.LastDate.IsZero() {
		key, data["Date"] = "notices.coaching_due", t.date(p.LastDate)
	}
	blocks := []slack.Block{mrkdwnSection(t.Plural(key, p.DaysSince, data))}
	if len(items) > 0 {
		blocks = append(blocks, mrkdwnSection(agendaLines(t, items)))
	}
	return outgoing{text: t.T("notices.coaching_text", nil), blocks: append(blocks, contextBlock(t.T("notices.coaching_hint", nil)))}
}

// renderBlocker follows up a blocker that stayed open: to the rep, that it
// is still open and their manager knows; to a manager, with On it (while
// nobody has taken it) and Resolved, which the blocker handlers answer.
func (b *Bot) renderBlocker(n pulse.Notice, p pulse.BlockerNotice) outgoing {
	t := b.voice(n.Lang)
	bl := p.Blocker
	data := map[string]any{"Rep": mention(bl.UserID), "Date": t.date(bl.Date), "Text": listText(bl.Text), "Count": t.count(p.WorkdaysOpen)}
	if !p.ToManager {
		return outgoing{
			text:   t.T("notices.blocker_text", nil),
			blocks: []slack.Block{mrkdwnSection(t.Plural("notices.blocker_rep", p.WorkdaysOpen, data))},
		}
	}
	blocks := []slack.Block{mrkdwnSection(t.Plural("notices.blocker_manager", p.WorkdaysOpen, data))}
	value := packValue(bl.ID)
	var buttons []slack.BlockElement
	if bl.Status == pulse.BlockerOnIt && bl.TakenBy != "" {
		blocks = append(blocks, contextBlock(t.T("notices.blocker_taken", map[string]any{"Manager": mention(bl.TakenBy)})))
	} else {
		buttons = append(buttons, noticeButton(ActionBlockerOnIt, value, t.plainText(limit("notices.button_on_it", maxButtonText)), slack.StyleDefault))
	}
	buttons = append(buttons, noticeButton(ActionBlockerResolved, value, t.plainText(limit("notices.button_resolved", maxButtonText)), slack.StylePrimary))
	blocks = append(blocks, slack.NewActionBlock("", buttons...))
	return outgoing{text: t.T("notices.blocker_text", nil), blocks: blocks}
}
