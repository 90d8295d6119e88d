package cadence

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/salespulse/pulse"
)

// action is what a claimed job turns out to need once its facts are read.
type action int

const (
	send     action = iota // deliver the notice
	skip                   // nothing to send any more
	recorded               // done in the store; nothing goes to Slack
)

// How far back the engine reads check-ins for a streak, and how old the
// previous plan shown in a check-in may be.
const (
	streakDays   = 90
	prevPlanDays = 14
)

// notice reads the facts of a claimed job again and builds its notice. A
// missed day is recorded here, in the store, and never reaches the notifier.
func (e *Engine) notice(ctx context.Context, t *task, now time.Time) (*pulse.Notice, action, error) {
	o := t.occ
	if o.Key.Kind == pulse.JobMissed {
		return nil, recorded, e.recordMissed(ctx, t, now)
	}
	var p pulse.Payload
	var err error
	switch o.Key.Kind {
	case pulse.JobCheckIn:
		p, err = e.checkInNotice(ctx, t)
	case pulse.JobReminder:
		p, err = e.reminderNotice(ctx, t)
	case pulse.JobMeetingPrompt:
		p, err = e.meetingNotice(ctx, t)
	case pulse.JobNudge:
		p, err = e.nudgeNotice(ctx, t)
	case pulse.JobCoachingDue:
		p, err = e.coachingNotice(ctx, t)
	case pulse.JobSummary:
		p, err = e.summaryNotice(ctx, t)
	case pulse.JobBlockerFollowUp:
		p, err = e.blockerNotice(ctx, t)
	case pulse.JobDailyThread:
		p = pulse.DailyThreadNotice{Date: o.Day, Reps: o.Reps}
	case pulse.JobContestStandings:
		p, err = e.contestNotice(ctx, t)
	case pulse.JobContestEnd:
		p, err = e.contestEndNotice(ctx, t, now)
	case pulse.JobEvening:
		var answered bool
		answered, err = e.answered(ctx, t.team.ID, o.Rep, o.Day)
		p = pulse.EveningNotice{Rep: o.Rep, Date: o.Day, Answered: answered}
	case pulse.JobDigest:
		p = pulse.DigestNotice{Leader: o.To, Date: o.Day}
	case pulse.JobLeaderWeek:
		p = pulse.LeaderWeekNotice{Leader: o.To, Week: o.Week}
	default:
		err = fmt.Errorf("unknown job kind %q", o.Key.Kind)
	}
	if err != nil {
		return nil, send, fmt.Errorf("build notice %s: %w", o.Key, err)
	}
	if p == nil {
		return nil, skip, nil
	}
	return &pulse.Notice{Key: o.Key, Team: t.team, To: o.To, Lang: o.Lang, Payload: p}, send, nil
}

func (e *Engine) checkInNotice(ctx context.Context, t *task) (pulse.Payload, error) {
	o, team := t.occ, t.team
	from := o.Day.AddDays(-streakDays)
	if pf, _ := pulse.PaceRange(o.Day, []pulse.Plan{{Period: pulse.PeriodQuarter, Start: pulse.PeriodQuarter.First(o.Day)}}); pf.Before(from) {
		from = pf // the longest a plan runs
	}
	cis, err := e.store.RepCheckIns(ctx, o.Rep, from, o.Day)
	if err != nil {
		return nil, fmt.Errorf("check-ins of %s: %w", o.Rep, err)
	}
	p := pulse.CheckInNotice{Rep: o.Rep, Date: o.Day}
	for _, c := range slices.Backward(cis) {
		if c.TeamID != team.ID || !c.Answered() {
			continue
		}
		if c.Date == o.Day {
			return nil, nil // answered before being asked
		}
		if p.PrevDate.IsZero() && !c.Date.Before(o.Day.AddDays(-prevPlanDays)) {
			p.PrevDate, p.PrevPlan = c.Date, c.Plan
		}
	}
	if person := t.facts.People[o.Rep]; person != nil {
		p.Goal = person.Goal
	}
	p.Streak = pulse.Streak(team, o.Rep, team.HolidayPlaceOf(t.facts.People[o.Rep]), cis, t.facts.Away[o.Rep], o.Day)
	if p.Pace, err = e.repPace(ctx, t, cis); err != nil {
		return nil, err
	}
	return p, nil
}

