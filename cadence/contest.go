package cadence

import (
	"context"
	"fmt"
	"time"

	"github.com/salespulse/pulse"
)

// contestEndTolerance is how long after the end day's summary time a
// contest's winners are still announced, for a process that was down.
const contestEndTolerance = 48 * time.Hour

// contests adds each running contest's standings, due on each of its days
// at the team's summary time until the day ends (at most one a day), and
// its end, due on its last day at the same time.
func (c calendar) contests(now time.Time, out []Occurrence) []Occurrence {
	t := c.team
	today := pulse.DateOf(now.In(c.loc))
	for i := range c.facts.Contests {
		k := &c.facts.Contests[i]
		channel := k.Channel
		if channel == "" {
			channel = t.Channel
		}
		if k.Cancelled || k.TeamID != t.ID || channel == "" {
			continue
		}
		base := Occurrence{To: channel, Lang: c.lang(""), ContestID: k.ID}
		if k.Running(today) && t.IsWorkday(today) {
			at := pulse.WallClock(today, t.SummaryTime, c.loc)
			if until := pulse.DayEnd(today, c.loc); within(now, at, until) {
				o := base
				o.Key, o.Day, o.At, o.Until = pulse.ContestStandingsKey(t.ID, k.ID, today), today, at, until
				out = append(out, o)
			}
		}
		at := pulse.WallClock(k.End, t.SummaryTime, c.loc)
		if within(now, at, at.Add(contestEndTolerance)) {
			o := base
			o.Key, o.Day, o.At, o.Until = pulse.ContestEndKey(t.ID, k.ID), k.End, at, at.Add(contestEndTolerance)
			out = append(out, o)
		}
	}
	return out
}

// contestOf reads the contest a job is about, nil when it is gone or
// cancelled: a cancelled contest sends nothing more.
func (e *Engine) contestOf(ctx context.Context, t *task) (*pulse.Contest, error) {
	c, err := e.store.Contest(ctx, t.occ.ContestID)
	switch {
	case pulse.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("contest %s: %w", t.occ.ContestID, err)
	case c.Cancelled || c.TeamID != t.team.ID:
		return nil, nil
	}
	return c, nil
}

// contestNotice ranks the contest's reps as the store holds them now (late
// and edited check-ins count) and finds the message of its earlier days,
// which the ledger holds, to update it rather than post a second.
func (e *Engine) contestNotice(ctx context.Context, t *task) (pulse.Payload, error) {
	c, err := e.contestOf(ctx, t)
	if err != nil || c == nil {
		return nil, err
	}
	st, err := pulse.ReadStandings(ctx, e.store, t.team, c, t.occ.Day)
	if err != nil {
		return nil, err
	}
	p := pulse.ContestNotice{Contest: *c, Standings: st, Day: t.occ.Day}
	for d := c.Start; d.Before(t.occ.Day); d = d.AddDays(1) {
		j, err := e.store.Job(ctx, pulse.ContestStandingsKey(t.team.ID, c.ID, d))
		switch {
		case pulse.IsNotFound(err):
			continue
		case err != nil:
			return nil, fmt.Errorf("standings job of %s: %w", d, err)
		}
		if j.State == pulse.JobSent && j.TS != "" {
			p.Message = pulse.Delivery{Channel: j.Channel, TS: j.TS}
			break
		}
	}
	return p, nil
}

// contestEndNotice finds the winners and gives each their kudos once,
// before the announcement names them: a retried announcement finds the
// kudos given and gives none again.
func (e *Engine) contestEndNotice(ctx context.Context, t *task, now time.Time) (pulse.Payload, error) {
	c, err := e.contestOf(ctx, t)
	if err != nil || c == nil {
		return nil, err
	}
	st, err := pulse.ReadStandings(ctx, e.store, t.team, c, c.End)
	if err != nil {
		return nil, err
	}
	winners := pulse.Winners(c, st)
	loc := t.team.Location()
	given, err := e.store.TeamKudos(ctx, t.team.ID, pulse.WallClock(c.End, 0, loc), time.Time{})
	if err != nil {
		return nil, fmt.Errorf("kudos of team %s: %w", t.team.ID, err)
	}
	for _, w := range winners {
		if c.CreatedBy == w.Rep || pulse.HasWinnerKudos(given, c, w.Rep) {
			continue
		}
		k := pulse.WinnerKudos(c, w.Rep, now)
		if err := e.store.SaveKudos(ctx, &k); err != nil {
			return nil, fmt.Errorf("kudos to winner %s: %w", w.Rep, err)
		}
	}
	return pulse.ContestEndNotice{Contest: *c, Winners: winners}, nil
}

// repPace is the pace line of a rep's check-in DM: of their check-ins in
// cis (of every team, oldest first), the metric furthest behind its plan.
func (e *Engine) repPace(ctx context.Context, t *task, cis []pulse.CheckIn) (*pulse.Pace, error) {
	o, team := t.occ, t.team
	if len(team.Metrics) == 0 {
		return nil, nil
	}
	quarter := pulse.PeriodQuarter.First(o.Day)
	if w := pulse.PeriodWeek.First(o.Day); w.Before(quarter) {
		quarter = w
	}
	plans, err := e.store.TeamPlans(ctx, team.ID, quarter, o.Day.AddDays(1))
	if err != nil {
		return nil, fmt.Errorf("plans of team %s: %w", team.ID, err)
	}
	tally := pulse.NewPaceTally(team, o.Day)
	for i := range cis {
		tally.AddCheckIn(&cis[i])
	}
	from, to := pulse.PaceRange(o.Day, plans)
	err = pulse.ReadCRMFigures(ctx, e.store, team, from, to, func(f *pulse.CRMFigure) {
		if f.Rep == o.Rep {
			tally.AddCRMFigure(f)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("pace of %s: %w", o.Rep, err)
	}
	zone := team.Location()
	if p := t.facts.People[o.Rep]; p != nil {
		zone = p.Zone(zone)
	}
	lead, ok := tally.Lead(o.Rep, t.facts.People[o.Rep], plans, t.facts.Away[o.Rep], o.At, zone)
	if !ok {
		return nil, nil
	}
	return &lead, nil
}

// attainment is the team's month against its reps' plans, for the weekly
// summary, from the team's check-ins in cis.
func (e *Engine) attainment(ctx context.Context, t *task, cis []pulse.CheckIn) ([]pulse.TeamAttainment, error) {
	team := t.team
	today := pulse.DateOf(t.occ.At.In(team.Location()))
	plans, err := e.store.TeamPlans(ctx, team.ID, pulse.PeriodMonth.First(today), today)
	if err != nil {
		return nil, fmt.Errorf("plans of team %s: %w", team.ID, err)
	}
	tally := pulse.NewPaceTally(team, today)
	for i := range cis {
		tally.AddCheckIn(&cis[i])
	}
	if err := pulse.ReadCRMFigures(ctx, e.store, team, pulse.PeriodMonth.First(today), today.AddDays(1), tally.AddCRMFigure); err != nil {
		return nil, fmt.Errorf("attainment of team %s: %w", team.ID, err)
	}
	return pulse.Attain(team, tally, plans, t.facts.Away, t.facts.People, t.occ.At), nil
}
