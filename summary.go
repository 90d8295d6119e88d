package pulse

import (
	"cmp"
	"slices"
	"time"
)

// Summary is one team-week in figures, as the weekly summary shows them.
// Rates are fractions from 0 to 1; each comes with the counts it is made
// of, so a reader can tell "0 %" from "nothing to count".
type Summary struct {
	TeamID  string
	Week    Date // Monday of the week
	Through Date // the last day counted; later days of the week are not

	// Participation: a check-in is due on each of the team's workdays
	// (not its holidays) for each rep who is not away that day.
	Due           int     // rep-workdays due
	Answered      int     // of those, answered on time or late
	Late          int     // of those answered, late
	Participation float64 // Answered ÷ Due; 0 when nothing was due
	RepsDue       int     // reps with at least one check-in due in the week
	Days          []DayFigures

	// Energy is the average energy (1–5) of the week's answers, 0 when
	// there were none; PrevEnergy the same for the week before.
	// EnergyTrend is Energy − PrevEnergy when both weeks had answers, else 0.
	Energy      float64
	PrevEnergy  float64
	EnergyTrend float64

	Metrics []MetricTotal // one per team metric, in the team's order, then its number questions
	// Questions sums up the answers to each of the team's own questions
	// other than numbers (which are among Metrics), in the team's order.
	Questions []QuestionSummary

	// Streaks holds every rep with a current streak, longest first.
	Streaks []RepStreak

	// Commitments made for the week before, reviewed at this week's
	// meeting. Kept counts whole, partly kept half:
	// CommitmentsKept = (Kept + Partly/2) ÷ Reviewed, 0 when none was reviewed.
	Reviewed        int
	Kept            int
	Partly          int
	MissedPromises  int
	CommitmentsKept float64

	// Training implementation over the nudges sent in the four weeks up
	// to Through: applied ÷ sent (ImplementationRate), 0 when none was sent.
	NudgesSent     int
	NudgesApplied  int
	Implementation float64

	Kudos            int // kudos given in the week
	BlockersRaised   int // blockers raised in the week
	BlockersResolved int // blockers resolved in the week, whenever raised
}

// DayFigures is one workday of the week, for the summary's chart.
type DayFigures struct {
	Date          Date
	Due           int
	Answered      int
	Participation float64 // Answered ÷ Due; 0 when nothing was due
	Energy        float64 // average energy of the day's answers; 0 when none
}

// MetricTotal is a metric's week against its target for the reps due.
type MetricTotal struct {
	Key    string
	Name   string
	Total  float64 // sum of the values in the week's answered check-ins
	Target float64 // Metric.Target × RepsDue; 0 when the metric has no target
	// Source is the CRM the total came from (with what reps added, when
	// the team allows it); CRMTyped when the reps typed it.
	Source CRMKind
}

// RepStreak is a rep's current run of workdays checked in.
type RepStreak struct {
	Rep  string
	Days int
}

// SummaryInput is what a week's summary is computed from. Records of other
// teams and of people who are no longer reps of the team are ignored.
type SummaryInput struct {
	// Through is the last day to count; zero means the week's Sunday.
	Through Date
	// CheckIns holds the team's check-ins of the week and of the week
	// before; streaks count back only as far as the check-ins given.
	CheckIns []CheckIn
	// Away holds each rep's away periods.
	Away map[string][]AwayPeriod
	// Places holds the holiday place of each rep who keeps one of their
	// own; a rep without one keeps the team's.
	Places map[string]string
	// Commitments holds at least those made for the week before.
	Commitments []Commitment
	// Nudges holds at least those sent in the four weeks up to Through.
	Nudges []Nudge
	// Kudos holds at least those given in the week.
	Kudos []Kudos
	// CRM holds the team's figures from its CRM for the week; a metric
	// from the CRM counts them, and what reps typed only when the team
	// lets them add what the CRM missed (see MetricFigure).
	CRM []CRMFigure
	// Blockers holds at least those raised or resolved in the week.
	Blockers []Blocker
}

