package storage_test

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

func MustSaveBlocker(tb testing.TB, db *storage.DB, team, user, day, text string) *pulse.Blocker {
	tb.Helper()
	b := &pulse.Blocker{TeamID: team, UserID: user, Date: pulse.MustDate(day), Text: text}
	if err := db.SaveBlocker(ctx, b); err != nil {
		tb.Fatalf("save blocker %q: %v", text, err)
	}
	return b
}

// resolve is what a manager's "Resolved" button does: it resolves an open
// blocker and refuses a resolved one.
func resolve(by string) func(*pulse.Blocker) error {
	return func(b *pulse.Blocker) error {
		if !b.Open() {
			return pulse.Errorf(pulse.ECONFLICT, "err.blocker_resolved", nil, "blocker %s already resolved", b.ID)
		}
		b.Status, b.ResolvedBy, b.ResolvedAt = pulse.BlockerResolved, by, testNow
		return nil
	}
}

func blockerTexts(bs []pulse.Blocker) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Text)
	}
	return out
}

func TestBlockers(t *testing.T) {
	t.Run("a new blocker is open, raised now, and reads back whole", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		b := MustSaveBlocker(t, db, team.ID, "U02", "2026-11-23", "no leads")
		if b.ID == "" || b.Status != pulse.BlockerOpen || !b.RaisedAt.Equal(testNow) {
			t.Fatalf("saved %+v", b)
		}
		got, err := db.Blocker(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, got, b)
	})

	t.Run("open blockers leave out resolved ones and other teams'", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
		other := MustCreateTeam(t, db, "Other", "U01", "U02")
		MustSaveBlocker(t, db, team.ID, "U03", "2026-11-20", "old, U03")
		done := MustSaveBlocker(t, db, team.ID, "U02", "2026-11-21", "done")
		MustSaveBlocker(t, db, team.ID, "U02", "2026-11-20", "old, U02")
		taken := MustSaveBlocker(t, db, team.ID, "U02", "2026-11-23", "taken")
		MustSaveBlocker(t, db, other.ID, "U02", "2026-11-22", "other team")
		if _, err := db.UpdateBlocker(ctx, done.ID, resolve("U01")); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateBlocker(ctx, taken.ID, func(b *pulse.Blocker) error {
			b.Status, b.TakenBy, b.TakenAt = pulse.BlockerOnIt, "U01", testNow
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		got, err := db.OpenBlockers(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"old, U02", "old, U03", "taken"}; !slices.Equal(blockerTexts(got), want) {
			t.Errorf("open = %v, want %v", blockerTexts(got), want)
		}
		all, err := db.TeamBlockers(ctx, team.ID, pulse.MustDate("2026-11-21"), pulse.MustDate("2026-11-23"))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"done", "taken"}; !slices.Equal(blockerTexts(all), want) {
			t.Errorf("raised 21–23 Nov = %v, want %v", blockerTexts(all), want)
		}
		// Reopening puts a blocker back on the open list.
		if _, err := db.UpdateBlocker(ctx, done.ID, func(b *pulse.Blocker) error {
			b.Status = pulse.BlockerOpen
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.OpenBlockers(ctx, team.ID); len(got) != 4 {
			t.Errorf("%d open after reopening, want 4", len(got))
		}
	})

	t.Run("of 16 managers resolving one blocker at once, one resolves it", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		b := MustSaveBlocker(t, db, team.ID, "U02", "2026-11-23", "contract stuck")
		var resolved, conflicts atomic.Int32
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				_, err := db.UpdateBlocker(ctx, b.ID, resolve("U01"))
				switch pulse.ErrorCode(err) {
				case "":
					resolved.Add(1)
				case pulse.ECONFLICT:
					conflicts.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if resolved.Load() != 1 || conflicts.Load() != 15 {
			t.Errorf("%d resolved, %d conflicts; want 1 and 15", resolved.Load(), conflicts.Load())
		}
		if open, _ := db.OpenBlockers(ctx, team.ID); len(open) != 0 {
			t.Errorf("%d still open", len(open))
		}
	})

	t.Run("an error from fn or an invalid result leaves the blocker as it was", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		b := MustSaveBlocker(t, db, team.ID, "U02", "2026-11-23", "contract stuck")
		denied := pulse.Errorf(pulse.EFORBIDDEN, "deny.lead", nil, "no")
		if _, err := db.UpdateBlocker(ctx, b.ID, func(b *pulse.Blocker) error {
			b.Status = pulse.BlockerResolved
			return denied
		}); err != denied {
			t.Errorf("UpdateBlocker = %v, want fn's error itself", err)
		}
		_, err := db.UpdateBlocker(ctx, b.ID, func(b *pulse.Blocker) error {
			b.Status, b.Text = "gone", ""
			return nil
		})
		if _, ok := err.(pulse.ValidationErrors); !ok {
			t.Errorf("UpdateBlocker = %v (%T), want ValidationErrors", err, err)
		}
		got, _ := db.Blocker(ctx, b.ID)
		assertEqual(t, got, b)
		if open, _ := db.OpenBlockers(ctx, team.ID); len(open) != 1 {
			t.Errorf("%d open, want 1", len(open))
		}
	})

	t.Run("unknown blockers are not found and a blocker needs a day", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		_, err := db.Blocker(ctx, "b0000000404")
		wantCode(t, err, pulse.ENOTFOUND)
		_, err = db.UpdateBlocker(ctx, "b0000000404", resolve("U01"))
		wantCode(t, err, pulse.ENOTFOUND)
		wantCode(t, db.SaveBlocker(ctx, &pulse.Blocker{TeamID: team.ID, UserID: "U02", Text: "x"}), pulse.EINVALID)
	})
}
