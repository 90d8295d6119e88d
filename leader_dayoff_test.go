package pulse_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
	_ "github.com/salespulse/pulse/holiday"
)

// The leader's rules count each rep's own public holidays, by DayOff, as
// the digest's missing list does: Ascension (Thursday 14 May 2026) is a
// holiday for the Oslo team and a working day for its New York rep.
func nordicWithNewYorkRep() (team *pulse.Team, ny *pulse.Person) {
	team = pulse.NewTeam("Oslo", "Europe/Oslo")
	team.ID, team.HolidayPlace, team.BlockerLimit = "T1", "NO", 2
	team.Managers = []string{"UM1"}
	team.Reps = []string{"UNY"}
	return team, &pulse.Person{ID: "UNY", HolidayPlace: "US"}
}

func TestFeedbackSilenceCountsTheRepsOwnHolidays(t *testing.T) {
	team, ny := nordicWithNewYorkRep()
	d := pulse.MustDate
	for _, tc := range []struct {
		name     string
		rep      *pulse.Person
		workdays int
		silent   bool
	}{
		{"the team's Norway: Ascension is off", nil, 2, false},
		{"the rep's New York: Ascension is a workday, the third", ny, 3, true},
	} {
		s := pulse.FeedbackSilence(team, "UNY", tc.rep, d("2026-05-12"), d("2026-05-01"), d("2026-05-15"), nil)
		if s.Workdays != tc.workdays || s.Silent(team) != tc.silent {
			t.Errorf("%s: %d workdays, silent %v; want %d, %v", tc.name, s.Workdays, s.Silent(team), tc.workdays, tc.silent)
		}
	}
}

func TestGatherAgendaCountsTheRepsOwnHolidays(t *testing.T) {
	team, ny := nordicWithNewYorkRep()
	d := pulse.MustDate
	var cis []pulse.CheckIn
	for _, day := range []string{"2026-05-13", "2026-05-14", "2026-05-15"} {
		cis = append(cis, pulse.CheckIn{TeamID: "T1", UserID: "UNY", Date: d(day), Status: pulse.CheckInOnTime, Energy: 2})
	}
	cis = append(cis, pulse.CheckIn{TeamID: "T1", UserID: "UNY", Date: d("2026-05-12"), Status: pulse.CheckInOnTime, Energy: 4})
	blocker := pulse.Blocker{ID: "b1", TeamID: "T1", UserID: "UNY", Date: d("2026-05-12"), Text: "Legal", Status: pulse.BlockerOpen}
	for _, tc := range []struct {
		name string
		rep  *pulse.Person
		want []string
	}{
		// In Norway the last three workdays are Tue, Wed, Fri (Tuesday's energy
		// 4 breaks the run) and the blocker is two workdays old, at the limit.
		{"the team's Norway", nil, nil},
		{"the rep's New York", ny, []string{"blocker:b1", "energy:2026-05-15"}},
	} {
		in := pulse.AgendaInput{CheckIns: cis, Blockers: []pulse.Blocker{blocker}, Rep: tc.rep}
		var got []string
		for _, it := range pulse.GatherAgenda(team, "UNY", d("2026-05-15"), in) {
			got = append(got, it.Ref)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && (got[0] != tc.want[0] || got[1] != tc.want[1])) {
			t.Errorf("%s: agenda %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestLeaderPulseCountsTheRepsOwnHolidays(t *testing.T) {
	team, ny := nordicWithNewYorkRep()
	oslo, _ := time.LoadLocation("Europe/Oslo")
	d := pulse.MustDate
	// Away every day of Ascension week but Thursday: a workday for the New
	// York rep only. A blocker opened Tuesday and resolved Friday is three
	// of their workdays old, past the limit of two; two in Norway.
	away := []pulse.AwayPeriod{
		{UserID: "UNY", From: d("2026-05-11"), To: d("2026-05-13")},
		{UserID: "UNY", From: d("2026-05-15"), To: d("2026-05-15")},
	}
	blocker := pulse.Blocker{ID: "b1", TeamID: "T1", UserID: "UNY", Date: d("2026-05-12"), Text: "Legal", Status: pulse.BlockerResolved,
		ResolvedBy: "UM1", ResolvedAt: time.Date(2026, 5, 15, 12, 0, 0, 0, oslo)}
	for _, tc := range []struct {
		name          string
		people        map[string]*pulse.Person
		reps, inLimit int
	}{
		{"the team's Norway", nil, 0, 1},
		{"the rep's New York", map[string]*pulse.Person{"UNY": ny}, 1, 0},
	} {
		p := pulse.ComputeLeaderPulse(team, "UM1", pulse.LeaderPulseInput{Week: d("2026-05-11"), Blockers: []pulse.Blocker{blocker},
			Away: map[string][]pulse.AwayPeriod{"UNY": away}, People: tc.people})
		if p.Reps != tc.reps || p.BlockersResolved != 1 || p.BlockersInLimit != tc.inLimit {
			t.Errorf("%s: reps %d, blockers in limit %d of %d; want %d, %d of 1", tc.name, p.Reps, p.BlockersInLimit, p.BlockersResolved, tc.reps, tc.inLimit)
		}
	}
}
