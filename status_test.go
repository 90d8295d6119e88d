package pulse_test

import (
	"slices"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func statusTeam() *pulse.Team {
	t := pulse.NewTeam("Nordic", "Europe/Oslo")
	t.ID = "T1"
	t.Managers = []string{"UMGR"}
	t.Reps = []string{"UANNA", "UBO", "UCARL", "UDAG"}
	t.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}}
	t.CreatedAt = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	return t
}

func answered(team, rep, day string, energy int, calls float64) pulse.CheckIn {
	return pulse.CheckIn{TeamID: team, UserID: rep, Date: pulse.MustDate(day), Status: pulse.CheckInOnTime,
		Plan: "call", Energy: energy, Metrics: map[string]float64{"calls": calls}}
}

func TestTeamStatus(t *testing.T) {
	// Wednesday 2026-03-04, 10:00 in Oslo.
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	honolulu, _ := time.LoadLocation("Pacific/Honolulu")
	tests := []struct {
		name  string
		edit  func(*pulse.Team)
		in    pulse.TeamStatusInput
		check func(t *testing.T, s pulse.TeamStatus)
	}{
		{
			name: "reps who answered today are counted and the others are missing in the team's order",
			in: pulse.TeamStatusInput{Now: now, CheckIns: []pulse.CheckIn{
				answered("T1", "UBO", "2026-03-04", 4, 10),
				answered("T1", "UDAG", "2026-03-03", 3, 5),  // yesterday's does not count for today
				answered("T2", "UANNA", "2026-03-04", 3, 5), // another team's does not either
			}},
			check: func(t *testing.T, s pulse.TeamStatus) {
				if s.Due != 4 || s.CheckedIn != 1 || !slices.Equal(s.Missing, []string{"UANNA", "UCARL", "UDAG"}) {
					t.Errorf("due %d, checked in %d, missing %v; want 4, 1, [UANNA UCARL UDAG]", s.Due, s.CheckedIn, s.Missing)
				}
			},
		},
		{
			name: "a rep away today and a rep whose local day is a weekend are not due",
			edit: func(tm *pulse.Team) {},
			in: pulse.TeamStatusInput{
				// Saturday 00:30 in Tokyo is still Friday 16:30 in Oslo.
				Now:   time.Date(2026, 3, 6, 15, 30, 0, 0, time.UTC),
				Zones: map[string]*time.Location{"UCARL": tokyo, "UDAG": honolulu},
				Away:  map[string][]pulse.AwayPeriod{"UANNA": {{UserID: "UANNA", From: pulse.MustDate("2026-03-06"), To: pulse.MustDate("2026-03-06")}}},
			},
			check: func(t *testing.T, s pulse.TeamStatus) {
				if s.Due != 2 || !slices.Equal(s.Missing, []string{"UBO", "UDAG"}) || !slices.Equal(s.Away, []string{"UANNA"}) {
					t.Errorf("due %d, missing %v, away %v; want 2, [UBO UDAG], [UANNA]", s.Due, s.Missing, s.Away)
				}
			},
		},
		{
			name: "a rep whose Monday has begun while the team's Sunday lasts is counted on their Monday",
			in: pulse.TeamStatusInput{
				// Sunday 21:00 in Oslo is Monday 05:00 in Tokyo.
				Now:      time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC),
				Zones:    map[string]*time.Location{"UCARL": tokyo},
				CheckIns: []pulse.CheckIn{answered("T1", "UCARL", "2026-03-09", 5, 3)},
			},
			check: func(t *testing.T, s pulse.TeamStatus) {
				if s.Due != 1 || s.CheckedIn != 1 || len(s.Missing) != 0 {
					t.Errorf("due %d, checked in %d, missing %v; want UCARL alone, checked in", s.Due, s.CheckedIn, s.Missing)
				}
				if s.Energy != 0 || s.Metrics[0].Total != 0 {
					t.Errorf("energy %v, calls %v: the team's week ends on Sunday, so Monday's answer is not in it", s.Energy, s.Metrics[0].Total)
				}
			},
		},
		{
			name: "check-ins of people no longer reps and missed days count for nothing",
			in: pulse.TeamStatusInput{Now: now, CheckIns: []pulse.CheckIn{
				answered("T1", "UGONE", "2026-03-04", 1, 100),
				{TeamID: "T1", UserID: "UBO", Date: pulse.MustDate("2026-03-04"), Status: pulse.CheckInMissed},
				answered("T1", "UANNA", "2026-03-04", 4, 7),
			}},
			check: func(t *testing.T, s pulse.TeamStatus) {
				if s.CheckedIn != 1 || s.Energy != 4 || s.Metrics[0].Total != 7 {
					t.Errorf("checked in %d, energy %v, calls %v; want UANNA's alone: 1, 4, 7", s.CheckedIn, s.Energy, s.Metrics[0].Total)
				}
			},
		},
		{
			name: "open blockers are listed oldest first with their age, resolved ones are not",
			in: pulse.TeamStatusInput{Now: now, Blockers: []pulse.Blocker{
				{ID: "B2", TeamID: "T1", UserID: "UBO", Text: "CRM down", Status: pulse.BlockerOnIt, RaisedAt: now.Add(-2 * time.Hour)},
				{ID: "B1", TeamID: "T1", UserID: "UANNA", Text: "no leads", Status: pulse.BlockerOpen, RaisedAt: now.Add(-26 * time.Hour)},
				{ID: "B3", TeamID: "T1", UserID: "UANNA", Text: "old", Status: pulse.BlockerResolved, RaisedAt: now.Add(-50 * time.Hour)},
			}},
			check: func(t *testing.T, s pulse.TeamStatus) {
				if len(s.Blockers) != 2 || s.Blockers[0].ID != "B1" || s.Blockers[0].Age != 26*time.Hour || s.Blockers[1].UserID != "UBO" {
					t.Errorf("blockers %+v; want B1 (26h) then B2", s.Blockers)
				}
			},
		},
		{
			name: "energy averages this week against last week and metrics sum against target times reps",
			in: pulse.TeamStatusInput{Now: now, CheckIns: []pulse.CheckIn{
				answered("T1", "UANNA", "2026-03-02", 4, 10),
				answered("T1", "UBO", "2026-03-03", 5, 20),
				answered("T1", "UANNA", "2026-02-25", 2, 99), // last week: energy only
				answered("T1", "UBO", "2026-02-26", 3, 99),
			}},
			check: func(t *testing.T, s pulse.TeamStatus) {
				if s.Energy != 4.5 || s.PrevEnergy != 2.5 || s.EnergyTrend != 2 {
					t.Errorf("energy %v prev %v trend %v; want 4.5, 2.5, 2", s.Energy, s.PrevEnergy, s.EnergyTrend)
				}
				if len(s.Metrics) != 1 || s.Metrics[0].Total != 30 || s.Metrics[0].Target != 200 {
					t.Errorf("metrics %+v; want calls 30 of 200", s.Metrics)
				}
			},
		},
		{
			name: "this week's commitments are counted by status, other weeks are not",
			in: pulse.TeamStatusInput{Now: now, Commitments: []pulse.Commitment{
				{TeamID: "T1", UserID: "UANNA", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentKept},
				{TeamID: "T1", UserID: "UBO", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentOpen},
				{TeamID: "T1", UserID: "UBO", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentMissed},
				{TeamID: "T1", UserID: "UCARL", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentPartly},
				{TeamID: "T1", UserID: "UCARL", Week: pulse.MustDate("2026-02-23"), Status: pulse.CommitmentKept},
				{TeamID: "T2", UserID: "UCARL", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentKept}, // another team's
				{TeamID: "T1", UserID: "UGONE", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentKept}, // no longer a rep
			}},
			check: func(t *testing.T, s pulse.TeamStatus) {
				if want := (pulse.CommitmentCounts{Kept: 1, Partly: 1, Missed: 1, Open: 1}); s.Commitments != want {
					t.Errorf("commitments %+v; want %+v", s.Commitments, want)
				}
			},
		},
		{
			name: "training implementation is applied over sent, and unknown before any nudge",
			in: pulse.TeamStatusInput{Now: now, Nudges: []pulse.Nudge{
				{TeamID: "T1", UserID: "UANNA", SentAt: now, Response: pulse.NudgeApplied},
				{TeamID: "T1", UserID: "UBO", SentAt: now},
				{TeamID: "T1", UserID: "UCARL", SentAt: now, Response: pulse.NudgeNotYet},
				{TeamID: "T1", UserID: "UDAG", SentAt: now, Response: pulse.NudgeApplied},
				{TeamID: "T1", UserID: "UDAG"},                                             // not sent yet
				{TeamID: "T2", UserID: "UANNA", SentAt: now, Response: pulse.NudgeApplied}, // another team's
			}},
			check: func(t *testing.T, s pulse.TeamStatus) {
				if !s.HasImplementation || s.NudgesSent != 4 || s.NudgesApplied != 2 || s.Implementation != 0.5 {
					t.Errorf("implementation %v (%d of %d, known %v); want 0.5 (2 of 4)", s.Implementation, s.NudgesApplied, s.NudgesSent, s.HasImplementation)
				}
			},
		},
		{
			name: "1:1s older than the cadence or never held are overdue, longest first",
			in: pulse.TeamStatusInput{Now: now, LastOneOnOne: map[string]pulse.Date{
				"UANNA": pulse.MustDate("2026-02-25"), // 7 days: fine
				"UBO":   pulse.MustDate("2026-02-10"), // 22 days
				"UCARL": pulse.MustDate("2026-02-18"), // 14 days: exactly the cadence, fine
			}},
			check: func(t *testing.T, s pulse.TeamStatus) {
				var reps []string
				for _, o := range s.Overdue {
					reps = append(reps, o.Rep)
				}
				// UDAG never had one: 58 days since the team was created.
				if !slices.Equal(reps, []string{"UDAG", "UBO"}) || s.Overdue[0].Days != 58 || !s.Overdue[0].Last.IsZero() || s.Overdue[1].Days != 22 {
					t.Errorf("overdue %+v; want UDAG (never, 58 days) then UBO (22 days)", s.Overdue)
				}
			},
		},
		{
			name: "a rep who never had a 1:1 is overdue only once the cadence has passed since the team began",
			edit: func(tm *pulse.Team) { tm.CreatedAt = now.Add(-14 * 24 * time.Hour) },
			in: pulse.TeamStatusInput{Now: now, LastOneOnOne: map[string]pulse.Date{
				"UBO": pulse.MustDate("2026-02-10"), // 22 days
			}},
			check: func(t *testing.T, s pulse.TeamStatus) {
				if len(s.Overdue) != 1 || s.Overdue[0].Rep != "UBO" {
					t.Errorf("overdue %+v; want only UBO: the others' team began exactly a cadence ago", s.Overdue)
				}
			},
		},
		{
			name: "a team created today owes nobody a 1:1",
			edit: func(tm *pulse.Team) { tm.CreatedAt = now.Add(-time.Hour) },
			in:   pulse.TeamStatusInput{Now: now},
			check: func(t *testing.T, s pulse.TeamStatus) {
				if len(s.Overdue) != 0 {
					t.Errorf("overdue %+v in a team created an hour ago", s.Overdue)
				}
			},
		},
	}
	// One tally, reset for each case, as a caller that keeps one does.
	var reused pulse.TeamTally
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team := statusTeam()
			if tt.edit != nil {
				tt.edit(team)
			}
			tt.check(t, pulse.ComputeTeamStatus(team, tt.in))
		})
		// Store scans feed a tally one record at a time, in one
		// CheckInFigures, Nudge and Commitment they reuse: the status is
		// the same.
		t.Run(tt.name+", counted from a scan", func(t *testing.T) {
			team := statusTeam()
			if tt.edit != nil {
				tt.edit(team)
			}
			in := tt.in
			reused.Reset(team, pulse.DateOf(in.Now.In(team.Location())))
			in.Tally = &reused
			var f pulse.CheckInFigures
			for i := range tt.in.CheckIns {
				f = tt.in.CheckIns[i].Figures(f.Metrics)
				in.Tally.AddFigures(&f)
			}
			var n pulse.Nudge
			for _, src := range tt.in.Nudges {
				n = src
				in.Tally.AddNudge(&n)
			}
			var cm pulse.Commitment
			for _, src := range tt.in.Commitments {
				cm = src
				in.Tally.AddCommitment(&cm)
			}
			in.CheckIns, in.Nudges, in.Commitments = nil, nil, nil
			tt.check(t, pulse.ComputeTeamStatus(team, in))
		})
	}
}

