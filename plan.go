package pulse

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Period is the span a plan covers: a week (Monday to Sunday), a calendar
// month or a calendar quarter.
type Period string

// The periods a plan may cover.
const (
	PeriodWeek    Period = "week"
	PeriodMonth   Period = "month"
	PeriodQuarter Period = "quarter"
)

// Periods lists the periods, shortest first.
var Periods = []Period{PeriodWeek, PeriodMonth, PeriodQuarter}

// MaxPlanTarget bounds a plan's target, so a typo of many digits is
// refused rather than shown as a goal no one can read.
const MaxPlanTarget = 1e9

// ParsePeriod reads a period's name, in any case.
func ParsePeriod(s string) (Period, bool) {
	p := Period(strings.ToLower(strings.TrimSpace(s)))
	for _, q := range Periods {
		if p == q {
			return p, true
		}
	}
	return "", false
}

// First returns the first day of the period that holds d.
func (p Period) First(d Date) Date {
	switch p {
	case PeriodMonth:
		return Date{Year: d.Year, Month: d.Month, Day: 1}
	case PeriodQuarter:
		return Date{Year: d.Year, Month: d.Month - (d.Month-1)%3, Day: 1}
	}
	return d.WeekStart()
}

// Last returns the last day of the period that holds d.
func (p Period) Last(d Date) Date {
	first := p.First(d)
	switch p {
	case PeriodMonth:
		return DateOf(time.Date(first.Year, first.Month+1, 0, 12, 0, 0, 0, time.UTC))
	case PeriodQuarter:
		return DateOf(time.Date(first.Year, first.Month+3, 0, 12, 0, 0, 0, time.UTC))
	}
	return first.AddDays(6)
}

// Plan is a rep's own target for one of the team's metrics over one
// period. Only the team's managers set it; without one, the rep's target
// is the team's weekly target, scaled to the period (see PlanTarget).
type Plan struct {
	TeamID string
	UserID string // the rep
	Metric string // a Metric.Key of the team
	Period Period
	Start  Date    // the period's first day
	Target float64 // for the whole period; 0 means no target

	SetBy     string // the manager who set it last
	UpdatedAt time.Time
}

// Validate checks the plan against its team and snaps Start to the first
// day of its period, reporting every bad field at once.
func (p *Plan) Validate(team *Team) error {
	var errs ValidationErrors
	if team == nil || !team.IsRep(p.UserID) {
		errs = append(errs, FieldError("rep", "plan.err_rep", map[string]any{"Value": p.UserID}, "%q is not a rep of the team", p.UserID))
	}
	if team != nil {
		if _, ok := team.Metric(p.Metric); !ok {
			errs = append(errs, FieldError("metric", "err.metric", map[string]any{"Value": p.Metric}, "unknown metric %q", p.Metric))
		}
	}
	if _, ok := ParsePeriod(string(p.Period)); !ok {
		errs = append(errs, FieldError("period", "plan.err_period", map[string]any{"Value": string(p.Period)}, "unknown period %q", p.Period))
	} else if p.Start.IsZero() {
		errs = append(errs, FieldError("start", "err.date", map[string]any{"Value": ""}, "plan without start"))
	} else {
		p.Start = p.Period.First(p.Start)
	}
	if math.IsNaN(p.Target) || p.Target < 0 || p.Target > MaxPlanTarget {
		errs = append(errs, FieldError("target", "plan.err_target", map[string]any{"Max": MaxPlanTarget}, "target %v out of 0–%v", p.Target, MaxPlanTarget))
	}
	return errs.OrNil()
}

// RepWorkday reports whether d is one of the rep's workdays: not a day
// off by the one rule, DayOff (the team's workdays and own days off, the
// public holidays where the rep lives, their away days). Pace and contests
// count days through it alone. p, the rep, may be nil: the team's place.
func RepWorkday(team *Team, p *Person, away []AwayPeriod, d Date) bool {
	return !DayOff(team, p, away, d)
}

