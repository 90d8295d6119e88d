package pulse

import (
	"cmp"
	"slices"
	"time"
)

// TeamStatus is a team at a glance on one day, as a manager sees it in
// /pulse and on the App Home: who checked in and who is missing, what
// stands in the reps' way, how their energy goes, and how the week's
// promises, numbers, training and coaching stand.
type TeamStatus struct {
	TeamID string
	Today  Date // the team's local day

	// Due counts the reps whose check-in is due today: not away, and on
	// a workday of the team in their own zone. CheckedIn counts those who
	// answered; Missing lists the others, in the team's order.
	Due       int
	CheckedIn int
	Missing   []string
	Away      []string // reps away today

	Blockers []OpenBlocker // open blockers, oldest first

	// Energy is the average energy of this week's answers, PrevEnergy of
	// last week's; EnergyTrend their difference when both weeks had answers.
	Energy      float64
	PrevEnergy  float64
	EnergyTrend float64

	Commitments CommitmentCounts // this week's
	Metrics     []MetricTotal    // this week's totals against target × reps due

	// Training implementation over the nudges of the team's recent
	// trainings: applied ÷ sent. HasImplementation is false when no
	// nudge was sent yet.
	NudgesSent        int
	NudgesApplied     int
	Implementation    float64
	HasImplementation bool

	// Overdue lists the reps whose last 1:1 is older than the team's
	// coaching cadence, or who never had one; longest overdue first.
	Overdue []OverdueOneOnOne
}

// OpenBlocker is an open blocker and how long it has stood. The blocker is
// the one in the status's input, not a copy.
type OpenBlocker struct {
	*Blocker
	Age time.Duration
}

// CommitmentCounts counts a week's commitments by status.
type CommitmentCounts struct {
	Kept, Partly, Missed, Open int
}

// Total returns how many commitments were counted.
func (c CommitmentCounts) Total() int { return c.Kept + c.Partly + c.Missed + c.Open }

// OverdueOneOnOne is a rep whose 1:1 is due. Last is zero when they never
// had one; Days is then the days since the team was created.
type OverdueOneOnOne struct {
	Rep  string
	Last Date
	Days int
}

// TeamStatusInput is what a team's status is computed from: plain records
// the caller loads with range queries. Records of other teams are ignored.
type TeamStatusInput struct {
	// Now is the instant the status is for.
	Now time.Time
	// Zones holds each rep's zone; a rep without one lives in the team's.
	Zones map[string]*time.Location
	// Places holds the holiday place of each rep who keeps one of their
	// own; a rep without one keeps the team's.
	Places map[string]string
	// CheckIns holds the team's check-ins of this week and last week
	// (in the team's calendar), and of each rep's local today.
	CheckIns []CheckIn
	// Tally, when set, has counted the check-ins, nudges and commitments
	// instead, as store scans fed it (see TeamTally); CheckIns, Nudges and
	// Commitments are then not read.
	Tally *TeamTally
	// Away holds each rep's away periods.
	Away map[string][]AwayPeriod
	// Blockers holds the team's open blockers.
	Blockers []Blocker
	// Commitments holds at least this week's commitments.
	Commitments []Commitment
	// Nudges holds the nudges of the team's recent trainings.
	Nudges []Nudge
	// LastOneOnOne holds each rep's latest 1:1 day; a rep missing from it
	// never had one.
	LastOneOnOne map[string]Date
}

// RepLocalDay returns the day it is for a rep at now in their zone, or in
// the team's when the zone is nil.
func RepLocalDay(team *Team, zone *time.Location, now time.Time) Date {
	if zone == nil {
		zone = team.Location()
	}
	return DateOf(now.In(zone))
}

// CheckInDue reports whether a rep's check-in is due on their local day d:
// a working day of the team in the rep's holiday place (empty for the
// team's) on which they are not away.
func CheckInDue(team *Team, place string, away []AwayPeriod, d Date) bool {
	return team.IsWorkdayIn(place, d) && !IsAway(away, d)
}

