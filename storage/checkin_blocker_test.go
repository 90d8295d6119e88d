package storage_test

import (
	"testing"

	"github.com/salespulse/pulse"
)

// TestSaveCheckInRaising: a check-in and the blocker it raises are saved
// in one transaction, the blocker with SaveBlocker's defaults and an ID;
// when either is refused, neither is saved.
func TestSaveCheckInRaising(t *testing.T) {
	day := pulse.MustDate("2026-11-23")
	checkIn := func(team string, energy int) *pulse.CheckIn {
		return &pulse.CheckIn{TeamID: team, UserID: "U02", Date: day, Status: pulse.CheckInOnTime, Results: "Two demos",
			Plan: "Call the Bergen leads", Blocker: "CRM is down", Energy: energy, Metrics: map[string]float64{}, SubmittedAt: testNow, UpdatedAt: testNow}
	}
	blocker := func(team, text string) *pulse.Blocker {
		return &pulse.Blocker{TeamID: team, UserID: "U02", Date: day, Text: text}
	}
	t.Run("both are saved, the blocker open, raised now, with an ID", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		b := blocker(team.ID, "CRM is down")
		if err := db.SaveCheckInRaising(ctx, checkIn(team.ID, 3), b); err != nil {
			t.Fatal(err)
		}
		if b.ID == "" || b.Status != pulse.BlockerOpen || !b.RaisedAt.Equal(testNow) {
			t.Fatalf("raised %+v", b)
		}
		if _, err := db.CheckIn(ctx, team.ID, "U02", day); err != nil {
			t.Fatalf("check-in: %v", err)
		}
		open, err := db.OpenBlockers(ctx, team.ID)
		if err != nil || len(open) != 1 {
			t.Fatalf("open blockers %+v, %v; want the one raised", open, err)
		}
		assertEqual(t, &open[0], b)
	})

	for _, tt := range []struct {
		name          string
		energy        int
		blocker, team string // the blocker's text, and its team when not the check-in's
	}{
		{"a refused blocker saves no check-in", 3, "", ""},
		{"a refused check-in saves no blocker", 9, "CRM is down", ""},
		// Refused inside the transaction, once the check-in is written.
		{"a blocker whose team is gone saves no check-in", 3, "CRM is down", "nosuchteam"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpenDB(t)
			team := MustCreateTeam(t, db, "Sales", "U01", "U02")
			b := blocker(team.ID, tt.blocker)
			if tt.team != "" {
				b.TeamID = tt.team
			}
			if err := db.SaveCheckInRaising(ctx, checkIn(team.ID, tt.energy), b); err == nil {
				t.Fatal("saved")
			}
			if _, err := db.CheckIn(ctx, team.ID, "U02", day); !pulse.IsNotFound(err) {
				t.Errorf("check-in: %v, want none", err)
			}
			if open, err := db.OpenBlockers(ctx, team.ID); err != nil || len(open) != 0 {
				t.Errorf("open blockers %+v, %v; want none", open, err)
			}
			if b.ID != "" {
				t.Errorf("the blocker was given ID %s", b.ID)
			}
		})
	}
}
