package pulse_test

import (
	"math"
	"slices"
	"testing"

	"github.com/salespulse/pulse"
)

// handWeek is the week of Monday 2026-03-09 for a team in Oslo with three
// reps, Thursday a team holiday and U3 away Tuesday and Wednesday, counted
// through Friday. The figures the tests expect are worked out by hand in
// the comments.
func handWeek() (*pulse.Team, pulse.SummaryInput) {
	team := pulse.NewTeam("Nordic", "Europe/Oslo")
	team.ID = "T1"
	team.Reps = []string{"U1", "U2", "U3"}
	team.Managers = []string{"M1"}
	team.Holidays = []pulse.Date{pulse.MustDate("2026-03-12")}
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}, {Key: "meetings", Name: "Meetings"}}

	ci := func(rep, day string, status pulse.CheckInStatus, energy int, calls float64) pulse.CheckIn {
		return pulse.CheckIn{TeamID: "T1", UserID: rep, Date: pulse.MustDate(day), Status: status, Energy: energy, Metrics: map[string]float64{"calls": calls}}
	}
	on, late, missed := pulse.CheckInOnTime, pulse.CheckInLate, pulse.CheckInMissed
	in := pulse.SummaryInput{
		Through: pulse.MustDate("2026-03-13"),
		CheckIns: []pulse.CheckIn{
			// The week before: energy 2 and 3, average 2.5.
			ci("U1", "2026-03-02", on, 2, 0),
			ci("U2", "2026-03-03", on, 3, 0),
			// U1 answers every due day, Wednesday late.
			ci("U1", "2026-03-09", on, 4, 10),
			ci("U1", "2026-03-10", on, 3, 12),
			ci("U1", "2026-03-11", late, 5, 8),
			ci("U1", "2026-03-13", on, 4, 10),
			// U2 misses Tuesday and has not answered Friday.
			ci("U2", "2026-03-09", on, 2, 5),
			ci("U2", "2026-03-10", missed, 0, 0),
			ci("U2", "2026-03-11", on, 3, 7),
			// U3 answers Monday, Friday, and once while away (not due,
			// but its energy and calls count).
			ci("U3", "2026-03-09", on, 5, 20),
			ci("U3", "2026-03-10", on, 3, 4),
			ci("U3", "2026-03-13", on, 4, 6),
			// Ignored: after Through, another team, a former rep.
			ci("U1", "2026-03-14", on, 1, 100),
			{TeamID: "T2", UserID: "U1", Date: pulse.MustDate("2026-03-09"), Status: on, Energy: 1, Metrics: map[string]float64{"calls": 100}},
			ci("U9", "2026-03-09", on, 1, 100),
		},
		Away: map[string][]pulse.AwayPeriod{"U3": {{UserID: "U3", From: pulse.MustDate("2026-03-10"), To: pulse.MustDate("2026-03-11")}}},
		Commitments: []pulse.Commitment{
			{TeamID: "T1", UserID: "U1", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentKept},
			{TeamID: "T1", UserID: "U2", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentPartly},
			{TeamID: "T1", UserID: "U3", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentMissed},
			{TeamID: "T1", UserID: "U1", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentOpen},
			{TeamID: "T1", UserID: "U1", Week: pulse.MustDate("2026-03-09"), Status: pulse.CommitmentKept},
			{TeamID: "T2", UserID: "U1", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentKept},
		},
		Nudges: []pulse.Nudge{
			{TeamID: "T1", UserID: "U1", SentAt: utc("2026-03-10 08:00"), Response: pulse.NudgeApplied},
			{TeamID: "T1", UserID: "U2", SentAt: utc("2026-03-11 08:00"), Response: pulse.NudgeNotYet},
			{TeamID: "T1", UserID: "U3", SentAt: utc("2026-03-12 08:00")},
			{TeamID: "T1", UserID: "U1", SentAt: utc("2026-02-20 08:00"), Response: pulse.NudgeApplied},
			{TeamID: "T1", UserID: "U1", SentAt: utc("2026-02-01 08:00"), Response: pulse.NudgeApplied}, // more than four weeks back
			{TeamID: "T1", UserID: "U2", Response: pulse.NudgePending},                                  // never sent
			{TeamID: "T2", UserID: "U2", SentAt: utc("2026-03-10 08:00"), Response: pulse.NudgeApplied},
		},
		Kudos: []pulse.Kudos{
			{TeamID: "T1", CreatedAt: utc("2026-03-10 12:00")},
			{TeamID: "T1", CreatedAt: utc("2026-03-13 15:00")},
			{TeamID: "T1", CreatedAt: utc("2026-03-08 23:30")}, // Monday 00:30 in Oslo
			{TeamID: "T1", CreatedAt: utc("2026-03-08 22:00")}, // Sunday 23:00 in Oslo
			{TeamID: "T1", CreatedAt: utc("2026-03-14 10:00")}, // after Through
			{TeamID: "T2", CreatedAt: utc("2026-03-10 12:00")},
		},
		Blockers: []pulse.Blocker{
			{TeamID: "T1", UserID: "U2", Date: pulse.MustDate("2026-03-10"), Status: pulse.BlockerOpen},
			{TeamID: "T1", UserID: "U1", Date: pulse.MustDate("2026-03-04"), Status: pulse.BlockerResolved, ResolvedAt: utc("2026-03-11 10:00")},
			{TeamID: "T1", UserID: "U3", Date: pulse.MustDate("2026-03-12"), Status: pulse.BlockerResolved, ResolvedAt: utc("2026-03-13 10:00")},
			{TeamID: "T2", UserID: "U3", Date: pulse.MustDate("2026-03-10"), Status: pulse.BlockerResolved, ResolvedAt: utc("2026-03-13 10:00")},
		},
	}
	return team, in
}

