package storage_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestCheckIns(t *testing.T) {
	t.Run("a saved check-in reads back whole", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		c := checkIn(team.ID, "U02", "2026-11-23")
		c.Blocker, c.Skill, c.Status = "CRM is down", "asked for the next step", pulse.CheckInLate
		if err := db.SaveCheckIn(ctx, &c); err != nil {
			t.Fatal(err)
		}
		got, err := db.CheckIn(ctx, team.ID, "U02", c.Date)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, got, &c)
	})

	t.Run("a second save the same day replaces the first and keeps its first answer time", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		first := checkIn(team.ID, "U02", "2026-11-23")
		if err := db.SaveCheckIn(ctx, &first); err != nil {
			t.Fatal(err)
		}
		edit := checkIn(team.ID, "U02", "2026-11-23")
		edit.Plan, edit.SubmittedAt, edit.UpdatedAt = "a better plan", time.Time{}, testNow.Add(time.Hour)
		if err := db.SaveCheckIn(ctx, &edit); err != nil {
			t.Fatal(err)
		}
		got, _ := db.CheckIn(ctx, team.ID, "U02", edit.Date)
		if got.Plan != "a better plan" || !got.SubmittedAt.Equal(first.SubmittedAt) || !got.UpdatedAt.Equal(edit.UpdatedAt) {
			t.Errorf("after edit: plan %q, submitted %v, updated %v", got.Plan, got.SubmittedAt, got.UpdatedAt)
		}
		all, _ := db.TeamCheckIns(ctx, team.ID, edit.Date, edit.Date)
		if len(all) != 1 {
			t.Errorf("%d check-ins stored for the day, want 1", len(all))
		}
		mine, _ := db.RepCheckIns(ctx, "U02", edit.Date, edit.Date)
		if len(mine) != 1 {
			t.Errorf("%d check-ins in the rep's history for the day, want 1", len(mine))
		}
	})

	t.Run("a missed day is stored without answers", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		missed := pulse.CheckIn{TeamID: team.ID, UserID: "U02", Date: pulse.MustDate("2026-11-24"), Status: pulse.CheckInMissed}
		if err := db.SaveCheckIn(ctx, &missed); err != nil {
			t.Fatal(err)
		}
		got, err := db.CheckIn(ctx, team.ID, "U02", missed.Date)
		if err != nil || got.Status != pulse.CheckInMissed {
			t.Errorf("CheckIn = %+v, %v", got, err)
		}
	})

	t.Run("an invalid check-in is refused with Validate's error and the stored one kept", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		good := checkIn(team.ID, "U02", "2026-11-23")
		if err := db.SaveCheckIn(ctx, &good); err != nil {
			t.Fatal(err)
		}
		bad := checkIn(team.ID, "U02", "2026-11-23")
		bad.Energy, bad.Plan = 9, ""
		bad.Metrics = map[string]float64{"revenue": 5}
		err := db.SaveCheckIn(ctx, &bad)
		verrs, ok := err.(pulse.ValidationErrors)
		if !ok {
			t.Fatalf("SaveCheckIn = %v (%T), want ValidationErrors unchanged", err, err)
		}
		check := checkIn(team.ID, "U02", "2026-11-23")
		check.Energy, check.Plan = 9, ""
		check.Metrics = map[string]float64{"revenue": 5}
		if want := check.Validate(team); !reflect.DeepEqual(err, want) {
			t.Errorf("error = %v, want Validate's %v", err, want)
		}
		if fields := fieldsOf(verrs); !slices.Equal(fields, []string{"plan", "energy", "metric_revenue"}) {
			t.Errorf("fields = %v", fields)
		}
		got, _ := db.CheckIn(ctx, team.ID, "U02", good.Date)
		assertEqual(t, got, &good)
	})

	t.Run("a check-in for an unknown team is not found", func(t *testing.T) {
		db := MustOpenDB(t)
		c := checkIn("t0000000404", "U02", "2026-11-23")
		wantCode(t, db.SaveCheckIn(ctx, &c), pulse.ENOTFOUND)
	})

	t.Run("a check-in without a date or with a slash in an ID is refused", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		c := checkIn(team.ID, "U02", "2026-11-23")
		c.Date = pulse.Date{}
		wantCode(t, db.SaveCheckIn(ctx, &c), pulse.EINVALID)
		c = checkIn(team.ID, "U02/x", "2026-11-23")
		wantCode(t, db.SaveCheckIn(ctx, &c), pulse.EINVALID)
	})

	t.Run("a day without a check-in is not found", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		_, err := db.CheckIn(ctx, team.ID, "U02", pulse.MustDate("2026-11-23"))
		wantCode(t, err, pulse.ENOTFOUND)
	})
}