// teamWorkdays counts the team's workdays from one day to another, both
// included.
func teamWorkdays(team *Team, from, to Date) int {
	n := 0
	for d := from; !d.After(to); d = d.AddDays(1) {
		if team.IsWorkday(d) {
			n++
		}
	}
	return n
}

// repWorkdays counts the rep's workdays from one day to another, both
// included.
func repWorkdays(team *Team, p *Person, away []AwayPeriod, from, to Date) int {
	n := 0
	for d := from; !d.After(to); d = d.AddDays(1) {
		if RepWorkday(team, p, away, d) {
			n++
		}
	}
	return n
}

// PlanTarget returns the rep's target for the metric over the period that
// starts on start: the rep's own plan among plans when there is one
// (explicit), else the team's weekly target scaled by the period's team
// workdays over a week's. A week of holidays thus has a smaller default.
func PlanTarget(team *Team, plans []Plan, rep, metric string, period Period, start Date) (target float64, explicit bool) {
	return planTarget(team, plans, rep, metric, period, start, nil)
}

// planTarget is PlanTarget with the team's workdays counted once in days,
// when not nil, for a tally's many reps.
func planTarget(team *Team, plans []Plan, rep, metric string, period Period, start Date, days workdayMemo) (target float64, explicit bool) {
	if t, ok := planFor(plans, team.ID, rep, metric, period, start); ok {
		return t, true
	}
	m, ok := team.Metric(metric)
	if !ok || m.Target == 0 || len(team.Workdays) == 0 {
		return 0, false
	}
	return m.Target * float64(days.team(team, start, period.Last(start))) / float64(len(team.Workdays)), false
}

// PaceInput is what a rep's pace on one metric is computed from.
type PaceInput struct {
	Team   *Team
	Rep    string
	Person *Person // the rep, for their holiday place; nil keeps the team's
	Away   []AwayPeriod
	Metric string
	Period Period
	Now    time.Time
	Zone   *time.Location // the rep's: their day decides the period and the days gone
	// AnsweredToday is true once the rep answered today's check-in with
	// its numbers (in the evening for an evening team, or at the end of
	// the day for one checking in both), so today counts as gone.
	AnsweredToday bool
	// Joined is the rep's first day with the team, zero when before the
	// period: the period's days before it are not the rep's, and a default
	// target is cut pro rata.
	Joined Date
	Plans  []Plan
	Done   float64 // the metric's total from the period's first day through today

	days workdayMemo // a tally's, for its reps' paces; nil counts every time
}

// Pace is how a rep stands against their plan on one metric this period.
type Pace struct {
	Metric   string
	Period   Period
	Start    Date
	End      Date
	Target   float64 // 0 when the rep has no target: no pace is shown then
	Explicit bool    // the rep's own plan, not the team's default
	Done     float64
	Workdays int // the rep's workdays in the period
	Gone     int // of which through Through
	OnTrack  bool
}

// HasPlan reports whether there is a target to keep pace with.
func (p Pace) HasPlan() bool { return p.Target > 0 }

// Attainment is Done as a share of Target.
func (p Pace) Attainment() float64 {
	if p.Target <= 0 {
		return 0
	}
	return p.Done / p.Target
}

// Elapsed is the share of the rep's workdays of the period gone.
func (p Pace) Elapsed() float64 {
	if p.Workdays == 0 {
		return 1
	}
	return float64(p.Gone) / float64(p.Workdays)
}

// Behind reports whether a rep with a plan is behind it.
func (p Pace) Behind() bool { return p.HasPlan() && !p.OnTrack }

