package pulse_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWallClock(t *testing.T) {
	tests := []struct {
		name string
		zone string
		day  string
		tod  string
		want string // UTC
	}{
		{"an ordinary winter morning in Oslo", "Europe/Oslo", "2026-01-12", "09:00", "2026-01-12 08:00"},
		{"an ordinary summer morning in Oslo", "Europe/Oslo", "2026-06-15", "09:00", "2026-06-15 07:00"},
		{"02:30 Oslo on the spring-forward night is the first instant after the gap", "Europe/Oslo", "2026-03-29", "02:30", "2026-03-29 01:00"},
		{"02:30 Oslo on the fall-back night is its first occurrence", "Europe/Oslo", "2026-10-25", "02:30", "2026-10-25 00:30"},
		{"03:00 Oslo on the fall-back night happens once", "Europe/Oslo", "2026-10-25", "03:00", "2026-10-25 02:00"},
		{"02:30 New York on the spring-forward night is the first instant after the gap", "America/New_York", "2026-03-08", "02:30", "2026-03-08 07:00"},
		{"01:30 New York on the fall-back night is its first occurrence", "America/New_York", "2026-11-01", "01:30", "2026-11-01 05:30"},
		{"09:00 New York on the day after fall-back", "America/New_York", "2026-11-02", "09:00", "2026-11-02 14:00"},
		{"09:00 Tokyo, which keeps no daylight saving", "Asia/Tokyo", "2026-03-09", "09:00", "2026-03-09 00:00"},
		{"a midnight that Havana skips is the first instant after the gap", "America/Havana", "2026-03-08", "00:00", "2026-03-08 05:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			got := pulse.WallClock(pulse.MustDate(tt.day), pulse.MustTime(tt.tod), loc)
			if want := utc(tt.want); !got.Equal(want) {
				t.Fatalf("WallClock(%s %s %s) = %s (%s UTC), want %s UTC", tt.day, tt.tod, tt.zone, got, got.UTC().Format("2006-01-02 15:04"), tt.want)
			}
		})
	}
}

func TestDayEnd(t *testing.T) {
	tests := []struct {
		name   string
		zone   string
		day    string
		want   string // UTC
		length time.Duration
	}{
		{"an ordinary day in Oslo lasts 24 hours", "Europe/Oslo", "2026-03-27", "2026-03-27 23:00", 24 * time.Hour},
		{"the spring-forward day in Oslo lasts 23 hours", "Europe/Oslo", "2026-03-29", "2026-03-29 22:00", 23 * time.Hour},
		{"the fall-back day in New York lasts 25 hours", "America/New_York", "2026-11-01", "2026-11-02 05:00", 25 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			d := pulse.MustDate(tt.day)
			got := pulse.DayEnd(d, loc)
			if want := utc(tt.want); !got.Equal(want) {
				t.Fatalf("DayEnd(%s %s) = %s, want %s UTC", tt.day, tt.zone, got.UTC(), tt.want)
			}
			if l := got.Sub(pulse.WallClock(d, 0, loc)); l != tt.length {
				t.Fatalf("day %s in %s lasts %s, want %s", tt.day, tt.zone, l, tt.length)
			}
		})
	}
}

func TestCheckInStatusAt(t *testing.T) {
	team := pulse.NewTeam("Nordic", "Europe/Oslo") // 09:00, reminder two hours later
	tokyo := &pulse.Person{ID: "U1", TZ: "Europe/Oslo", TZOverride: "Asia/Tokyo"}
	noReminder := pulse.NewTeam("Calm", "Europe/Oslo")
	noReminder.ReminderDelay = 0
	day := pulse.MustDate("2026-03-10")
	tests := []struct {
		name   string
		team   *pulse.Team
		person *pulse.Person
		at     string // UTC
		want   pulse.CheckInStatus
	}{
		{"an answer before the reminder is on time", team, nil, "2026-03-10 09:59", pulse.CheckInOnTime},
		{"an answer at the reminder time is late", team, nil, "2026-03-10 10:00", pulse.CheckInLate},
		{"an answer in the evening is late", team, nil, "2026-03-10 20:00", pulse.CheckInLate},
		{"the rep's own zone decides, not the team's", team, tokyo, "2026-03-10 02:00", pulse.CheckInLate},
		{"a rep in Tokyo answering at 10:59 local is on time", team, tokyo, "2026-03-10 01:59", pulse.CheckInOnTime},
		{"a team without reminders has no late answers", noReminder, nil, "2026-03-10 20:00", pulse.CheckInOnTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pulse.CheckInStatusAt(tt.team, tt.person, day, utc(tt.at)); got != tt.want {
				t.Fatalf("CheckInStatusAt(%s UTC) = %s, want %s", tt.at, got, tt.want)
			}
		})
	}
}
