package export_test

import (
	"bytes"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/export"
)

func TestExportCarriesEachRepsPlanAndTheMonthSoFar(t *testing.T) {
	tm := team()
	ci := func(rep, day string, calls float64) pulse.CheckIn {
		return pulse.CheckIn{TeamID: "T1", UserID: rep, Date: pulse.MustDate(day), Status: pulse.CheckInOnTime, Energy: 3, Metrics: map[string]float64{"calls": calls}}
	}
	d := export.Data{
		Team: tm, From: pulse.MustDate("2026-03-30"), To: pulse.MustDate("2026-04-01"), Today: pulse.MustDate("2026-04-02"),
		CheckIns: []pulse.CheckIn{
			ci("UANNA", "2026-03-02", 500), // before the range, in its month: counts towards March
			ci("UANNA", "2026-03-30", 100),
			ci("UANNA", "2026-04-01", 30), // a new month starts from nothing
		},
		Plans: []pulse.Plan{{TeamID: "T1", UserID: "UANNA", Metric: "calls", Period: pulse.PeriodMonth, Start: pulse.MustDate("2026-03-01"), Target: 1200}},
	}
	var buf bytes.Buffer
	if _, err := export.WriteCSV(&buf, d, headers, export.Options{NoBOM: true}); err != nil {
		t.Fatal(err)
	}
	recs := readBack(t, buf.Bytes(), false)
	got := map[string][2]string{}
	for _, r := range recs[1:] {
		got[r[0]+" "+r[1]] = [2]string{r[11], r[12]}
	}
	for key, want := range map[string][2]string{
		"2026-03-30 UANNA": {"1200", "0.500"}, // her own plan: (500 + 100) ÷ 1,200
		"2026-03-31 UANNA": {"1200", "0.500"}, // missed: the month so far stands
		"2026-04-01 UANNA": {"176", "0.170"},  // April's default: 40 × 22 ÷ 5
		"2026-03-30 UOLEG": {"176", "0.000"},  // March's default, nothing done
	} {
		if got[key] != want {
			t.Errorf("%s: plan and share %v; want %v", key, got[key], want)
		}
	}
}