// ComputePace returns the rep's pace: attainment so far against the share
// of their workdays of the period gone. A rep is on track when attainment
// is at least that share; a rep with no workdays left ahead is held to the
// whole target.
func ComputePace(in PaceInput) Pace {
	today := RepToday(in.Now, in.Zone)
	start := in.Period.First(today)
	end := in.Period.Last(today)
	p := Pace{Metric: in.Metric, Period: in.Period, Start: start, End: end, Done: in.Done}
	p.Target, p.Explicit = planTarget(in.Team, in.Plans, in.Rep, in.Metric, in.Period, start, in.days)
	from := start
	if in.Joined.After(start) {
		from = in.Joined
		if !p.Explicit && !in.Joined.After(end) {
			if all := in.days.team(in.Team, start, end); all > 0 {
				p.Target *= float64(in.days.team(in.Team, in.Joined, end)) / float64(all)
			} else {
				p.Target = 0
			}
		}
	}
	p.Workdays, p.Gone = in.workdays(from, end, PaceThrough(today, in.AnsweredToday))
	p.OnTrack = p.HasPlan() && p.Done >= p.Target*p.Elapsed()-1e-9
	return p
}

// workdays counts the rep's workdays from one day to another, and of them
// those through the day through, in one walk over the days; or finds them
// in the memo when a rep of the same holiday place and without days away
// was counted over the same days.
func (in *PaceInput) workdays(from, to, through Date) (workdays, gone int) {
	key := workdayKey{place: in.Team.HolidayPlaceOf(in.Person), from: from, to: to, through: through}
	memo := in.days != nil && len(in.Away) == 0
	if memo {
		if n, ok := in.days[key]; ok {
			return n[0], n[1]
		}
	}
	for d := from; !d.After(to); d = d.AddDays(1) {
		if RepWorkday(in.Team, in.Person, in.Away, d) {
			workdays++
			if !d.After(through) {
				gone++
			}
		}
	}
	if memo {
		in.days[key] = [2]int{workdays, gone}
	}
	return workdays, gone
}

// workdayMemo holds the workdays counted for reps without days away, by
// holiday place and days: a team's reps mostly share them, and counting
// them day by day for each rep was most of the time their paces took.
type workdayMemo map[workdayKey][2]int

type workdayKey struct {
	place             string
	from, to, through Date
}

// teamPlace keys the team's own workdays (teamWorkdays) in a workdayMemo,
// beside the holiday places: no place is named so.
const teamPlace = "\x00team"

// team is teamWorkdays, counted once in m when m is not nil.
func (m workdayMemo) team(team *Team, from, to Date) int {
	if m == nil {
		return teamWorkdays(team, from, to)
	}
	key := workdayKey{place: teamPlace, from: from, to: to}
	if n, ok := m[key]; ok {
		return n[0]
	}
	n := teamWorkdays(team, from, to)
	m[key] = [2]int{n}
	return n
}

// RepToday is the rep's local day at now; a nil zone is UTC.
func RepToday(now time.Time, zone *time.Location) Date {
	if zone == nil {
		zone = time.UTC
	}
	return DateOf(now.In(zone))
}

// PaceThrough is the last day a rep's pace counts as gone: today once the
// rep has answered today's check-in (its numbers are in), else yesterday.
func PaceThrough(today Date, answeredToday bool) Date {
	if answeredToday {
		return today
	}
	return today.AddDays(-1)
}

// FirstDayWith returns the first day of a rep's records with the team
// (any check-in, answered or missed: Pulse stores both) on or after from,
// for Joined: a rep whose first record falls inside the period joined
// then; one with records from before it did not (zero Date). A rep with no
// records at all joined today.
func FirstDayWith(days []Date, periodStart, today Date) Date {
	first := Date{}
	for _, d := range days {
		if first.IsZero() || d.Before(first) {
			first = d
		}
	}
	switch {
	case first.IsZero():
		return today
	case first.After(periodStart):
		return first
	}
	return Date{}
}

// PaceGap is how far attainment stands above (positive) or below the
// share of workdays gone; a manager's list puts the lowest first, so those
// furthest behind lead. A pace without a plan sorts last.
func PaceGap(p Pace) float64 {
	if !p.HasPlan() {
		return math.Inf(1)
	}
	return p.Attainment() - p.Elapsed()
}

