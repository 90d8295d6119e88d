package bot

import (
	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// resultsLabelKey and planLabelKey word the check-in's two texts for the
// team's mode: an evening check-in gives today's results and tomorrow's
// plan, a morning one yesterday's and today's; with both, the morning's
// plan is today's and the results are filled in at the end of the day.
func resultsLabelKey(team *pulse.Team) string {
	if team.Mode() == pulse.CheckInMorning {
		return "checkin.results"
	}
	return "checkin_mode.results_today"
}

func planLabelKey(team *pulse.Team) string {
	if team.Mode() == pulse.CheckInEvening {
		return "checkin_mode.plan_tomorrow"
	}
	return "checkin.plan"
}

// renderEvening asks a rep of a team checking in morning and evening for
// the day's results and numbers, with the check-in buttons: the check-in
// modal opens on the day's check-in, filled with the morning's answers.
func (b *Bot) renderEvening(n pulse.Notice, p pulse.EveningNotice) outgoing {
	t := b.voice(n.Lang)
	key := "checkin_mode.evening_text"
	if p.Answered {
		key = "checkin_mode.evening_answered"
	}
	text := t.T(key, map[string]any{"Date": t.date(p.Date)})
	return outgoing{text: text, blocks: []slack.Block{mrkdwnSection(text), checkInButtons(t, n.Team.ID, p.Date)}}
}

// modeSelect is the setup modal's choice of when the team checks in.
func modeSelect(r *Request, current pulse.CheckInMode) *slack.SelectBlockElement {
	var opts []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, m := range pulse.CheckInModes {
		o := slack.NewOptionBlockObject(string(m), plainText(r.T(limit("checkin_mode.mode_"+string(m), maxOptionText), nil)), nil)
		opts = append(opts, o)
		if m == current || initial == nil {
			initial = o
		}
	}
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "checkin_mode", opts...)
	sel.InitialOption = initial
	return sel
}