func (e *Engine) reminderNotice(ctx context.Context, t *task) (pulse.Payload, error) {
	o := t.occ
	answered, err := e.answered(ctx, t.team.ID, o.Rep, o.Day)
	if err != nil || answered {
		return nil, err
	}
	j, err := e.store.Job(ctx, pulse.CheckInKey(t.team.ID, o.Rep, o.Day))
	if err != nil {
		return nil, fmt.Errorf("check-in job: %w", err)
	}
	return pulse.ReminderNotice{Rep: o.Rep, Date: o.Day, CheckIn: pulse.Delivery{Channel: j.Channel, TS: j.TS}}, nil
}

// recordMissed stores the day as missed, unless the rep answered after all
// or the check-in was never asked for.
func (e *Engine) recordMissed(ctx context.Context, t *task, now time.Time) error {
	o := t.occ
	c := &pulse.CheckIn{TeamID: t.team.ID, UserID: o.Rep, Date: o.Day, Status: pulse.CheckInMissed, UpdatedAt: now}
	_, err := e.store.CheckIn(ctx, c.TeamID, c.UserID, c.Date)
	switch {
	case err == nil:
		return nil
	case !pulse.IsNotFound(err):
		return fmt.Errorf("check-in of %s on %s: %w", o.Rep, o.Day, err)
	}
	if err := e.store.SaveCheckIn(ctx, c); err != nil {
		return fmt.Errorf("record missed check-in: %w", err)
	}
	return nil
}

func (e *Engine) meetingNotice(ctx context.Context, t *task) (pulse.Payload, error) {
	o, team := t.occ, t.team
	last := o.Week.AddDays(-7)
	cs, err := e.store.TeamCommitments(ctx, team.ID, last, last)
	if err != nil {
		return nil, fmt.Errorf("commitments of %s: %w", last, err)
	}
	blockers, err := e.store.OpenBlockers(ctx, team.ID)
	if err != nil {
		return nil, fmt.Errorf("open blockers: %w", err)
	}
	p := pulse.MeetingNotice{Week: o.Week, MeetingAt: o.MeetingAt.In(team.Location()), LastWeek: last, OpenBlockers: blockers,
		Reps: pulse.CommitmentsByRep(team.Reps, cs)}
	for _, tr := range t.facts.Trainings {
		if !tr.Date.After(o.Day) && !tr.Date.Before(o.Day.AddDays(-focusDays)) {
			p.Focus = &tr // trainings come by day: the last one wins
		}
	}
	return p, nil
}

func (e *Engine) nudgeNotice(ctx context.Context, t *task) (pulse.Payload, error) {
	o := t.occ
	tr, err := e.store.Training(ctx, o.TrainingID)
	switch {
	case pulse.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("training %s: %w", o.TrainingID, err)
	case !slices.Contains(tr.Attendees, o.Rep):
		return nil, nil
	}
	n, err := e.store.Nudge(ctx, tr.ID, o.Rep, o.NudgeDay)
	switch {
	case err == nil && (!n.SentAt.IsZero() || n.Response != pulse.NudgePending):
		return nil, nil // sent already, or answered ahead of it
	case err != nil && !pulse.IsNotFound(err):
		return nil, fmt.Errorf("nudge: %w", err)
	}
	return pulse.NudgeNotice{Rep: o.Rep, TrainingID: tr.ID, Skill: tr.Skill, TrainingDate: tr.Date, Day: o.NudgeDay, Date: o.Day}, nil
}

// recordNudge marks the nudge named by key as sent, keeping any answer.
func (e *Engine) recordNudge(ctx context.Context, key pulse.JobKey, now time.Time) error {
	i := strings.LastIndex(key.Occurrence, "+")
	day, err := strconv.Atoi(key.Occurrence[i+1:])
	if i < 0 || err != nil {
		return fmt.Errorf("nudge key %s has no day", key)
	}
	training := key.Occurrence[:i]
	n, err := e.store.Nudge(ctx, training, key.UserID, day)
	switch {
	case pulse.IsNotFound(err):
		n = &pulse.Nudge{TrainingID: training, TeamID: key.TeamID, UserID: key.UserID, Day: day}
	case err != nil:
		return err
	}
	n.SentAt = now
	return e.store.SaveNudge(ctx, n)
}