// PaceTally counts what the reps' paces need from their check-ins: each
// rep's first day with the team, the last day they answered, and their
// metric totals in the periods that hold the team's today (and the days
// either side, for reps in other zones). It is fed one check-in at a time,
// keeping nothing of it, so a store's scan of a team's quarter goes
// straight in. A manager's /pulse feeds it thousands of check-ins: the
// totals sit in one slice per rep, found by comparing days, with no map
// per figure (a map keyed by metric, period and start was a third of the
// status's time).
type PaceTally struct {
	team  *Team
	slots [3][paceSlots]paceSlot // by index in Periods
	reps  map[string]*repPaceTally
	// typed holds, by the index of the team's metric, whether its typed
	// numbers count (Team.CountsTyped), asked once, not of every figure.
	typed []bool
	// made are the reps' totals made so far, of which the first used are
	// in reps: a tally Reset for the next status reuses them, as making
	// one per rep was a tenth of the scan's time.
	made []*repPaceTally
	used int
	days workdayMemo // the paces' counts of workdays
}

// paceSlots is how many periods of one kind a tally counts: those holding
// the day before the team's today, today and the day after are at most two.
const paceSlots = 2

// paceSlot is a period's first and last day, and their day numbers, which
// a figure's day is compared with.
type paceSlot struct {
	first, last Date
	lo, hi      int
}

type repPaceTally struct {
	first    Date
	answered Date      // the last day whose check-in brought its numbers (numbersIn)
	sums     []float64 // metric × period × slot
}

// NewPaceTally returns an empty tally of the team's check-ins for the
// team's day today.
func NewPaceTally(team *Team, today Date) *PaceTally {
	t := new(PaceTally)
	t.Reset(team, today)
	return t
}

// Reset empties t for the team's day today, keeping what it made for the
// caller that tallies one status after another.
func (t *PaceTally) Reset(team *Team, today Date) {
	if t.reps == nil {
		t.reps = make(map[string]*repPaceTally, len(team.Reps))
	}
	clear(t.reps)
	if t.days == nil {
		t.days = make(workdayMemo)
	}
	clear(t.days)
	t.team, t.used = team, 0
	t.typed = slices.Grow(t.typed[:0], len(team.Metrics))
	for _, m := range team.Metrics {
		t.typed = append(t.typed, team.CountsTyped(m.Key))
	}
	// A period with one slot leaves the other empty: no day number is
	// from 1 to 0.
	t.slots = [3][paceSlots]paceSlot{}
	for pi := range t.slots {
		for si := range t.slots[pi] {
			t.slots[pi][si].lo, t.slots[pi][si].hi = 1, 0
		}
	}
	for pi, p := range Periods {
		n := 0
		for _, d := range []Date{today.AddDays(-1), today, today.AddDays(1)} {
			s := paceSlot{first: p.First(d), last: p.Last(d)}
			s.lo, s.hi = s.first.dayNumber(), s.last.dayNumber()
			if n > 0 && t.slots[pi][n-1] == s {
				continue
			}
			t.slots[pi][n] = s
			n++
		}
	}
}

// PaceRange returns the days whose check-ins a tally for the team's day
// today should be fed, given the team's plans: the week's, and the month's
// or quarter's when a plan covers one, each from a week before its start
// (to tell a rep who joined in it from one who was there before), to the
// day after today. A team planning by the week reads two weeks, not a
// quarter.
func PaceRange(today Date, plans []Plan) (from, to Date) {
	from = PeriodWeek.First(today.AddDays(-1))
	for _, p := range plans {
		if p.Period != PeriodWeek && !p.Start.After(today.AddDays(1)) && !p.Period.Last(p.Start).Before(today.AddDays(-1)) && p.Start.Before(from) {
			from = p.Start
		}
	}
	return from.AddDays(-joinLookback), today.AddDays(1)
}

