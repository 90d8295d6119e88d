package pulse

import (
	"time"
)

// LeaderPulseInput is what the leadership pulse of a team's managers for
// one week is counted from. Each list may hold more than the week: what
// falls outside is not counted.
type LeaderPulseInput struct {
	Week     Date       // Monday of the week
	Feedback []Feedback // given in the team
	Sessions []CoachingSession
	// LastOneOnOne holds each rep's latest 1:1 before the week; a rep
	// missing from it counts from the team's creation.
	LastOneOnOne map[string]Date
	// Commitments holds those made for the week before, reviewed at this
	// week's meeting.
	Commitments []Commitment
	Nudges      []Nudge // the team's nudges
	Kudos       []Kudos
	Blockers    []Blocker
	Away        map[string][]AwayPeriod
	People      map[string]*Person // reps Pulse has a profile of, whose own public holidays apply
}

// LeaderPulse is one manager's week as a leader: each figure is x of y,
// what they did of what was due.
type LeaderPulse struct {
	Manager string
	Week    Date
	Target  int // feedback per rep per week

	Reps         int // reps who had a workday in the week
	RepsOnTarget int // of them, given feedback Target times or more by the manager
	RepsGiven    int // of them, given any feedback by the manager
	Feedback     int // pieces of feedback the manager gave

	OneOnOnesDue  int // reps whose 1:1 fell due by the week's end
	OneOnOnesHeld int // of them, met by the manager in the week

	CommitmentsDue      int // last week's commitments, up for review at this week's meeting
	CommitmentsReviewed int // of them, reviewed within a day of the meeting

	ReportsDue      int // training reports reps sent in the week
	ReportsFollowed int // of them, answered by the manager's feedback after the report

	Kudos int // kudos the manager gave

	BlockersResolved int // blockers the manager resolved in the week
	BlockersInLimit  int // of them, within the team's blocker limit
}

// ComputeLeaderPulse counts manager's week in team. It reads no clock and
// no store: the week runs from Monday 00:00 to the next Monday 00:00 in
// the team's zone.
func ComputeLeaderPulse(team *Team, manager string, in LeaderPulseInput) LeaderPulse {
	w := newLeaderWeek(team, manager, in.Week)
	p := LeaderPulse{Manager: manager, Week: w.week, Target: team.Target()}
	w.countFeedback(&p, in)
	w.countOneOnOnes(&p, in)
	w.countCommitments(&p, in)
	w.countReports(&p, in)
	for _, k := range in.Kudos {
		if k.TeamID == team.ID && k.From == manager && w.in(k.CreatedAt) {
			p.Kudos++
		}
	}
	w.countBlockers(&p, in)
	return p
}

// leaderWeek is one manager's week in a team, as its pulse counts it:
// from Monday 00:00 to the next Monday 00:00 in the team's zone.
type leaderWeek struct {
	team       *Team
	manager    string
	loc        *time.Location
	week       Date // Monday
	lastDay    Date // Sunday
	start, end time.Time
}

func newLeaderWeek(team *Team, manager string, week Date) leaderWeek {
	loc := team.Location()
	week = week.WeekStart()
	return leaderWeek{
		team: team, manager: manager, loc: loc, week: week, lastDay: week.AddDays(6),
		start: WallClock(week, 0, loc), end: WallClock(week.AddDays(7), 0, loc),
	}
}

// in reports whether t falls in the week.
func (w leaderWeek) in(t time.Time) bool { return !t.Before(w.start) && t.Before(w.end) }

// countFeedback counts the feedback the manager gave in the week, and the
// reps with a workday in it who had any, and as much as the target.
func (w leaderWeek) countFeedback(p *LeaderPulse, in LeaderPulseInput) {
	given := map[string]int{}
	for _, f := range in.Feedback {
		if f.TeamID == w.team.ID && f.From == w.manager && w.in(f.At) && w.team.IsRep(f.RepID) {
			given[f.RepID]++
			p.Feedback++
		}
	}
	for _, rep := range w.team.Reps {
		if rep == w.manager || !workedIn(w.team, in.People[rep], in.Away[rep], w.week) {
			continue
		}
		p.Reps++
		if given[rep] > 0 {
			p.RepsGiven++
		}
		if given[rep] >= p.Target {
			p.RepsOnTarget++
		}
	}
}

