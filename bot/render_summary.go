package bot

import (
	"fmt"
	"math"
	"strings"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// summaryStreaks is how many of the longest streaks the summary names.
const summaryStreaks = 5

// renderSummary writes the weekly summary for the team channel: the
// week's participation, energy and its trend, commitments kept, training
// applied, kudos and blockers side by side, the team's numbers against
// their targets, and the longest streaks. Its chart follows in the thread
// (uploadChart); the summary says where to find it.
func (b *Bot) renderSummary(n pulse.Notice, p pulse.SummaryNotice) outgoing {
	t := b.voice(n.Lang)
	s := p.Summary
	rng := t.T("notices.date_range", map[string]any{"From": t.date(s.Week), "To": t.date(s.Through)})

	blocks := []slack.Block{
		headerBlock(t.T(limit("notices.summary_header", maxHeaderText), map[string]any{"Range": rng})),
		fieldsSection(
			summaryParticipation(t, s),
			summaryEnergy(t, s),
			summaryCommitments(t, s),
			summaryTraining(t, s),
			t.Plural("notices.summary_kudos", s.Kudos, map[string]any{"Count": t.count(s.Kudos)}),
			t.T("notices.summary_blockers", map[string]any{"Raised": t.count(s.BlockersRaised), "Resolved": t.count(s.BlockersResolved)}),
		),
	}

	if len(s.Metrics) > 0 {
		lines := []string{t.T("notices.summary_metrics_heading", nil)}
		for _, m := range s.Metrics {
			data := map[string]any{"Name": listText(m.Name), "Total": t.number(m.Total, 1)}
			key := "notices.summary_metric"
			if m.Target > 0 {
				key = "notices.summary_metric_target"
				data["Target"], data["Percent"] = t.number(m.Target, 1), t.percent(m.Total/m.Target)
			}
			line := t.T(key, data)
			if m.Source != pulse.CRMTyped {
				line += " · " + t.T("crm.from", map[string]any{"CRM": m.Source.Title()})
			}
			lines = append(lines, line)
		}
		blocks = append(blocks, packLines(t, lines, 2)...)
	}

	blocks = append(blocks, leaderBlocks(t, n.Team, p)...)
	if len(s.Questions) > 0 {
		lines := []string{t.T("questions.summary_label", nil)}
		for _, q := range s.Questions {
			lines = append(lines, summaryQuestion(t, q))
		}
		blocks = append(blocks, packLines(t, lines, 1)...)
	}

	if len(s.Streaks) > 0 {
		lines := []string{t.T("notices.summary_streaks_heading", nil)}
		for i, st := range s.Streaks {
			if i == summaryStreaks {
				rest := len(s.Streaks) - i
				lines = append(lines, t.Plural("notices.more", rest, map[string]any{"Count": t.count(rest)}))
				break
			}
			lines = append(lines, t.Plural("notices.summary_streak", st.Days, map[string]any{"Rep": mention(st.Rep), "Count": t.count(st.Days)}))
		}
		blocks = append(blocks, packLines(t, lines, 1)...)
	}
	blocks = append(blocks, contextBlock(t.T("notices.summary_chart_ref", nil)))
	return outgoing{text: t.T("notices.summary_text", map[string]any{"Range": rng}), blocks: blocks}
}

// summaryQuestion is one of the team's own questions in the summary: a
// scale's average and trend, a choice's counts, a yes/no's share of yes, a
// text's number of answers.
func summaryQuestion(t voice, q pulse.QuestionSummary) string {
	data := map[string]any{"Question": listText(q.Text), "Count": t.count(q.Answers)}
	switch q.Type {
	case pulse.QuestionScale:
		data["Average"] = t.number(q.Average, 1)
		if math.Round(q.Trend*10) != 0 {
			data["Trend"] = fmt.Sprintf("%+.1f", q.Trend)
		}
		return t.T("questions.summary_scale", data)
	case pulse.QuestionChoice:
		counts := make([]string, 0, len(q.Options))
		for _, o := range q.Options {
			counts = append(counts, listText(o.Option)+" "+t.count(o.Count))
		}
		return "• " + listText(q.Text) + ": " + strings.Join(counts, ", ")
	case pulse.QuestionYesNo:
		data["Share"] = t.percent(q.YesShare)
		return t.T("questions.summary_yes_no", data)
	}
	return t.T("questions.summary_text", data)
}

func summaryParticipation(t voice, s pulse.Summary) string {
	if s.Due == 0 {
		return t.T("notices.summary_participation_none", nil)
	}
	return t.T("notices.summary_participation", map[string]any{
		"Percent": t.percent(s.Participation), "Answered": t.count(s.Answered), "Due": t.count(s.Due),
	})
}

func summaryEnergy(t voice, s pulse.Summary) string {
	if s.Energy == 0 {
		return t.T("notices.summary_energy_none", nil)
	}
	data := map[string]any{"Value": t.number(s.Energy, 1), "Delta": t.number(math.Abs(s.EnergyTrend), 1)}
	switch {
	case math.Round(s.EnergyTrend*10) > 0:
		return t.T("notices.summary_energy_up", data)
	case math.Round(s.EnergyTrend*10) < 0:
		return t.T("notices.summary_energy_down", data)
	}
	return t.T("notices.summary_energy", data)
}

func summaryCommitments(t voice, s pulse.Summary) string {
	if s.Reviewed == 0 {
		return t.T("notices.summary_commitments_none", nil)
	}
	return t.Plural("notices.summary_commitments", s.Reviewed, map[string]any{"Percent": t.percent(s.CommitmentsKept), "Count": t.count(s.Reviewed)})
}

func summaryTraining(t voice, s pulse.Summary) string {
	if s.NudgesSent == 0 {
		return t.T("notices.summary_training_none", nil)
	}
	return t.Plural("notices.summary_training", s.NudgesSent, map[string]any{
		"Percent": t.percent(s.Implementation), "Applied": t.count(s.NudgesApplied), "Count": t.count(s.NudgesSent),
	})
}
