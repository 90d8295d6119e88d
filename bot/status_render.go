package bot

import (
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// Slack's block limits: a message, and a modal or the Home tab.
const (
	maxStatusBlocks = 50
	maxViewBlocks   = 100
)

// How much of a long list a status shows before "…and N more". A team of
// hundreds is summarised; each rep's detail is one /pulse @rep away.
const (
	statusMaxMentions = 60 // ~12 characters each: well inside a section
	statusMaxBlockers = 8
	statusMaxLines    = 10
)

// blockBudget collects groups of blocks up to a limit, keeping one block
// for the sentence that says what was left out.
type blockBudget struct {
	max    int
	blocks []slack.Block
}

func newBlockBudget(max int) *blockBudget { return &blockBudget{max: max} }

// add appends the group whole, or reports false when it does not fit.
func (bb *blockBudget) add(group []slack.Block) bool {
	if len(bb.blocks)+len(group) > bb.max-1 {
		return false
	}
	bb.blocks = append(bb.blocks, group...)
	return true
}

// more says that n parts were left out.
func (bb *blockBudget) more(p voice, n int) {
	bb.blocks = append(bb.blocks, contextBlock(p.Plural("status.more_parts", n, nil)))
}

// teamStatusBlocks is one team at a glance for its managers: seven blocks
// whatever the team's size.
func teamStatusBlocks(p voice, team *pulse.Team, s pulse.TeamStatus) []slack.Block {
	blocks := []slack.Block{headerBlock(p.T(limit("status.team_header", maxHeaderText), map[string]any{"Team": team.Name}))}

	checked := p.T("status.checked_in", map[string]any{"Done": p.count(s.CheckedIn), "Due": p.count(s.Due)})
	switch {
	case s.Due == 0:
		checked = p.T("status.none_due", nil)
	case len(s.Missing) > 0:
		checked += "\n" + p.T("status.missing", map[string]any{"Reps": mentionList(p, s.Missing, statusMaxMentions)})
	}
	if len(s.Away) > 0 {
		checked += "\n" + p.T("status.away", map[string]any{"Reps": mentionList(p, s.Away, statusMaxMentions/3)})
	}
	blocks = append(blocks, mrkdwnSection(checked))

	if len(s.Blockers) == 0 {
		blocks = append(blocks, mrkdwnSection(p.T("status.blockers_none", nil)))
	} else {
		lines := make([]string, 0, len(s.Blockers))
		for _, bl := range s.Blockers {
			key := "status.blocker_line"
			if bl.Status == pulse.BlockerOnIt {
				key = "status.blocker_line_taken"
			}
			lines = append(lines, p.T(key, map[string]any{
				"Rep": mention(bl.UserID), "Text": inlineText(bl.Text, 150),
				"Age": formatAge(p, bl.Age), "Manager": mention(bl.TakenBy),
			}))
		}
		title := p.Plural("status.blockers", len(s.Blockers), nil)
		blocks = append(blocks, mrkdwnSection(title+"\n"+capLines(p, lines, statusMaxBlockers, 2900-len(title))))
	}

	c := s.Commitments
	commit := p.T("status.commitments_none", nil)
	if c.Total() > 0 {
		commit = p.T("status.commitments", map[string]any{"Kept": p.count(c.Kept), "Open": p.count(c.Open), "Missed": p.count(c.Missed), "Partly": p.count(c.Partly)})
	}
	training := p.T("status.training_none", nil)
	if s.HasImplementation {
		training = p.T("status.training", map[string]any{"Rate": p.percent(s.Implementation), "Applied": p.count(s.NudgesApplied), "Sent": p.count(s.NudgesSent)})
	}
	overdue := p.T("status.overdue_none", nil)
	if len(s.Overdue) > 0 {
		reps := make([]string, len(s.Overdue))
		for i, o := range s.Overdue {
			reps[i] = o.Rep
		}
		overdue = p.Plural("status.overdue", len(s.Overdue), map[string]any{"Reps": mentionList(p, reps, 15)})
	}
	blocks = append(blocks, fieldsSection(
		p.T("status.energy_label", nil)+"\n"+formatEnergy(p, s.Energy, s.EnergyTrend, s.PrevEnergy),
		p.T("status.commitments_label", nil)+"\n"+commit,
		p.T("status.training_label", nil)+"\n"+training,
		p.T("status.overdue_label", nil)+"\n"+overdue,
	))

	if len(s.Metrics) > 0 {
		var lines []string
		for _, m := range s.Metrics {
			var line string
			if m.Target > 0 {
				line = p.T("status.metric_target", map[string]any{"Name": mrkdwnEscape(m.Name), "Total": p.number(m.Total, 2), "Target": p.number(m.Target, 2)})
			} else {
				line = p.T("status.metric", map[string]any{"Name": mrkdwnEscape(m.Name), "Total": p.number(m.Total, 2)})
			}
			if m.Source != pulse.CRMTyped {
				line += " · " + p.T("crm.from", map[string]any{"CRM": m.Source.Title()})
			}
			lines = append(lines, line)
		}
		blocks = append(blocks, mrkdwnSection(p.T("status.metrics_label", nil)+"\n"+strings.Join(lines, "\n")))
	}
	blocks = append(blocks, contextBlock(p.T("status.team_hint", nil)), slack.NewDividerBlock())
	return blocks
}

// repStatusBlocks is a rep's own pulse in one team.
func repStatusBlocks(p voice, team *pulse.Team, s pulse.RepStatus, zone *time.Location) []slack.Block {
	blocks := []slack.Block{headerBlock(p.T(limit("status.rep_header", maxHeaderText), map[string]any{"Team": team.Name}))}
	var today string
	switch {
	case s.CheckIn != nil:
		key := "status.today_done"
		if s.CheckIn.Status == pulse.CheckInLate {
			key = "status.today_done_late"
		}
		today = p.T(key, map[string]any{"Time": p.clock(s.CheckIn.SubmittedAt, zone), "Energy": s.CheckIn.Energy})
	case s.Away:
		today = p.T("status.today_away", nil)
	case s.Due:
		today = p.T("status.today_not_yet", nil)
	default:
		today = p.T("status.today_not_due", nil)
	}
	blocks = append(blocks, mrkdwnSection(today))
	last := p.T("status.one_on_one_never", nil)
	if !s.LastOneOnOne.IsZero() {
		last = p.date(s.LastOneOnOne)
	}
	blocks = append(blocks, fieldsSection(
		p.T("status.streak_label", nil)+"\n"+p.Plural("status.streak", s.Streak, nil),
		p.T("status.energy_label", nil)+"\n"+formatEnergy(p, s.Energy, s.EnergyTrend, s.PrevEnergy),
		p.T("status.last_one_on_one_label", nil)+"\n"+last,
		p.T("status.kudos_label", nil)+"\n"+p.Plural("status.kudos", s.Kudos, nil),
	))
	if s.Goal != "" {
		blocks = append(blocks, mrkdwnSection(p.T("status.goal", nil)+"\n"+quoteText(s.Goal, 600)))
	}
	blocks = append(blocks, mrkdwnSection(commitmentLines(p, s.Commitments)))
	blocks = append(blocks, reviewBlocks(p, s.ToReview)...)
	blocks = append(blocks, mrkdwnSection(trainingLines(p, s.ToApply)))
	blocks = append(blocks, slack.NewDividerBlock())
	return blocks
}

// statusMaxReviews is how many of last week's open commitments a rep's
// /pulse offers buttons for; each takes two blocks of a message's fifty.
const statusMaxReviews = 5

// reviewBlocks asks the rep how last week's open commitments went, with the
// same buttons as the meeting prompt, so none is left without a way to
// review it.
func reviewBlocks(p voice, cs []pulse.Commitment) []slack.Block {
	if len(cs) == 0 {
		return nil
	}
	blocks := []slack.Block{mrkdwnSection(p.T("status.review_label", nil))}
	for i, c := range cs {
		if i == statusMaxReviews {
			blocks = append(blocks, contextBlock(p.Plural("status.and_more", len(cs)-i, nil)))
			break
		}
		blocks = append(blocks,
			mrkdwnSection(inlineText(c.Text, 300)),
			reviewActions(c.ID, plainText(p.T(limit("notices.review_kept", maxButtonText), nil)), plainText(p.T(limit("notices.review_partly", maxButtonText), nil)), plainText(p.T(limit("notices.review_missed", maxButtonText), nil))))
	}
	return blocks
}

// commitmentLines lists a week's commitments with their status.
func commitmentLines(p voice, cs []pulse.Commitment) string {
	title := p.T("status.commitments_label", nil)
	if len(cs) == 0 {
		return title + "\n" + p.T("status.commitments_none", nil)
	}
	lines := make([]string, 0, len(cs))
	for _, c := range cs {
		lines = append(lines, p.T("status.commitment_line", map[string]any{
			"Status": p.T("status.commitment_"+string(c.Status), nil), "Text": inlineText(c.Text, 200),
		}))
	}
	return title + "\n" + capLines(p, lines, statusMaxLines, 2900-len(title))
}

// trainingLines lists the skills a rep has yet to report applying.
func trainingLines(p voice, ts []pulse.TrainingToApply) string {
	title := p.T("status.to_apply_label", nil)
	if len(ts) == 0 {
		return title + "\n" + p.T("status.to_apply_none", nil)
	}
	lines := make([]string, 0, len(ts))
	for _, t := range ts {
		lines = append(lines, p.Plural("status.to_apply", t.Pending, map[string]any{
			"Skill": inlineText(t.Skill, 100), "Date": p.date(t.Date),
		}))
	}
	return title + "\n" + capLines(p, lines, statusMaxLines, 2900-len(title))
}

// repDetailBlocks is /pulse @rep for one team: the rep's status, then
// their last check-ins, training reports and 1:1 dates, and recent kudos.
func repDetailBlocks(p voice, team *pulse.Team, rr repRecords, zone *time.Location) []slack.Block {
	blocks := repStatusBlocks(p, team, rr.status, zone)
	blocks = blocks[:len(blocks)-1] // the divider goes last
	blocks[0] = headerBlock(p.T(limit("status.detail_header", maxHeaderText), map[string]any{"Team": team.Name}))
	blocks = append(blocks[:1], append([]slack.Block{mrkdwnSection(mention(rr.status.Rep))}, blocks[1:]...)...)

	var lines []string
	for i := len(rr.checkIns) - 1; i >= 0 && len(lines) < 5; i-- {
		c := rr.checkIns[i]
		if !c.Answered() {
			lines = append(lines, p.T("status.checkin_missed", map[string]any{"Day": p.date(c.Date)}))
			continue
		}
		line := p.T("status.checkin_line", map[string]any{
			"Day": p.date(c.Date), "Energy": c.Energy, "Plan": inlineText(c.Plan, 300),
			"Status": p.T("status.checkin_"+string(c.Status), nil),
		})
		for _, a := range c.Answers {
			line += "\n    ◦ " + answerLine(p, a)
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		lines = append(lines, p.T("status.checkins_none", nil))
	}
	blocks = append(blocks, mrkdwnSection(p.T("status.checkins_label", nil)+"\n"+capLines(p, lines, 5, 2800)))

	var reports []string
	for i := len(rr.nudges) - 1; i >= 0; i-- {
		n := rr.nudges[i]
		if n.Response != pulse.NudgeApplied {
			continue
		}
		skill := rr.skills[n.TrainingID]
		if skill == "" {
			skill = "—"
		}
		reports = append(reports, p.T("status.report_line", map[string]any{"Skill": inlineText(skill, 100), "Report": inlineText(n.Report, 300)}))
	}
	if len(reports) > 0 {
		blocks = append(blocks, mrkdwnSection(p.T("status.reports_label", nil)+"\n"+capLines(p, reports, 5, 2800)))
	}

	var dates []string
	for i := len(rr.sessions) - 1; i >= 0 && len(dates) < 5; i-- {
		dates = append(dates, p.date(rr.sessions[i].Date))
	}
	oneOnOnes := p.T("status.one_on_one_never", nil)
	if len(dates) > 0 {
		oneOnOnes = strings.Join(dates, ", ")
	}
	blocks = append(blocks, mrkdwnSection(p.T("status.one_on_ones_label", nil)+"\n"+oneOnOnes))

	if len(rr.kudos) > 0 {
		var ks []string
		for i := len(rr.kudos) - 1; i >= 0 && len(ks) < 3; i-- {
			k := rr.kudos[i]
			ks = append(ks, p.T("status.kudos_line", map[string]any{"From": mention(k.From), "Text": inlineText(k.Text, 300)}))
		}
		blocks = append(blocks, mrkdwnSection(p.T("status.kudos_label", nil)+"\n"+strings.Join(ks, "\n")))
	}
	return append(blocks, slack.NewDividerBlock())
}