// joinLookback is how many days before a period a rep's records show they
// were with the team before it started; a rep away longer than that over
// the start counts as joining, and a default plan is cut pro rata for them.
const joinLookback = 7

// PacePeriodsStart is the first day of the periods whose check-ins
// PaceRange, returning from, reads: from is the week before it, read only
// to tell who joined in them.
func PacePeriodsStart(from Date) Date { return from.AddDays(joinLookback) }

// JoinsKnown reports whether the check-ins fed so far settle when each of
// reps joined for the periods that start on start (PacePeriodsStart): each
// rep has a record on or before it. Then the week before start can change
// no pace (its days are in no period a plan counts), and a caller that fed
// the tally from start on need not read it.
func (t *PaceTally) JoinsKnown(reps []string, start Date) bool {
	for _, rep := range reps {
		if r := t.reps[rep]; r == nil || r.first.IsZero() || r.first.After(start) {
			return false
		}
	}
	return true
}

// AddFigures counts one check-in of the team's; others are left out.
func (t *PaceTally) AddFigures(f *CheckInFigures) {
	if f.TeamID != t.team.ID {
		return
	}
	r := t.rep(f.UserID)
	if r.first.IsZero() || f.Date.Before(r.first) {
		r.first = f.Date
	}
	if !f.Answered() {
		return
	}
	if f.Date.After(r.answered) && t.numbersIn(f) {
		r.answered = f.Date
	}
	day := f.Date.dayNumber()
	for _, m := range f.Metrics {
		// A key that is not one of the team's metrics has no totals.
		if mi := t.metricIndex(m.Key); mi >= 0 && t.typed[mi] {
			t.add(r, mi, day, m.Value)
		}
	}
}

// rep returns the rep's totals, made empty on first use.
func (t *PaceTally) rep(id string) *repPaceTally {
	if r := t.reps[id]; r != nil {
		return r
	}
	n := len(t.team.Metrics) * len(Periods) * paceSlots
	if t.used == len(t.made) {
		t.made = append(t.made, new(repPaceTally))
	}
	r := t.made[t.used]
	t.used++
	*r = repPaceTally{sums: slices.Grow(r.sums[:0], n)[:n]}
	clear(r.sums)
	t.reps[id] = r
	return r
}

// AddCRMFigure counts one rep's figure from the team's CRM, the numbers
// that count of it (CRMCounts), whether or not the rep checked in that
// day: the calls were made. It keeps nothing of f.
func (t *PaceTally) AddCRMFigure(f *CRMFigure) {
	t.team.CRMCounts(f, func(key string, v float64) {
		// Only a record of the rep's own tells when they joined: first
		// stays zero here.
		if mi := t.metricIndex(key); mi >= 0 {
			t.add(t.rep(f.Rep), mi, f.Day.dayNumber(), v)
		}
	})
}

// add counts v of the team's metric mi on the day numbered day into the
// rep's totals of every period that holds it.
func (t *PaceTally) add(r *repPaceTally, mi, day int, v float64) {
	for pi := range t.slots {
		for si := range t.slots[pi] {
			if s := &t.slots[pi][si]; day >= s.lo && day <= s.hi {
				r.sums[(mi*len(Periods)+pi)*paceSlots+si] += v
			}
		}
	}
}

// numbersIn reports whether an answered check-in brought its day's
// numbers, so the day counts as gone: any check-in, except for a team that
// checks in morning and evening, whose morning check-in is a short plan and
// whose numbers follow at the end of the day, in the same check-in.
func (t *PaceTally) numbersIn(f *CheckInFigures) bool {
	if !t.team.AsksEvening() {
		return true
	}
	for _, m := range f.Metrics {
		if t.metricIndex(m.Key) >= 0 {
			return true
		}
	}
	return false
}

// metricIndex is the index of the team's metric key, -1 for none.
func (t *PaceTally) metricIndex(key string) int {
	for i := range t.team.Metrics {
		if t.team.Metrics[i].Key == key {
			return i
		}
	}
	return -1
}