func TestSaveCheckIns(t *testing.T) {
	t.Run("many check-ins are stored in one go and found by team and rep", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
		var cs []pulse.CheckIn
		for _, day := range []string{"2026-11-23", "2026-11-24"} {
			for _, rep := range []string{"U02", "U03"} {
				cs = append(cs, checkIn(team.ID, rep, day))
			}
		}
		must(t, db.SaveCheckIns(ctx, cs))
		all, _ := db.TeamCheckIns(ctx, team.ID, pulse.Date{}, pulse.Date{})
		mine, _ := db.RepCheckIns(ctx, "U03", pulse.Date{}, pulse.Date{})
		if len(all) != 4 || len(mine) != 2 {
			t.Errorf("%d in the team, %d of U03; want 4 and 2", len(all), len(mine))
		}
	})

	t.Run("one invalid check-in stores none of them", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
		bad := checkIn(team.ID, "U03", "2026-11-23")
		bad.Energy = 0
		err := db.SaveCheckIns(ctx, []pulse.CheckIn{checkIn(team.ID, "U02", "2026-11-23"), bad})
		if _, ok := err.(pulse.ValidationErrors); !ok {
			t.Fatalf("SaveCheckIns = %v (%T), want ValidationErrors", err, err)
		}
		if all, _ := db.TeamCheckIns(ctx, team.ID, pulse.Date{}, pulse.Date{}); len(all) != 0 {
			t.Errorf("%d check-ins stored, want none", len(all))
		}
	})
}

func TestCheckInRanges(t *testing.T) {
	db := MustOpenDB(t)
	north := MustCreateTeam(t, db, "North", "U01", "U02", "U03")
	south := MustCreateTeam(t, db, "South", "U01", "U02", "U022")
	// Every day from Sunday 22 to Monday 30 November, for three reps in
	// North, and for U02 and U022 in South too.
	for day := pulse.MustDate("2026-11-22"); !day.After(pulse.MustDate("2026-11-30")); day = day.AddDays(1) {
		for _, c := range []pulse.CheckIn{
			checkIn(north.ID, "U03", day.String()),
			checkIn(north.ID, "U02", day.String()),
			checkIn(south.ID, "U02", day.String()),
			checkIn(south.ID, "U022", day.String()),
		} {
			if err := db.SaveCheckIn(ctx, &c); err != nil {
				t.Fatal(err)
			}
		}
	}

	for _, tt := range []struct {
		name     string
		from, to string
		want     []string // day/user for a team, day/team for a rep
	}{
		{"the first and the last day are included", "2026-11-23", "2026-11-24",
			[]string{"2026-11-23/U02", "2026-11-23/U03", "2026-11-24/U02", "2026-11-24/U03"}},
		{"a one-day range holds that day", "2026-11-25", "2026-11-25",
			[]string{"2026-11-25/U02", "2026-11-25/U03"}},
		{"the day before the range is excluded", "2026-11-30", "2026-12-06",
			[]string{"2026-11-30/U02", "2026-11-30/U03"}},
		{"the day after the range is excluded", "2026-11-01", "2026-11-22",
			[]string{"2026-11-22/U02", "2026-11-22/U03"}},
		{"a range ending before it starts is empty", "2026-11-24", "2026-11-23", nil},
		{"a range without check-ins is empty", "2026-12-01", "2026-12-31", nil},
	} {
		t.Run("team: "+tt.name, func(t *testing.T) {
			got, err := db.TeamCheckIns(ctx, north.ID, pulse.MustDate(tt.from), pulse.MustDate(tt.to))
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, c := range got {
				keys = append(keys, c.Date.String()+"/"+c.UserID)
				if c.TeamID != north.ID {
					t.Errorf("check-in of team %s in North's list", c.TeamID)
				}
			}
			if !slices.Equal(keys, tt.want) {
				t.Errorf("got %v\nwant %v", keys, tt.want)
			}
		})
	}

	for _, tt := range []struct {
		name     string
		user     string
		from, to string
		want     []string
	}{
		{"a rep's history covers all their teams, by day then team", "U02", "2026-11-29", "2026-11-30",
			[]string{"2026-11-29/" + north.ID, "2026-11-29/" + south.ID, "2026-11-30/" + north.ID, "2026-11-30/" + south.ID}},
		{"a rep's history leaves out the days outside the range", "U03", "2026-11-23", "2026-11-23",
			[]string{"2026-11-23/" + north.ID}},
		{"a rep's history leaves out a rep whose ID extends theirs", "U02", "2026-11-22", "2026-11-22",
			[]string{"2026-11-22/" + north.ID, "2026-11-22/" + south.ID}},
		{"a rep without check-ins has no history", "U09", "2026-11-01", "2026-11-30", nil},
	} {
		t.Run("rep: "+tt.name, func(t *testing.T) {
			got, err := db.RepCheckIns(ctx, tt.user, pulse.MustDate(tt.from), pulse.MustDate(tt.to))
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, c := range got {
				keys = append(keys, c.Date.String()+"/"+c.TeamID)
				if c.UserID != tt.user {
					t.Errorf("check-in of %s in %s's history", c.UserID, tt.user)
				}
			}
			if !slices.Equal(keys, tt.want) {
				t.Errorf("got %v\nwant %v", keys, tt.want)
			}
		})
	}
}

