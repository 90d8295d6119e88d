package storage

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/salespulse/pulse"
)

// TestMigrateToSchema5 opens a file of schema 4 (check-ins in the first
// binary form), reads every check-in through every query after the
// migration, leaves the stored bytes alone, then stores a check-in with
// answers to the team's own questions and reads it back through every
// query, figures included.
func TestMigrateToSchema5(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v4.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	team := pulse.NewTeam("North", "Europe/Oslo")
	team.Managers, team.Reps = []string{"U01"}, []string{"U02", "U03"}
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}}
	if err := db.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 16, 9, 30, 0, 0, time.UTC)
	var old []pulse.CheckIn
	for i, day := range []string{"2026-11-16", "2026-11-17", "2026-11-18"} {
		for _, rep := range team.Reps {
			old = append(old, pulse.CheckIn{TeamID: team.ID, UserID: rep, Date: pulse.MustDate(day), Status: pulse.CheckInOnTime,
				Results: "results " + day, Plan: "plan " + rep, Energy: 1 + i, Metrics: map[string]float64{"calls": float64(10 + i)},
				SubmittedAt: at, UpdatedAt: at})
		}
	}
	for i := range old {
		if err := db.SaveCheckIn(ctx, &old[i]); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	setSchema(t, path, 4)
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	before := storedCheckIns(t, bdb)
	bdb.Close()
	for _, v := range before {
		if v[0] != checkInFormat {
			t.Fatalf("check-in of the schema before stored in form %d", v[0])
		}
	}

	db, err = Open(path)
	if err != nil {
		t.Fatalf("open the schema before: %v", err)
	}
	if !slices.EqualFunc(before, storedCheckIns(t, db.bolt), func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Error("the migration rewrote check-ins it can read as they are")
	}
	checkAll := func(want []pulse.CheckIn) {
		t.Helper()
		week, err := db.TeamCheckIns(ctx, team.ID, pulse.MustDate("2026-11-16"), pulse.MustDate("2026-11-22"))
		if err != nil || len(week) != len(want) {
			t.Fatalf("TeamCheckIns = %d, %v; want %d", len(week), err, len(want))
		}
		for _, w := range want {
			one, err := db.CheckIn(ctx, team.ID, w.UserID, w.Date)
			if err != nil || !sameCheckIn(*one, w) {
				t.Errorf("CheckIn %s %s = %+v, %v; want %+v", w.UserID, w.Date, one, err, w)
			}
			i := slices.IndexFunc(week, func(c pulse.CheckIn) bool { return c.UserID == w.UserID && c.Date == w.Date })
			if i < 0 || !sameCheckIn(week[i], w) {
				t.Errorf("TeamCheckIns lacks or changed %s %s", w.UserID, w.Date)
			}
			theirs, err := db.RepCheckIns(ctx, w.UserID, w.Date, w.Date)
			if err != nil || len(theirs) != 1 || !sameCheckIn(theirs[0], w) {
				t.Errorf("RepCheckIns %s %s = %+v, %v", w.UserID, w.Date, theirs, err)
			}
		}
		var calls float64
		n := 0
		err = db.ScanTeamCheckIns(ctx, team.ID, pulse.MustDate("2026-11-16"), pulse.MustDate("2026-11-22"), func(f *pulse.CheckInFigures) error {
			n++
			for _, m := range f.Metrics {
				if m.Key == "calls" {
					calls += m.Value
				}
			}
			return nil
		})
		var wantCalls float64
		for _, w := range want {
			wantCalls += w.Metrics["calls"]
		}
		if err != nil || n != len(want) || calls != wantCalls {
			t.Errorf("ScanTeamCheckIns: %d check-ins, %v calls, %v; want %d and %v", n, calls, err, len(want), wantCalls)
		}
	}
	checkAll(old)

	team.Questions = []pulse.Question{
		{ID: "q1", Version: 2, Text: "Which deal moved forward today?", Type: pulse.QuestionShortText},
		{ID: "q3", Version: 1, Text: "Deals", Type: pulse.QuestionNumber, Key: "deals"},
		{ID: "q4", Version: 1, Text: "Confidence", Type: pulse.QuestionScale},
	}
	if err := db.UpdateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	answered := pulse.CheckIn{TeamID: team.ID, UserID: "U02", Date: pulse.MustDate("2026-11-19"), Status: pulse.CheckInLate,
		Plan: "follow up", Energy: 4, Metrics: map[string]float64{"calls": 7, "deals": 2}, SubmittedAt: at, UpdatedAt: at,
		Answers: []pulse.Answer{
			{QuestionID: "q1", Version: 2, Question: "Which deal moved forward today?", Type: pulse.QuestionShortText, Value: "Acme — proposal sent"},
			{QuestionID: "q3", Version: 1, Question: "Deals", Type: pulse.QuestionNumber, Value: "2"},
			{QuestionID: "q4", Version: 1, Question: "Confidence", Type: pulse.QuestionScale, Value: "4"},
		}}
	if err := db.SaveCheckIn(ctx, &answered); err != nil {
		t.Fatal(err)
	}
	checkAll(append(old, answered))
	db.Close()
	db, err = Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	checkAll(append(old, answered))
}

// storedCheckIns returns the check-ins' stored bytes, in key order.
func storedCheckIns(t *testing.T, bdb *bolt.DB) [][]byte {
	t.Helper()
	var out [][]byte
	err := bdb.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCheckIns).ForEach(func(_, v []byte) error {
			out = append(out, slices.Clone(v))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameCheckIn(a, b pulse.CheckIn) bool {
	return a.TeamID == b.TeamID && a.UserID == b.UserID && a.Date == b.Date && a.Status == b.Status &&
		a.Results == b.Results && a.Plan == b.Plan && a.Energy == b.Energy && a.SubmittedAt.Equal(b.SubmittedAt) &&
		len(a.Metrics) == len(b.Metrics) && a.Metrics["calls"] == b.Metrics["calls"] && a.Metrics["deals"] == b.Metrics["deals"] &&
		slices.Equal(a.Answers, b.Answers)
}
