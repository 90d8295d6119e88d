package cadence_test

import (
	"slices"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
	_ "github.com/salespulse/pulse/holiday"
)

// TestDueSkipsPublicHolidaysOfEachRepsPlace walks weeks with holidays of
// Norway and the US through a team in Oslo keeping Norway's holidays, with
// a rep in New York who keeps the US's: no check-in, reminder or missed day
// for a rep on their own holiday, and the other's day goes on as usual.
func TestDueSkipsPublicHolidaysOfEachRepsPlace(t *testing.T) {
	team, facts := nordic()
	team.HolidayPlace = "NO"
	facts.People["U2"].HolidayPlace = "US"
	// U3 keeps the team's place and is away on Ascension, which is a
	// holiday already: nothing is due, and nothing twice.
	facts.Away["U3"] = []pulse.AwayPeriod{{UserID: "U3", From: pulse.MustDate("2026-05-14"), To: pulse.MustDate("2026-05-14")}}
	kinds := []pulse.JobKind{pulse.JobCheckIn, pulse.JobReminder, pulse.JobMissed}
	days := func(occ map[string]cadence.Occurrence, rep string, kind pulse.JobKind) []string {
		var out []string
		for _, o := range occ {
			if o.Rep == rep && o.Key.Kind == kind {
				out = append(out, o.Day.String())
			}
		}
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		name     string
		from, to string
		rep      string
		kind     pulse.JobKind
		want     []string
	}{
		// Ascension, Thursday 14 May 2026: off in Norway, not in the US.
		{"Oslo rep skips Ascension", "2026-05-11 00:00", "2026-05-16 00:00", "U1", pulse.JobCheckIn, []string{"2026-05-11", "2026-05-12", "2026-05-13", "2026-05-15"}},
		{"Oslo rep has no reminder on Ascension", "2026-05-11 00:00", "2026-05-16 00:00", "U1", pulse.JobReminder, []string{"2026-05-11", "2026-05-12", "2026-05-13", "2026-05-15"}},
		{"Oslo rep misses no Ascension", "2026-05-11 00:00", "2026-05-17 00:00", "U1", pulse.JobMissed, []string{"2026-05-11", "2026-05-12", "2026-05-13", "2026-05-15"}},
		{"New York rep works on Ascension", "2026-05-11 00:00", "2026-05-16 06:00", "U2", pulse.JobCheckIn, []string{"2026-05-11", "2026-05-12", "2026-05-13", "2026-05-14", "2026-05-15"}},
		{"away on a holiday", "2026-05-11 00:00", "2026-05-16 00:00", "U3", pulse.JobCheckIn, []string{"2026-05-11", "2026-05-12", "2026-05-13", "2026-05-15"}},
		// Thanksgiving, Thursday 26 November 2026: off in the US only.
		{"New York rep skips Thanksgiving", "2026-11-23 00:00", "2026-11-28 06:00", "U2", pulse.JobCheckIn, []string{"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27"}},
		{"New York rep misses no Thanksgiving", "2026-11-23 00:00", "2026-11-29 06:00", "U2", pulse.JobMissed, []string{"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27"}},
		{"Oslo rep works on Thanksgiving", "2026-11-23 00:00", "2026-11-28 00:00", "U1", pulse.JobCheckIn, []string{"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"}},
		// Easter moves: Good Friday and Easter Monday of 2027 in March.
		{"Oslo rep's Easter 2027", "2027-03-22 00:00", "2027-04-03 00:00", "U1", pulse.JobCheckIn, []string{"2027-03-22", "2027-03-23", "2027-03-24", "2027-03-30", "2027-03-31", "2027-04-01", "2027-04-02"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := days(seen(t, team, facts, utc(tc.from), utc(tc.to), 15*time.Minute, kinds...), tc.rep, tc.kind)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("%s days of %s: %v, want %v", tc.kind, tc.rep, got, tc.want)
			}
		})
	}
}

// TestDueNoSummaryOnTheTeamsPublicHoliday: Good Friday 2026 falls on the
// summary day in Norway; as on a team's own day off, none is posted.
func TestDueNoSummaryOnTheTeamsPublicHoliday(t *testing.T) {
	team, facts := nordic()
	team.HolidayPlace = "NO"
	got := seen(t, team, facts, utc("2026-03-30 00:00"), utc("2026-04-11 00:00"), 15*time.Minute, pulse.JobSummary)
	if _, ok := got[pulse.SummaryKey("T1", pulse.MustDate("2026-03-30")).String()]; ok {
		t.Fatalf("summary due on Good Friday: %v", dueAt(got))
	}
	if _, ok := got[pulse.SummaryKey("T1", pulse.MustDate("2026-04-06")).String()]; !ok {
		t.Fatalf("no summary the week after: %v", dueAt(got))
	}
}

// TestDueNudgeWaitsOutTheRepsEaster: a nudge due on Maundy Thursday 2026
// waits for an Oslo rep until Tuesday after Easter Monday; a New York rep
// keeping the US's holidays gets it that Thursday.
func TestDueNudgeWaitsOutTheRepsEaster(t *testing.T) {
	team, facts := nordic()
	team.HolidayPlace = "NO"
	facts.People["U2"].HolidayPlace = "US"
	facts.Trainings = []pulse.Training{{ID: "tr1", TeamID: "T1", Skill: "discovery", Date: pulse.MustDate("2026-04-01"), Attendees: []string{"U1", "U2"}, Schedule: []int{1}}}
	got := seen(t, team, facts, utc("2026-04-01 00:00"), utc("2026-04-09 00:00"), 15*time.Minute, pulse.JobNudge)
	assertDue(t, got, map[string]string{
		"nudge/T1/U1/tr1+1": "2026-04-07 07:00",
		"nudge/T1/U2/tr1+1": "2026-04-02 13:00",
	})
}
