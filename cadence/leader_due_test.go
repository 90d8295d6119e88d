package cadence_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
)

// The digest goes to each manager at the team's digest time in the team's
// zone, across the week daylight saving ends (Sunday 2026-10-25 in Oslo),
// skipping weekends, a team holiday and a manager's day away; the week's
// DM goes to each manager and director on the summary day.
func TestDueDigestAndLeaderWeekInTheTeamsZone(t *testing.T) {
	team, facts := nordic()
	team.Managers = []string{"M1", "M2"}
	team.Directors = []string{"D1"}
	team.DigestTime = pulse.MustTime("11:30")
	team.Holidays = []pulse.Date{pulse.MustDate("2026-10-28")}
	facts.People["M2"] = &pulse.Person{ID: "M2", TZ: "America/New_York"}
	facts.Away["M2"] = []pulse.AwayPeriod{{UserID: "M2", From: pulse.MustDate("2026-10-29"), To: pulse.MustDate("2026-10-29")}}

	got := seen(t, team, facts, utc("2026-10-18 12:00"), utc("2026-11-01 00:00"), 5*time.Minute, pulse.JobDigest, pulse.JobLeaderWeek)
	want := map[string]string{}
	for _, m := range []string{"M1", "M2"} {
		weekdays(want, "2026-10-19", "2026-10-23", func(d pulse.Date) pulse.JobKey { return pulse.DigestKey("T1", m, d) },
			func(d pulse.Date) string { return clock(d, "09:30") }) // 11:30 CEST
		skip := []string{"2026-10-28"}
		if m == "M2" {
			skip = append(skip, "2026-10-29")
		}
		weekdays(want, "2026-10-26", "2026-10-30", func(d pulse.Date) pulse.JobKey { return pulse.DigestKey("T1", m, d) },
			func(d pulse.Date) string { return clock(d, "10:30") }, skip...) // 11:30 CET
	}
	for _, u := range []string{"M1", "M2", "D1"} {
		want[pulse.LeaderWeekKey("T1", u, pulse.MustDate("2026-10-19")).String()] = "2026-10-23 14:00" // Friday 16:00 CEST
		want[pulse.LeaderWeekKey("T1", u, pulse.MustDate("2026-10-26")).String()] = "2026-10-30 15:00" // Friday 16:00 CET
	}
	assertDue(t, got, want)

	d := got[pulse.DigestKey("T1", "M2", pulse.MustDate("2026-10-19")).String()]
	if d.To != "M2" || d.Day != pulse.MustDate("2026-10-19") || !d.Until.Equal(utc("2026-10-19 22:00")) {
		t.Fatalf("digest %+v, want it to M2 for the team's Monday until the team's day ends", d)
	}
	// The default digest time is two hours after the check-in time.
	team.DigestTime = 0
	team.CheckInTime = pulse.MustTime("08:15")
	occ := cadence.Due(utc("2026-10-20 08:15"), team, facts, cadence.Options{})
	found := false
	for _, o := range occ {
		if o.Key == pulse.DigestKey("T1", "M1", pulse.MustDate("2026-10-20")) {
			found = o.At.Equal(utc("2026-10-20 08:15"))
		}
	}
	if !found {
		t.Fatalf("no digest due at 10:15 Oslo with check-in at 08:15: %v", occ)
	}
}
