package storage

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// TestMigrateToSchema8 opens a file of schema 7 whose feedback has replies
// without their delivered mark: a reply of delivered feedback is marked
// with the thread it went to (the rep's, or the leader's for the rep's
// reply), undelivered feedback keeps its replies unmarked, and nothing
// else of the record changes.
func TestMigrateToSchema8(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v7.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	team := pulse.NewTeam("North", "Europe/Oslo")
	team.Managers, team.Reps = []string{"U01"}, []string{"U02"}
	if err := db.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 16, 9, 30, 0, 0, time.UTC)
	replies := []pulse.FeedbackReply{{From: "U02", Text: "Thanks", At: at}, {From: "U01", Text: "Good", At: at}}
	delivered := &pulse.Feedback{TeamID: team.ID, RepID: "U02", From: "U01", Date: pulse.MustDate("2026-11-16"), Kind: pulse.FeedbackPraise, Text: "Well done", At: at,
		Channel: "D02", TS: "100.1", LeaderChannel: "D01", LeaderTS: "200.2", Replies: replies}
	pending := &pulse.Feedback{TeamID: team.ID, RepID: "U02", From: "U01", Date: pulse.MustDate("2026-11-16"), Kind: pulse.FeedbackQuestion, Text: "Why?", At: at,
		Replies: replies[:1]}
	for _, f := range []*pulse.Feedback{delivered, pending} {
		if err := db.SaveFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	setSchema(t, path, 7)
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Feedback(ctx, delivered.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Replies[0].TS != "200.2" || got.Replies[1].TS != "100.1" || got.Text != "Well done" || got.LeaderTS != "200.2" {
		t.Fatalf("delivered feedback after the migration: %+v", got)
	}
	if got, err := db.Feedback(ctx, pending.ID); err != nil || got.Replies[0].TS != "" || !got.Undelivered() {
		t.Fatalf("undelivered feedback after the migration: %+v, %v", got, err)
	}
}
