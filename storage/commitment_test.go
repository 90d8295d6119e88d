package storage_test

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

func commitment(team, user, week, text string) *pulse.Commitment {
	return &pulse.Commitment{TeamID: team, UserID: user, Week: pulse.MustDate(week), Text: text, Metric: "calls", Target: 50}
}

func MustSaveCommitment(tb testing.TB, db *storage.DB, c *pulse.Commitment) *pulse.Commitment {
	tb.Helper()
	if err := db.SaveCommitment(ctx, c); err != nil {
		tb.Fatalf("save commitment %q: %v", c.Text, err)
	}
	return c
}

func TestCommitments(t *testing.T) {
	t.Run("a new commitment gets an ID, status open and a creation time, and reads back whole", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		c := MustSaveCommitment(t, db, commitment(team.ID, "U02", "2026-11-23", "book 5 demos"))
		if c.ID == "" || c.Status != pulse.CommitmentOpen || !c.CreatedAt.Equal(testNow) {
			t.Fatalf("saved = %+v", c)
		}
		got, err := db.Commitment(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, got, c)
	})

	t.Run("an invalid commitment is refused with Validate's error", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		c := commitment(team.ID, "U02", "2026-11-25", "") // a Wednesday, and no text
		c.Metric = "revenue"
		err := db.SaveCommitment(ctx, c)
		verrs, ok := err.(pulse.ValidationErrors)
		if !ok {
			t.Fatalf("SaveCommitment = %v (%T), want ValidationErrors", err, err)
		}
		if fields := fieldsOf(verrs); !slices.Equal(fields, []string{"text", "week", "metric"}) {
			t.Errorf("fields = %v", fields)
		}
		if got, _ := db.TeamCommitments(ctx, team.ID, pulse.Date{}, pulse.Date{}); len(got) != 0 {
			t.Errorf("%d commitments stored, want none", len(got))
		}
	})

	t.Run("unknown commitments and teams are not found", func(t *testing.T) {
		db := MustOpenDB(t)
		_, err := db.Commitment(ctx, "c0000000404")
		wantCode(t, err, pulse.ENOTFOUND)
		wantCode(t, db.SaveCommitment(ctx, commitment("t0000000404", "U02", "2026-11-23", "x")), pulse.ENOTFOUND)
		_, err = db.UpdateCommitment(ctx, "c0000000404", func(*pulse.Commitment) error { return nil })
		wantCode(t, err, pulse.ENOTFOUND)
	})
}

func TestCommitmentRanges(t *testing.T) {
	db := MustOpenDB(t)
	north := MustCreateTeam(t, db, "North", "U01", "U02", "U03")
	south := MustCreateTeam(t, db, "South", "U01", "U02")
	for _, c := range []*pulse.Commitment{
		commitment(north.ID, "U03", "2026-11-16", "n3 w47"),
		commitment(north.ID, "U03", "2026-11-23", "n3 w48"),
		commitment(north.ID, "U02", "2026-11-23", "n2 w48"),
		commitment(north.ID, "U02", "2026-11-30", "n2 w49"),
		commitment(north.ID, "U02", "2026-12-07", "n2 w50"),
		commitment(south.ID, "U02", "2026-11-23", "s2 w48"),
	} {
		MustSaveCommitment(t, db, c)
	}
	texts := func(cs []pulse.Commitment) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Text)
		}
		return out
	}
	for _, tt := range []struct {
		name     string
		list     func(from, to pulse.Date) ([]pulse.Commitment, error)
		from, to string
		want     []string
	}{
		{"a team's weeks include both ends, by week then user",
			func(f, to pulse.Date) ([]pulse.Commitment, error) { return db.TeamCommitments(ctx, north.ID, f, to) },
			"2026-11-23", "2026-11-30", []string{"n2 w48", "n3 w48", "n2 w49"}},
		{"a team's weeks exclude the week before and after",
			func(f, to pulse.Date) ([]pulse.Commitment, error) { return db.TeamCommitments(ctx, north.ID, f, to) },
			"2026-11-30", "2026-11-30", []string{"n2 w49"}},
		{"a rep's weeks cover all their teams",
			func(f, to pulse.Date) ([]pulse.Commitment, error) { return db.RepCommitments(ctx, "U02", f, to) },
			"2026-11-23", "2026-12-07", []string{"n2 w48", "s2 w48", "n2 w49", "n2 w50"}},
		{"a rep's weeks exclude the weeks outside the range",
			func(f, to pulse.Date) ([]pulse.Commitment, error) { return db.RepCommitments(ctx, "U03", f, to) },
			"2026-11-17", "2026-11-29", []string{"n3 w48"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.list(pulse.MustDate(tt.from), pulse.MustDate(tt.to))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(texts(got), tt.want) {
				t.Errorf("got %v\nwant %v", texts(got), tt.want)
			}
		})
	}
}

