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

// TestPaceTallyLead: a rep's lead pace is the one furthest behind its
// plan, the first in the team's order of equals, and never a metric
// without a target; it is the same pace Paces gives for that metric.
func TestPaceTallyLead(t *testing.T) {
	calls := pulse.Metric{Key: "calls", Name: "Calls", Target: 100}
	meetings := pulse.Metric{Key: "meetings", Name: "Meetings", Target: 10}
	demos := pulse.Metric{Key: "demos", Name: "Demos", Target: 10}
	offers := pulse.Metric{Key: "offers", Name: "Offers"} // no target
	monday := pulse.MustDate("2026-05-11")
	for _, tt := range []struct {
		name    string
		metrics []pulse.Metric
		done    map[string]float64 // Monday's numbers; Wednesday noon is 40% of the week
		want    string             // the lead's metric, "" for none
	}{
		{"none without a target", []pulse.Metric{offers}, map[string]float64{"offers": 3}, ""},
		{"one", []pulse.Metric{calls}, map[string]float64{"calls": 10}, "calls"},
		{"the one furthest behind", []pulse.Metric{meetings, calls}, map[string]float64{"meetings": 9, "calls": 10}, "calls"},
		{"the first of equals", []pulse.Metric{meetings, calls, demos}, map[string]float64{"meetings": 9, "calls": 10, "demos": 1}, "calls"},
		{"a plan before none", []pulse.Metric{offers, meetings}, map[string]float64{"meetings": 9}, "meetings"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			team := pulse.NewTeam("Nord", "Europe/Oslo")
			team.ID, team.Reps, team.Metrics = "t1", []string{"UANNA"}, tt.metrics
			tally := pulse.NewPaceTally(team, monday.AddDays(2))
			tally.AddCheckIn(&pulse.CheckIn{TeamID: "t1", UserID: "UANNA", Date: monday, Status: pulse.CheckInOnTime, Energy: 3, Metrics: tt.done})
			now, zone := noon("2026-05-13"), planZone("Europe/Oslo")
			lead, ok := tally.Lead("UANNA", nil, nil, nil, now, zone)
			if ok != (tt.want != "") || lead.Metric != tt.want {
				t.Fatalf("Lead = %s, %v; want %q", lead.Metric, ok, tt.want)
			}
			for _, p := range tally.Paces("UANNA", nil, nil, nil, now, zone) {
				if p.Metric == tt.want && p != lead {
					t.Errorf("Lead = %+v, Paces has %+v", lead, p)
				}
			}
		})
	}
}
