package pulse

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// ContestKind is how a contest is won.
type ContestKind string

// The kinds of contest. Best per workday divides each rep's total by their
// own workdays in the contest, so a rep who was away is not left behind.
const (
	ContestTotal      ContestKind = "total"       // most in total
	ContestFirstTo    ContestKind = "first_to"    // first to reach Target
	ContestPerWorkday ContestKind = "per_workday" // best per workday
)

// ContestKinds lists the kinds in the order a modal offers them.
var ContestKinds = []ContestKind{ContestTotal, ContestFirstTo, ContestPerWorkday}

// The counts Pulse keeps that a contest may be on, beside the team's
// metrics. They are not valid metric keys (a team's keys have no '-').
const (
	CountCheckIns = "pulse-checkins" // check-ins answered
	CountSkills   = "pulse-skills"   // trainings reported applied
	CountKudos    = "pulse-kudos"    // kudos received
)

// PulseCounts lists the counts Pulse keeps.
var PulseCounts = []string{CountCheckIns, CountSkills, CountKudos}

// Limits of a contest.
const (
	MaxContestNameLen  = 80
	MaxContestPrizeLen = 200
	MaxContestDays     = 92
	MaxCancelNoteLen   = 500
)

// Contest is a sales contest of one team: who does best on one metric from
// Start to End. Only the team's managers start and cancel it; anyone in the
// team sees its public standings, which name only the front.
type Contest struct {
	ID     string
	TeamID string
	Name   string
	Metric string // a team metric's key, or one of PulseCounts
	Kind   ContestKind
	Target float64 // the target of a first-to contest
	Start  Date    // team days, both included
	End    Date
	Prize  string

	CreatedBy string
	CreatedAt time.Time

	Cancelled   bool
	CancelledBy string
	CancelNote  string

	// Channel and StandingsTS name the one standings message in the team
	// channel, updated each day instead of posted anew.
	Channel     string
	StandingsTS string
}

// ParseContestKind reads a kind's name.
func ParseContestKind(s string) (ContestKind, bool) {
	k := ContestKind(strings.TrimSpace(s))
	return k, slices.Contains(ContestKinds, k)
}

// Validate checks the contest against its team on the team's day today and
// reports every bad field at once; the texts are trimmed in place.
func (c *Contest) Validate(team *Team, today Date) error {
	var errs ValidationErrors
	var e *Error
	if c.Name, e = cleanText("name", c.Name, MaxContestNameLen, true); e != nil {
		errs = append(errs, e)
	}
	if c.Prize, e = cleanText("prize", c.Prize, MaxContestPrizeLen, false); e != nil {
		errs = append(errs, e)
	}
	if _, ok := team.Metric(c.Metric); !ok && !slices.Contains(PulseCounts, c.Metric) {
		errs = append(errs, FieldError("metric", "err.metric", map[string]any{"Value": c.Metric}, "unknown metric %q", c.Metric))
	}
	kind, ok := ParseContestKind(string(c.Kind))
	if !ok {
		errs = append(errs, FieldError("kind", "contest.err_kind", nil, "unknown kind %q", c.Kind))
	}
	if kind == ContestFirstTo && (c.Target <= 0 || c.Target > MaxPlanTarget || math.IsNaN(c.Target)) {
		errs = append(errs, FieldError("target", "contest.err_target", nil, "first-to contest without a target"))
	}
	switch {
	case c.Start.IsZero():
		errs = append(errs, FieldError("start", "err.date", map[string]any{"Value": ""}, "contest without start"))
	case c.End.IsZero():
		errs = append(errs, FieldError("end", "err.date", map[string]any{"Value": ""}, "contest without end"))
	case c.End.Before(c.Start):
		errs = append(errs, FieldError("end", "err.date_order", map[string]any{"From": c.Start.String(), "To": c.End.String()}, "contest ends before it starts"))
	case c.End.Before(today):
		errs = append(errs, FieldError("end", "contest.err_past", nil, "contest ends in the past"))
	case c.Start.DaysUntil(c.End) >= MaxContestDays:
		errs = append(errs, FieldError("end", "contest.err_long", map[string]any{"Max": MaxContestDays}, "contest longer than %d days", MaxContestDays))
	}
	return errs.OrNil()
}

// Running reports whether the contest is on on the team's day d.
func (c *Contest) Running(d Date) bool {
	return !c.Cancelled && !d.Before(c.Start) && !d.After(c.End)
}

// ContestPoint is what one rep scored on one day.
type ContestPoint struct {
	Rep   string
	Day   Date
	Value float64
}

// PointOf returns what a check-in scores in the contest of the team: its
// value of the contest's metric when a typed number of it counts
// (CountsTyped), or 1 for a contest on check-ins answered. A missed day,
// another team's check-in or a day outside the contest scores nothing.
func (c *Contest) PointOf(team *Team, f *CheckInFigures) (ContestPoint, bool) {
	if f.TeamID != c.TeamID || !f.Answered() || f.Date.Before(c.Start) || f.Date.After(c.End) {
		return ContestPoint{}, false
	}
	if c.Metric == CountCheckIns {
		return ContestPoint{f.UserID, f.Date, 1}, true
	}
	if !team.CountsTyped(c.Metric) {
		return ContestPoint{}, false // the CRM's number counts instead
	}
	for _, m := range f.Metrics {
		if m.Key == c.Metric {
			return ContestPoint{f.UserID, f.Date, m.Value}, true
		}
	}
	return ContestPoint{}, false
}

