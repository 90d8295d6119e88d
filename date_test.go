package pulse_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name, in string
		want     string
		ok       bool
	}{
		{"an ordinary day", "2026-11-23", "2026-11-23", true},
		{"a leap day in a leap year", "2028-02-29", "2028-02-29", true},
		{"surrounding spaces are ignored", " 2026-01-05 ", "2026-01-05", true},
		{"month thirteen is refused", "2026-13-40", "", false},
		{"february thirtieth is refused", "2026-02-30", "", false},
		{"a leap day in a common year is refused", "2026-02-29", "", false},
		{"day-first order is refused", "23-11-2026", "", false},
		{"slashes are refused", "2026/11/23", "", false},
		{"an empty string is refused", "", "", false},
		{"a single-digit month is refused", "2026-1-05", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pulse.ParseDate(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("ParseDate(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if !tt.ok {
				if code := pulse.ErrorCode(err); code != pulse.EINVALID {
					t.Fatalf("ParseDate(%q) code = %q, want %q", tt.in, code, pulse.EINVALID)
				}
				return
			}
			if got.String() != tt.want {
				t.Fatalf("ParseDate(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	d := pulse.MustDate("2026-03-28")
	if got := d.AddDays(1).String(); got != "2026-03-29" {
		t.Errorf("AddDays across Europe's spring change = %s, want 2026-03-29", got)
	}
	if got := pulse.MustDate("2026-12-31").AddDays(1).String(); got != "2027-01-01" {
		t.Errorf("AddDays across the year = %s, want 2027-01-01", got)
	}
	if got := pulse.MustDate("2026-11-29").WeekStart().String(); got != "2026-11-23" {
		t.Errorf("WeekStart of a Sunday = %s, want the Monday before, 2026-11-23", got)
	}
	if got := pulse.MustDate("2026-11-23").WeekStart().String(); got != "2026-11-23" {
		t.Errorf("WeekStart of a Monday = %s, want itself", got)
	}
	if got := pulse.MustDate("2026-03-01").DaysUntil(pulse.MustDate("2026-04-01")); got != 31 {
		t.Errorf("DaysUntil over March = %d, want 31", got)
	}
	if !pulse.MustDate("2026-01-01").Before(pulse.MustDate("2026-01-02")) || pulse.MustDate("2026-01-02").Before(pulse.MustDate("2026-01-02")) {
		t.Error("Before is not strict")
	}
}

// TestDaysUntilAgreesWithTheCalendar holds DaysUntil's arithmetic to
// time's calendar over every day of four centuries, leap years and the
// years 1900 and 2000 among them, and for days past a month's end.
func TestDaysUntilAgreesWithTheCalendar(t *testing.T) {
	epoch := pulse.MustDate("1970-01-01")
	at := func(d pulse.Date) int {
		// Noon, so that flooring the seconds gives the day before 1970 too.
		return int(math.Floor(float64(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Unix()) / 86400))
	}
	for tm := time.Date(1800, 1, 1, 12, 0, 0, 0, time.UTC); tm.Year() < 2200; tm = tm.AddDate(0, 0, 1) {
		d := pulse.DateOf(tm)
		if got, want := epoch.DaysUntil(d), at(d); got != want {
			t.Fatalf("1970-01-01 → %s: %d days, the calendar says %d", d, got, want)
		}
	}
	for _, d := range []pulse.Date{{Year: 2026, Month: 2, Day: 30}, {Year: 2024, Month: 12, Day: 45}, {Year: 2026, Month: 13, Day: 1}, {Year: 1, Month: 1, Day: 1}} {
		if got, want := epoch.DaysUntil(d), at(d); got != want {
			t.Errorf("1970-01-01 → %+v: %d days, time.Date says %d", d, got, want)
		}
	}
}

func TestDateAtAcrossDaylightSaving(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		day  string
		at   string
		want string
	}{
		{"09:00 Oslo on the Monday after summer time ends", "2026-10-26", "09:00", "2026-10-26T08:00:00Z"},
		{"09:00 Oslo on the Friday before summer time ends", "2026-10-23", "09:00", "2026-10-23T07:00:00Z"},
		{"02:30 Oslo on the night the clocks jump forward moves past the gap", "2026-03-29", "02:30", "2026-03-29T01:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pulse.MustDate(tt.day).At(pulse.MustTime(tt.at), oslo).UTC().Format(time.RFC3339)
			if got != tt.want {
				t.Fatalf("At = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParseTimeOfDay(t *testing.T) {
	for _, ok := range []string{"00:00", "9:05", "23:59"} {
		if _, err := pulse.ParseTimeOfDay(ok); err != nil {
			t.Errorf("ParseTimeOfDay(%q) = %v, want ok", ok, err)
		}
	}
	for _, bad := range []string{"24:00", "12:60", "12", "ab:cd", "", "-1:30", "12:5"} {
		if _, err := pulse.ParseTimeOfDay(bad); err == nil {
			t.Errorf("ParseTimeOfDay(%q) accepted a bad time", bad)
		}
	}
	if got := pulse.MustTime("9:05").String(); got != "09:05" {
		t.Errorf("String = %s, want 09:05", got)
	}
}

func TestDateTextRoundTrip(t *testing.T) {
	d := pulse.MustDate("2026-11-23")
	b, _ := d.MarshalText()
	var back pulse.Date
	if err := back.UnmarshalText(b); err != nil || back != d {
		t.Fatalf("round trip = %v, %v; want %v", back, err, d)
	}
	if err := back.UnmarshalText([]byte("2026-13-40")); err == nil {
		t.Fatal("UnmarshalText accepted 2026-13-40")
	}
}

// TestAddDaysAgreesWithTheCalendar holds AddDays' short path for days
// within a month to what time.Date says, over leap and common years, month
// ends and both directions.
func TestAddDaysAgreesWithTheCalendar(t *testing.T) {
	for _, start := range []pulse.Date{
		pulse.MustDate("2024-01-01"), pulse.MustDate("2024-02-27"), pulse.MustDate("2024-02-28"),
		pulse.MustDate("2025-02-28"), pulse.MustDate("2026-03-28"), pulse.MustDate("2026-12-31"),
	} {
		for d := start; d.Before(start.AddDays(400)); d = pulse.DateOf(time.Date(d.Year, d.Month, d.Day+1, 12, 0, 0, 0, time.UTC)) {
			for n := -40; n <= 40; n++ {
				want := pulse.DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
				if got := d.AddDays(n); got != want {
					t.Fatalf("%s.AddDays(%d) = %s, want %s", d, n, got, want)
				}
			}
		}
	}
}

func TestWeekdayAgreesWithTheCalendar(t *testing.T) {
	for tm := time.Date(1800, 1, 1, 12, 0, 0, 0, time.UTC); tm.Year() < 2200; tm = tm.AddDate(0, 0, 1) {
		if got, want := pulse.DateOf(tm).Weekday(), tm.Weekday(); got != want {
			t.Fatalf("%s: %v, the calendar says %v", pulse.DateOf(tm), got, want)
		}
	}
	// Days past a month's end, and months out of range, as time.Date reads them.
	for _, d := range []pulse.Date{{Year: 2026, Month: 2, Day: 30}, {Year: 2024, Month: 12, Day: 45}, {Year: 2026, Month: 13, Day: 1}, {Year: 2026, Month: 0, Day: 0}, {Year: 1, Month: 1, Day: 1}, {Year: -5, Month: 3, Day: 1}} {
		if got, want := d.Weekday(), time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday(); got != want {
			t.Errorf("%+v: %v, time.Date says %v", d, got, want)
		}
	}
}

// TestDateStringAgreesWithPrintf: the hand-written form of a date is
// Printf's, in range and out of it.
func TestDateStringAgreesWithPrintf(t *testing.T) {
	for _, d := range []pulse.Date{
		{Year: 2026, Month: 3, Day: 2}, {Year: 1999, Month: 12, Day: 31}, {Year: 1, Month: 1, Day: 1},
		{Year: 9999, Month: 12, Day: 31}, {Year: 10000, Month: 1, Day: 1}, {Year: -1, Month: 1, Day: 1},
		{Year: 2026, Month: 13, Day: 45}, {Year: 2026, Month: 100, Day: 1}, {Year: 2026, Month: 1, Day: -3},
		{Year: 0, Month: 0, Day: 1},
	} {
		want := fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
		if got := d.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", d, got, want)
		}
	}
}

// TestParseDateAgreesWithTimeParse: every string of the date's shape, valid
// or not (30 February, month 13, day 00, a year 0000), reads as time.Parse
// reads it.
func TestParseDateAgreesWithTimeParse(t *testing.T) {
	var in []string
	for _, y := range []int{0, 1, 1900, 2000, 2024, 2026, 2100, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				in = append(in, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	in = append(in, "2026-1-101", "2026/01/01", "2026-01-0a", "+026-01-01", "2026-01--1", " 2026-03-02 ")
	for _, s := range in {
		want, werr := time.Parse("2006-01-02", strings.TrimSpace(s))
		got, err := pulse.ParseDate(s)
		switch {
		case (err == nil) != (werr == nil):
			t.Errorf("ParseDate(%q) = %v, %v; time.Parse says %v", s, got, err, werr)
		case err == nil && got != pulse.DateOf(want):
			t.Errorf("ParseDate(%q) = %v, want %v", s, got, pulse.DateOf(want))
		}
	}
}
