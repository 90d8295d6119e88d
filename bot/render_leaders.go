package bot

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// medals mark the first three places of a leaderboard.
var medals = [...]string{"🥇", "🥈", "🥉"}

// leaderBlocks are the weekly summary's team attainment this month and,
// per metric, the week's top three and who improved most. In the channel
// only the front is named.
func leaderBlocks(t voice, team *pulse.Team, p pulse.SummaryNotice) []slack.Block {
	var blocks []slack.Block
	if len(p.Attainment) > 0 {
		lines := []string{t.T("plan.summary_attainment_heading", nil)}
		for _, a := range p.Attainment {
			m, _ := team.Metric(a.Key)
			lines = append(lines, t.T("plan.summary_attainment", map[string]any{
				"Name": listText(m.Name), "Done": t.number(a.Done, 0), "Target": t.number(a.Target, 0),
				"Percent": t.percent(a.Done / a.Target), "Elapsed": t.percent(a.Elapsed),
			}))
		}
		blocks = append(blocks, packLines(t, lines, 1)...)
	}
	var lines []string
	for _, l := range p.Leaders {
		if len(l.Top) == 0 {
			continue
		}
		m, _ := team.Metric(l.Key)
		names := make([]string, 0, len(l.Top))
		for i, s := range l.Top {
			if i == statusMaxMentions {
				names = append(names, t.Plural("status.and_more", len(l.Top)-i, nil))
				break
			}
			names = append(names, medals[min(s.Rank, len(medals))-1]+" "+mention(s.Rep)+" "+t.number(s.Score, 0))
		}
		line := listText(m.Name) + ": " + strings.Join(names, " · ")
		if len(l.Improved) > 0 && l.Improved[0].Score > 0 {
			reps := make([]string, 0, len(l.Improved))
			for _, s := range l.Improved {
				reps = append(reps, s.Rep)
			}
			line += "\n" + t.T("plan.summary_improved", map[string]any{"Reps": mentionList(t, reps, 5), "Gain": t.number(l.Improved[0].Score, 0)})
		}
		lines = append(lines, line)
	}
	if len(lines) > 0 {
		blocks = append(blocks, packLines(t, append([]string{t.T("plan.summary_leaders_heading", nil)}, lines...), 2)...)
	}
	return blocks
}
