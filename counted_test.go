package pulse_test

import (
	"testing"

	"github.com/salespulse/pulse"
)

// crmPlanTeam is planTeam whose calls come from HubSpot; notes are typed.
func crmPlanTeam(topUp bool) *pulse.Team {
	t := planTeam()
	t.NumbersFrom = pulse.CRMHubSpot
	t.CRMTopUp = topUp
	t.Metrics[0].Measure = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
	return t
}

func TestPaceAndContestCountTheNumbersThatCount(t *testing.T) {
	day := pulse.MustDate
	checkIn := func(team, rep, d string, calls float64) pulse.CheckIn {
		return pulse.CheckIn{TeamID: team, UserID: rep, Date: day(d), Status: pulse.CheckInOnTime, Energy: 3, Metrics: map[string]float64{"calls": calls, "notes": 1}}
	}
	fig := func(team, rep, d string, src pulse.CRMKind, calls float64) pulse.CRMFigure {
		return pulse.CRMFigure{TeamID: team, Rep: rep, Day: day(d), Source: src, Values: map[string]float64{"calls": calls}}
	}
	// Wednesday 2026-05-20; the week began on Monday 05-18.
	tests := []struct {
		name      string
		team      *pulse.Team
		checkIns  []pulse.CheckIn
		figs      []pulse.CRMFigure
		wantCalls float64 // Anna's week's calls in her pace and in the contest
		wantNotes float64
	}{
		{"typed team: typed calls count, no CRM", planTeam(),
			[]pulse.CheckIn{checkIn("t1", "UANNA", "2026-05-18", 40)},
			[]pulse.CRMFigure{fig("t1", "UANNA", "2026-05-18", pulse.CRMHubSpot, 99)}, 40, 1},
		{"CRM team: the CRM's calls, the typed ones left out", crmPlanTeam(false),
			[]pulse.CheckIn{checkIn("t1", "UANNA", "2026-05-18", 40)},
			[]pulse.CRMFigure{fig("t1", "UANNA", "2026-05-18", pulse.CRMHubSpot, 30)}, 30, 1},
		{"CRM team: a day without a check-in counts the CRM's calls", crmPlanTeam(false),
			[]pulse.CheckIn{checkIn("t1", "UANNA", "2026-05-18", 40)},
			[]pulse.CRMFigure{fig("t1", "UANNA", "2026-05-18", pulse.CRMHubSpot, 30), fig("t1", "UANNA", "2026-05-19", pulse.CRMHubSpot, 25)}, 55, 1},
		{"CRM team topping up: the CRM's and what was typed", crmPlanTeam(true),
			[]pulse.CheckIn{checkIn("t1", "UANNA", "2026-05-18", 4)},
			[]pulse.CRMFigure{fig("t1", "UANNA", "2026-05-18", pulse.CRMHubSpot, 30)}, 34, 1},
		{"stale CRM, another team's figure, another rep's: none counts", crmPlanTeam(false),
			nil,
			[]pulse.CRMFigure{fig("t1", "UANNA", "2026-05-18", pulse.CRMPipedrive, 500), fig("t2", "UANNA", "2026-05-18", pulse.CRMHubSpot, 500), fig("t1", "UOLE", "2026-05-18", pulse.CRMHubSpot, 7)}, 0, 0},
		{"last week's figure counts neither in the week nor in the contest", crmPlanTeam(false),
			nil,
			[]pulse.CRMFigure{fig("t1", "UANNA", "2026-05-17", pulse.CRMHubSpot, 500)}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tally := pulse.NewPaceTally(tt.team, day("2026-05-20"))
			for i := range tt.checkIns {
				tally.AddCheckIn(&tt.checkIns[i])
			}
			for i := range tt.figs {
				tally.AddCRMFigure(&tt.figs[i])
			}
			for _, m := range []struct {
				key  string
				want float64
			}{{"calls", tt.wantCalls}, {"notes", tt.wantNotes}} {
				p := tally.Pace("UANNA", nil, m.key, pulse.PeriodWeek, nil, nil, noon("2026-05-20"), planZone("Europe/Oslo"))
				if p.Done != m.want {
					t.Errorf("pace on %s: done %v; want %v", m.key, p.Done, m.want)
				}
			}

			c := &pulse.Contest{ID: "c1", TeamID: "t1", Metric: "calls", Kind: pulse.ContestTotal, Start: day("2026-05-18"), End: day("2026-05-20")}
			var points []pulse.ContestPoint
			for i := range tt.checkIns {
				f := tt.checkIns[i].Figures(nil)
				if p, ok := c.PointOf(tt.team, &f); ok {
					points = append(points, p)
				}
			}
			for i := range tt.figs {
				if p, ok := c.CRMPointOf(tt.team, &tt.figs[i]); ok {
					points = append(points, p)
				}
			}
			st := pulse.ComputeStandings(c, tt.team, nil, nil, points, day("2026-05-20"))
			for _, s := range st {
				if s.Rep == "UANNA" && s.Total != tt.wantCalls {
					t.Errorf("contest standing: %v calls; want %v", s.Total, tt.wantCalls)
				}
			}
		})
	}
}
