package cadence_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// TestDueByCheckInMode walks a week across Europe's change to summer time
// (Sunday 29 March 2026; New York changed on 8 March) for a team checking
// in in the morning, in the evening and both, with reps in Oslo, New York
// and Tokyo: each job falls at the wall-clock time of the rep's own zone
// on the rep's own day, and a reminder that would run past the rep's
// midnight is not sent.
func TestDueByCheckInMode(t *testing.T) {
	key := func(kind pulse.JobKind, rep, day string) string {
		return pulse.JobKey{Kind: kind, TeamID: "T1", UserID: rep, Occurrence: day}.String()
	}
	for _, tc := range []struct {
		name     string
		mode     pulse.CheckInMode
		endOfDay string
		want     map[string]string // key → UTC time it falls due; "" for never
	}{
		{"morning", pulse.CheckInMorning, "17:00", map[string]string{
			key(pulse.JobCheckIn, "U1", "2026-03-27"):  "2026-03-27 08:00", // 09:00 CET
			key(pulse.JobCheckIn, "U1", "2026-03-30"):  "2026-03-30 07:00", // 09:00 CEST
			key(pulse.JobCheckIn, "U2", "2026-03-30"):  "2026-03-30 13:00", // 09:00 EDT
			key(pulse.JobEvening, "U1", "2026-03-30"):  "",
			key(pulse.JobReminder, "U1", "2026-03-30"): "2026-03-30 09:00",
		}},
		{"evening", pulse.CheckInEvening, "17:00", map[string]string{
			key(pulse.JobCheckIn, "U1", "2026-03-27"):  "2026-03-27 16:00", // 17:00 CET
			key(pulse.JobCheckIn, "U1", "2026-03-30"):  "2026-03-30 15:00", // 17:00 CEST
			key(pulse.JobCheckIn, "U2", "2026-03-27"):  "2026-03-27 21:00", // 17:00 EDT
			key(pulse.JobCheckIn, "U3", "2026-03-30"):  "2026-03-30 08:00", // 17:00 JST
			key(pulse.JobReminder, "U1", "2026-03-30"): "2026-03-30 17:00",
			key(pulse.JobEvening, "U1", "2026-03-30"):  "",
			key(pulse.JobCheckIn, "U1", "2026-03-28"):  "", // Saturday
		}},
		{"evening at 23:00: no reminder past midnight", pulse.CheckInEvening, "23:00", map[string]string{
			key(pulse.JobCheckIn, "U3", "2026-03-30"):  "2026-03-30 14:00", // 23:00 JST, Monday in Tokyo
			key(pulse.JobReminder, "U3", "2026-03-30"): "",
			key(pulse.JobCheckIn, "U2", "2026-03-27"):  "2026-03-28 03:00", // Friday 23:00 in New York is Saturday in UTC
		}},
		{"both", pulse.CheckInBoth, "17:00", map[string]string{
			key(pulse.JobCheckIn, "U1", "2026-03-30"):  "2026-03-30 07:00",
			key(pulse.JobEvening, "U1", "2026-03-27"):  "2026-03-27 16:00",
			key(pulse.JobEvening, "U1", "2026-03-30"):  "2026-03-30 15:00",
			key(pulse.JobEvening, "U2", "2026-03-30"):  "2026-03-30 21:00",
			key(pulse.JobReminder, "U1", "2026-03-30"): "2026-03-30 09:00",
			key(pulse.JobEvening, "U1", "2026-03-29"):  "", // Sunday
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			team, facts := nordic()
			team.CheckInMode = tc.mode
			team.EndOfDayTime = pulse.MustTime(tc.endOfDay)
			got := dueAt(seen(t, team, facts, utc("2026-03-26 20:00"), utc("2026-03-31 00:00"), 15*time.Minute,
				pulse.JobCheckIn, pulse.JobReminder, pulse.JobEvening))
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s falls due at %q, want %q", k, got[k], want)
				}
			}
		})
	}
}
