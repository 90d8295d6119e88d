package storage

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// TestMigrateToSchema12 opens a file of schema 11 whose recent feedback
// was saved and never delivered, before feedback was delivered from the
// outbox: that feedback (and one whose reply is undelivered) gets its
// delivery in the outbox; delivered feedback and feedback older than a
// week get none.
func TestMigrateToSchema12(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v11.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	team := pulse.NewTeam("North", "Europe/Oslo")
	team.Managers, team.Reps = []string{"U01"}, []string{"U02"}
	if err := db.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	give := func(at time.Time, ts string, replies ...pulse.FeedbackReply) *pulse.Feedback {
		f := &pulse.Feedback{TeamID: team.ID, RepID: "U02", From: "U01", Date: pulse.DateOf(at), Kind: pulse.FeedbackPraise, Text: "Well done", At: at, TS: ts, Replies: replies}
		if ts != "" {
			f.Channel = "D02"
		}
		if err := db.SaveFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	undelivered := give(now.Add(-time.Hour), "")
	replyOwed := give(now.Add(-2*time.Hour), "100.1", pulse.FeedbackReply{From: "U02", Text: "Thanks", At: now})
	give(now.Add(-3*time.Hour), "100.2")
	give(now.Add(-8*24*time.Hour), "")
	db.Close()
	setSchema(t, path, 11)
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pending, err := db.PendingEffects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range pending {
		var fe pulse.FeedbackEffect
		if e.Kind != pulse.EffectFeedback || e.TeamID != team.ID || e.Key.Kind != pulse.JobEffect || json.Unmarshal(e.Body, &fe) != nil {
			t.Fatalf("effect %+v", e)
		}
		ids = append(ids, fe.ID)
	}
	if len(ids) != 2 || !((ids[0] == undelivered.ID && ids[1] == replyOwed.ID) || (ids[1] == undelivered.ID && ids[0] == replyOwed.ID)) {
		t.Fatalf("the outbox delivers %v, want %s and %s", ids, undelivered.ID, replyOwed.ID)
	}
}
