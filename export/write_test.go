package export_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/export"
	"github.com/salespulse/pulse/storage"
)

// spans is a store that records each range of check-ins read from it and
// the most check-ins one read returned.
type spans struct {
	*storage.DB
	read     [][2]pulse.Date
	mostRead int
}

func (s *spans) TeamCheckIns(ctx context.Context, team string, from, to pulse.Date) ([]pulse.CheckIn, error) {
	cs, err := s.DB.TeamCheckIns(ctx, team, from, to)
	s.read = append(s.read, [2]pulse.Date{from, to})
	s.mostRead = max(s.mostRead, len(cs))
	return cs, err
}

// twelveWeeks stores a team with three reps who each check in on every
// workday of twelve weeks, one of whom then leaves the team, and another
// away across a week's end.
func twelveWeeks(t testing.TB) (*storage.DB, *pulse.Team, pulse.Date, pulse.Date) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(filepath.Join(t.TempDir(), "pulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tm := team()
	tm.ID = ""
	tm.Reps = []string{"UANNA", "UOLEG", "ULEFT"}
	if err := db.CreateTeam(ctx, tm); err != nil {
		t.Fatal(err)
	}
	from, to := pulse.MustDate("2026-01-05"), pulse.MustDate("2026-03-29") // Monday to Sunday
	var cs []pulse.CheckIn
	for day := from; !day.After(to); day = day.AddDays(1) {
		if !tm.IsWorkday(day) {
			continue
		}
		for i, rep := range tm.Reps {
			if rep == "UOLEG" && day.Weekday() == time.Tuesday {
				continue // a missed day now and then
			}
			cs = append(cs, pulse.CheckIn{TeamID: tm.ID, UserID: rep, Date: day, Status: pulse.CheckInOnTime, Energy: 1 + i,
				Plan: fmt.Sprintf("plan of %s on %s", rep, day), Metrics: map[string]float64{"calls": float64(i)}})
		}
	}
	if err := db.SaveCheckIns(ctx, cs); err != nil {
		t.Fatal(err)
	}
	tm.Reps = []string{"UANNA", "UOLEG"}
	if err := db.UpdateTeam(ctx, tm); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*pulse.Person{{ID: "UANNA", Name: "Anna"}, {ID: "ULEFT", Name: "Left, since"}} {
		if err := db.SavePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddAway(ctx, &pulse.AwayPeriod{UserID: "UOLEG", From: pulse.MustDate("2026-01-15"), To: pulse.MustDate("2026-01-20")}); err != nil {
		t.Fatal(err)
	}
	return db, tm, from, to
}

// Write reads a week at a time, whatever the range, and writes the same
// file as the whole range rendered at once.
func TestWriteReadsTheStoreAWeekAtATime(t *testing.T) {
	ctx := context.Background()
	db, tm, from, to := twelveWeeks(t)
	today := to.AddDays(1)

	store := &spans{DB: db}
	var streamed bytes.Buffer
	rows, err := export.Write(ctx, &streamed, store, tm, from, to, today, headers, export.Options{})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}

	// Each read covers a week at most; together they cover the range once,
	// from the first of its month: the days before from count towards the
	// month's plan.
	next := pulse.PeriodMonth.First(from)
	for _, r := range store.read {
		if r[0] != next || r[0].DaysUntil(r[1]) >= export.ChunkDays {
			t.Errorf("read %s to %s; want a span of at most %d days from %s", r[0], r[1], export.ChunkDays, next)
		}
		next = r[1].AddDays(1)
	}
	if next != to.AddDays(1) || len(store.read) != 13 {
		t.Errorf("%d reads ending at %s, want 13 reading up to %s", len(store.read), next.AddDays(-1), to)
	}
	// Three reps, five workdays: what one read holds.
	if store.mostRead > 3*5 {
		t.Errorf("one read returned %d check-ins, more than a week's", store.mostRead)
	}

	// The same file as the whole range rendered at once.
	d := export.Data{Team: tm, From: from, To: to, Today: today, People: map[string]*pulse.Person{}, Away: map[string][]pulse.AwayPeriod{}}
	if d.CheckIns, err = db.TeamCheckIns(ctx, tm.ID, from, to); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"UANNA", "UOLEG", "ULEFT"} {
		if p, err := db.Person(ctx, id); err == nil {
			d.People[id] = p
		}
		if d.Away[id], err = db.AwayPeriods(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	var whole bytes.Buffer
	wholeRows, err := export.WriteCSV(&whole, d, headers, export.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rows != wholeRows || !bytes.Equal(streamed.Bytes(), whole.Bytes()) {
		t.Errorf("streamed %d rows, %d bytes; rendered whole %d rows, %d bytes: the files differ", rows, streamed.Len(), wholeRows, whole.Len())
	}
	recs := readBack(t, streamed.Bytes(), true)
	if len(recs) != rows+1 || recs[3][2] != "Left, since" || recs[3][3] != "on_time" {
		t.Errorf("%d records; the first day's third row %q, want the rep who left", len(recs), recs[3])
	}
}

// A long export holds no more than a short one: the bytes allocated per
// row stay flat from four weeks to a year, and one read never returns more
// than a week of check-ins.
func BenchmarkWrite(b *testing.B) {
	for _, weeks := range []int{4, 52} {
		b.Run(fmt.Sprintf("weeks=%d", weeks), func(b *testing.B) {
			ctx := context.Background()
			db, err := storage.Open(filepath.Join(b.TempDir(), "pulse.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			tm := team()
			tm.ID = ""
			tm.Reps = nil
			for i := range 50 {
				tm.Reps = append(tm.Reps, fmt.Sprintf("UREP%04d", i))
			}
			if err := db.CreateTeam(ctx, tm); err != nil {
				b.Fatal(err)
			}
			from := pulse.MustDate("2025-01-06")
			to := from.AddDays(7*weeks - 1)
			var cs []pulse.CheckIn
			for day := from; !day.After(to); day = day.AddDays(1) {
				if !tm.IsWorkday(day) {
					continue
				}
				for _, rep := range tm.Reps {
					cs = append(cs, pulse.CheckIn{TeamID: tm.ID, UserID: rep, Date: day, Status: pulse.CheckInOnTime, Energy: 3,
						Plan: "Call the three accounts that went quiet, then the demo", Metrics: map[string]float64{"calls": 12}})
				}
				if len(cs) >= 2000 {
					if err := db.SaveCheckIns(ctx, cs); err != nil {
						b.Fatal(err)
					}
					cs = cs[:0]
				}
			}
			if err := db.SaveCheckIns(ctx, cs); err != nil {
				b.Fatal(err)
			}
			store := &spans{DB: db}
			var rows int
			b.ReportAllocs()
			for b.Loop() {
				store.read = store.read[:0]
				if rows, err = export.Write(ctx, discard{}, store, tm, from, to, to.AddDays(1), headers, export.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(float64(store.mostRead), "most-checkins-held")
		})
	}
}

// discard is io.Discard without its ReaderFrom, as a file or socket takes
// the rows.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