func TestUpdateCommitment(t *testing.T) {
	t.Run("concurrent updates apply one after another and none is lost", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		c := MustSaveCommitment(t, db, commitment(team.ID, "U02", "2026-11-23", "calls"))
		c.Target = 0
		MustSaveCommitment(t, db, c)
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				if _, err := db.UpdateCommitment(ctx, c.ID, func(c *pulse.Commitment) error {
					c.Target++
					return nil
				}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got, _ := db.Commitment(ctx, c.ID)
		if got.Target != 16 {
			t.Errorf("target = %v after 16 increments, want 16", got.Target)
		}
	})

	t.Run("a review is stored and returned", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		c := MustSaveCommitment(t, db, commitment(team.ID, "U02", "2026-11-23", "calls"))
		got, err := db.UpdateCommitment(ctx, c.ID, func(c *pulse.Commitment) error {
			c.Status, c.ManagerNote, c.ReviewedAt = pulse.CommitmentKept, "  well done  ", testNow
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != pulse.CommitmentKept || got.ManagerNote != "well done" {
			t.Errorf("returned %+v", got)
		}
		stored, _ := db.Commitment(ctx, c.ID)
		assertEqual(t, stored, got)
	})

	t.Run("an error from fn is returned as it is and nothing is stored", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		c := MustSaveCommitment(t, db, commitment(team.ID, "U02", "2026-11-23", "calls"))
		already := pulse.Errorf(pulse.ECONFLICT, "err.already_reviewed", nil, "already reviewed")
		_, err := db.UpdateCommitment(ctx, c.ID, func(c *pulse.Commitment) error {
			c.Text = "changed"
			return already
		})
		if err != already {
			t.Errorf("UpdateCommitment = %v, want fn's error itself", err)
		}
		got, _ := db.Commitment(ctx, c.ID)
		assertEqual(t, got, c)
	})

	t.Run("an invalid result is refused with Validate's error and nothing is stored", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		c := MustSaveCommitment(t, db, commitment(team.ID, "U02", "2026-11-23", "calls"))
		_, err := db.UpdateCommitment(ctx, c.ID, func(c *pulse.Commitment) error {
			c.Status = "maybe"
			return nil
		})
		var verrs pulse.ValidationErrors
		if !errors.As(err, &verrs) || verrs[0].Field != "status" {
			t.Fatalf("UpdateCommitment = %v, want a validation error on status", err)
		}
		if _, ok := err.(pulse.ValidationErrors); !ok {
			t.Errorf("error is %T, want ValidationErrors unwrapped", err)
		}
		got, _ := db.Commitment(ctx, c.ID)
		assertEqual(t, got, c)
	})

	t.Run("moving a commitment to another week moves it in the lists", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		c := MustSaveCommitment(t, db, commitment(team.ID, "U02", "2026-11-23", "calls"))
		next := pulse.MustDate("2026-11-30")
		if _, err := db.UpdateCommitment(ctx, c.ID, func(c *pulse.Commitment) error {
			c.Week = next
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.TeamCommitments(ctx, team.ID, c.Week, c.Week); len(got) != 0 {
			t.Errorf("old week still lists %d", len(got))
		}
		if got, _ := db.RepCommitments(ctx, "U02", c.Week, c.Week); len(got) != 0 {
			t.Errorf("rep's old week still lists %d", len(got))
		}
		if got, _ := db.TeamCommitments(ctx, team.ID, next, next); len(got) != 1 {
			t.Errorf("new week lists %d, want 1", len(got))
		}
	})

	t.Run("fn may not change the ID", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		c := MustSaveCommitment(t, db, commitment(team.ID, "U02", "2026-11-23", "calls"))
		_, err := db.UpdateCommitment(ctx, c.ID, func(c *pulse.Commitment) error {
			c.ID = "c0000000999"
			return nil
		})
		wantCode(t, err, pulse.EINVALID)
		if _, err := db.Commitment(ctx, "c0000000999"); pulse.ErrorCode(err) != pulse.ENOTFOUND {
			t.Errorf("a commitment appeared under the new ID: %v", err)
		}
	})
}

func TestScanTeamCommitments(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
	other := MustCreateTeam(t, db, "Other", "U01", "U02")
	for _, c := range []*pulse.Commitment{
		commitment(team.ID, "U02", "2026-11-16", "last week's"),
		commitment(team.ID, "U02", "2026-11-23", "book 5 demos"),
		commitment(team.ID, "U03", "2026-11-23", "call 50 leads"),
		commitment(other.ID, "U02", "2026-11-23", "another team's"),
	} {
		MustSaveCommitment(t, db, c)
	}
	week := pulse.MustDate("2026-11-23")

	t.Run("it yields what TeamCommitments returns, in its order, without the texts", func(t *testing.T) {
		want, err := db.TeamCommitments(ctx, team.ID, week, week)
		if err != nil || len(want) != 2 {
			t.Fatalf("TeamCommitments = %d, %v", len(want), err)
		}
		got := scanned(t, func(fn func(*pulse.Commitment) error) error {
			return db.ScanTeamCommitments(ctx, team.ID, week, week, fn)
		}, copyOf)
		for i := range want {
			want[i].Text, want[i].RepNote, want[i].ManagerNote = "", "", ""
		}
		assertEqual(t, got, want)
	})

	t.Run("fn's error ends the scan and comes back as it is", func(t *testing.T) {
		scanStops(t, func(fn func(*pulse.Commitment) error) error {
			return db.ScanTeamCommitments(ctx, team.ID, pulse.Date{}, pulse.Date{}, fn)
		})
	})

	t.Run("a team ID with a slash is refused before reading", func(t *testing.T) {
		wantCode(t, db.ScanTeamCommitments(ctx, "t/1", week, week, func(*pulse.Commitment) error { return nil }), pulse.EINVALID)
	})
}
