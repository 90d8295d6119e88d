package bot

import (
	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// renderContest is a contest's standings in the team channel: the front
// only, with the day's leaders named. After the first day it updates the
// message of the first.
func (b *Bot) renderContest(n pulse.Notice, p pulse.ContestNotice) outgoing {
	t := b.voice(n.Lang)
	blocks := standingsBlocks(t, n.Team, &p.Contest, p.Standings, p.Day, false)
	var leaders []string
	for _, s := range pulse.Front(p.Contest.Kind, p.Standings, 1) {
		leaders = append(leaders, s.Rep)
	}
	text := t.T("contest.standings_title", nil)
	if len(leaders) > 0 {
		line := t.T("contest.leader", map[string]any{"Reps": mentionList(t, leaders, statusMaxMentions)})
		blocks = append(blocks, contextBlock(line))
		text += " · " + line
	}
	out := outgoing{text: clipText(text, maxSectionChars), blocks: capNoticeBlocks(blocks, 1)}
	if p.Message.TS != "" {
		out.channel, out.updateTS = p.Message.Channel, p.Message.TS
	}
	return out
}

// renderContestEnd announces a contest's winners, ties shared, with the prize.
func (b *Bot) renderContestEnd(n pulse.Notice, p pulse.ContestEndNotice) outgoing {
	t := b.voice(n.Lang)
	name := inlineText(p.Contest.Name, pulse.MaxContestNameLen)
	var reps []string
	for _, w := range p.Winners {
		reps = append(reps, w.Rep)
	}
	text := t.T("contest.no_winner", map[string]any{"Name": name})
	if len(reps) > 0 {
		text = t.T("contest.winners", map[string]any{"Name": name, "Reps": mentionList(t, reps, statusMaxMentions)})
		if p.Contest.Prize != "" {
			text += "\n" + t.T("contest.prize", map[string]any{"Prize": inlineText(p.Contest.Prize, pulse.MaxContestPrizeLen)})
		}
	}
	text = clipText(text, maxSectionChars)
	return outgoing{text: text, blocks: []slack.Block{mrkdwnSection(text)}}
}