func TestRepStatus(t *testing.T) {
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC) // Wednesday
	tests := []struct {
		name  string
		in    pulse.RepStatusInput
		check func(t *testing.T, s pulse.RepStatus)
	}{
		{
			name: "before today's check-in the streak counts the days before and no check-in is shown",
			in: pulse.RepStatusInput{Now: now, Goal: "a house by the sea", CheckIns: []pulse.CheckIn{
				answered("T1", "UANNA", "2026-02-27", 3, 1), answered("T1", "UANNA", "2026-03-02", 4, 1), answered("T1", "UANNA", "2026-03-03", 4, 1),
			}},
			check: func(t *testing.T, s pulse.RepStatus) {
				if s.CheckIn != nil || !s.Due || s.Streak != 3 || s.Goal != "a house by the sea" {
					t.Errorf("check-in %v, due %v, streak %d, goal %q; want none, due, 3, the goal", s.CheckIn, s.Due, s.Streak, s.Goal)
				}
			},
		},
		{
			name: "today's answer is shown and counted, and energy is compared with last week",
			in: pulse.RepStatusInput{Now: now, CheckIns: []pulse.CheckIn{
				answered("T1", "UANNA", "2026-02-26", 2, 1), answered("T1", "UANNA", "2026-03-03", 4, 1), answered("T1", "UANNA", "2026-03-04", 5, 1),
				answered("T1", "UBO", "2026-03-04", 1, 1),
			}},
			check: func(t *testing.T, s pulse.RepStatus) {
				if s.CheckIn == nil || s.CheckIn.Energy != 5 || s.Streak != 2 || s.Energy != 4.5 || s.EnergyTrend != 2.5 {
					t.Errorf("check-in %v, streak %d, energy %v trend %v; want today's, 2, 4.5, +2.5", s.CheckIn, s.Streak, s.Energy, s.EnergyTrend)
				}
			},
		},
		{
			name: "a rep away today is not due",
			in:   pulse.RepStatusInput{Now: now, Away: []pulse.AwayPeriod{{UserID: "UANNA", From: pulse.MustDate("2026-03-04"), To: pulse.MustDate("2026-03-06")}}},
			check: func(t *testing.T, s pulse.RepStatus) {
				if !s.Away || s.Due {
					t.Errorf("away %v, due %v; want away and not due", s.Away, s.Due)
				}
			},
		},
		{
			name: "trainings not yet applied are listed with their pending nudges, applied ones are not",
			in: pulse.RepStatusInput{Now: now,
				Trainings: []pulse.Training{
					{ID: "TR1", TeamID: "T1", Skill: "objection handling", Date: pulse.MustDate("2026-02-20"), Attendees: []string{"UANNA"}},
					{ID: "TR2", TeamID: "T1", Skill: "discovery", Date: pulse.MustDate("2026-02-25"), Attendees: []string{"UANNA", "UBO"}},
					{ID: "TR3", TeamID: "T1", Skill: "closing", Date: pulse.MustDate("2026-02-26"), Attendees: []string{"UBO"}},
				},
				Nudges: []pulse.Nudge{
					{TrainingID: "TR1", TeamID: "T1", UserID: "UANNA", Day: 2, SentAt: now, Response: pulse.NudgeApplied},
					{TrainingID: "TR2", TeamID: "T1", UserID: "UANNA", Day: 2, SentAt: now, Response: pulse.NudgeNotYet},
					{TrainingID: "TR2", TeamID: "T1", UserID: "UANNA", Day: 7, SentAt: now},
				}},
			check: func(t *testing.T, s pulse.RepStatus) {
				if len(s.ToApply) != 1 || s.ToApply[0].Skill != "discovery" || s.ToApply[0].Pending != 2 {
					t.Errorf("to apply %+v; want discovery with 2 pending", s.ToApply)
				}
			},
		},
		{
			name: "this week's commitments, the last 1:1 and kudos received are reported",
			in: pulse.RepStatusInput{Now: now, LastOneOnOne: pulse.MustDate("2026-02-20"),
				Commitments: []pulse.Commitment{
					{TeamID: "T1", UserID: "UANNA", Week: pulse.MustDate("2026-03-02"), Text: "10 demos", Status: pulse.CommitmentOpen},
					{TeamID: "T1", UserID: "UANNA", Week: pulse.MustDate("2026-02-23"), Text: "old", Status: pulse.CommitmentKept},
				},
				Kudos: []pulse.Kudos{{TeamID: "T1", To: "UANNA"}, {TeamID: "T1", To: "UBO"}, {TeamID: "T1", To: "UANNA"}}},
			check: func(t *testing.T, s pulse.RepStatus) {
				if len(s.Commitments) != 1 || s.Counts.Open != 1 || s.LastOneOnOne != pulse.MustDate("2026-02-20") || s.Kudos != 2 {
					t.Errorf("commitments %v (%+v), last 1:1 %v, kudos %d; want one open, 2026-02-20, 2", s.Commitments, s.Counts, s.LastOneOnOne, s.Kudos)
				}
			},
		},
		{
			name: "last week's open commitments wait for the rep's review; reviewed ones, other reps' and older weeks' do not",
			in: pulse.RepStatusInput{Now: now,
				Commitments: []pulse.Commitment{
					{ID: "c1", TeamID: "T1", UserID: "UANNA", Week: pulse.MustDate("2026-02-23"), Text: "5 meetings", Status: pulse.CommitmentOpen},
					{ID: "c2", TeamID: "T1", UserID: "UANNA", Week: pulse.MustDate("2026-02-23"), Text: "done", Status: pulse.CommitmentKept},
					{ID: "c3", TeamID: "T1", UserID: "UBO", Week: pulse.MustDate("2026-02-23"), Text: "Bo's", Status: pulse.CommitmentOpen},
					{ID: "c4", TeamID: "T1", UserID: "UANNA", Week: pulse.MustDate("2026-02-16"), Text: "older", Status: pulse.CommitmentOpen},
					{ID: "c5", TeamID: "T1", UserID: "UANNA", Week: pulse.MustDate("2026-03-02"), Text: "this week", Status: pulse.CommitmentOpen},
				}},
			check: func(t *testing.T, s pulse.RepStatus) {
				if len(s.ToReview) != 1 || s.ToReview[0].ID != "c1" {
					t.Errorf("to review %+v; want only c1", s.ToReview)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, pulse.ComputeRepStatus(statusTeam(), "UANNA", tt.in))
		})
	}
}
