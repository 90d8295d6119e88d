package export_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/export"
	"github.com/salespulse/pulse/storage"
)

func TestExportNeutralisesEveryCellTheHeaderIncluded(t *testing.T) {
	// A team saved before setup refused such names, a rep whose Slack name
	// is a formula, answers that are, and column titles that are: a
	// translation is text too.
	tm := team()
	tm.Metrics = []pulse.Metric{{Key: "calls", Name: "+cmd|' /C calc'!A0"}, {Key: "demos", Name: "@SUM(1+1)"}, {Key: "mails", Name: "Mails"}}
	h := export.Headers{Date: "=Date", RepID: "-Rep", RepName: "@Rep", Status: "\tStatus", Energy: "\rEnergy",
		Results: "Results", Plan: "Plan", Blocker: "Blocker", Skill: "Skill"}
	day := pulse.MustDate("2026-03-02")
	people := map[string]*pulse.Person{"UANNA": {ID: "UANNA", Name: "=HYPERLINK(\"http://x\",\"Anna\")"}, "UOLEG": {ID: "UOLEG", Name: "Oleg"}}
	checkIns := []pulse.CheckIn{{TeamID: tm.ID, UserID: "UANNA", Date: day, Status: pulse.CheckInOnTime, Energy: 4,
		Results: "+1 deal", Plan: "-2+3+cmd|' /C calc'!A0", Blocker: "@SUM(A1:A9)", Skill: "=1+1",
		Metrics: map[string]float64{"calls": 3, "demos": 1, "mails": 0}}}

	// The titles, and each row's cells, as a spreadsheet must get them
	// (with CRLF line ends, encoding/csv writes no lone carriage return:
	// "\rEnergy" goes out as "'Energy").
	wantHeader := []string{"'=Date", "'-Rep", "'@Rep", "'\tStatus", "'Energy", "Results", "Plan", "Blocker", "Skill",
		"'+cmd|' /C calc'!A0", "'@SUM(1+1)", "Mails"}
	wantAnna := []string{"2026-03-02", "UANNA", "'=HYPERLINK(\"http://x\",\"Anna\")", "on_time", "4",
		"'+1 deal", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1:A9)", "'=1+1", "3", "1", "0"}

	db, err := storage.Open(filepath.Join(t.TempDir(), "pulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ctx := t.Context()
	// The store holds the team as it is today; the export is given it as
	// it was saved before the rule.
	saved := team()
	saved.ID = ""
	saved.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls"}, {Key: "demos", Name: "Demos"}, {Key: "mails", Name: "Mails"}}
	if err := db.CreateTeam(ctx, saved); err != nil {
		t.Fatal(err)
	}
	tm.ID, checkIns[0].TeamID = saved.ID, saved.ID
	for _, p := range people {
		if err := db.SavePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for i := range checkIns {
		if err := db.SaveCheckIn(ctx, &checkIns[i]); err != nil {
			t.Fatal(err)
		}
	}

	written := map[string]func(*bytes.Buffer) error{
		"WriteCSV": func(w *bytes.Buffer) error {
			_, err := export.WriteCSV(w, export.Data{Team: tm, From: day, To: day, Today: day.AddDays(1), People: people, CheckIns: checkIns}, h, export.Options{})
			return err
		},
		"Write, from the store": func(w *bytes.Buffer) error {
			_, err := export.Write(ctx, w, db, tm, day, day, day.AddDays(1), h, export.Options{})
			return err
		},
	}
	for name, write := range written {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				t.Fatal(err)
			}
			recs := readBack(t, buf.Bytes(), true)
			if len(recs) != 3 {
				t.Fatalf("%d records, want the header and two rows:\n%q", len(recs), recs)
			}
			for i, want := range [][]string{wantHeader, wantAnna} {
				for j := range want {
					if recs[i][j] != want[j] {
						t.Errorf("record %d, column %d = %q, want %q", i, j, recs[i][j], want[j])
					}
				}
			}
			for i, rec := range recs {
				for j, c := range rec {
					if pulse.StartsFormula(c) {
						t.Errorf("record %d, column %d = %q runs as a formula", i, j, c)
					}
				}
			}
		})
	}
}
