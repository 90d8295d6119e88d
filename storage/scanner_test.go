package storage_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

// plainStore is the store without its Scanner methods, as a second
// implementation that skips them looks to pulse's scan functions.
type plainStore struct{ pulse.Store }

// The root's scan functions give the same records through the store's
// Scanner and through the fallback on its plain list methods.
func TestScanFallbackMatchesScanner(t *testing.T) {
	db := MustOpenDB(t)
	if _, ok := pulse.Store(db).(pulse.Scanner); !ok {
		t.Fatal("storage.DB is not a pulse.Scanner")
	}
	if _, ok := pulse.Store(plainStore{db}).(pulse.Scanner); ok {
		t.Fatal("plainStore still has the Scanner methods")
	}
	team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
	other := MustCreateTeam(t, db, "Other", "U01", "U02")
	var cs []pulse.CheckIn
	for _, day := range []string{"2026-11-22", "2026-11-23", "2026-11-24"} {
		for i, rep := range []string{"U02", "U03"} {
			c := checkIn(team.ID, rep, day)
			c.Metrics = map[string]float64{"calls": float64(10 + i)}
			cs = append(cs, c)
		}
	}
	cs = append(cs, checkIn(other.ID, "U02", "2026-11-23"))
	must(t, db.SaveCheckIns(ctx, cs))
	for _, c := range []*pulse.Commitment{
		commitment(team.ID, "U02", "2026-11-16", "last week's"),
		commitment(team.ID, "U02", "2026-11-23", "book 5 demos"),
		commitment(team.ID, "U03", "2026-11-23", "call 50 leads"),
		commitment(other.ID, "U02", "2026-11-23", "another team's"),
	} {
		MustSaveCommitment(t, db, c)
	}
	early := MustSaveTraining(t, db, team.ID, "discovery", "2026-11-02", "U02", "U03")
	late := MustSaveTraining(t, db, team.ID, "closing", "2026-11-09", "U02")
	for _, n := range []*pulse.Nudge{
		{TrainingID: early.ID, UserID: "U02", Day: 1, SentAt: testNow, Response: pulse.NudgeApplied, Report: "asked twice", AnsweredAt: testNow},
		{TrainingID: early.ID, UserID: "U03", Day: 1, SentAt: testNow},
		{TrainingID: late.ID, UserID: "U02", Day: 1, SentAt: testNow},
	} {
		must(t, db.SaveNudge(ctx, n))
	}
	for _, b := range []*pulse.Blocker{
		{TeamID: team.ID, UserID: "U02", Date: pulse.MustDate("2026-11-23"), Text: "pricing approval", Status: pulse.BlockerResolved, RaisedAt: testNow, ResolvedBy: "U01", ResolvedAt: testNow},
		{TeamID: team.ID, UserID: "U03", Date: pulse.MustDate("2026-11-24"), Text: "no demo licence", Status: pulse.BlockerOpen, RaisedAt: testNow},
		{TeamID: other.ID, UserID: "U02", Date: pulse.MustDate("2026-11-23"), Text: "another team's", Status: pulse.BlockerOpen, RaisedAt: testNow},
	} {
		must(t, db.SaveBlocker(ctx, b))
	}
	must(t, db.SavePerson(ctx, &pulse.Person{ID: "U02", Name: "Kari"}))
	must(t, db.AddAway(ctx, &pulse.AwayPeriod{UserID: "U02", From: pulse.MustDate("2026-11-25"), To: pulse.MustDate("2026-11-25")}))
	must(t, db.SaveSession(ctx, &pulse.CoachingSession{TeamID: team.ID, RepID: "U02", ManagerID: "U01", Date: pulse.MustDate("2026-11-16")}))

	from, to := pulse.MustDate("2026-11-01"), pulse.MustDate("2026-11-30")
	byKey := func(a, b pulse.MetricValue) int { return strings.Compare(a.Key, b.Key) }
	tests := []struct {
		name string
		read func(t *testing.T, st pulse.Store) any // what the scan yields, copied
	}{
		{"check-ins' figures", func(t *testing.T, st pulse.Store) any {
			return scanned(t, func(fn func(*pulse.CheckInFigures) error) error {
				return pulse.ScanTeamCheckIns(ctx, st, team.ID, from, to, fn)
			}, func(f *pulse.CheckInFigures) pulse.CheckInFigures {
				c := *f
				c.Metrics = slices.SortedFunc(slices.Values(f.Metrics), byKey) // in no set order
				return c
			})
		}},
		{"commitments without their texts", func(t *testing.T, st pulse.Store) any {
			return scanned(t, func(fn func(*pulse.Commitment) error) error {
				return pulse.ScanTeamCommitments(ctx, st, team.ID, from, to, fn)
			}, copyOf)
		}},
		{"nudges without their reports", func(t *testing.T, st pulse.Store) any {
			return scanned(t, func(fn func(*pulse.Nudge) error) error {
				return pulse.ScanTeamNudges(ctx, st, team.ID, from, to, fn)
			}, copyOf)
		}},
		{"blockers without their texts", func(t *testing.T, st pulse.Store) any {
			return scanned(t, func(fn func(*pulse.Blocker) error) error {
				return pulse.ScanTeamBlockers(ctx, st, team.ID, from, to, fn)
			}, copyOf)
		}},
		{"a roster read into one used before", func(t *testing.T, st pulse.Store) any {
			var r pulse.Roster
			must(t, pulse.ReadRoster(ctx, st, other.ID, []string{"U02"}, &r))
			must(t, pulse.ReadRoster(ctx, st, team.ID, []string{"U02", "U03"}, &r))
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fast, plain := tt.read(t, db), tt.read(t, plainStore{db})
			assertEqual(t, plain, fast)
			if v := reflect.ValueOf(fast); v.Kind() == reflect.Slice && v.Len() < 2 {
				t.Errorf("the scan found %d records; the comparison needs more", v.Len())
			}
		})
	}

	t.Run("fn's error ends the fallback's scan and comes back as it is", func(t *testing.T) {
		st := plainStore{db}
		scanStops(t, func(fn func(*pulse.CheckInFigures) error) error {
			return pulse.ScanTeamCheckIns(ctx, st, team.ID, from, to, fn)
		})
		scanStops(t, func(fn func(*pulse.Commitment) error) error {
			return pulse.ScanTeamCommitments(ctx, st, team.ID, from, to, fn)
		})
		scanStops(t, func(fn func(*pulse.Nudge) error) error {
			return pulse.ScanTeamNudges(ctx, st, team.ID, from, to, fn)
		})
		scanStops(t, func(fn func(*pulse.Blocker) error) error {
			return pulse.ScanTeamBlockers(ctx, st, team.ID, from, to, fn)
		})
	})

	t.Run("a team ID with a slash is refused on both paths", func(t *testing.T) {
		for _, st := range []pulse.Store{db, plainStore{db}} {
			wantCode(t, pulse.ScanTeamCheckIns(ctx, st, "t/1", from, to, func(*pulse.CheckInFigures) error { return nil }), pulse.EINVALID)
			wantCode(t, pulse.ScanTeamCommitments(ctx, st, "t/1", from, to, func(*pulse.Commitment) error { return nil }), pulse.EINVALID)
			wantCode(t, pulse.ScanTeamNudges(ctx, st, "t/1", from, to, func(*pulse.Nudge) error { return nil }), pulse.EINVALID)
			wantCode(t, pulse.ScanTeamBlockers(ctx, st, "t/1", from, to, func(*pulse.Blocker) error { return nil }), pulse.EINVALID)
			wantCode(t, pulse.ReadRoster(ctx, st, "t/1", nil, &pulse.Roster{}), pulse.EINVALID)
		}
	})
}

// BenchmarkScanTeamCheckIns counts one team's check-ins for a week (50
// reps × 7 days) through the store's Scanner and through the fallback on
// TeamCheckIns, which allocates every check-in whole.
func BenchmarkScanTeamCheckIns(b *testing.B) {
	f := loadFixture(b, benchEngine{"bolt", func(tb testing.TB) *storage.DB {
		return MustOpenPath(tb, filepath.Join(tb.TempDir(), "pulse.db"))
	}}, 50)
	team := f.teams[len(f.teams)/2]
	from := pulse.MustDate("2026-06-01")
	for _, st := range []struct {
		name  string
		store pulse.Store
	}{{"scanner", f.db}, {"fallback", plainStore{f.db}}} {
		b.Run(st.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				err := pulse.ScanTeamCheckIns(ctx, st.store, team.ID, from, from.AddDays(6), func(*pulse.CheckInFigures) error {
					n++
					return nil
				})
				if err != nil || n != 350 {
					b.Fatalf("%d check-ins, %v; want 350", n, err)
				}
			}
		})
	}
}
