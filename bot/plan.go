package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

// planMetricBlock is the block ID of a metric's input in the plan modal.
func planMetricBlock(key string) string { return "metric_" + key }

// planCommand answers /pulse plan. A manager gets the plan modal (for the
// rep mentioned, pre-filled with their plan), or sets one target at once
// with /pulse plan @rep <metric> <value> <week|month|quarter>. A rep is
// shown their own plan and pace.
func (b *Bot) planCommand(ctx context.Context, r *Request) error {
	words, rest := SplitArgs(r.Args, 4)
	if rest != "" {
		return pulse.Errorf(pulse.EINVALID, "plan.usage", nil, "plan with too many words")
	}
	if len(words) == 0 {
		if managed := managedTeams(r); len(managed) > 0 {
			team := managed[0]
			return openModal(ctx, r, b.planModal(ctx, r, team, "", pulse.PeriodMonth, pulse.PeriodMonth.First(b.today(team.Location()))))
		}
		return b.ownPlan(ctx, r)
	}
	rep, err := MentionArg(words[0])
	if err != nil {
		return err
	}
	team := planTeamOf(r, rep)
	if err := pulse.CanSetPlan(r.Actor, team, rep); err != nil {
		return err
	}
	if len(words) == 1 {
		return openModal(ctx, r, b.planModal(ctx, r, team, rep, pulse.PeriodMonth, pulse.PeriodMonth.First(b.today(team.Location()))))
	}
	if len(words) != 4 {
		return pulse.Errorf(pulse.EINVALID, "plan.usage", nil, "plan with %d words", len(words))
	}
	metric, ok := findMetric(team, words[1])
	if !ok {
		return pulse.Errorf(pulse.EINVALID, "plan.err_metric", map[string]any{"Value": clipText(words[1], 40), "Metrics": metricKeys(team)}, "unknown metric %q", words[1])
	}
	value, ok := catalog.ParseNumber(words[2])
	if !ok {
		return pulse.Errorf(pulse.EINVALID, "err.number", map[string]any{"Value": clipText(words[2], 20)}, "target %q", words[2])
	}
	period, ok := pulse.ParsePeriod(words[3])
	if !ok {
		return pulse.Errorf(pulse.EINVALID, "plan.err_period", map[string]any{"Value": clipText(words[3], 20)}, "period %q", words[3])
	}
	p := pulse.Plan{TeamID: team.ID, UserID: rep, Metric: metric.Key, Period: period, Start: b.today(team.Location()),
		Target: value, SetBy: r.Actor.UserID, UpdatedAt: b.clock.Now()}
	if err := p.Validate(team); err != nil {
		return err
	}
	if err := b.store.SavePlans(ctx, team.ID, []pulse.Plan{p}); err != nil {
		return fmt.Errorf("save plan of %s in %s: %w", rep, team.ID, err)
	}
	r.Reply(Message{Text: planSaved(r, team, []pulse.Plan{p})})
	return nil
}

// planTeamOf is the team whose plans for rep the person may set: the
// first by name that they manage and rep is in; nil when none.
func planTeamOf(r *Request, rep string) *pulse.Team {
	for _, t := range managedTeams(r) {
		if pulse.CanSetPlan(r.Actor, t, rep) == nil {
			return t
		}
	}
	return nil
}

// findMetric finds a team metric by its key or its name, in any case.
func findMetric(team *pulse.Team, word string) (pulse.Metric, bool) {
	for _, m := range team.Metrics {
		if strings.EqualFold(m.Key, word) || strings.EqualFold(m.Name, word) {
			return m, true
		}
	}
	return pulse.Metric{}, false
}

// metricKeys lists the team's metric keys for a sentence.
func metricKeys(team *pulse.Team) string {
	keys := make([]string, 0, len(team.Metrics))
	for _, m := range team.Metrics {
		keys = append(keys, m.Key)
	}
	return strings.Join(keys, ", ")
}

// planModal asks for a rep's targets for a period: "Rep", "Period",
// "Starts", and one number per metric, pre-filled with the rep's plan (the
// team's default when they have none of their own).
func (b *Bot) planModal(ctx context.Context, r *Request, team *pulse.Team, rep string, period pulse.Period, start pulse.Date) slack.ModalViewRequest {
	repSel := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, nil, "rep")
	repSel.InitialUser = rep
	var opts []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, p := range pulse.Periods {
		o := slack.NewOptionBlockObject(string(p), plainText(r.T(limit("plan.period_"+string(p), maxOptionText), nil)), nil)
		opts = append(opts, o)
		if p == period {
			initial = o
		}
	}
	periodSel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "period", opts...)
	periodSel.InitialOption = initial
	blocks := []slack.Block{
		slack.NewInputBlock("rep", plainText(r.T(limit("plan.label_rep", maxViewLabel), nil)), nil, repSel),
		slack.NewInputBlock("period", plainText(r.T(limit("plan.label_period", maxViewLabel), nil)), nil, periodSel),
		dateInput("start", r.T(limit("plan.label_start", maxViewLabel), nil), start),
	}
	var plans []pulse.Plan
	if rep != "" {
		var err error
		if plans, err = b.store.TeamPlans(ctx, team.ID, start, start); err != nil {
			b.log.Warn("plan modal without the current plan", "team", team.ID, "err", err)
		}
	}
	for _, m := range team.Metrics {
		target, _ := pulse.PlanTarget(team, plans, rep, m.Key, period, start)
		blocks = append(blocks, textInput(planMetricBlock(m.Key), clipText(m.Name, maxViewLabel), formatTarget(target), false, true, 20))
	}
	return modal(r, ViewPlan, "plan.title", team.ID, blocks...)
}