// ComputeTeamStatus computes the team's status at in.Now. It reads no clock
// and no store.
func ComputeTeamStatus(team *Team, in TeamStatusInput) TeamStatus {
	loc := team.Location()
	today := DateOf(in.Now.In(loc))
	s := TeamStatus{TeamID: team.ID, Today: today}

	tally := in.Tally
	if tally == nil {
		tally = NewTeamTally(team, today)
		for i := range in.CheckIns {
			tally.AddCheckIn(&in.CheckIns[i])
		}
		for i := range in.Nudges {
			tally.AddNudge(&in.Nudges[i])
		}
		for i := range in.Commitments {
			tally.AddCommitment(&in.Commitments[i])
		}
	}
	for _, rep := range team.Reps {
		zone := in.Zones[rep]
		if zone == nil {
			zone = loc
		}
		day := DateOf(in.Now.In(zone))
		switch {
		case IsAway(in.Away[rep], day):
			s.Away = append(s.Away, rep)
		case !team.IsWorkdayIn(in.Places[rep], day):
		case tally.answered(rep, day):
			s.Due++
			s.CheckedIn++
		default:
			s.Due++
			s.Missing = append(s.Missing, rep)
		}
	}

	s.Blockers = make([]OpenBlocker, 0, len(in.Blockers))
	for i := range in.Blockers {
		if b := &in.Blockers[i]; b.TeamID == team.ID && b.Open() {
			s.Blockers = append(s.Blockers, OpenBlocker{Blocker: b, Age: max(0, in.Now.Sub(b.RaisedAt))})
		}
	}
	slices.SortStableFunc(s.Blockers, func(a, b OpenBlocker) int { return a.RaisedAt.Compare(b.RaisedAt) })

	s.Energy, s.PrevEnergy, s.EnergyTrend, s.Metrics = weekFigures(team, today, tally, in.Away, in.Places)

	s.Commitments = tally.commitments

	s.NudgesSent, s.NudgesApplied = tally.nudgesSent, tally.nudgesApplied
	// As ImplementationRate reckons it.
	if s.HasImplementation = s.NudgesSent > 0; s.HasImplementation {
		s.Implementation = float64(s.NudgesApplied) / float64(s.NudgesSent)
	}

	s.Overdue = overdueOneOnOnes(team, in.LastOneOnOne, DateOf(team.CreatedAt.In(loc)), today)
	slices.SortStableFunc(s.Overdue, func(a, b OverdueOneOnOne) int { return cmp.Compare(b.Days, a.Days) })
	return s
}

// weekFigures returns the energy of this week's answers up to today and of
// last week's, its trend, and this week's metric totals against each
// target × the reps due this week, as the weekly summary counts them
// (without the summary's per-rep streaks, which a status does not show).
func weekFigures(team *Team, today Date, tally *TeamTally, away map[string][]AwayPeriod, places map[string]string) (energy, prevEnergy, trend float64, metrics []MetricTotal) {
	week := today.WeekStart()
	repsDue := 0
	for _, rep := range team.Reps {
		for d := week; d.Before(week.AddDays(7)); d = d.AddDays(1) {
			if CheckInDue(team, places[rep], away[rep], d) {
				repsDue++
				break
			}
		}
	}
	energy, prevEnergy = tally.cur.value(), tally.prev.value()
	if energy > 0 && prevEnergy > 0 {
		trend = energy - prevEnergy
	}
	tracked := team.TrackedMetrics()
	metrics = make([]MetricTotal, 0, len(tracked))
	for _, m := range tracked {
		metrics = append(metrics, MetricTotal{Key: m.Key, Name: m.Name, Total: tally.metrics[m.Key], Target: m.Target * float64(repsDue), Source: metricSource(team, m)})
	}
	return energy, prevEnergy, trend, metrics
}

func countCommitments(cs []Commitment, keep func(*Commitment) bool) CommitmentCounts {
	var n CommitmentCounts
	for i := range cs {
		if keep(&cs[i]) {
			n.add(cs[i].Status)
		}
	}
	return n
}

// add counts one commitment of the given status; any other is open.
func (c *CommitmentCounts) add(status CommitmentStatus) {
	switch status {
	case CommitmentKept:
		c.Kept++
	case CommitmentPartly:
		c.Partly++
	case CommitmentMissed:
		c.Missed++
	default:
		c.Open++
	}
}

// RepStatus is one rep's own pulse in one team: today's check-in, the
// streak, the goal, the week's promises, the training still to apply, and
// how their energy, coaching and recognition go.
type RepStatus struct {
	Rep    string
	TeamID string
	Today  Date // the rep's local day

	Due     bool     // a check-in is due today
	Away    bool     // the rep is away today
	CheckIn *CheckIn // today's answered check-in; nil when not yet
	Streak  int
	Goal    string

	Commitments []Commitment // this week's, oldest first
	Counts      CommitmentCounts
	ToReview    []Commitment // last week's still open, oldest first: the rep says how they went

	ToApply []TrainingToApply // trainings not yet applied, newest first

	Energy      float64 // this week's average; 0 when no answers
	PrevEnergy  float64 // last week's
	EnergyTrend float64 // Energy − PrevEnergy when both weeks had answers

	LastOneOnOne Date // zero when never
	Kudos        int  // kudos received in the records given
}

// TrainingToApply is a training the rep attended and has not reported
// applying yet, with the nudges still waiting for an answer.
type TrainingToApply struct {
	TrainingID string
	Skill      string
	Date       Date
	Pending    int // nudges sent and not answered "applied"
}

// RepStatusInput is what a rep's status is computed from.
type RepStatusInput struct {
	Now   time.Time
	Zone  *time.Location // the rep's zone; the team's when nil
	Place string         // the rep's own holiday place; the team's when empty
	Goal  string
	// CheckIns holds the rep's check-ins as far back as the streak should
	// count, and at least this week and last week.
	CheckIns []CheckIn
	Away     []AwayPeriod
	// Commitments holds at least the rep's commitments of this week and
	// of last week.
	Commitments []Commitment
	// Trainings and Nudges hold the team's recent trainings and the rep's
	// nudges.
	Trainings []Training
	Nudges    []Nudge
	// LastOneOnOne is the day of the rep's latest 1:1; zero when never.
	LastOneOnOne Date
	Kudos        []Kudos
}

