package pulse_test

import (
	"testing"

	"github.com/salespulse/pulse"
)

func TestLeaderboard(t *testing.T) {
	team := contestTeam() // UANNA, UOLE, UKARI, UPER; calls and meetings
	ci := func(rep, day string, calls float64) pulse.CheckIn {
		return pulse.CheckIn{TeamID: "t1", UserID: rep, Date: pulse.MustDate(day), Status: pulse.CheckInOnTime, Metrics: map[string]float64{"calls": calls}}
	}
	week, through := pulse.MustDate("2026-05-18"), pulse.MustDate("2026-05-22")
	cis := []pulse.CheckIn{
		ci("UANNA", "2026-05-11", 50), ci("UANNA", "2026-05-18", 60), // +10
		ci("UOLE", "2026-05-12", 10), ci("UOLE", "2026-05-19", 60), // +50: most improved
		ci("UKARI", "2026-05-20", 40),                              // nothing last week: not "improved"
		ci("UPER", "2026-05-13", 90), ci("UPER", "2026-05-21", 20), // behind, never named
		ci("UGONE", "2026-05-19", 500), // left the team
		{TeamID: "t2", UserID: "UANNA", Date: pulse.MustDate("2026-05-19"), Status: pulse.CheckInOnTime, Metrics: map[string]float64{"calls": 900}},
		{TeamID: "t1", UserID: "UKARI", Date: pulse.MustDate("2026-05-21"), Status: pulse.CheckInMissed},
		ci("UKARI", "2026-05-23", 99), // after through
	}
	got := pulse.Leaderboard(team, cis, week, through)
	if len(got) != 3 {
		t.Fatalf("%d boards; want one per metric", len(got))
	}
	calls := got[0]
	if r := ranks(calls.Top); r != "ANNA:1 OLE:1 KARI:3" {
		t.Errorf("top three = %q; want Anna and Ole tied first, Kari third, nobody behind named", r)
	}
	if r := ranks(calls.Improved); r != "OLE:1" || calls.Improved[0].Score != 50 {
		t.Errorf("most improved = %q %+v; want Ole, +50", r, calls.Improved)
	}
	if len(got[1].Top) != 0 || len(got[1].Improved) != 0 {
		t.Errorf("a metric nobody scored names %+v", got[1])
	}
}

func TestAttainSumsTheRepsMonthPlans(t *testing.T) {
	team := planTeam() // UANNA, UOLE; 250 calls a week; notes without target
	tally := pulse.NewPaceTally(team, pulse.MustDate("2026-05-15"))
	tally.AddCheckIn(&pulse.CheckIn{TeamID: "t1", UserID: "UANNA", Date: pulse.MustDate("2026-04-30"), Status: pulse.CheckInOnTime, Metrics: map[string]float64{"calls": 10}})
	tally.AddCheckIn(&pulse.CheckIn{TeamID: "t1", UserID: "UANNA", Date: pulse.MustDate("2026-05-11"), Status: pulse.CheckInOnTime, Metrics: map[string]float64{"calls": 300}})
	tally.AddCheckIn(&pulse.CheckIn{TeamID: "t1", UserID: "UOLE", Date: pulse.MustDate("2026-04-30"), Status: pulse.CheckInMissed})
	tally.AddCheckIn(&pulse.CheckIn{TeamID: "t1", UserID: "UOLE", Date: pulse.MustDate("2026-05-12"), Status: pulse.CheckInOnTime, Metrics: map[string]float64{"calls": 200}})
	plans := []pulse.Plan{plan("calls", pulse.PeriodMonth, "2026-05-01", 1000)}
	got := pulse.Attain(team, tally, plans, nil, nil, noon("2026-05-15"))
	// Anna's 1,000 and Ole's default of 250 × 21/5 = 1,050; 11 of 21 team workdays gone.
	if len(got) != 1 || got[0].Key != "calls" || got[0].Done != 500 || got[0].Target != 2050 || got[0].Elapsed != 11.0/21 {
		t.Errorf("attainment %+v; want calls 500 of 2,050 at 11/21", got)
	}
}
