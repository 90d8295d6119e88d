package cadence_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
)

// utc reads "2006-01-02 15:04" as a UTC instant.
func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// nordic is a team in Oslo with reps in Oslo (U1), New York (U2) and Tokyo
// (U3), one manager in Oslo (M1), and Pulse's default rhythm: check-in at
// 09:00 Monday to Friday, reminder at 11:00, meeting Monday 10:00 with the
// prompt at 09:30, summary Friday 16:00.
func nordic() (*pulse.Team, cadence.Facts) {
	team := pulse.NewTeam("Nordic", "Europe/Oslo")
	team.ID = "T1"
	team.Reps = []string{"U1", "U2", "U3"}
	team.Managers = []string{"M1"}
	team.Channel = "C1"
	team.CreatedAt = utc("2026-01-01 12:00")
	facts := cadence.Facts{
		People: map[string]*pulse.Person{
			"U1": {ID: "U1", TZ: "Europe/Oslo", Lang: pulse.Norwegian},
			"U2": {ID: "U2", TZ: "America/New_York"},
			"U3": {ID: "U3", TZ: "Europe/Oslo", TZOverride: "Asia/Tokyo"},
			"M1": {ID: "M1", TZ: "Europe/Oslo"},
		},
		Away:         map[string][]pulse.AwayPeriod{},
		LastOneOnOne: map[string]pulse.Date{},
	}
	return team, facts
}

// seen walks the clock from one instant to another in steps, asking Due at
// each, and returns the occurrences of the given kinds that fell due on the
// way (At not before from), by key. It fails the test if one is first seen
// later than one step after it fell due, or comes back with another At.
func seen(t *testing.T, team *pulse.Team, facts cadence.Facts, from, to time.Time, step time.Duration, kinds ...pulse.JobKind) map[string]cadence.Occurrence {
	t.Helper()
	out := map[string]cadence.Occurrence{}
	for now := from; now.Before(to); now = now.Add(step) {
		for _, o := range cadence.Due(now, team, facts, cadence.Options{}) {
			if !slices.Contains(kinds, o.Key.Kind) || o.At.Before(from) {
				continue
			}
			k := o.Key.String()
			if prev, ok := out[k]; ok {
				if !prev.At.Equal(o.At) {
					t.Fatalf("%s due at %s, earlier at %s", k, o.At.UTC(), prev.At.UTC())
				}
				continue
			}
			if now.Sub(o.At) >= step {
				t.Fatalf("%s first due at %s, but it fell due at %s", k, now.UTC(), o.At.UTC())
			}
			out[k] = o
		}
	}
	return out
}

// dueAt turns occurrences into key → UTC time of falling due.
func dueAt(occ map[string]cadence.Occurrence) map[string]string {
	out := map[string]string{}
	for k, o := range occ {
		out[k] = o.At.UTC().Format("2006-01-02 15:04")
	}
	return out
}

