package pulse_test

import (
	"testing"

	"github.com/salespulse/pulse"
	_ "github.com/salespulse/pulse/holiday"
)

// TestPaceWorkdaysSharedOnlyAlike: one tally's paces of reps who share a
// holiday place and have no days away share their count of workdays; a rep
// of another place, one away and one who answered today (a day more gone)
// each keep their own, whatever order the paces are asked in.
func TestPaceWorkdaysSharedOnlyAlike(t *testing.T) {
	team := planTeam()
	team.HolidayPlace = "NO"
	friday := pulse.MustDate("2026-05-15") // Ascension, the Thursday before, is off in Norway
	reps := []struct {
		id             string
		person         *pulse.Person
		away           []pulse.AwayPeriod
		answered       bool
		workdays, gone int
	}{
		{"UOSLO1", nil, nil, false, 4, 3},
		{"UUS", &pulse.Person{HolidayPlace: "US"}, nil, false, 5, 4},
		{"UOSLO2", &pulse.Person{HolidayPlace: "NO"}, nil, false, 4, 3},
		{"UAWAY", nil, []pulse.AwayPeriod{{From: friday.AddDays(-4), To: friday.AddDays(-4)}}, false, 3, 2},
		{"UANSWERED", nil, nil, true, 4, 4},
		{"UOSLO3", nil, nil, false, 4, 3},
	}
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {3, 4, 0, 1, 5, 2}} {
		tally := pulse.NewPaceTally(team, friday)
		for _, r := range reps {
			tally.AddCheckIn(&pulse.CheckIn{TeamID: "t1", UserID: r.id, Date: friday.AddDays(-20), Status: pulse.CheckInOnTime, Energy: 3})
			if r.answered {
				tally.AddCheckIn(&pulse.CheckIn{TeamID: "t1", UserID: r.id, Date: friday, Status: pulse.CheckInOnTime, Energy: 3, Metrics: map[string]float64{"calls": 10}})
			}
		}
		for _, i := range order {
			r := reps[i]
			p := tally.Pace(r.id, r.person, "calls", pulse.PeriodWeek, nil, r.away, noon("2026-05-15"), planZone("Europe/Oslo"))
			if p.Workdays != r.workdays || p.Gone != r.gone {
				t.Errorf("order %v, %s: %d workdays, %d gone; want %d and %d", order, r.id, p.Workdays, p.Gone, r.workdays, r.gone)
			}
		}
	}
}

func TestLeadPace(t *testing.T) {
	behind := pulse.Pace{Metric: "calls", Target: 100, Done: 10, Workdays: 10, Gone: 5}   // 10% at 50%
	ahead := pulse.Pace{Metric: "meetings", Target: 10, Done: 9, Workdays: 10, Gone: 5}   // 90% at 50%
	alsoBehind := pulse.Pace{Metric: "demos", Target: 10, Done: 1, Workdays: 10, Gone: 5} // 10% at 50%, as far behind
	noPlan := pulse.Pace{Metric: "offers"}
	for _, tt := range []struct {
		name  string
		paces []pulse.Pace
		want  int // index, -1 for none
	}{
		{"none", nil, -1},
		{"one", []pulse.Pace{ahead}, 0},
		{"the one furthest behind", []pulse.Pace{ahead, behind}, 1},
		{"the first of equals", []pulse.Pace{ahead, behind, alsoBehind}, 1},
		{"a plan before none", []pulse.Pace{noPlan, ahead}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := pulse.LeadPaceIndex(tt.paces); got != tt.want {
				t.Errorf("LeadPaceIndex = %d, want %d", got, tt.want)
			}
			lead, ok := pulse.LeadPace(tt.paces)
			if ok != (tt.want >= 0) || ok && lead != tt.paces[tt.want] {
				t.Errorf("LeadPace = %+v, %v; want index %d", lead, ok, tt.want)
			}
		})
	}
}
