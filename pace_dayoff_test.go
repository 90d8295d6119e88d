package pulse_test

import (
	"testing"

	"github.com/salespulse/pulse"
	_ "github.com/salespulse/pulse/holiday"
)

// TestPaceAndContestCountEachRepsHolidays: an Oslo team (Norway's holidays)
// with reps elsewhere. Ascension (Thursday 14 May 2026) is off in Norway,
// not in the US; Corpus Christi (Thursday 4 June 2026) is off in Poland,
// not in Norway. A rep's pace and contest workdays follow where they live.
func TestPaceAndContestCountEachRepsHolidays(t *testing.T) {
	team := planTeam()
	team.HolidayPlace = "NO"
	tests := []struct {
		name           string
		place          string // the rep's own; "" keeps the team's
		friday         string
		workdays, gone int
	}{
		{"team's place, Ascension week", "", "2026-05-15", 4, 3},
		{"Norway said outright, Ascension week", "NO", "2026-05-15", 4, 3},
		{"a US rep works on Ascension", "US", "2026-05-15", 5, 4},
		{"team's place, Corpus Christi week", "", "2026-06-05", 5, 4},
		{"a Polish rep is off on Corpus Christi", "PL", "2026-06-05", 4, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !pulse.KnownHolidayPlace(tt.place) {
				t.Fatalf("holiday place %q unknown", tt.place)
			}
			person := &pulse.Person{HolidayPlace: tt.place}
			friday := pulse.MustDate(tt.friday)
			// Friday noon, today not answered yet: through Thursday.
			tally := pulse.NewPaceTally(team, friday)
			tally.AddCheckIn(&pulse.CheckIn{TeamID: "t1", UserID: "UANNA", Date: friday.AddDays(-20), Status: pulse.CheckInOnTime, Energy: 3})
			p := tally.Pace("UANNA", person, "calls", pulse.PeriodWeek, nil, nil, noon(tt.friday), planZone("Europe/Oslo"))
			if p.Workdays != tt.workdays || p.Gone != tt.gone {
				t.Errorf("pace: %d workdays, %d gone; want %d and %d", p.Workdays, p.Gone, tt.workdays, tt.gone)
			}
			c := &pulse.Contest{ID: "c1", TeamID: "t1", Metric: "calls", Kind: pulse.ContestPerWorkday, Start: friday.AddDays(-4), End: friday}
			points := []pulse.ContestPoint{{Rep: "UANNA", Day: friday.AddDays(-4), Value: 40}}
			st := pulse.ComputeStandings(c, team, nil, map[string]*pulse.Person{"UANNA": person}, points, friday)
			for _, s := range st {
				if s.Rep == "UANNA" && (s.Workdays != tt.workdays || s.Score != 40/float64(tt.workdays)) {
					t.Errorf("contest standing: %d workdays, score %v; want %d and %v", s.Workdays, s.Score, tt.workdays, 40/float64(tt.workdays))
				}
			}
		})
	}
}