// Summarize computes the figures of the week starting on Monday week for
// the team, from the records in in. It reads no clock and no store.
func Summarize(team *Team, week Date, in SummaryInput) Summary {
	week = week.WeekStart()
	through := in.Through
	if through.IsZero() || through.After(week.AddDays(6)) {
		through = week.AddDays(6)
	}
	s := Summary{TeamID: team.ID, Week: week, Through: through}
	byRep := answeredByRep(team, in.CheckIns)
	due := func(rep string, d Date) bool { return CheckInDue(team, in.Places[rep], in.Away[rep], d) }
	s.addParticipation(team, byRep, due)
	s.addEnergyAndMetrics(team, byRep, in.CRM)
	s.Questions = SummarizeAnswers(team, week, through, in.CheckIns)
	for _, rep := range team.Reps {
		if n := Streak(team, rep, in.Places[rep], in.CheckIns, in.Away[rep], through); n > 0 {
			s.Streaks = append(s.Streaks, RepStreak{Rep: rep, Days: n})
		}
	}
	slices.SortStableFunc(s.Streaks, func(a, b RepStreak) int { return cmp.Compare(b.Days, a.Days) })
	s.addReviews(team, in.Commitments)
	s.addActivity(team, in)
	return s
}

// addParticipation counts the due and answered check-ins over the team's
// workdays up to Through, and any other day a rep of another holiday place
// was due, day by day for the chart; and the reps due at all that week.
func (s *Summary) addParticipation(team *Team, byRep map[string]map[Date]*CheckIn, due func(rep string, d Date) bool) {
	for d := s.Week; !d.After(s.Through); d = d.AddDays(1) {
		if !team.IsWorkday(d) && !slices.ContainsFunc(team.Reps, func(rep string) bool { return due(rep, d) }) {
			continue
		}
		day := DayFigures{Date: d}
		var energy mean
		for _, rep := range team.Reps {
			if !due(rep, d) {
				continue
			}
			day.Due++
			if c, ok := byRep[rep][d]; ok {
				day.Answered++
				energy.add(float64(c.Energy))
				if c.Status == CheckInLate {
					s.Late++
				}
			}
		}
		day.Participation = ratio(float64(day.Answered), day.Due)
		day.Energy = energy.value()
		s.Due += day.Due
		s.Answered += day.Answered
		s.Days = append(s.Days, day)
	}
	s.Participation = ratio(float64(s.Answered), s.Due)
	for _, rep := range team.Reps {
		for d := s.Week; !d.After(s.Week.AddDays(6)); d = d.AddDays(1) {
			if due(rep, d) {
				s.RepsDue++
				break
			}
		}
	}
}

// addEnergyAndMetrics averages the energy and totals the metrics over
// every answer of the week, also on a day that was not due (the work was
// done), with the CRM's numbers; and the energy of the week before.
func (s *Summary) addEnergyAndMetrics(team *Team, byRep map[string]map[Date]*CheckIn, crm []CRMFigure) {
	week, through := s.Week, s.Through
	var energy, prev mean
	totals := make(map[string]float64, len(team.Metrics))
	for _, rep := range team.Reps {
		for d, c := range byRep[rep] {
			switch {
			case !d.Before(week) && !d.After(through):
				energy.add(float64(c.Energy))
				for k, v := range c.Metrics {
					if team.CountsTyped(k) {
						totals[k] += v
					}
				}
			case !d.Before(week.AddDays(-7)) && d.Before(week):
				prev.add(float64(c.Energy))
			}
		}
	}
	s.Energy, s.PrevEnergy = energy.value(), prev.value()
	if s.Energy > 0 && s.PrevEnergy > 0 {
		s.EnergyTrend = s.Energy - s.PrevEnergy
	}
	for i := range crm {
		if f := &crm[i]; team.IsRep(f.Rep) && !f.Day.Before(week) && !f.Day.After(through) {
			team.CRMCounts(f, func(key string, v float64) { totals[key] += v })
		}
	}
	for _, m := range team.TrackedMetrics() {
		s.Metrics = append(s.Metrics, MetricTotal{Key: m.Key, Name: m.Name, Total: totals[m.Key], Target: m.Target * float64(s.RepsDue), Source: metricSource(team, m)})
	}
}