// ComputeRepStatus computes the rep's status in the team at in.Now. It
// reads no clock and no store.
func ComputeRepStatus(team *Team, rep string, in RepStatusInput) RepStatus {
	today := RepLocalDay(team, in.Zone, in.Now)
	s := RepStatus{Rep: rep, TeamID: team.ID, Today: today, Goal: in.Goal, LastOneOnOne: in.LastOneOnOne}
	s.Away = IsAway(in.Away, today)
	s.Due = CheckInDue(team, in.Place, in.Away, today)
	var energy, prev mean
	week := today.WeekStart()
	for i := range in.CheckIns {
		c := &in.CheckIns[i]
		if c.TeamID != team.ID || c.UserID != rep || !c.Answered() {
			continue
		}
		if c.Date == today {
			s.CheckIn = c
		}
		switch {
		case !c.Date.Before(week) && !c.Date.After(today):
			energy.add(float64(c.Energy))
		case !c.Date.Before(week.AddDays(-7)) && c.Date.Before(week):
			prev.add(float64(c.Energy))
		}
	}
	s.Energy, s.PrevEnergy = energy.value(), prev.value()
	if s.Energy > 0 && s.PrevEnergy > 0 {
		s.EnergyTrend = s.Energy - s.PrevEnergy
	}
	s.Streak = Streak(team, rep, in.Place, in.CheckIns, in.Away, today)

	keep := func(c *Commitment) bool { return c.TeamID == team.ID && c.UserID == rep && c.Week == week }
	for i := range in.Commitments {
		if keep(&in.Commitments[i]) {
			s.Commitments = append(s.Commitments, in.Commitments[i])
		}
	}
	s.Counts = countCommitments(s.Commitments, func(*Commitment) bool { return true })
	for _, c := range in.Commitments {
		if c.TeamID == team.ID && c.UserID == rep && c.Week == week.AddDays(-7) && (c.Status == CommitmentOpen || c.Status == "") {
			s.ToReview = append(s.ToReview, c)
		}
	}

	s.ToApply = TrainingsToApply(team, rep, in.Trainings, in.Nudges)

	for _, k := range in.Kudos {
		if k.To == rep && k.TeamID == team.ID {
			s.Kudos++
		}
	}
	return s
}

// TrainingsToApply returns the trainings of the team the rep attended and
// has not reported applying: no nudge answered "applied" yet. Newest first.
func TrainingsToApply(team *Team, rep string, trainings []Training, nudges []Nudge) []TrainingToApply {
	var out []TrainingToApply
	for _, t := range trainings {
		if t.TeamID != team.ID || !slices.Contains(t.Attendees, rep) {
			continue
		}
		applied, pending := false, 0
		for _, n := range nudges {
			if n.TrainingID != t.ID || n.UserID != rep || n.SentAt.IsZero() {
				continue
			}
			if n.Response == NudgeApplied {
				applied = true
			} else {
				pending++
			}
		}
		if !applied {
			out = append(out, TrainingToApply{TrainingID: t.ID, Skill: t.Skill, Date: t.Date, Pending: pending})
		}
	}
	slices.SortStableFunc(out, func(a, b TrainingToApply) int { return b.Date.Compare(a.Date) })
	return out
}

// overdueOneOnOnes lists the reps whose 1:1 is past the team's cadence on
// today, given each rep's last (a rep who never had one is counted from
// created, the team's first day), in the team's order. Counted, then
// listed: a list made for every rep was most of what a status allocated
// for itself.
func overdueOneOnOnes(team *Team, lastMet map[string]Date, created, today Date) []OverdueOneOnOne {
	overdue := func(rep string, add func(OverdueOneOnOne)) {
		last, ok := lastMet[rep]
		switch {
		case !ok && team.CreatedAt.IsZero():
			add(OverdueOneOnOne{Rep: rep})
		case !ok:
			// A rep who never had one is counted from the team's start, as
			// the leader's pulse counts them: a new team owes nobody yet.
			if days := created.DaysUntil(today); days > team.CoachingCadence {
				add(OverdueOneOnOne{Rep: rep, Days: days})
			}
		case last.DaysUntil(today) > team.CoachingCadence:
			add(OverdueOneOnOne{Rep: rep, Last: last, Days: last.DaysUntil(today)})
		}
	}
	n := 0
	for _, rep := range team.Reps {
		overdue(rep, func(OverdueOneOnOne) { n++ })
	}
	out := make([]OverdueOneOnOne, 0, n)
	for _, rep := range team.Reps {
		overdue(rep, func(o OverdueOneOnOne) { out = append(out, o) })
	}
	return out
}
