package pulse_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// TestComputeLeaderPulse counts one manager's week by hand: the week of
// Monday 2026-11-23 in Oslo, reps A, B and C (C away all week), managers
// M1 (whose week it is) and M2.
func TestComputeLeaderPulse(t *testing.T) {
	oslo, _ := time.LoadLocation("Europe/Oslo")
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, oslo)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	d := pulse.MustDate
	team := goodTeam()
	team.ID = "T1"
	team.Managers = []string{"UM1", "UM2"}
	team.Reps = []string{"UA", "UB", "UC"}
	team.CreatedAt = at("2026-11-01 12:00")
	fb := func(from, rep, when string) pulse.Feedback {
		return pulse.Feedback{TeamID: "T1", From: from, RepID: rep, At: at(when), Kind: pulse.FeedbackPraise, Text: "x"}
	}
	in := pulse.LeaderPulseInput{
		Week: d("2026-11-25"), // any day of the week names it
		Feedback: []pulse.Feedback{
			fb("UM1", "UA", "2026-11-23 11:00"),
			fb("UM1", "UA", "2026-11-25 11:00"), // after A's report: follows it up
			fb("UM1", "UB", "2026-11-24 08:00"), // before B's report: does not
			fb("UM1", "UA", "2026-11-22 23:30"), // the week before, in Oslo
			fb("UM2", "UB", "2026-11-24 12:00"), // the other manager's
			{TeamID: "T2", From: "UM1", RepID: "UA", At: at("2026-11-24 12:00")},
		},
		LastOneOnOne: map[string]pulse.Date{"UA": d("2026-11-05"), "UB": d("2026-11-20")},
		Sessions: []pulse.CoachingSession{
			{TeamID: "T1", RepID: "UA", ManagerID: "UM1", Date: d("2026-11-25")},
			{TeamID: "T1", RepID: "UB", ManagerID: "UM1", Date: d("2026-11-26")}, // not due
		},
		Commitments: []pulse.Commitment{
			{TeamID: "T1", Week: d("2026-11-16"), ReviewedAt: at("2026-11-23 10:30")},
			{TeamID: "T1", Week: d("2026-11-16"), ReviewedAt: at("2026-11-24 10:00")},
			{TeamID: "T1", Week: d("2026-11-16"), ReviewedAt: at("2026-11-24 10:01")},
			{TeamID: "T1", Week: d("2026-11-23")},
		},
		Nudges: []pulse.Nudge{
			{TeamID: "T1", UserID: "UA", Response: pulse.NudgeApplied, AnsweredAt: at("2026-11-24 09:00")},
			{TeamID: "T1", UserID: "UB", Response: pulse.NudgeNotYet, AnsweredAt: at("2026-11-25 09:00")},
			{TeamID: "T1", UserID: "UB"},
		},
		Kudos: []pulse.Kudos{
			{TeamID: "T1", From: "UM1", CreatedAt: at("2026-11-26 15:00")},
			{TeamID: "T1", From: "UM1", CreatedAt: at("2026-11-20 15:00")},
			{TeamID: "T1", From: "UM2", CreatedAt: at("2026-11-26 15:00")},
		},
		Blockers: []pulse.Blocker{
			{TeamID: "T1", Date: d("2026-11-23"), Status: pulse.BlockerResolved, ResolvedBy: "UM1", ResolvedAt: at("2026-11-25 12:00")},
			{TeamID: "T1", Date: d("2026-11-19"), Status: pulse.BlockerResolved, ResolvedBy: "UM1", ResolvedAt: at("2026-11-24 12:00")},
			{TeamID: "T1", Date: d("2026-11-23"), Status: pulse.BlockerResolved, ResolvedBy: "UM2", ResolvedAt: at("2026-11-24 12:00")},
			{TeamID: "T1", Date: d("2026-11-23"), Status: pulse.BlockerOpen},
		},
		Away: map[string][]pulse.AwayPeriod{"UC": {{UserID: "UC", From: d("2026-11-23"), To: d("2026-11-27")}}},
	}
	got := pulse.ComputeLeaderPulse(team, "UM1", in)
	want := pulse.LeaderPulse{
		Manager: "UM1", Week: d("2026-11-23"), Target: 2,
		Reps: 2, RepsOnTarget: 1, RepsGiven: 2, Feedback: 3,
		OneOnOnesDue: 2, OneOnOnesHeld: 1,
		CommitmentsDue: 3, CommitmentsReviewed: 2,
		ReportsDue: 2, ReportsFollowed: 1,
		Kudos:            1,
		BlockersResolved: 2, BlockersInLimit: 1,
	}
	if got != want {
		t.Fatalf("pulse =\n %+v\nwant\n %+v", got, want)
	}
}
