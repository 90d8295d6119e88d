package pulse_test

import (
	"testing"

	"github.com/salespulse/pulse"
)

// TestPaceCountsTheCheckInsDayInEachMode: a check-in and its numbers
// belong to the day they are asked on in every mode, so an evening
// check-in's numbers count for that day and make it gone; a team checking
// in morning and evening has its day gone only once the numbers are in,
// not after the morning's short plan.
func TestPaceCountsTheCheckInsDayInEachMode(t *testing.T) {
	wed := pulse.MustDate("2026-05-20")
	tests := []struct {
		name       string
		mode       pulse.CheckInMode
		todayCalls map[string]float64 // nil: not answered today
		done       float64
		gone       int
	}{
		{"morning, answered with numbers", pulse.CheckInMorning, map[string]float64{"calls": 30}, 130, 3},
		{"morning, not answered yet", pulse.CheckInMorning, nil, 100, 2},
		{"evening, answered: today's numbers, today gone", pulse.CheckInEvening, map[string]float64{"calls": 30}, 130, 3},
		{"evening, not answered yet", pulse.CheckInEvening, nil, 100, 2},
		{"both, the morning's plan only: today not gone", pulse.CheckInBoth, map[string]float64{}, 100, 2},
		{"both, the evening's numbers in: today gone", pulse.CheckInBoth, map[string]float64{"calls": 30}, 130, 3},
		{"both, a zero typed is a number", pulse.CheckInBoth, map[string]float64{"calls": 0}, 100, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team := planTeam()
			team.CheckInMode, team.EndOfDayTime = tt.mode, pulse.MustTime("17:00")
			if err := team.Validate(); err != nil {
				t.Fatal(err)
			}
			tally := pulse.NewPaceTally(team, wed)
			add := func(d pulse.Date, calls map[string]float64) {
				tally.AddCheckIn(&pulse.CheckIn{TeamID: "t1", UserID: "UANNA", Date: d, Status: pulse.CheckInOnTime, Energy: 3, Metrics: calls})
			}
			add(wed.AddDays(-10), map[string]float64{}) // with the team before the week
			add(wed.AddDays(-2), map[string]float64{"calls": 60})
			add(wed.AddDays(-1), map[string]float64{"calls": 40})
			if tt.todayCalls != nil {
				add(wed, tt.todayCalls)
			}
			// 18:00 in Oslo: after the evening check-in's 17:00.
			now := wed.At(pulse.MustTime("18:00"), planZone("Europe/Oslo"))
			p := tally.Pace("UANNA", nil, "calls", pulse.PeriodWeek, nil, nil, now, planZone("Europe/Oslo"))
			if p.Done != tt.done || p.Gone != tt.gone {
				t.Errorf("pace: done %v, %d days gone; want %v and %d", p.Done, p.Gone, tt.done, tt.gone)
			}
		})
	}
}