// formatTarget writes a target as a person types it: to the hundredth
// (Plan.KeepsDefault compares a default left as it was to the same
// precision), no thousands separators, no trailing zeros, nothing for none.
func formatTarget(v float64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(int64(v*100+0.5))/100, 'f', -1, 64)
}

// planSubmit saves the plan modal, asking the rule again: the manager may
// have lost the team since it opened. Every bad field is shown under its
// input; nothing is saved then.
func (b *Bot) planSubmit(ctx context.Context, r *Request) error {
	team, err := b.store.Team(ctx, r.Interaction.View.PrivateMetadata)
	if err != nil {
		return err
	}
	if err := pulse.CanSetPlan(r.Actor, team, ""); err != nil {
		return err
	}
	var errs pulse.ValidationErrors
	rep := ""
	if v := stateValue(r, "rep"); v != nil {
		rep = v.SelectedUser
	}
	var period pulse.Period
	if v := stateValue(r, "period"); v != nil {
		period = pulse.Period(v.SelectedOption.Value)
	}
	start, derr := stateDate(r, "start")
	if derr != nil {
		errs = append(errs, derr)
	}
	var existing []pulse.Plan
	if derr == nil && slices.Contains(pulse.Periods, period) {
		first := period.First(start)
		if existing, err = b.store.TeamPlans(ctx, team.ID, first, first); err != nil {
			return err
		}
	}
	var plans []pulse.Plan
	for _, m := range team.Metrics {
		block := planMetricBlock(m.Key)
		s := stateText(r, block)
		if s == "" {
			continue
		}
		v, ok := catalog.ParseNumber(s)
		if !ok {
			errs = append(errs, pulse.FieldError(block, "err.number", map[string]any{"Value": clipText(s, 20)}, "target %q", s))
			continue
		}
		p := pulse.Plan{TeamID: team.ID, UserID: rep, Metric: m.Key, Period: period, Start: start, Target: v, SetBy: r.Actor.UserID, UpdatedAt: b.clock.Now()}
		if err := p.Validate(team); err != nil {
			var ve pulse.ValidationErrors
			if errors.As(err, &ve) {
				for _, e := range ve {
					if e.Field == "target" {
						e.Field = block // the metric's own input
					}
				}
			}
			if errs, err = errs.Merge(err); err != nil {
				return err
			}
			continue
		}
		if p.KeepsDefault(team, existing) {
			continue
		}
		plans = append(plans, p)
	}
	if rep == "" || !team.IsRep(rep) {
		if !slices.ContainsFunc(errs, func(x *pulse.Error) bool { return x.Field == "rep" }) {
			errs = append(errs, pulse.FieldError("rep", "plan.err_rep", map[string]any{"Value": rep}, "%q is not a rep of the team", rep))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if len(plans) > 0 {
		if err := b.store.SavePlans(ctx, team.ID, plans); err != nil {
			return fmt.Errorf("save plans of %s in %s: %w", rep, team.ID, err)
		}
	}
	r.Reply(Message{Text: planSaved(r, team, plans)})
	return nil
}

// planSaved says what was saved.
func planSaved(r *Request, team *pulse.Team, plans []pulse.Plan) string {
	if len(plans) == 0 {
		return r.T("plan.unchanged", nil)
	}
	parts := make([]string, 0, len(plans))
	for _, p := range plans {
		m, _ := team.Metric(p.Metric)
		parts = append(parts, mrkdwnEscape(m.Name)+" "+r.number(p.Target, 0))
	}
	p := plans[0]
	return r.T("plan.saved", map[string]any{
		"Rep": mention(p.UserID), "Period": r.T("plan.period_"+string(p.Period), nil),
		"Start": r.date(p.Start), "Targets": strings.Join(parts, ", "),
	})
}

// ownPlan answers a rep's /pulse plan: their pace on each metric, in each
// team they check in with.
func (b *Bot) ownPlan(ctx context.Context, r *Request) error {
	teams := repTeams(r)
	if len(teams) == 0 {
		if len(r.Teams) == 0 {
			return pulse.Errorf(pulse.EFORBIDDEN, "commands.no_team", nil, "%s is in no team", r.Actor.UserID)
		}
		return pulse.CanSetPlan(r.Actor, nil, "")
	}
	now := b.clock.Now()
	ph := r.voice
	var lines []string
	for _, t := range byName(teams) {
		paces, err := b.repPaces(ctx, t, r.Actor.UserID, r.Person, now)
		if err != nil {
			return err
		}
		if len(teams) > 1 {
			lines = append(lines, "*"+inlineText(t.Name, 80)+"*")
		}
		if len(paces) == 0 {
			lines = append(lines, ph.T("plan.none", nil))
		}
		for _, p := range paces {
			lines = append(lines, paceLine(ph, t, p))
		}
	}
	r.Reply(Message{Text: r.T("plan.own_title", nil), Blocks: packLines(ph, lines, maxStatusBlocks-1)})
	return nil
}

// repPaces loads what one rep's pace needs in the team and computes it;
// person is the rep's record (their zone and holiday place), nil when none.
func (b *Bot) repPaces(ctx context.Context, team *pulse.Team, rep string, person *pulse.Person, now time.Time) ([]pulse.Pace, error) {
	zone := zoneIn(person, team)
	today := pulse.RepToday(now, zone)
	plans, err := b.planOf(ctx, team, today, rep)
	if err != nil {
		return nil, err
	}
	from, to := pulse.PaceRange(today, plans)
	tally := pulse.NewPaceTally(team, today)
	checkIns, err := b.store.RepCheckIns(ctx, rep, from, to)
	if err != nil {
		return nil, fmt.Errorf("load check-ins of %s: %w", rep, err)
	}
	for i := range checkIns {
		tally.AddCheckIn(&checkIns[i])
	}
	err = pulse.ReadCRMFigures(ctx, b.store, team, from, to, func(f *pulse.CRMFigure) {
		if f.Rep == rep {
			tally.AddCRMFigure(f)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("load paces of %s: %w", rep, err)
	}
	away, err := b.store.AwayPeriods(ctx, rep)
	if err != nil {
		return nil, fmt.Errorf("load away periods of %s: %w", rep, err)
	}
	return tally.Paces(rep, person, plans, away, now, zone), nil
}

// planOf loads the team's plans of the periods that hold today, of one
// rep, or of all when rep is "".
func (b *Bot) planOf(ctx context.Context, team *pulse.Team, today pulse.Date, rep string) ([]pulse.Plan, error) {
	from := pulse.PeriodQuarter.First(today)
	if w := pulse.PeriodWeek.First(today); w.Before(from) {
		from = w
	}
	plans, err := b.store.TeamPlans(ctx, team.ID, from, today.AddDays(1))
	if err != nil {
		return nil, fmt.Errorf("load plans of team %s: %w", team.ID, err)
	}
	if rep != "" {
		plans = slices.DeleteFunc(plans, func(p pulse.Plan) bool { return p.UserID != rep })
	}
	return plans, nil
}

// paceLine is one line of a rep's pace: "Calls: 620 of 1,000 this month —
// 62% at 55% of the month's workdays: on track".
func paceLine(ph voice, team *pulse.Team, p pulse.Pace) string {
	return newPaceWords(ph, team).line(ph, p)
}

// paceWords are the words every pace line of a team takes from the
// catalogue and the team, made once for a list of lines: the metrics'
// names, escaped, and the two verdicts.
type paceWords struct {
	names           map[string]any // by metric key
	onTrack, behind any
}

func newPaceWords(ph voice, team *pulse.Team) paceWords {
	w := paceWords{names: make(map[string]any, len(team.Metrics)), onTrack: ph.T("plan.on_track", nil), behind: ph.T("plan.behind", nil)}
	for _, m := range team.Metrics {
		w.names[m.Key] = inlineText(m.Name, pulse.MaxMetricNameLen)
	}
	return w
}

// line is paceLine with these words.
func (w paceWords) line(ph voice, p pulse.Pace) string {
	return string(w.appendLine(nil, ph, p))
}

// appendLine is line appended to dst.
func (w paceWords) appendLine(dst []byte, ph voice, p pulse.Pace) []byte {
	status := w.onTrack
	if p.Behind() {
		status = w.behind
	}
	name, ok := w.names[p.Metric]
	if !ok {
		name = ""
	}
	return ph.appendT(dst, paceKey(p.Period), map[string]any{
		"Metric": name, "Done": ph.number(p.Done, 0), "Target": ph.number(p.Target, 0),
		"Attainment": ph.percent(p.Attainment()), "Elapsed": ph.percent(p.Elapsed()), "Status": status,
	})
}

// paceKey is the catalogue's sentence of a pace over period.
func paceKey(period pulse.Period) string {
	switch period {
	case pulse.PeriodMonth:
		return "plan.pace_month"
	case pulse.PeriodQuarter:
		return "plan.pace_quarter"
	}
	return "plan.pace_week"
}