func TestSummarizeHandComputedWeek(t *testing.T) {
	team, in := handWeek()
	s := pulse.Summarize(team, pulse.MustDate("2026-03-11"), in) // any day of the week names it

	ints := []struct {
		name      string
		got, want int
	}{
		// Due: U1 and U2 on Mon, Tue, Wed, Fri; U3 on Mon and Fri.
		{"rep-workdays due", s.Due, 10},
		// U1 4, U2 2 (Mon, Wed), U3 2 (Mon, Fri).
		{"rep-workdays answered", s.Answered, 8},
		{"late answers", s.Late, 1},
		{"reps due", s.RepsDue, 3},
		{"commitments reviewed", s.Reviewed, 3},
		{"commitments kept", s.Kept, 1},
		{"commitments partly kept", s.Partly, 1},
		{"commitments missed", s.MissedPromises, 1},
		{"nudges sent in four weeks", s.NudgesSent, 4},
		{"nudges applied", s.NudgesApplied, 2},
		{"kudos given", s.Kudos, 3},
		{"blockers raised", s.BlockersRaised, 2},
		{"blockers resolved", s.BlockersResolved, 2},
	}
	for _, c := range ints {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	floats := []struct {
		name      string
		got, want float64
	}{
		{"participation", s.Participation, 0.8},
		// U1 4+3+5+4, U2 2+3, U3 5+3+4: 33 over 9 answers.
		{"energy", s.Energy, 33.0 / 9},
		{"energy the week before", s.PrevEnergy, 2.5},
		{"energy trend", s.EnergyTrend, 33.0/9 - 2.5},
		// (1 kept + ½ partly) ÷ 3 reviewed.
		{"commitments kept rate", s.CommitmentsKept, 0.5},
		{"implementation rate", s.Implementation, 0.5},
	}
	for _, c := range floats {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if s.Week != pulse.MustDate("2026-03-09") || s.Through != pulse.MustDate("2026-03-13") || s.TeamID != "T1" {
		t.Errorf("summary of %s week %s through %s, want T1 week 2026-03-09 through 2026-03-13", s.TeamID, s.Week, s.Through)
	}

	wantDays := []pulse.DayFigures{
		{Date: pulse.MustDate("2026-03-09"), Due: 3, Answered: 3, Participation: 1, Energy: 11.0 / 3},
		{Date: pulse.MustDate("2026-03-10"), Due: 2, Answered: 1, Participation: 0.5, Energy: 3},
		{Date: pulse.MustDate("2026-03-11"), Due: 2, Answered: 2, Participation: 1, Energy: 4},
		{Date: pulse.MustDate("2026-03-13"), Due: 3, Answered: 2, Participation: 2.0 / 3, Energy: 4},
	}
	if len(s.Days) != len(wantDays) {
		t.Fatalf("days = %+v, want %+v", s.Days, wantDays)
	}
	for i, w := range wantDays {
		g := s.Days[i]
		if g.Date != w.Date || g.Due != w.Due || g.Answered != w.Answered || math.Abs(g.Participation-w.Participation) > 1e-9 || math.Abs(g.Energy-w.Energy) > 1e-9 {
			t.Errorf("day %d = %+v, want %+v", i, g, w)
		}
	}

	// Calls: U1 40, U2 12, U3 30; target 50 for each of 3 reps due.
	wantMetrics := []pulse.MetricTotal{{Key: "calls", Name: "Calls", Total: 82, Target: 150}, {Key: "meetings", Name: "Meetings", Total: 0, Target: 0}}
	if !slices.Equal(s.Metrics, wantMetrics) {
		t.Errorf("metrics = %+v, want %+v", s.Metrics, wantMetrics)
	}

	// U1: Fri, Wed, Tue, Mon, then an unanswered Friday the week before.
	// U3: Fri and Mon around days away. U2: Friday not answered yet, Wed,
	// then Tuesday's missed day.
	wantStreaks := []pulse.RepStreak{{Rep: "U1", Days: 4}, {Rep: "U3", Days: 2}, {Rep: "U2", Days: 1}}
	if !slices.Equal(s.Streaks, wantStreaks) {
		t.Errorf("streaks = %+v, want %+v", s.Streaks, wantStreaks)
	}
}

func TestSummarizeEmptyWeek(t *testing.T) {
	team := pulse.NewTeam("Empty", "Europe/Oslo")
	team.ID = "T1"
	s := pulse.Summarize(team, pulse.MustDate("2026-03-09"), pulse.SummaryInput{})
	if s.Due != 0 || s.Participation != 0 || s.Energy != 0 || s.CommitmentsKept != 0 || s.Implementation != 0 || len(s.Streaks) != 0 {
		t.Fatalf("empty week = %+v, want zero figures", s)
	}
	if s.Through != pulse.MustDate("2026-03-15") {
		t.Fatalf("through = %s, want the week's Sunday 2026-03-15", s.Through)
	}
	if len(s.Days) != 5 {
		t.Fatalf("days = %d, want the 5 workdays with nothing due", len(s.Days))
	}
}

func TestStreak(t *testing.T) {
	team := pulse.NewTeam("Nordic", "Europe/Oslo")
	team.ID = "T1"
	team.Holidays = []pulse.Date{pulse.MustDate("2026-03-12")}
	answered := func(days ...string) []pulse.CheckIn {
		var out []pulse.CheckIn
		for _, d := range days {
			out = append(out, pulse.CheckIn{TeamID: "T1", UserID: "U1", Date: pulse.MustDate(d), Status: pulse.CheckInOnTime, Energy: 3})
		}
		return out
	}
	away := []pulse.AwayPeriod{{UserID: "U1", From: pulse.MustDate("2026-03-04"), To: pulse.MustDate("2026-03-06")}}
	tests := []struct {
		name     string
		checkIns []pulse.CheckIn
		away     []pulse.AwayPeriod
		today    string
		want     int
	}{
		{"no check-ins is no streak", nil, nil, "2026-03-13", 0},
		{"a weekend does not break the run", answered("2026-03-05", "2026-03-06", "2026-03-09"), nil, "2026-03-09", 3},
		{"a team holiday does not break the run", answered("2026-03-11", "2026-03-13"), nil, "2026-03-13", 2},
		{"days away do not break the run", answered("2026-03-03", "2026-03-09"), away, "2026-03-09", 2},
		{"a due day without an answer ends the run", answered("2026-03-09", "2026-03-11"), nil, "2026-03-11", 1},
		{"today unanswered is passed over", answered("2026-03-10", "2026-03-11"), nil, "2026-03-13", 2},
		{"yesterday unanswered ends it", answered("2026-03-09", "2026-03-10"), nil, "2026-03-12", 0},
		{"a late answer counts", []pulse.CheckIn{{TeamID: "T1", UserID: "U1", Date: pulse.MustDate("2026-03-13"), Status: pulse.CheckInLate}}, nil, "2026-03-13", 1},
		{"a missed day ends the run", append(answered("2026-03-09"), pulse.CheckIn{TeamID: "T1", UserID: "U1", Date: pulse.MustDate("2026-03-10"), Status: pulse.CheckInMissed}), nil, "2026-03-11", 0},
		{"another team's check-ins do not count", []pulse.CheckIn{{TeamID: "T2", UserID: "U1", Date: pulse.MustDate("2026-03-13"), Status: pulse.CheckInOnTime}}, nil, "2026-03-13", 0},
		{"check-ins after today do not count", answered("2026-03-16"), nil, "2026-03-13", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pulse.Streak(team, "U1", "", tt.checkIns, tt.away, pulse.MustDate(tt.today)); got != tt.want {
				t.Fatalf("Streak through %s = %d, want %d", tt.today, got, tt.want)
			}
		})
	}
}
