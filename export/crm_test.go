package export_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/export"
	"github.com/salespulse/pulse/storage"
)

// TestExportMarksWhereTheNumbersCameFrom writes a team whose calls come
// from HubSpot and whose demos are typed, from a real database.
func TestExportMarksWhereTheNumbersCameFrom(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(filepath.Join(t.TempDir(), "pulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tm := team()
	tm.ID = ""
	tm.Reps = append(tm.Reps, "UPER")
	tm.NumbersFrom = pulse.CRMHubSpot
	tm.Metrics[0].Measure = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
	if err := db.CreateTeam(ctx, tm); err != nil {
		t.Fatal(err)
	}
	day := pulse.MustDate("2026-03-02")
	fetched := time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)
	for _, c := range []*pulse.CheckIn{
		// Anna typed 99 calls; HubSpot's 12 win. Her demos are typed.
		{TeamID: tm.ID, UserID: "UANNA", Date: day, Status: pulse.CheckInOnTime, Energy: 3, Plan: "Calls", Metrics: map[string]float64{"calls": 99, "demos": 2}},
		// Per checked in before any pull: only his typed demos count.
		{TeamID: tm.ID, UserID: "UPER", Date: day, Status: pulse.CheckInOnTime, Energy: 3, Plan: "Demos", Metrics: map[string]float64{"demos": 1}},
	} {
		if err := db.SaveCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// Oleg missed his check-in; HubSpot still counted his calls.
	if err := db.SaveCRMFigures(ctx, []pulse.CRMFigure{
		{TeamID: tm.ID, Rep: "UANNA", Day: day, Source: pulse.CRMHubSpot, FetchedAt: fetched, Final: true, Values: map[string]float64{"calls": 12}},
		{TeamID: tm.ID, Rep: "UOLEG", Day: day, Source: pulse.CRMHubSpot, FetchedAt: fetched, Final: true, Values: map[string]float64{"calls": 3}},
	}); err != nil {
		t.Fatal(err)
	}
	h := headers
	h.Source = "Numbers from"
	var buf bytes.Buffer
	if _, err := export.Write(ctx, &buf, db, tm, day, day, day.AddDays(1), h, export.Options{}); err != nil {
		t.Fatalf("Write: %v", err)
	}
	recs := readBack(t, buf.Bytes(), true)
	// The source is the last column; the plan columns before it count the
	// numbers that count, the CRM's too.
	last := len(recs[0]) - 1
	reached := slices.Index(recs[0], "Calls, outbound — reached")
	if recs[0][last] != "Numbers from" || reached < 0 || len(recs) != 4 {
		t.Fatalf("file: %q", recs)
	}
	got := map[string]string{}
	for _, r := range recs[1:] {
		got[r[1]] = strings.Join([]string{r[3], r[9], r[10], r[reached], r[last]}, "|")
	}
	want := map[string]string{
		"UANNA": "on_time|12|2|0.068|hubspot 2026-03-02T20:00:00Z", // 12 of 176
		"UOLEG": "missed|3||0.017|hubspot 2026-03-02T20:00:00Z",    // 3 of 176
		"UPER":  "on_time||1|0.000|typed",
	}
	for rep, w := range want {
		if got[rep] != w {
			t.Errorf("%s: status|calls|demos|calls reached|source = %q; want %q", rep, got[rep], w)
		}
	}
}