func (e *Engine) coachingNotice(ctx context.Context, t *task) (pulse.Payload, error) {
	o, team := t.occ, t.team
	s, err := e.store.LastSession(ctx, team.ID, o.Rep)
	switch {
	case err == nil && s.Date.After(o.Since):
		return nil, nil // a 1:1 was held since
	case err != nil && !pulse.IsNotFound(err):
		return nil, fmt.Errorf("last 1:1 of %s: %w", o.Rep, err)
	}
	return pulse.CoachingNotice{Rep: o.Rep, LastDate: o.LastOneOnOne, DaysSince: o.Since.DaysUntil(o.Day), Cadence: team.CoachingCadence}, nil
}

func (e *Engine) blockerNotice(ctx context.Context, t *task) (pulse.Payload, error) {
	o := t.occ
	b, err := e.store.Blocker(ctx, o.BlockerID)
	switch {
	case pulse.IsNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("blocker %s: %w", o.BlockerID, err)
	case !b.Open():
		return nil, nil
	}
	return pulse.BlockerNotice{Blocker: *b, WorkdaysOpen: o.WorkdaysOpen, ToManager: o.To != b.UserID}, nil
}

func (e *Engine) summaryNotice(ctx context.Context, t *task) (pulse.Payload, error) {
	team := t.team
	week, through := summaryWeek(team, t.occ.Day)
	loc := team.Location()
	in := pulse.SummaryInput{Through: through, Away: t.facts.Away, Places: pulse.RepPlaces(team, t.facts.People)}
	var err error
	if in.CheckIns, err = e.store.TeamCheckIns(ctx, team.ID, week.AddDays(-streakDays), through); err != nil {
		return nil, fmt.Errorf("check-ins: %w", err)
	}
	if team.NumbersFrom != pulse.CRMTyped {
		if in.CRM, err = e.store.TeamCRMFigures(ctx, team.ID, week, through); err != nil {
			return nil, fmt.Errorf("CRM figures: %w", err)
		}
	}
	if in.Commitments, err = e.store.TeamCommitments(ctx, team.ID, week.AddDays(-7), week.AddDays(-7)); err != nil {
		return nil, fmt.Errorf("commitments: %w", err)
	}
	for _, tr := range t.facts.Trainings {
		ns, err := e.store.TrainingNudges(ctx, tr.ID)
		if err != nil {
			return nil, fmt.Errorf("nudges of %s: %w", tr.ID, err)
		}
		in.Nudges = append(in.Nudges, ns...)
	}
	if in.Kudos, err = e.store.TeamKudos(ctx, team.ID, pulse.WallClock(week, 0, loc), pulse.DayEnd(through, loc)); err != nil {
		return nil, fmt.Errorf("kudos: %w", err)
	}
	// The week's blockers, raised in it or resolved in it however long
	// after they were raised, counted without their texts.
	weekBegan := pulse.WallClock(week, 0, loc)
	err = pulse.ScanTeamBlockers(ctx, e.store, team.ID, through.AddDays(-365), through, func(b *pulse.Blocker) error {
		if !b.Date.Before(week) || !b.ResolvedAt.Before(weekBegan) {
			in.Blockers = append(in.Blockers, *b)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("blockers: %w", err)
	}
	n := pulse.SummaryNotice{Summary: pulse.Summarize(team, week, in), Leaders: pulse.Leaderboard(team, in.CheckIns, week, through)}
	if n.Attainment, err = e.attainment(ctx, t, in.CheckIns); err != nil {
		return nil, err
	}
	return n, nil
}

// summaryWeek returns the week a summary posted on day covers, and the last
// day it counts: the day's own week once day is at or past the week's last
// workday (a Friday summary of a Monday-to-Friday team), else the whole
// week before (a Monday summary).
func summaryWeek(team *pulse.Team, day pulse.Date) (week, through pulse.Date) {
	week = day.WeekStart()
	for d := week.AddDays(6); !d.Before(week); d = d.AddDays(-1) {
		if slices.Contains(team.Workdays, d.Weekday()) {
			if day.Before(d) {
				week = week.AddDays(-7)
				return week, week.AddDays(6)
			}
			break
		}
	}
	return week, day
}
