package pulse_test

import (
	"testing"

	"github.com/salespulse/pulse"
)

func TestPlanKeepsDefault(t *testing.T) {
	team := goodTeam() // calls: 100 a week, meetings: 5, Monday to Friday
	team.ID = "T1"
	rep := team.Reps[0]
	week := pulse.MustDate("2026-03-09")  // a Monday
	march := pulse.MustDate("2026-03-01") // 22 workdays: 440 calls by default
	own := []pulse.Plan{{TeamID: "T1", UserID: rep, Metric: "calls", Period: pulse.PeriodWeek, Start: week, Target: 100}}
	others := []pulse.Plan{{TeamID: "T1", UserID: team.Reps[1], Metric: "calls", Period: pulse.PeriodWeek, Start: week, Target: 70}}
	tests := []struct {
		name   string
		metric string
		period pulse.Period
		start  pulse.Date
		target float64
		plans  []pulse.Plan
		want   bool
	}{
		{"the week's default left as it was", "calls", pulse.PeriodWeek, week, 100, nil, true},
		{"the default to the hundredth the modal shows", "calls", pulse.PeriodWeek, week, 100.004, nil, true},
		{"a hundredth more is a plan", "calls", pulse.PeriodWeek, week, 100.01, nil, false},
		{"a lower target is a plan", "calls", pulse.PeriodWeek, week, 99, nil, false},
		{"the month's default scales by its workdays", "calls", pulse.PeriodMonth, march, 440, nil, true},
		{"the week's target typed for a month is a plan", "calls", pulse.PeriodMonth, march, 100, nil, false},
		{"the rep's own plan is changed, not kept as the default", "calls", pulse.PeriodWeek, week, 100, own, false},
		{"another rep's plan does not make the default explicit", "calls", pulse.PeriodWeek, week, 100, others, true},
		{"a metric without a team target has no default to keep", "revenue", pulse.PeriodWeek, week, 5, nil, false},
		{"another metric's default is its own", "meetings", pulse.PeriodWeek, week, 5, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pulse.Plan{TeamID: "T1", UserID: rep, Metric: tt.metric, Period: tt.period, Start: tt.start, Target: tt.target}
			if got := p.KeepsDefault(team, tt.plans); got != tt.want {
				t.Fatalf("KeepsDefault = %v, want %v", got, tt.want)
			}
		})
	}
}