// addReviews counts how last week's commitments were reviewed.
func (s *Summary) addReviews(team *Team, commitments []Commitment) {
	lastWeek := s.Week.AddDays(-7)
	for _, c := range commitments {
		if c.TeamID != team.ID || c.Week != lastWeek || !team.IsRep(c.UserID) {
			continue
		}
		switch c.Status {
		case CommitmentKept:
			s.Kept++
		case CommitmentPartly:
			s.Partly++
		case CommitmentMissed:
			s.MissedPromises++
		default:
			continue
		}
		s.Reviewed++
	}
	s.CommitmentsKept = ratio(float64(s.Kept)+float64(s.Partly)/2, s.Reviewed)
}

// addActivity counts the nudges of the four weeks up to Through's end, and
// the week's kudos and blockers.
func (s *Summary) addActivity(team *Team, in SummaryInput) {
	loc := team.Location()
	from, until := s.Week.In(loc), DayEnd(s.Through, loc)
	var recent []Nudge
	nudgesFrom := until.AddDate(0, 0, -28)
	for _, n := range in.Nudges {
		if n.TeamID == team.ID && within(n.SentAt, nudgesFrom, until) {
			recent = append(recent, n)
			s.NudgesSent++
			if n.Response == NudgeApplied {
				s.NudgesApplied++
			}
		}
	}
	s.Implementation, _ = ImplementationRate(recent)

	for _, k := range in.Kudos {
		if k.TeamID == team.ID && within(k.CreatedAt, from, until) {
			s.Kudos++
		}
	}
	for _, b := range in.Blockers {
		if b.TeamID != team.ID {
			continue
		}
		if !b.Date.Before(s.Week) && !b.Date.After(s.Through) {
			s.BlockersRaised++
		}
		if b.Status == BlockerResolved && within(b.ResolvedAt, from, until) {
			s.BlockersResolved++
		}
	}
}

// Streak returns how many of the team's workdays in a row, counting back
// from today, the rep checked in (on time or late). Days that were not due
// (not a workday, a team day off, a public holiday of the rep's place —
// place, or the team's when empty —, a day away) neither count nor break the
// run. Today counts once answered and is passed over until then, since the
// rep may still answer; an earlier due day without an answer ends the run.
// Only the check-ins given are known: the run stops at the earliest.
func Streak(team *Team, rep, place string, checkIns []CheckIn, away []AwayPeriod, today Date) int {
	answered := map[Date]bool{}
	var earliest Date
	for _, c := range checkIns {
		if c.TeamID != team.ID || c.UserID != rep || !c.Answered() || c.Date.After(today) {
			continue
		}
		answered[c.Date] = true
		if earliest.IsZero() || c.Date.Before(earliest) {
			earliest = c.Date
		}
	}
	n := 0
	for d := today; len(answered) > 0 && !d.Before(earliest); d = d.AddDays(-1) {
		switch {
		case !CheckInDue(team, place, away, d):
		case answered[d]:
			n++
		case d == today:
		default:
			return n
		}
	}
	return n
}

// answeredByRep indexes the team's answered check-ins by rep and day. The
// values point into checkIns, which a status reads by the hundred: copying
// each check-in into the index cost more than computing the figures.
func answeredByRep(team *Team, checkIns []CheckIn) map[string]map[Date]*CheckIn {
	out := make(map[string]map[Date]*CheckIn, len(team.Reps))
	for i := range checkIns {
		c := &checkIns[i]
		if c.TeamID != team.ID || !c.Answered() {
			continue
		}
		days := out[c.UserID]
		if days == nil {
			days = make(map[Date]*CheckIn, 14)
			out[c.UserID] = days
		}
		days[c.Date] = c
	}
	return out
}

type mean struct {
	sum float64
	n   int
}

func (m *mean) add(v float64) { m.sum += v; m.n++ }

func (m *mean) value() float64 { return ratio(m.sum, m.n) }

func ratio(a float64, b int) float64 {
	if b == 0 {
		return 0
	}
	return a / float64(b)
}

func within(t, from, until time.Time) bool { return !t.Before(from) && t.Before(until) }
