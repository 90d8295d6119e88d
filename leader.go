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
	loc := team.Location()
	week := in.Week.WeekStart()
	start, end := WallClock(week, 0, loc), WallClock(week.AddDays(7), 0, loc)
	inWeek := func(t time.Time) bool { return !t.Before(start) && t.Before(end) }
	lastDay := week.AddDays(6)
	p := LeaderPulse{Manager: manager, Week: week, Target: team.Target()}

	given := map[string]int{}
	for _, f := range in.Feedback {
		if f.TeamID == team.ID && f.From == manager && inWeek(f.At) && team.IsRep(f.RepID) {
			given[f.RepID]++
			p.Feedback++
		}
	}
	for _, rep := range team.Reps {
		if rep == manager || !workedIn(team, in.People[rep], in.Away[rep], week) {
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

	cadence := max(team.CoachingCadence, 1)
	created := DateOf(team.CreatedAt.In(loc))
	for _, rep := range team.Reps {
		if rep == manager {
			continue
		}
		since, ok := in.LastOneOnOne[rep]
		if !ok {
			if team.CreatedAt.IsZero() {
				continue
			}
			since = created
		}
		if since.DaysUntil(lastDay) < cadence {
			continue
		}
		p.OneOnOnesDue++
		for _, s := range in.Sessions {
			if s.TeamID == team.ID && s.RepID == rep && s.ManagerID == manager && !s.Date.Before(week) && !s.Date.After(lastDay) {
				p.OneOnOnesHeld++
				break
			}
		}
	}

	meetingDay := week
	for meetingDay.Weekday() != team.MeetingDay {
		meetingDay = meetingDay.AddDays(1)
	}
	meeting := WallClock(meetingDay, team.MeetingTime, loc)
	for _, c := range in.Commitments {
		if c.TeamID != team.ID || c.Week != week.AddDays(-7) {
			continue
		}
		p.CommitmentsDue++
		if !c.ReviewedAt.IsZero() && !c.ReviewedAt.After(meeting.Add(24*time.Hour)) {
			p.CommitmentsReviewed++
		}
	}

	for _, n := range in.Nudges {
		if n.TeamID != team.ID || n.Response == NudgePending || !inWeek(n.AnsweredAt) {
			continue
		}
		p.ReportsDue++
		for _, f := range in.Feedback {
			if f.TeamID == team.ID && f.From == manager && f.RepID == n.UserID && !f.At.Before(n.AnsweredAt) && inWeek(f.At) {
				p.ReportsFollowed++
				break
			}
		}
	}

	for _, k := range in.Kudos {
		if k.TeamID == team.ID && k.From == manager && inWeek(k.CreatedAt) {
			p.Kudos++
		}
	}

	for _, b := range in.Blockers {
		if b.TeamID != team.ID || b.Status != BlockerResolved || b.ResolvedBy != manager || !inWeek(b.ResolvedAt) {
			continue
		}
		p.BlockersResolved++
		if workdaysBetween(team, in.People[b.UserID], b.Date, DateOf(b.ResolvedAt.In(loc))) <= team.BlockerLimit {
			p.BlockersInLimit++
		}
	}
	return p
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