// done is the rep's total of the metric in the period that starts on start.
func (t *PaceTally) done(r *repPaceTally, metric string, period Period, start Date) float64 {
	mi, pi := t.metricIndex(metric), slices.Index(Periods, period)
	if mi < 0 || pi < 0 || r.sums == nil {
		return 0
	}
	for si, s := range t.slots[pi] {
		if s.first == start {
			return r.sums[(mi*len(Periods)+pi)*paceSlots+si]
		}
	}
	return 0
}

// AddCheckIn counts one check-in, as AddFigures does.
func (t *PaceTally) AddCheckIn(c *CheckIn) {
	f := c.Figures(nil)
	t.AddFigures(&f)
}

// Paces returns the rep's pace on each of the team's metrics that has a
// target, in the team's order: against the rep's own plan for this month,
// else this quarter, else this week, else the team's weekly target.
// person is the rep's record (nil when unknown); plans are the rep's; away
// their away periods; zone their time zone.
func (t *PaceTally) Paces(rep string, person *Person, plans []Plan, away []AwayPeriod, now time.Time, zone *time.Location) []Pace {
	var out []Pace
	t.eachPace(rep, person, plans, away, now, zone, func(p Pace) {
		if out == nil {
			out = make([]Pace, 0, len(t.team.Metrics))
		}
		out = append(out, p)
	})
	return out
}

// Lead is the one of the rep's Paces a single line shows: the metric
// furthest behind its plan (the first of equals); false for none. It keeps
// no paces: a manager's /pulse shows one pace of each rep.
func (t *PaceTally) Lead(rep string, person *Person, plans []Plan, away []AwayPeriod, now time.Time, zone *time.Location) (Pace, bool) {
	var lead Pace
	t.eachPace(rep, person, plans, away, now, zone, func(p Pace) {
		if !lead.HasPlan() || PaceGap(p) < PaceGap(lead) {
			lead = p
		}
	})
	return lead, lead.HasPlan()
}

// eachPace calls fn with each of the rep's paces that has a plan, in the
// team's order of metrics.
func (t *PaceTally) eachPace(rep string, person *Person, plans []Plan, away []AwayPeriod, now time.Time, zone *time.Location, fn func(Pace)) {
	today := RepToday(now, zone)
	for _, m := range t.team.Metrics {
		period := PeriodWeek
		for _, p := range [...]Period{PeriodMonth, PeriodQuarter} {
			if _, ok := planFor(plans, t.team.ID, rep, m.Key, p, p.First(today)); ok {
				period = p
				break
			}
		}
		if pace := t.Pace(rep, person, m.Key, period, plans, away, now, zone); pace.HasPlan() {
			fn(pace)
		}
	}
}

// Pace returns the rep's pace on one metric over the period that holds
// their today.
func (t *PaceTally) Pace(rep string, person *Person, metric string, period Period, plans []Plan, away []AwayPeriod, now time.Time, zone *time.Location) Pace {
	today := RepToday(now, zone)
	r := t.reps[rep]
	if r == nil {
		r = &repPaceTally{}
	}
	return ComputePace(PaceInput{
		Team: t.team, Rep: rep, Person: person, Metric: metric, Period: period, Now: now, Zone: zone,
		AnsweredToday: r.answered == today, Joined: FirstDayWith(nonZero(r.first), period.First(today), today),
		Plans: plans, Done: t.done(r, metric, period, period.First(today)), Away: away, days: t.days,
	})
}

func nonZero(d Date) []Date {
	if d.IsZero() {
		return nil
	}
	return []Date{d}
}

// planFor finds the rep's own plan among plans.
func planFor(plans []Plan, team, rep, metric string, period Period, start Date) (float64, bool) {
	for _, p := range plans {
		if p.TeamID == team && p.UserID == rep && p.Metric == metric && p.Period == period && p.Start == start {
			return p.Target, true
		}
	}
	return 0, false
}
