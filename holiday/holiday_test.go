package holiday_test

import (
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/holiday"
)

// TestPublicHolidays reads real days of 2026 and 2027 from the library
// through Pulse's own question: Easter moves, so each year is checked.
func TestPublicHolidays(t *testing.T) {
	for _, tc := range []struct {
		place, day string
		want       bool
	}{
		{"NO", "2026-05-17", true},  // Grunnlovsdag (a Sunday)
		{"NO", "2027-05-17", true},  // Grunnlovsdag and Whit Monday at once
		{"NO", "2026-04-03", true},  // Good Friday
		{"NO", "2027-03-26", true},  // Good Friday a week earlier
		{"NO", "2026-04-06", true},  // Easter Monday
		{"NO", "2027-03-29", true},  // Easter Monday
		{"NO", "2026-05-14", true},  // Ascension
		{"NO", "2027-05-06", true},  // Ascension
		{"NO", "2026-05-25", true},  // Whit Monday
		{"NO", "2026-05-18", false}, // an ordinary Monday
		{"NO", "2026-12-24", false}, // Christmas Eve is no public holiday
		{"NO", "2026-12-26", true},
		{"PL", "2026-05-03", true},  // Constitution Day
		{"PL", "2026-06-04", true},  // Corpus Christi
		{"PL", "2027-05-27", true},  // Corpus Christi follows Easter
		{"PL", "2026-06-11", false}, // a week after it
		{"PL", "2026-11-11", true},  // Independence Day
		{"PL", "2027-03-29", true},  // Easter Monday
		{"US", "2026-07-03", true},  // 4 July on a Saturday, observed on Friday
		{"US", "2026-11-26", true},  // Thanksgiving
		{"US", "2027-11-25", true},  // Thanksgiving
		{"US", "2026-05-25", true},  // Memorial Day
		{"US", "2027-05-31", true},  // Memorial Day
		{"US", "2026-05-17", false}, // Norway's day is not the US's
		{"US", "2027-12-24", true},  // Christmas on a Saturday, observed on Friday
		{"RU", "2026-01-01", true},
		{"RU", "2026-01-05", true}, // New Year holidays the library leaves out
		{"RU", "2026-01-07", true}, // Orthodox Christmas
		{"RU", "2026-01-08", true},
		{"RU", "2026-01-12", false},
		{"DE-BY", "2026-01-06", true}, // Epiphany in Bavaria
		{"DE", "2026-01-06", false},   // not nationwide
		{"GB", "2026-08-31", true},    // summer bank holiday
		{"XX", "2026-01-01", false},   // unknown place
		{"", "2026-01-01", false},     // no place
	} {
		_, got := pulse.PublicHoliday(tc.place, pulse.MustDate(tc.day))
		if got != tc.want {
			t.Errorf("%s %s: holiday %v, want %v", tc.place, tc.day, got, tc.want)
		}
	}
}

func TestParsePlace(t *testing.T) {
	for in, want := range map[string]string{"no": "NO", " de_by ": "DE-BY", "us": "US", "Pl": "PL"} {
		if got, ok := pulse.ParseHolidayPlace(in); !ok || got != want {
			t.Errorf("ParseHolidayPlace(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "xx", "norway", "=cmd()", "DE-XX"} {
		if got, ok := pulse.ParseHolidayPlace(bad); ok {
			t.Errorf("ParseHolidayPlace(%q) = %q, accepted", bad, got)
		}
	}
	if len(holiday.Places()) < 20 {
		t.Errorf("places %v", holiday.Places())
	}
}

// TestDayOff is the one rule of days off for a member: the team's
// workdays, its own extra days, the public holidays of the member's place
// (their own, else the team's), and their days away.
func TestDayOff(t *testing.T) {
	team := pulse.NewTeam("Oslo", "Europe/Oslo")
	team.HolidayPlace = "NO"
	team.Holidays = []pulse.Date{pulse.MustDate("2026-12-23")}
	oslo := &pulse.Person{ID: "UANNA"}
	newYork := &pulse.Person{ID: "UBEN", HolidayPlace: "US"}
	away := []pulse.AwayPeriod{{UserID: "UANNA", From: pulse.MustDate("2026-05-13"), To: pulse.MustDate("2026-05-15")}}
	for _, tc := range []struct {
		name string
		p    *pulse.Person
		away []pulse.AwayPeriod
		day  string
		want bool
	}{
		{"ordinary Monday", oslo, nil, "2026-05-18", false},
		{"Saturday", oslo, nil, "2026-05-16", true},
		{"Norway's Ascension for an Oslo rep", oslo, nil, "2026-05-14", true},
		{"Norway's Ascension for a New York rep", newYork, nil, "2026-05-14", false},
		{"Memorial Day for a New York rep", newYork, nil, "2026-05-25", true},
		{"Whit Monday for no one set", nil, nil, "2026-05-25", true},
		{"Thanksgiving for an Oslo rep", oslo, nil, "2026-11-26", false},
		{"Thanksgiving for a New York rep", newYork, nil, "2026-11-26", true},
		{"team's own extra day, any country", newYork, nil, "2026-12-23", true},
		{"holiday that is also an away day", oslo, away, "2026-05-14", true},
		{"away day that is no holiday", oslo, away, "2026-05-13", true},
		{"after the away days", oslo, away, "2026-05-18", false},
	} {
		if got := pulse.DayOff(team, tc.p, tc.away, pulse.MustDate(tc.day)); got != tc.want {
			t.Errorf("%s (%s): day off %v, want %v", tc.name, tc.day, got, tc.want)
		}
	}
}

func TestTeamAndPersonPlaceValidated(t *testing.T) {
	team := pulse.NewTeam("Oslo", "Europe/Oslo")
	team.Managers = []string{"UMGR"}
	team.HolidayPlace = "ZZ"
	if err := team.Validate(); err == nil {
		t.Fatal("team with an unknown holiday place validated")
	}
	team.HolidayPlace = "NO"
	if err := team.Validate(); err != nil {
		t.Fatalf("team with Norway: %v", err)
	}
	p := &pulse.Person{ID: "UBEN", HolidayPlace: "=HYPERLINK(1)"}
	if err := p.Validate(); err == nil {
		t.Fatal("person with a formula for a place validated")
	}
}
