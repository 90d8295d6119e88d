package storage_test

import (
	"slices"
	"testing"

	"github.com/salespulse/pulse"
)

func TestCoachingSessions(t *testing.T) {
	session := func(team, rep, day, notes string) *pulse.CoachingSession {
		return &pulse.CoachingSession{TeamID: team, RepID: rep, ManagerID: "U01", Date: pulse.MustDate(day), Notes: notes}
	}
	notes := func(ss []pulse.CoachingSession) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Notes)
		}
		return out
	}

	t.Run("a rep's 1:1s list oldest first, for that team and rep only", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U022")
		other := MustCreateTeam(t, db, "Other", "U01", "U02")
		for _, s := range []*pulse.CoachingSession{
			session(team.ID, "U02", "2026-11-20", "third"),
			session(team.ID, "U02", "2026-10-01", "first"),
			session(team.ID, "U02", "2026-11-02", "second"),
			session(team.ID, "U022", "2026-12-01", "someone else"),
			session(other.ID, "U02", "2026-12-01", "other team"),
		} {
			must(t, db.SaveSession(ctx, s))
			if s.ID == "" || !s.CreatedAt.Equal(testNow) {
				t.Fatalf("saved %+v", s)
			}
		}
		got, err := db.RepSessions(ctx, team.ID, "U02")
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"first", "second", "third"}; !slices.Equal(notes(got), want) {
			t.Errorf("got %v, want %v", notes(got), want)
		}
		last, err := db.LastSession(ctx, team.ID, "U02")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, last, &got[2])
	})

	t.Run("a rep's 1:1s from a day on, and the day of the one before", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U022")
		for _, s := range []*pulse.CoachingSession{
			session(team.ID, "U02", "2026-11-20", "third"),
			session(team.ID, "U02", "2026-10-01", "first"),
			session(team.ID, "U02", "2026-11-02", "second"),
			session(team.ID, "U02", "2026-11-23", "fourth"),
			session(team.ID, "U022", "2026-11-10", "someone else"),
		} {
			must(t, db.SaveSession(ctx, s))
		}
		for _, tt := range []struct {
			from, before string // before "" for none
			want         []string
		}{
			{"2026-11-20", "2026-11-02", []string{"third", "fourth"}}, // from a day with a 1:1: it is in, not before
			{"2026-11-03", "2026-11-02", []string{"third", "fourth"}}, // a day without one
			{"2026-10-01", "", []string{"first", "second", "third", "fourth"}},
			{"2026-11-24", "2026-11-23", nil}, // after them all
			{"2026-09-01", "", []string{"first", "second", "third", "fourth"}},
		} {
			before, got, err := db.RepSessionsFrom(ctx, team.ID, "U02", pulse.MustDate(tt.from))
			if err != nil {
				t.Fatal(err)
			}
			wantBefore := pulse.Date{}
			if tt.before != "" {
				wantBefore = pulse.MustDate(tt.before)
			}
			if before != wantBefore || !slices.Equal(notes(got), tt.want) {
				t.Errorf("from %s: before %v, %v; want %v, %v", tt.from, before, notes(got), wantBefore, tt.want)
			}
		}
		if before, got, err := db.RepSessionsFrom(ctx, team.ID, "U09", pulse.MustDate("2026-11-01")); err != nil || !before.IsZero() || len(got) != 0 {
			t.Errorf("a rep without 1:1s: %v, %v, %v", before, got, err)
		}
	})

	t.Run("a rep without 1:1s has no last one", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U022")
		must(t, db.SaveSession(ctx, session(team.ID, "U022", "2026-11-20", "not U02")))
		_, err := db.LastSession(ctx, team.ID, "U02")
		wantCode(t, err, pulse.ENOTFOUND)
		if got, err := db.RepSessions(ctx, team.ID, "U02"); err != nil || len(got) != 0 {
			t.Errorf("RepSessions = %v, %v", got, err)
		}
	})

	t.Run("editing a 1:1's day moves it, without a copy left behind", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		a := session(team.ID, "U02", "2026-11-20", "a")
		b := session(team.ID, "U02", "2026-11-10", "b")
		must(t, db.SaveSession(ctx, a))
		must(t, db.SaveSession(ctx, b))
		a.Date, a.Notes = pulse.MustDate("2026-11-01"), "a, moved"
		must(t, db.SaveSession(ctx, a))
		got, _ := db.RepSessions(ctx, team.ID, "U02")
		if want := []string{"a, moved", "b"}; !slices.Equal(notes(got), want) {
			t.Errorf("got %v, want %v", notes(got), want)
		}
		last, _ := db.LastSession(ctx, team.ID, "U02")
		if last.ID != b.ID {
			t.Errorf("last 1:1 is %s, want %s", last.ID, b.ID)
		}
	})

	t.Run("an invalid 1:1 is refused with Validate's error, an unknown one is not found", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		bad := session(team.ID, "nobody", "2026-11-20", "x")
		bad.Date = pulse.Date{}
		if _, ok := db.SaveSession(ctx, bad).(pulse.ValidationErrors); !ok {
			t.Error("want ValidationErrors")
		}
		ghost := session(team.ID, "U02", "2026-11-20", "x")
		ghost.ID = "s0000000404"
		wantCode(t, db.SaveSession(ctx, ghost), pulse.ENOTFOUND)
		wantCode(t, db.SaveSession(ctx, session("t0000000404", "U02", "2026-11-20", "x")), pulse.ENOTFOUND)
	})
}
