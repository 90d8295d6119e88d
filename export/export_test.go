package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
	"github.com/salespulse/pulse/export"
	"github.com/salespulse/pulse/storage"
)

var headers = export.Headers{Date: "Date", RepID: "Rep ID", RepName: "Rep", Status: "Status", Energy: "Energy",
	Results: "Results", Plan: "Plan", Blocker: "Blocker", Skill: "Skill", MonthPlan: "plan", MonthAttained: "reached"}

// team is a Monday-to-Friday team in Oslo with two metrics and two reps.
func team() *pulse.Team {
	t := pulse.NewTeam("Nordic", "Europe/Oslo")
	t.ID = "T1"
	t.Managers = []string{"UMGR"}
	t.Reps = []string{"UANNA", "UOLEG"}
	t.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls, outbound", Target: 40}, {Key: "demos", Name: "Demos", Target: 5}}
	return t
}

// readBack parses a written file as a spreadsheet would, after checking and
// removing the byte order mark.
func readBack(t *testing.T, b []byte, wantBOM bool) [][]string {
	t.Helper()
	s := string(b)
	if got := strings.HasPrefix(s, "\ufeff"); got != wantBOM {
		t.Fatalf("starts with a BOM: %v, want %v", got, wantBOM)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(s, "\ufeff")))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read the CSV back: %v\n%s", err, s)
	}
	return recs
}

func TestExportWritesOneRowPerRepPerWorkday(t *testing.T) {
	tm := team()
	tm.Holidays = []pulse.Date{pulse.MustDate("2026-03-04")} // a Wednesday
	d := export.Data{
		Team: tm, From: pulse.MustDate("2026-03-02"), To: pulse.MustDate("2026-03-13"), Today: pulse.MustDate("2026-03-09"),
		People: map[string]*pulse.Person{"UANNA": {ID: "UANNA", Name: "Anna \"Ace\", Øvre-Dal\nSales"}, "UOLEG": {ID: "UOLEG", Name: "Олег Петров"}},
		Away:   map[string][]pulse.AwayPeriod{"UOLEG": {{ID: "a1", UserID: "UOLEG", From: pulse.MustDate("2026-03-05"), To: pulse.MustDate("2026-03-06")}}},
		CheckIns: []pulse.CheckIn{
			{TeamID: "T1", UserID: "UANNA", Date: pulse.MustDate("2026-03-02"), Status: pulse.CheckInOnTime, Energy: 4,
				Results: "Closed Acme, 2 deals", Plan: "Call \"Globex\"\nthen lunch", Blocker: "=HYPERLINK(\"http://x\")", Skill: "SPIN",
				Metrics: map[string]float64{"calls": 42, "demos": 1.5}},
			{TeamID: "T1", UserID: "UOLEG", Date: pulse.MustDate("2026-03-02"), Status: pulse.CheckInLate, Energy: 2, Plan: "Звонки"},
			{TeamID: "T1", UserID: "UANNA", Date: pulse.MustDate("2026-03-03"), Status: pulse.CheckInMissed},
			{TeamID: "T1", UserID: "UANNA", Date: pulse.MustDate("2026-03-09"), Status: pulse.CheckInOnTime, Energy: 5, Plan: "Today"},
			{TeamID: "T1", UserID: "ULEFT", Date: pulse.MustDate("2026-03-03"), Status: pulse.CheckInOnTime, Energy: 3, Plan: "Last day"},
		},
	}
	var buf bytes.Buffer
	n, err := export.WriteCSV(&buf, d, headers, export.Options{})
	if err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	recs := readBack(t, buf.Bytes(), true)
	if got := strings.Join(recs[0], "|"); got != "Date|Rep ID|Rep|Status|Energy|Results|Plan|Blocker|Skill|Calls, outbound|Demos|Calls, outbound — plan|Calls, outbound — reached|Demos — plan|Demos — reached" {
		t.Errorf("header = %s", got)
	}
	if n != len(recs)-1 {
		t.Errorf("WriteCSV says %d rows, the file has %d", n, len(recs)-1)
	}
	var got []string
	for _, r := range recs[1:] {
		got = append(got, r[0]+" "+r[1]+" "+r[3])
	}
	want := []string{
		"2026-03-02 UANNA on_time", "2026-03-02 UOLEG late",
		"2026-03-03 UANNA missed", "2026-03-03 UOLEG missed", "2026-03-03 ULEFT on_time", // a record, and a day that passed without one
		// 03-04 is a holiday
		"2026-03-05 UANNA missed", "2026-03-05 UOLEG away",
		"2026-03-06 UANNA missed", "2026-03-06 UOLEG away",
		"2026-03-09 UANNA on_time", // today: Oleg's may still come; later days are left out
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	first := recs[1]
	for i, w := range []string{"2026-03-02", "UANNA", "Anna \"Ace\", Øvre-Dal\nSales", "on_time", "4", "Closed Acme, 2 deals",
		"Call \"Globex\"\nthen lunch", "'=HYPERLINK(\"http://x\")", "SPIN", "42", "1.5",
		// March's 21 workdays (the 4th is a holiday) make the team's 40 calls
		// and 5 demos a week 168 and 21 for the month.
		"168", "0.250", "21", "0.071"} {
		if first[i] != w {
			t.Errorf("column %s = %q, want %q", recs[0][i], first[i], w)
		}
	}
	if recs[2][2] != "Олег Петров" || recs[2][6] != "Звонки" {
		t.Errorf("Cyrillic did not round-trip: %q", recs[2])
	}
	if recs[3][4] != "" || recs[3][9] != "" {
		t.Errorf("a missed day carries answers: %q", recs[3])
	}
}

func TestExportRefusesBadRanges(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		key      string
	}{
		{"an end before the start", "2026-03-10", "2026-03-01", "err.date_order"},
		{"more than two years", "2024-01-01", "2026-03-01", "export.too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := export.Data{Team: team(), From: pulse.MustDate(tt.from), To: pulse.MustDate(tt.to), Today: pulse.MustDate("2026-03-10")}
			var buf bytes.Buffer
			_, err := export.WriteCSV(&buf, d, headers, export.Options{})
			var pe *pulse.Error
			if !errors.As(err, &pe) || pe.Key != tt.key {
				t.Fatalf("error %v, want key %s", err, tt.key)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes for a refused range", buf.Len())
			}
		})
	}
}