// countOneOnOnes counts the reps whose 1:1 fell due by the week's end,
// and of them those the manager met in the week.
func (w leaderWeek) countOneOnOnes(p *LeaderPulse, in LeaderPulseInput) {
	cadence := max(w.team.CoachingCadence, 1)
	created := DateOf(w.team.CreatedAt.In(w.loc))
	for _, rep := range w.team.Reps {
		if rep == w.manager {
			continue
		}
		since, ok := in.LastOneOnOne[rep]
		if !ok {
			if w.team.CreatedAt.IsZero() {
				continue
			}
			since = created
		}
		if since.DaysUntil(w.lastDay) < cadence {
			continue
		}
		p.OneOnOnesDue++
		for _, s := range in.Sessions {
			if s.TeamID == w.team.ID && s.RepID == rep && s.ManagerID == w.manager && !s.Date.Before(w.week) && !s.Date.After(w.lastDay) {
				p.OneOnOnesHeld++
				break
			}
		}
	}
}

// countCommitments counts last week's commitments, and of them those
// reviewed within a day of this week's meeting.
func (w leaderWeek) countCommitments(p *LeaderPulse, in LeaderPulseInput) {
	meetingDay := w.week
	for meetingDay.Weekday() != w.team.MeetingDay {
		meetingDay = meetingDay.AddDays(1)
	}
	meeting := WallClock(meetingDay, w.team.MeetingTime, w.loc)
	for _, c := range in.Commitments {
		if c.TeamID != w.team.ID || c.Week != w.week.AddDays(-7) {
			continue
		}
		p.CommitmentsDue++
		if !c.ReviewedAt.IsZero() && !c.ReviewedAt.After(meeting.Add(24*time.Hour)) {
			p.CommitmentsReviewed++
		}
	}
}

// countReports counts the training reports answered in the week, and of
// them those the manager followed with feedback to the rep.
func (w leaderWeek) countReports(p *LeaderPulse, in LeaderPulseInput) {
	for _, n := range in.Nudges {
		if n.TeamID != w.team.ID || n.Response == NudgePending || !w.in(n.AnsweredAt) {
			continue
		}
		p.ReportsDue++
		for _, f := range in.Feedback {
			if f.TeamID == w.team.ID && f.From == w.manager && f.RepID == n.UserID && !f.At.Before(n.AnsweredAt) && w.in(f.At) {
				p.ReportsFollowed++
				break
			}
		}
	}
}

// countBlockers counts the blockers the manager resolved in the week, and
// of them those resolved within the team's limit of the rep's workdays.
func (w leaderWeek) countBlockers(p *LeaderPulse, in LeaderPulseInput) {
	for _, b := range in.Blockers {
		if b.TeamID != w.team.ID || b.Status != BlockerResolved || b.ResolvedBy != w.manager || !w.in(b.ResolvedAt) {
			continue
		}
		p.BlockersResolved++
		if workdaysBetween(w.team, in.People[b.UserID], b.Date, DateOf(b.ResolvedAt.In(w.loc))) <= w.team.BlockerLimit {
			p.BlockersInLimit++
		}
	}
}

// workedIn reports whether the rep p (nil: the team's holidays apply) had
// a workday in the week of Monday week.
func workedIn(team *Team, p *Person, away []AwayPeriod, week Date) bool {
	for i := range 7 {
		if !DayOff(team, p, away, week.AddDays(i)) {
			return true
		}
	}
	return false
}

// workdaysBetween counts the workdays of rep p (nil: the team's holidays
// apply) after from up to and including to.
func workdaysBetween(team *Team, p *Person, from, to Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to) && from.DaysUntil(d) <= 366; d = d.AddDays(1) {
		if !DayOff(team, p, nil, d) {
			n++
		}
	}
	return n
}
