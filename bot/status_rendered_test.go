package bot_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

var updateRendered = flag.Bool("update-rendered", false, "rewrite testdata/status_manager.txt from what /pulse answers now")

// TestManagerStatusRenderedUnchanged holds the manager's /pulse of the
// status benchmark's team, with paces of a month's, a quarter's and a
// week's plan, away days, a team holiday, a public holiday place, a rep who
// joined mid-month and a Norwegian manager's voice, to what it answered
// before its reads and counts were made cheaper: the text of every block,
// byte for byte, at a Monday morning, a month's last evening (a quarter's
// end, in summer time) and a Sunday night. Run with -update-rendered to
// write the file anew after a change meant to show.
func TestManagerStatusRenderedUnchanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "status.db")
	if err := buildStatusFixtureOf(path, 2*statusBenchTeam, 100); err != nil {
		t.Fatal(err)
	}
	h := start(t, withoutRun())
	if err := h.DB.Close(); err != nil {
		t.Fatal(err)
	}
	h.DBPath = path
	h.openDB()
	addStatusVariety(t, h.DB)
	h.Bot = h.newBot()
	h.run()
	h.waitReady()

	var got strings.Builder
	for _, at := range []struct {
		name string
		now  time.Time
		lang pulse.Lang
	}{
		{"Monday morning", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), pulse.English},
		{"the quarter's last evening", time.Date(2026, 3, 31, 20, 30, 0, 0, time.UTC), pulse.English},
		{"Sunday night, in Norwegian", time.Date(2026, 3, 8, 22, 30, 0, 0, time.UTC), pulse.Norwegian},
		{"a day within the month", time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC), pulse.Polish},
	} {
		h.Clock.Set(at.now)
		if err := h.DB.SavePerson(context.Background(), &pulse.Person{ID: statusBenchManager, TZ: "Europe/Oslo", Lang: at.lang}); err != nil {
			t.Fatal(err)
		}
		r := decodeReply(t, h.ack(h.slash(statusBenchManager, ""), 1))
		fmt.Fprintf(&got, "== %s (%s)\n%s\n", at.name, at.now.Format(time.RFC3339), blocksText([]byte(r.allText())))
	}
	if !strings.Contains(got.String(), "Pace against plan") {
		t.Fatalf("the answer shows no pace:\n%s", got.String())
	}

	file := filepath.Join("testdata", "status_manager.txt")
	if *updateRendered {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("the manager's /pulse changed at line %d:\n got: %s\nwant: %s", i+1, g, w)
			}
		}
	}
}

// addStatusVariety gives the status benchmark's team what its pace must
// count besides check-ins: plans of every period, days away, a holiday of
// its own and a public holiday place, and a rep who joined mid-month.
func addStatusVariety(t *testing.T, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	team, err := db.TeamByName(ctx, "Team 00")
	if err != nil {
		t.Fatal(err)
	}
	team.Holidays = []pulse.Date{pulse.MustDate("2026-03-13")}
	team.HolidayPlace = "NO"
	if err := db.UpdateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var plans []pulse.Plan
	for i, rep := range team.Reps {
		switch i % 6 {
		case 1:
			plans = append(plans, pulse.Plan{UserID: rep, Metric: "meetings", Period: pulse.PeriodQuarter, Start: pulse.MustDate("2026-01-01"), Target: float64(60 + i), SetBy: statusBenchManager, UpdatedAt: now})
		case 3:
			for _, w := range []string{"2026-02-23", "2026-03-02", "2026-03-30"} {
				plans = append(plans, pulse.Plan{UserID: rep, Metric: "calls", Period: pulse.PeriodWeek, Start: pulse.MustDate(w), Target: float64(200 + i), SetBy: statusBenchManager, UpdatedAt: now})
			}
		case 5:
			plans = append(plans, pulse.Plan{UserID: rep, Metric: "meetings", Period: pulse.PeriodMonth, Start: pulse.MustDate("2026-02-01"), Target: 30, SetBy: statusBenchManager, UpdatedAt: now})
		}
	}
	if err := db.SavePlans(ctx, team.ID, plans); err != nil {
		t.Fatal(err)
	}
	for i, rep := range team.Reps[:10] {
		a := &pulse.AwayPeriod{UserID: rep, From: pulse.MustDate("2026-02-26").AddDays(i), To: pulse.MustDate("2026-03-04").AddDays(2 * i)}
		if err := db.AddAway(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	// A rep of another place, and one who joined the team on the 18th of
	// February: their check-ins before it are gone.
	if err := db.SavePerson(ctx, &pulse.Person{ID: team.Reps[7], TZ: "America/New_York", HolidayPlace: "US"}); err != nil {
		t.Fatal(err)
	}
	var joined []pulse.CheckIn
	for d := pulse.MustDate("2026-02-18"); !d.After(pulse.MustDate("2026-03-02")); d = d.AddDays(1) {
		joined = append(joined, pulse.CheckIn{
			TeamID: team.ID, UserID: "UBRJOINED", Date: d, Status: pulse.CheckInOnTime, Energy: 3,
			Results: "Met the Hansen buyer", Plan: "Call the fair's leads",
			Metrics: map[string]float64{"calls": 35, "meetings": 2}, SubmittedAt: now, UpdatedAt: now,
		})
	}
	team.Reps = append(team.Reps, "UBRJOINED")
	if err := db.UpdateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveCheckIns(ctx, joined); err != nil {
		t.Fatal(err)
	}
}
