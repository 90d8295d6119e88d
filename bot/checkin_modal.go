package bot

import (
	"strconv"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// checkInView is the check-in modal. Each input's block ID is the field
// pulse.CheckIn.Validate names, so its errors show under it.
func checkInView(p voice, team *pulse.Team, meta checkInMeta, prev *pulse.CheckIn, skill string, crm crmShown) slack.ModalViewRequest {
	var c pulse.CheckIn
	if prev != nil {
		c = *prev
	}
	blocks := []slack.Block{
		contextBlock(mrkdwnEscape(p.T("checkin.modal_intro", map[string]any{"Team": team.Name, "Day": p.date(meta.day)}))),
		textInput("results", p.T(resultsLabelKey(team), nil), c.Results, true, true, pulse.MaxTextLen),
		textInput("plan", p.T(planLabelKey(team), nil), c.Plan, true, false, pulse.MaxTextLen),
		textInput("blocker", p.T("checkin.blocker", nil), c.Blocker, true, true, pulse.MaxTextLen),
		energyInput(p, c.Energy),
	}
	for _, m := range team.Metrics {
		label := m.Name
		if team.FromCRM(m) {
			// The CRM's number is shown, not asked for; a team that
			// allows it asks only for what the CRM missed.
			blocks = append(blocks, crm.block(p, m))
			if !team.CRMTopUp {
				continue
			}
			label = p.T("crm.topup", map[string]any{"Metric": m.Name, "CRM": team.NumbersFrom.Title()})
		}
		el := slack.NewNumberInputBlockElement(nil, "metric_"+m.Key, true).WithMinValue("0")
		if v, ok := c.Metrics[m.Key]; ok {
			el.InitialValue = strconv.FormatFloat(v, 'f', -1, 64)
		}
		in := slack.NewInputBlock("metric_"+m.Key, plainText(label), nil, el)
		in.Optional = true
		blocks = append(blocks, in)
	}
	for _, q := range team.Questions {
		blocks = append(blocks, answerInput(p, q, c))
	}
	skillIn := textInput("skill", p.T("checkin.skill", nil), c.Skill, true, true, pulse.MaxTextLen)
	if skill != "" {
		skillIn.Hint = plainText(p.T("checkin.skill_hint", map[string]any{"Skill": skill}))
	}
	blocks = append(blocks, skillIn)
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      ViewCheckIn,
		Title:           plainText(clipText(p.T(limit("checkin.modal_title", maxViewLabel), nil), maxViewLabel)),
		Submit:          plainText(clipText(p.T(limit("checkin.modal_save", maxViewLabel), nil), maxViewLabel)),
		Close:           plainText(clipText(p.T(limit("checkin.modal_cancel", maxViewLabel), nil), maxViewLabel)),
		PrivateMetadata: meta.String(),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// energyInput is the energy question: five radio buttons, 1 to 5.
func energyInput(p voice, initial int) *slack.InputBlock {
	var opts []*slack.OptionBlockObject
	for i := 1; i <= 5; i++ {
		opts = append(opts, slack.NewOptionBlockObject(strconv.Itoa(i), plainText(p.T(limit("checkin.energy_"+strconv.Itoa(i), maxOptionText), nil)), nil))
	}
	el := slack.NewRadioButtonsBlockElement("energy", opts...)
	if initial >= 1 && initial <= 5 {
		el.InitialOption = opts[initial-1]
	}
	return slack.NewInputBlock("energy", plainText(p.T("checkin.energy", nil)), nil, el)
}
