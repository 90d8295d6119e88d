package pulse_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// TestCheckInStatusByMode: an evening check-in is late from the end of the
// day plus the reminder delay in the rep's zone, across the night Oslo
// moves to summer time; a morning one as before.
func TestCheckInStatusByMode(t *testing.T) {
	oslo := &pulse.Person{ID: "UOSLO", TZ: "Europe/Oslo"}
	tokyo := &pulse.Person{ID: "UTOKYO", TZ: "Asia/Tokyo"}
	for _, tc := range []struct {
		mode pulse.CheckInMode
		p    *pulse.Person
		day  string
		at   string // UTC
		want pulse.CheckInStatus
	}{
		{pulse.CheckInMorning, oslo, "2026-03-27", "2026-03-27 09:59", pulse.CheckInOnTime}, // 10:59 CET, before 11:00
		{pulse.CheckInMorning, oslo, "2026-03-27", "2026-03-27 10:00", pulse.CheckInLate},
		{pulse.CheckInEvening, oslo, "2026-03-27", "2026-03-27 10:00", pulse.CheckInOnTime}, // early in the day
		{pulse.CheckInEvening, oslo, "2026-03-27", "2026-03-27 17:59", pulse.CheckInOnTime}, // 18:59 CET
		{pulse.CheckInEvening, oslo, "2026-03-27", "2026-03-27 18:00", pulse.CheckInLate},   // 19:00 CET
		{pulse.CheckInEvening, oslo, "2026-03-30", "2026-03-30 16:59", pulse.CheckInOnTime}, // 18:59 CEST
		{pulse.CheckInEvening, oslo, "2026-03-30", "2026-03-30 17:00", pulse.CheckInLate},   // 19:00 CEST
		{pulse.CheckInEvening, tokyo, "2026-03-30", "2026-03-30 09:59", pulse.CheckInOnTime},
		{pulse.CheckInEvening, tokyo, "2026-03-30", "2026-03-30 10:00", pulse.CheckInLate},
		{pulse.CheckInBoth, oslo, "2026-03-30", "2026-03-30 08:59", pulse.CheckInOnTime}, // the morning counts
		{pulse.CheckInBoth, oslo, "2026-03-30", "2026-03-30 09:00", pulse.CheckInLate},
	} {
		team := pulse.NewTeam("Oslo", "Europe/Oslo")
		team.CheckInMode = tc.mode
		at, _ := time.Parse("2006-01-02 15:04", tc.at)
		if got := pulse.CheckInStatusAt(team, tc.p, pulse.MustDate(tc.day), at); got != tc.want {
			t.Errorf("%s, %s at %s: %s, want %s", tc.mode, tc.p.ID, tc.at, got, tc.want)
		}
	}
}

func TestCheckInModeValidated(t *testing.T) {
	for _, tc := range []struct {
		mode     pulse.CheckInMode
		checkIn  string
		endOfDay string
		ok       bool
	}{
		{"", "09:00", "00:00", true},
		{pulse.CheckInMorning, "09:00", "17:00", true},
		{pulse.CheckInEvening, "09:00", "17:00", true},
		{pulse.CheckInBoth, "09:00", "17:00", true},
		{pulse.CheckInBoth, "17:00", "09:00", false},
		{"noon", "09:00", "17:00", false},
	} {
		team := pulse.NewTeam("Oslo", "Europe/Oslo")
		team.Managers = []string{"UMGR"}
		team.CheckInMode, team.CheckInTime, team.EndOfDayTime = tc.mode, pulse.MustTime(tc.checkIn), pulse.MustTime(tc.endOfDay)
		if err := team.Validate(); (err == nil) != tc.ok {
			t.Errorf("%q %s–%s: %v", tc.mode, tc.checkIn, tc.endOfDay, err)
		}
	}
}