func assertDue(t *testing.T, got map[string]cadence.Occurrence, want map[string]string) {
	t.Helper()
	g := dueAt(got)
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if g[k] != want[k] {
			t.Errorf("%s due at %q, want %q", k, g[k], want[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(g)) {
		if _, ok := want[k]; !ok {
			t.Errorf("%s due at %s, want it not due", k, g[k])
		}
	}
}

// weekdays returns want entries for key(day) at hh:mm UTC on each day from
// the first to the last, skipping Saturdays and Sundays and the days in skip.
func weekdays(want map[string]string, first, last string, key func(pulse.Date) pulse.JobKey, at func(pulse.Date) string, skip ...string) {
	for d := pulse.MustDate(first); !d.After(pulse.MustDate(last)); d = d.AddDays(1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || slices.Contains(skip, d.String()) {
			continue
		}
		want[key(d).String()] = at(d)
	}
}

func clock(d pulse.Date, hhmm string) string { return d.String() + " " + hhmm }

func TestDueDailyJobsInEachRepsZone(t *testing.T) {
	type expect func(want map[string]string)
	tests := []struct {
		name  string
		setup func(*pulse.Team, *cadence.Facts)
		kinds []pulse.JobKind
		want  expect
	}{
		{
			name:  "check-ins at 09:00 in Oslo, New York and Tokyo on weekdays only",
			kinds: []pulse.JobKind{pulse.JobCheckIn},
			want: func(w map[string]string) {
				ck := func(rep string) func(pulse.Date) pulse.JobKey {
					return func(d pulse.Date) pulse.JobKey { return pulse.CheckInKey("T1", rep, d) }
				}
				weekdays(w, "2026-03-09", "2026-03-13", ck("U1"), func(d pulse.Date) string { return clock(d, "08:00") })
				weekdays(w, "2026-03-09", "2026-03-13", ck("U2"), func(d pulse.Date) string { return clock(d, "13:00") })
				weekdays(w, "2026-03-09", "2026-03-13", ck("U3"), func(d pulse.Date) string { return clock(d, "00:00") })
				// Tokyo's Monday begins before the walk ends.
				w[pulse.CheckInKey("T1", "U3", pulse.MustDate("2026-03-16")).String()] = "2026-03-16 00:00"
			},
		},
		{
			name:  "reminders two hours after each rep's check-in",
			kinds: []pulse.JobKind{pulse.JobReminder},
			want: func(w map[string]string) {
				rk := func(rep string) func(pulse.Date) pulse.JobKey {
					return func(d pulse.Date) pulse.JobKey { return pulse.ReminderKey("T1", rep, d) }
				}
				weekdays(w, "2026-03-09", "2026-03-13", rk("U1"), func(d pulse.Date) string { return clock(d, "10:00") })
				weekdays(w, "2026-03-09", "2026-03-13", rk("U2"), func(d pulse.Date) string { return clock(d, "15:00") })
				weekdays(w, "2026-03-09", "2026-03-13", rk("U3"), func(d pulse.Date) string { return clock(d, "02:00") })
			},
		},
		{
			name:  "missed days recorded at the end of each rep's local workday",
			kinds: []pulse.JobKind{pulse.JobMissed},
			want: func(w map[string]string) {
				mk := func(rep string) func(pulse.Date) pulse.JobKey {
					return func(d pulse.Date) pulse.JobKey { return pulse.MissedKey("T1", rep, d) }
				}
				weekdays(w, "2026-03-09", "2026-03-13", mk("U1"), func(d pulse.Date) string { return clock(d, "23:00") })
				weekdays(w, "2026-03-09", "2026-03-13", mk("U2"), func(d pulse.Date) string { return clock(d.AddDays(1), "04:00") })
				weekdays(w, "2026-03-09", "2026-03-13", mk("U3"), func(d pulse.Date) string { return clock(d, "15:00") })
			},
		},
		{
			name: "a team holiday sends nothing to anyone, judged on each rep's own day",
			setup: func(team *pulse.Team, _ *cadence.Facts) {
				team.Holidays = []pulse.Date{pulse.MustDate("2026-03-11")}
			},
			kinds: []pulse.JobKind{pulse.JobCheckIn, pulse.JobMissed},
			want: func(w map[string]string) {
				for _, r := range []struct{ rep, checkin, missed string }{{"U1", "08:00", "23:00"}, {"U3", "00:00", "15:00"}} {
					weekdays(w, "2026-03-09", "2026-03-13", func(d pulse.Date) pulse.JobKey { return pulse.CheckInKey("T1", r.rep, d) }, func(d pulse.Date) string { return clock(d, r.checkin) }, "2026-03-11")
					weekdays(w, "2026-03-09", "2026-03-13", func(d pulse.Date) pulse.JobKey { return pulse.MissedKey("T1", r.rep, d) }, func(d pulse.Date) string { return clock(d, r.missed) }, "2026-03-11")
				}
				weekdays(w, "2026-03-09", "2026-03-13", func(d pulse.Date) pulse.JobKey { return pulse.CheckInKey("T1", "U2", d) }, func(d pulse.Date) string { return clock(d, "13:00") }, "2026-03-11")
				weekdays(w, "2026-03-09", "2026-03-13", func(d pulse.Date) pulse.JobKey { return pulse.MissedKey("T1", "U2", d) }, func(d pulse.Date) string { return clock(d.AddDays(1), "04:00") }, "2026-03-11")
				w[pulse.CheckInKey("T1", "U3", pulse.MustDate("2026-03-16")).String()] = "2026-03-16 00:00"
			},
		},
		{
			name: "a rep away on Tuesday and Wednesday is neither asked nor marked missed",
			setup: func(_ *pulse.Team, f *cadence.Facts) {
				f.Away["U2"] = []pulse.AwayPeriod{{UserID: "U2", From: pulse.MustDate("2026-03-10"), To: pulse.MustDate("2026-03-11")}}
				f.People = map[string]*pulse.Person{"U2": f.People["U2"]}
			},
			kinds: []pulse.JobKind{pulse.JobCheckIn, pulse.JobMissed},
			want: func(w map[string]string) {
				weekdays(w, "2026-03-09", "2026-03-13", func(d pulse.Date) pulse.JobKey { return pulse.CheckInKey("T1", "U2", d) }, func(d pulse.Date) string { return clock(d, "13:00") }, "2026-03-10", "2026-03-11")
				weekdays(w, "2026-03-09", "2026-03-13", func(d pulse.Date) pulse.JobKey { return pulse.MissedKey("T1", "U2", d) }, func(d pulse.Date) string { return clock(d.AddDays(1), "04:00") }, "2026-03-10", "2026-03-11")
				// U1 and U3 are unknown to the directory: the team's zone.
				for _, rep := range []string{"U1", "U3"} {
					weekdays(w, "2026-03-09", "2026-03-13", func(d pulse.Date) pulse.JobKey { return pulse.CheckInKey("T1", rep, d) }, func(d pulse.Date) string { return clock(d, "08:00") })
					weekdays(w, "2026-03-09", "2026-03-13", func(d pulse.Date) pulse.JobKey { return pulse.MissedKey("T1", rep, d) }, func(d pulse.Date) string { return clock(d, "23:00") })
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team, facts := nordic()
			if tt.setup != nil {
				tt.setup(team, &facts)
			}
			got := seen(t, team, facts, utc("2026-03-08 12:00"), utc("2026-03-16 01:00"), 5*time.Minute, tt.kinds...)
			want := map[string]string{}
			tt.want(want)
			assertDue(t, got, want)
		})
	}
}

func TestDueAcrossDaylightSaving(t *testing.T) {
	tests := []struct {
		name      string
		zone      string
		checkIn   string
		from, to  string
		wantDays  []string // local days, each once
		wantUTC   []string // when each fell due
		wantLangs pulse.Lang
	}{
		{"02:30 Oslo on the spring-forward night fires at 03:00, once", "Europe/Oslo", "02:30", "2026-03-27 12:00", "2026-03-31 00:00",
			[]string{"2026-03-28", "2026-03-29", "2026-03-30"}, []string{"2026-03-28 01:30", "2026-03-29 01:00", "2026-03-30 00:30"}, ""},
		{"02:30 Oslo on the fall-back night fires at its first occurrence, once", "Europe/Oslo", "02:30", "2026-10-23 12:00", "2026-10-27 00:00",
			[]string{"2026-10-24", "2026-10-25", "2026-10-26"}, []string{"2026-10-24 00:30", "2026-10-25 00:30", "2026-10-26 01:30"}, ""},
		{"09:00 Oslo keeps its local time across the fall-back weekend", "Europe/Oslo", "09:00", "2026-10-23 12:00", "2026-10-27 00:00",
			[]string{"2026-10-24", "2026-10-25", "2026-10-26"}, []string{"2026-10-24 07:00", "2026-10-25 08:00", "2026-10-26 08:00"}, ""},
		{"02:30 New York on the spring-forward night fires at 03:00, once", "America/New_York", "02:30", "2026-03-06 12:00", "2026-03-10 00:00",
			[]string{"2026-03-07", "2026-03-08", "2026-03-09"}, []string{"2026-03-07 07:30", "2026-03-08 07:00", "2026-03-09 06:30"}, ""},
		{"01:30 New York on the fall-back night fires at its first occurrence, once", "America/New_York", "01:30", "2026-10-30 12:00", "2026-11-03 00:00",
			[]string{"2026-10-31", "2026-11-01", "2026-11-02"}, []string{"2026-10-31 05:30", "2026-11-01 05:30", "2026-11-02 06:30"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team := pulse.NewTeam("Night", tt.zone)
			team.ID = "T1"
			team.Reps = []string{"U1"}
			team.Managers = []string{"M1"}
			team.Workdays = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
			team.CheckInTime = pulse.MustTime(tt.checkIn)
			got := seen(t, team, cadence.Facts{}, utc(tt.from), utc(tt.to), time.Minute, pulse.JobCheckIn)
			want := map[string]string{}
			for i, d := range tt.wantDays {
				want[pulse.CheckInKey("T1", "U1", pulse.MustDate(d)).String()] = tt.wantUTC[i]
			}
			assertDue(t, got, want)
		})
	}
}

func TestDueWeeklyJobsInTheTeamsZone(t *testing.T) {
	team, facts := nordic()
	got := seen(t, team, facts, utc("2026-03-08 12:00"), utc("2026-03-23 00:00"), 5*time.Minute, pulse.JobMeetingPrompt, pulse.JobSummary)
	assertDue(t, got, map[string]string{
		"meeting/T1//2026-03-09": "2026-03-09 08:30", // 09:30 Oslo, before the 10:00 meeting
		"meeting/T1//2026-03-16": "2026-03-16 08:30",
		"summary/T1//2026-03-09": "2026-03-13 15:00", // Friday 16:00 Oslo
		"summary/T1//2026-03-16": "2026-03-20 15:00",
	})
	m := got["meeting/T1//2026-03-09"]
	if !m.Until.Equal(utc("2026-03-09 09:00")) || !m.MeetingAt.Equal(m.Until) || m.To != "C1" || m.Week != pulse.MustDate("2026-03-09") {
		t.Errorf("meeting prompt %+v, want it to C1 until the meeting starts at 09:00 UTC", m)
	}
	if s := got["summary/T1//2026-03-09"]; !s.Until.Equal(utc("2026-03-13 21:00")) {
		t.Errorf("summary meaningful until %s, want six hours late at 21:00 UTC", s.Until.UTC())
	}
}

func TestDueWeeklyJobsSkipAHolidayAndATeamWithoutChannel(t *testing.T) {
	team, facts := nordic()
	team.Holidays = []pulse.Date{pulse.MustDate("2026-03-09"), pulse.MustDate("2026-03-20")}
	got := seen(t, team, facts, utc("2026-03-08 12:00"), utc("2026-03-23 00:00"), 5*time.Minute, pulse.JobMeetingPrompt, pulse.JobSummary)
	assertDue(t, got, map[string]string{
		"meeting/T1//2026-03-16": "2026-03-16 08:30",
		"summary/T1//2026-03-09": "2026-03-13 15:00",
	})
	team.Channel = ""
	assertDue(t, seen(t, team, facts, utc("2026-03-08 12:00"), utc("2026-03-23 00:00"), 5*time.Minute, pulse.JobMeetingPrompt, pulse.JobSummary), map[string]string{})
}

func TestDueNudgesOnTheReinforcementSchedule(t *testing.T) {
	team, facts := nordic()
	// Thursday 5 March: day 2 is a Saturday, day 30 a Saturday in summer time.
	facts.Trainings = []pulse.Training{{ID: "tr1", TeamID: "T1", Skill: "objection handling", Date: pulse.MustDate("2026-03-05"), Attendees: []string{"U1", "U2", "X9"}}}
	facts.Away["U2"] = []pulse.AwayPeriod{{UserID: "U2", From: pulse.MustDate("2026-03-19"), To: pulse.MustDate("2026-03-20")}}
	got := seen(t, team, facts, utc("2026-03-05 00:00"), utc("2026-04-10 00:00"), 15*time.Minute, pulse.JobNudge)
	assertDue(t, got, map[string]string{
		"nudge/T1/U1/tr1+2":  "2026-03-09 08:00", // Saturday 7th → Monday 09:00 Oslo
		"nudge/T1/U1/tr1+7":  "2026-03-12 08:00",
		"nudge/T1/U1/tr1+14": "2026-03-19 08:00",
		"nudge/T1/U1/tr1+30": "2026-04-06 07:00", // Saturday 4 April → Monday, summer time
		"nudge/T1/U2/tr1+2":  "2026-03-09 13:00",
		"nudge/T1/U2/tr1+7":  "2026-03-12 13:00",
		"nudge/T1/U2/tr1+14": "2026-03-23 13:00", // away Thursday and Friday → Monday
		"nudge/T1/U2/tr1+30": "2026-04-06 13:00",
	})
	if o := got["nudge/T1/U1/tr1+2"]; o.To != "U1" || o.Lang != pulse.Norwegian || o.TrainingID != "tr1" || o.NudgeDay != 2 || o.Day != pulse.MustDate("2026-03-09") {
		t.Errorf("nudge %+v, want it to U1 in Norwegian for tr1 day 2 on 2026-03-09", o)
	}

	// A training with its own schedule overrides the team's.
	facts.Trainings[0].Schedule = []int{1}
	got = seen(t, team, facts, utc("2026-03-05 00:00"), utc("2026-04-10 00:00"), 15*time.Minute, pulse.JobNudge)
	assertDue(t, got, map[string]string{"nudge/T1/U1/tr1+1": "2026-03-06 08:00", "nudge/T1/U2/tr1+1": "2026-03-06 14:00"})
}

func TestDueOneOnOneReminders(t *testing.T) {
	team, facts := nordic()
	team.Reps = []string{"U1", "U2"}
	team.Managers = []string{"M1", "U1"} // U1 also manages: never reminded of their own 1:1
	team.CreatedAt = utc("2026-03-01 10:00")
	facts.LastOneOnOne["U1"] = pulse.MustDate("2026-03-02")
	got := seen(t, team, facts, utc("2026-03-02 00:00"), utc("2026-04-01 00:00"), 15*time.Minute, pulse.JobCoachingDue)
	assertDue(t, got, map[string]string{
		// Last 1:1 Monday 2 March, cadence 14: due 16 March, again 30 March.
		"coaching/T1/M1/U1+2026-03-16": "2026-03-16 08:00",
		"coaching/T1/M1/U1+2026-03-30": "2026-03-30 07:00",
		// No 1:1 since the team began on Sunday 1 March: due Sunday 15
		// March, sent on Monday, to both managers in their own zones.
		"coaching/T1/M1/U2+2026-03-15": "2026-03-16 08:00",
		"coaching/T1/M1/U2+2026-03-29": "2026-03-30 07:00",
		"coaching/T1/U1/U2+2026-03-15": "2026-03-16 08:00",
		"coaching/T1/U1/U2+2026-03-29": "2026-03-30 07:00",
	})
	if o := got["coaching/T1/M1/U1+2026-03-16"]; o.Rep != "U1" || o.LastOneOnOne != pulse.MustDate("2026-03-02") || o.Since != o.LastOneOnOne {
		t.Errorf("1:1 reminder %+v, want it about U1 with the last 1:1 on 2026-03-02", o)
	}
	if o := got["coaching/T1/M1/U2+2026-03-15"]; !o.LastOneOnOne.IsZero() || o.Since != pulse.MustDate("2026-03-01") {
		t.Errorf("1:1 reminder %+v, want no last 1:1 and counting from 2026-03-01", o)
	}
}

func TestDueBlockerFollowUps(t *testing.T) {
	team, facts := nordic()
	facts.OpenBlockers = []pulse.Blocker{
		{ID: "b1", TeamID: "T1", UserID: "U2", Date: pulse.MustDate("2026-03-09"), Status: pulse.BlockerOnIt, Text: "CRM down"},
		{ID: "b2", TeamID: "T1", UserID: "U1", Date: pulse.MustDate("2026-03-09"), Status: pulse.BlockerResolved, Text: "fixed"},
	}
	got := seen(t, team, facts, utc("2026-03-09 00:00"), utc("2026-03-18 00:00"), 15*time.Minute, pulse.JobBlockerFollowUp)
	// Raised Monday, limit 2: open Tuesday, Wednesday, and still on
	// Thursday, the third workday; again three workdays later, Tuesday.
	assertDue(t, got, map[string]string{
		"blocker/T1/U2/b1+3": "2026-03-12 13:00",
		"blocker/T1/M1/b1+3": "2026-03-12 08:00",
		"blocker/T1/U2/b1+6": "2026-03-17 13:00",
		"blocker/T1/M1/b1+6": "2026-03-17 08:00",
	})
	if o := got["blocker/T1/M1/b1+3"]; o.BlockerID != "b1" || o.WorkdaysOpen != 3 || o.Rep != "U2" || o.To != "M1" {
		t.Errorf("follow-up %+v, want b1 after 3 workdays to M1 about U2", o)
	}
}

func TestDueDailyThreadOpensWithTheFirstCheckIn(t *testing.T) {
	team, facts := nordic()
	team.DailyThread = true
	team.Holidays = []pulse.Date{pulse.MustDate("2026-03-11")}
	got := seen(t, team, facts, utc("2026-03-08 12:00"), utc("2026-03-14 00:00"), 5*time.Minute, pulse.JobDailyThread)
	want := map[string]string{}
	// Tokyo's 09:00 comes first each day.
	weekdays(want, "2026-03-09", "2026-03-13", func(d pulse.Date) pulse.JobKey { return pulse.DailyThreadKey("T1", d) }, func(d pulse.Date) string { return clock(d, "00:00") }, "2026-03-11")
	assertDue(t, got, want)
	o := got["thread/T1//2026-03-10"]
	if !slices.Equal(o.Reps, []string{"U1", "U2", "U3"}) || o.To != "C1" || !o.Until.Equal(utc("2026-03-11 04:00")) {
		t.Errorf("thread %+v, want U1–U3 in C1 until New York's day ends at 04:00 UTC", o)
	}
}

func TestDueCatchUpAfterDowntime(t *testing.T) {
	team, facts := nordic()
	team.Reps = []string{"U1"}
	tests := []struct {
		name string
		now  string
		want []string // keys due at now, missed days left out
	}{
		{"before 09:00 nothing is due yet", "2026-03-10 07:59", nil},
		{"the 09:00 check-in is still due at 10:30", "2026-03-10 09:30", []string{"checkin/T1/U1/2026-03-10"}},
		{"the reminder joins it after 11:00", "2026-03-10 10:00", []string{"checkin/T1/U1/2026-03-10", "reminder/T1/U1/2026-03-10"}},
		{"both stay due until the day ends", "2026-03-10 22:59", []string{"checkin/T1/U1/2026-03-10", "reminder/T1/U1/2026-03-10"}},
		{"yesterday's check-in is not due after midnight", "2026-03-10 23:00", nil},
		{"the meeting prompt is due until the meeting starts", "2026-03-09 08:59", []string{"checkin/T1/U1/2026-03-09", "meeting/T1//2026-03-09"}},
		{"the meeting prompt is not due once the meeting started", "2026-03-09 09:00", []string{"checkin/T1/U1/2026-03-09"}},
		{"the summary is due up to six hours late", "2026-03-13 20:59", []string{"checkin/T1/U1/2026-03-13", "reminder/T1/U1/2026-03-13", "summary/T1//2026-03-09"}},
		{"the summary is not due six hours late", "2026-03-13 21:00", []string{"checkin/T1/U1/2026-03-13", "reminder/T1/U1/2026-03-13"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The leaders' digest and week are TestDueDigestAndLeaderWeekInTheTeamsZone's.
			got := dueKeys(utc(tt.now), team, facts, func(k pulse.JobKind) bool {
				return k != pulse.JobMissed && k != pulse.JobDigest && k != pulse.JobLeaderWeek
			})
			if !slices.Equal(got, slices.Sorted(slices.Values(tt.want))) {
				t.Fatalf("due at %s UTC:\n got %v\nwant %v", tt.now, got, tt.want)
			}
		})
	}
	t.Run("missed workdays are recorded up to a week back", func(t *testing.T) {
		got := dueKeys(utc("2026-03-10 07:59"), team, facts, func(k pulse.JobKind) bool { return k == pulse.JobMissed })
		want := []string{"missed/T1/U1/2026-03-03", "missed/T1/U1/2026-03-04", "missed/T1/U1/2026-03-05", "missed/T1/U1/2026-03-06", "missed/T1/U1/2026-03-09"}
		if !slices.Equal(got, want) {
			t.Fatalf("missed due:\n got %v\nwant %v", got, want)
		}
	})
}

// dueKeys returns the sorted keys Due names at now, of the kinds keep accepts.
func dueKeys(now time.Time, team *pulse.Team, facts cadence.Facts, keep func(pulse.JobKind) bool) []string {
	var out []string
	for _, o := range cadence.Due(now, team, facts, cadence.Options{}) {
		if keep(o.Key.Kind) {
			out = append(out, o.Key.String())
		}
	}
	slices.Sort(out)
	return out
}
