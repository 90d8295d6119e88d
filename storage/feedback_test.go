package storage_test

import (
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestFeedback(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
	other := MustCreateTeam(t, db, "Other", "U09", "U02")
	at := func(hhmm string) time.Time { return pulse.MustDate("2026-11-24").At(pulse.MustTime(hhmm), time.UTC) }
	give := func(team, rep, hhmm string) *pulse.Feedback {
		f := &pulse.Feedback{TeamID: team, RepID: rep, From: "U01", Date: pulse.MustDate("2026-11-24"), Kind: pulse.FeedbackCoaching, Text: "Ask for the next step", At: at(hhmm)}
		must(t, db.SaveFeedback(ctx, f))
		if f.ID == "" {
			t.Fatal("no ID assigned")
		}
		return f
	}
	first := give(team.ID, "U02", "10:00")
	give(team.ID, "U03", "11:00")
	give(other.ID, "U02", "10:30")

	got, err := db.TeamFeedback(ctx, team.ID, at("10:00"), at("11:00"))
	must(t, err)
	if len(got) != 1 || got[0].ID != first.ID || got[0].Text != "Ask for the next step" {
		t.Fatalf("TeamFeedback = %+v, want only the first, with its text", got)
	}
	if all, err := db.TeamFeedback(ctx, team.ID, time.Time{}, time.Time{}); err != nil || len(all) != 2 {
		t.Fatalf("TeamFeedback(all) = %d, %v; want the team's two", len(all), err)
	}

	// Replies at once from the rep and the manager both stay.
	var wg sync.WaitGroup
	for _, from := range []string{"U02", "U01"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := db.UpdateFeedback(ctx, first.ID, func(f *pulse.Feedback) error {
				f.Replies = append(f.Replies, pulse.FeedbackReply{From: from, Text: "ok", At: at("12:00")})
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	f, err := db.Feedback(ctx, first.ID)
	must(t, err)
	if len(f.Replies) != 2 {
		t.Fatalf("replies = %+v, want both", f.Replies)
	}

	if _, err := db.UpdateFeedback(ctx, first.ID, func(f *pulse.Feedback) error { f.Text = ""; return nil }); pulse.ErrorCode(err) != pulse.EINVALID {
		t.Fatalf("emptying the text = %v, want EINVALID", err)
	}
	if _, err := db.Feedback(ctx, "f9999"); !pulse.IsNotFound(err) {
		t.Fatalf("missing feedback = %v, want ENOTFOUND", err)
	}
	if err := db.SaveFeedback(ctx, &pulse.Feedback{TeamID: "nope", RepID: "U02", From: "U01", Date: pulse.MustDate("2026-11-24"), Kind: pulse.FeedbackAck}); !pulse.IsNotFound(err) {
		t.Fatalf("feedback in a missing team = %v, want ENOTFOUND", err)
	}
	if _, err := db.TeamFeedback(ctx, "a/b", time.Time{}, time.Time{}); err == nil {
		t.Fatal("a key part with the separator was accepted")
	}
}

func TestDirectorsFindTheirTeams(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02")
	team.Directors = []string{"U07"}
	must(t, db.UpdateTeam(ctx, team))
	ts, err := db.TeamsOf(ctx, "U07")
	must(t, err)
	if len(ts) != 1 || ts[0].ID != team.ID {
		t.Fatalf("TeamsOf(director) = %v, want the team", ts)
	}
	team.Directors = nil
	must(t, db.UpdateTeam(ctx, team))
	if ts, _ := db.TeamsOf(ctx, "U07"); len(ts) != 0 {
		t.Fatalf("TeamsOf(former director) = %v, want none", ts)
	}
}