func TestCheckInsSavedConcurrentlyAreAllKept(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Busy", "U01")
	const writers, each = 8, 25
	errs := make(chan error, writers*each)
	done := make(chan struct{})
	for w := range writers {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range each {
				c := checkIn(team.ID, fmt.Sprintf("U%03d", w), pulse.MustDate("2026-01-01").AddDays(i).String())
				errs <- db.SaveCheckIn(ctx, &c)
			}
		}()
	}
	for range writers {
		<-done
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.TeamCheckIns(ctx, team.ID, pulse.MustDate("2026-01-01"), pulse.MustDate("2026-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != writers*each {
		t.Errorf("%d check-ins stored, want %d", len(got), writers*each)
	}
}

// fieldsOf lists the fields a validation error marks.
func fieldsOf(v pulse.ValidationErrors) []string {
	var out []string
	for _, e := range v {
		out = append(out, e.Field)
	}
	return out
}

func TestScanTeamCheckIns(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
	other := MustCreateTeam(t, db, "Other", "U01", "U02")
	var cs []pulse.CheckIn
	for _, day := range []string{"2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25"} {
		for i, rep := range []string{"U02", "U03"} {
			c := checkIn(team.ID, rep, day)
			c.Blocker, c.Skill = "CRM down", "asked for the next step"
			c.Metrics = map[string]float64{"calls": float64(10 + i)}
			if rep == "U03" && day == "2026-11-24" {
				c.Metrics = nil // a check-in without numbers
			}
			cs = append(cs, c)
		}
	}
	cs = append(cs, checkIn(other.ID, "U02", "2026-11-23"))
	must(t, db.SaveCheckIns(ctx, cs))
	from, to := pulse.MustDate("2026-11-23"), pulse.MustDate("2026-11-24")

	t.Run("it yields the figures of what TeamCheckIns returns, in its order", func(t *testing.T) {
		all, err := db.TeamCheckIns(ctx, team.ID, from, to)
		if err != nil || len(all) != 4 {
			t.Fatalf("TeamCheckIns = %d, %v", len(all), err)
		}
		byKey := func(a, b pulse.MetricValue) int { return strings.Compare(a.Key, b.Key) }
		var want []pulse.CheckInFigures
		for i := range all {
			f := all[i].Figures(nil)
			slices.SortFunc(f.Metrics, byKey)
			want = append(want, f)
		}
		got := scanned(t, func(fn func(*pulse.CheckInFigures) error) error {
			return db.ScanTeamCheckIns(ctx, team.ID, from, to, fn)
		}, func(f *pulse.CheckInFigures) pulse.CheckInFigures {
			copied := *f
			copied.Metrics = slices.Clone(f.Metrics) // reused by the scan
			if !slices.IsSortedFunc(copied.Metrics, byKey) {
				t.Errorf("metrics out of order: %v", copied.Metrics)
			}
			return copied
		})
		for i := range got {
			if len(got[i].Metrics) == 0 && len(want[i].Metrics) == 0 {
				got[i].Metrics, want[i].Metrics = nil, nil // reused: empty rather than nil
			}
		}
		assertEqual(t, got, want)
	})

	t.Run("fn's error ends the scan and comes back as it is", func(t *testing.T) {
		scanStops(t, func(fn func(*pulse.CheckInFigures) error) error {
			return db.ScanTeamCheckIns(ctx, team.ID, pulse.Date{}, pulse.Date{}, fn)
		})
	})

	t.Run("a team ID with a slash is refused before reading", func(t *testing.T) {
		err := db.ScanTeamCheckIns(ctx, "t1/x", from, to, func(*pulse.CheckInFigures) error { return nil })
		wantCode(t, err, pulse.EINVALID)
	})
}
