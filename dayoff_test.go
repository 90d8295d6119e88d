package pulse_test

import (
	"testing"

	"github.com/salespulse/pulse"
	_ "github.com/salespulse/pulse/holiday"
)

// TestStreakAndSummaryCountEachRepsHolidays: in the week of Ascension
// (Thursday 14 May 2026, a holiday in Norway, not in the US) an Oslo rep's
// streak passes over the day and a New York rep's is broken by it; the
// summary counts the day as due for the New York rep only.
func TestStreakAndSummaryCountEachRepsHolidays(t *testing.T) {
	team := pulse.NewTeam("Oslo", "Europe/Oslo")
	team.ID, team.HolidayPlace = "T1", "NO"
	team.Reps = []string{"UOSLO", "UNY"}
	var cis []pulse.CheckIn
	for _, rep := range team.Reps {
		for _, d := range []string{"2026-05-11", "2026-05-12", "2026-05-13", "2026-05-15"} {
			cis = append(cis, pulse.CheckIn{TeamID: "T1", UserID: rep, Date: pulse.MustDate(d), Status: pulse.CheckInOnTime, Energy: 4})
		}
	}
	friday := pulse.MustDate("2026-05-15")
	for _, tc := range []struct {
		rep, place string
		want       int
	}{
		{"UOSLO", "", 4},   // the team's Norway: Ascension is off
		{"UOSLO", "NO", 4}, // the same, said outright
		{"UNY", "US", 1},   // Ascension was a working day in New York, and missed
	} {
		if got := pulse.Streak(team, tc.rep, tc.place, cis, nil, friday); got != tc.want {
			t.Errorf("streak of %s in %q: %d, want %d", tc.rep, tc.place, got, tc.want)
		}
	}
	s := pulse.Summarize(team, pulse.MustDate("2026-05-11"), pulse.SummaryInput{CheckIns: cis, Places: map[string]string{"UNY": "US"}})
	if s.Due != 9 || s.Answered != 8 {
		t.Errorf("summary due %d answered %d, want 9 and 8 (Ascension due for New York only)", s.Due, s.Answered)
	}
	var thursday *pulse.DayFigures
	for i := range s.Days {
		if s.Days[i].Date == pulse.MustDate("2026-05-14") {
			thursday = &s.Days[i]
		}
	}
	if thursday == nil || thursday.Due != 1 || thursday.Answered != 0 {
		t.Errorf("Ascension in the summary: %+v, want one rep due", thursday)
	}
}