func TestExportWithoutBOMAndHeadersFromTheCatalogue(t *testing.T) {
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	h := export.HeadersFrom(func(k string) string { return cat.T(pulse.English, k, nil) })
	d := export.Data{Team: team(), From: pulse.MustDate("2026-03-02"), To: pulse.MustDate("2026-03-02"), Today: pulse.MustDate("2026-03-03")}
	var buf bytes.Buffer
	if _, err := export.WriteCSV(&buf, d, h, export.Options{NoBOM: true}); err != nil {
		t.Fatal(err)
	}
	recs := readBack(t, buf.Bytes(), false)
	for i, k := range export.HeaderKeys {
		if recs[0][i] == "" || recs[0][i] == k {
			t.Errorf("column %d is titled %q: the catalogue lacks %s", i, recs[0][i], k)
		}
	}
}

// TestExportWritesFromTheStore checks Write against a real database.
func TestExportWritesFromTheStore(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(filepath.Join(t.TempDir(), "pulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tm := team()
	tm.ID = ""
	if err := db.CreateTeam(ctx, tm); err != nil {
		t.Fatal(err)
	}
	if err := db.SavePerson(ctx, &pulse.Person{ID: "UANNA", Name: "Anna"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddAway(ctx, &pulse.AwayPeriod{UserID: "UOLEG", From: pulse.MustDate("2026-03-02"), To: pulse.MustDate("2026-03-02")}); err != nil {
		t.Fatal(err)
	}
	c := &pulse.CheckIn{TeamID: tm.ID, UserID: "UANNA", Date: pulse.MustDate("2026-03-02"), Status: pulse.CheckInOnTime, Energy: 3, Plan: "Calls",
		Metrics: map[string]float64{"calls": 10}}
	if err := db.SaveCheckIn(ctx, c); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := export.Write(ctx, &buf, db, tm, pulse.MustDate("2026-03-02"), pulse.MustDate("2026-03-02"), pulse.MustDate("2026-03-03"), headers, export.Options{}); err != nil {
		t.Fatalf("Write: %v", err)
	}
	recs := readBack(t, buf.Bytes(), true)
	if len(recs) != 3 || recs[1][2] != "Anna" || recs[1][6] != "Calls" || recs[1][9] != "10" || recs[2][3] != "away" {
		t.Errorf("rows: %q", recs)
	}
}