// CRMPointOf returns what a figure from the team's CRM scores in the
// contest: the CRM's number of the contest's metric when it counts
// (CRMCounts), also on a day the rep did not check in.
func (c *Contest) CRMPointOf(team *Team, f *CRMFigure) (ContestPoint, bool) {
	var p ContestPoint
	ok := false
	if f.TeamID != c.TeamID || f.Day.Before(c.Start) || f.Day.After(c.End) {
		return p, false
	}
	team.CRMCounts(f, func(key string, v float64) {
		if key == c.Metric {
			p, ok = ContestPoint{f.Rep, f.Day, v}, true
		}
	})
	return p, ok
}

// Standing is one rep's place in a contest.
type Standing struct {
	Rep      string
	Rank     int     // 1 for the front; tied reps share a rank, the next skips (1, 1, 3)
	Score    float64 // what the rank is by: total, or total per workday
	Total    float64
	Workdays int  // the rep's workdays in the contest so far
	Reached  Date // first-to: the day the target was reached; zero when not yet
}

// ComputeStandings ranks the team's reps in the contest from the points
// scored through the team's day through; away and people (each rep's
// record, for their holiday place) decide each rep's workdays. A rep who left the team has left
// the contest; a cancelled contest has no standings. Every point counts as
// it stands now, so a late check-in or an edited number changes them.
func ComputeStandings(c *Contest, team *Team, away map[string][]AwayPeriod, people map[string]*Person, points []ContestPoint, through Date) []Standing {
	if c.Cancelled {
		return nil
	}
	last := c.End
	if through.Before(last) {
		last = through
	}
	by := make(map[string]*Standing, len(team.Reps))
	out := make([]Standing, 0, len(team.Reps))
	for _, rep := range team.Reps {
		out = append(out, Standing{Rep: rep})
	}
	for i := range out {
		by[out[i].Rep] = &out[i]
	}
	pts := slices.Clone(points)
	slices.SortStableFunc(pts, func(a, b ContestPoint) int { return a.Day.Compare(b.Day) })
	for _, p := range pts {
		s := by[p.Rep]
		if s == nil || p.Day.Before(c.Start) || p.Day.After(last) {
			continue
		}
		s.Total += p.Value
		if c.Kind == ContestFirstTo && s.Reached.IsZero() && s.Total >= c.Target {
			s.Reached = p.Day
		}
	}
	for i := range out {
		s := &out[i]
		if !last.Before(c.Start) {
			s.Workdays = repWorkdays(team, people[s.Rep], away[s.Rep], c.Start, last)
		}
		s.Score = s.Total
		if c.Kind == ContestPerWorkday {
			s.Score = 0
			if s.Workdays > 0 {
				s.Score = s.Total / float64(s.Workdays)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Standing) int {
		return cmp.Or(compareStanding(c.Kind, a, b), cmp.Compare(a.Rep, b.Rep))
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && compareStanding(c.Kind, out[i-1], out[i]) == 0 {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out
}

// compareStanding orders a before b when a stands in front: in a first-to
// contest who reached the target first, then (for those who did not) the
// most in total; else the highest score. Equal means tied.
func compareStanding(kind ContestKind, a, b Standing) int {
	if kind == ContestFirstTo {
		switch {
		case !a.Reached.IsZero() && !b.Reached.IsZero():
			return a.Reached.Compare(b.Reached)
		case !a.Reached.IsZero():
			return -1
		case !b.Reached.IsZero():
			return 1
		}
	}
	return cmp.Compare(b.Score, a.Score)
}

// Front returns the standings a contest names in public: the reps ranked
// within the first places ranks, ties included, who scored at all (a
// first-to contest's front has reached its target, once anyone has).
func Front(kind ContestKind, standings []Standing, places int) []Standing {
	var out []Standing
	for _, s := range standings {
		if s.Rank > places || s.Score <= 0 {
			break
		}
		out = append(out, s)
	}
	return out
}

// Winners returns the reps who won a finished contest: all who share first
// place (a first-to contest's winners reached the target), none when nobody
// scored or the contest was cancelled.
func Winners(c *Contest, standings []Standing) []Standing {
	if c.Cancelled {
		return nil
	}
	var out []Standing
	for _, s := range Front(c.Kind, standings, 1) {
		if c.Kind == ContestFirstTo && s.Reached.IsZero() {
			break
		}
		out = append(out, s)
	}
	return out
}

// Cancel ends c early, cancelled by by with the note (checked by
// ValidCancelNote). A contest cancelled already is an ECONFLICT error and
// stays as it was: two managers cancelling at once cancel it once.
func (c *Contest) Cancel(by, note string) error {
	if c.Cancelled {
		return Errorf(ECONFLICT, "contest.none", nil, "contest %s was cancelled by %s already", c.ID, c.CancelledBy)
	}
	c.Cancelled, c.CancelledBy, c.CancelNote = true, by, note
	return nil
}

// ValidCancelNote checks the message a manager gives when cancelling.
func ValidCancelNote(s string) (string, error) {
	s, e := cleanText("note", s, MaxCancelNoteLen, false)
	if e != nil {
		return s, e
	}
	return s, nil
}
