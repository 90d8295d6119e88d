package cadence_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
)

// weekly fills want with key(day) → day at hh:mm UTC for Monday to Friday
// of the week of 9 March 2026, but for the days in skip.
func weekly(want map[string]string, key func(pulse.Date) pulse.JobKey, hhmm string, shift int, skip ...string) {
	weekdays(want, "2026-03-09", "2026-03-13", key, func(d pulse.Date) string { return clock(d.AddDays(shift), hhmm) }, skip...)
}

func TestEngineWeekInThreeZones(t *testing.T) {
	f := newFixture(t, utc("2026-03-08 12:00"), nil, cadence.Options{})
	f.tickAt(f.clock.Now())
	f.walk(utc("2026-03-14 06:00"), 5*time.Minute, nil)
	id := f.team.ID

	want := map[string]string{
		pulse.MeetingKey(id, pulse.MustDate("2026-03-09")).String(): "2026-03-09 08:30",
		pulse.SummaryKey(id, pulse.MustDate("2026-03-09")).String(): "2026-03-13 15:00",
		// The manager's week as a leader goes with the summary.
		pulse.LeaderWeekKey(id, boss, pulse.MustDate("2026-03-09")).String(): "2026-03-13 15:00",
	}
	// The manager's digest at 11:00 Oslo each weekday.
	weekly(want, func(d pulse.Date) pulse.JobKey { return pulse.DigestKey(id, boss, d) }, "10:00", 0)
	for _, r := range []struct {
		rep               string
		checkIn, reminder string
	}{{oslo, "08:00", "10:00"}, {newYork, "13:00", "15:00"}, {tokyo, "00:00", "02:00"}} {
		weekly(want, func(d pulse.Date) pulse.JobKey { return pulse.CheckInKey(id, r.rep, d) }, r.checkIn, 0)
		weekly(want, func(d pulse.Date) pulse.JobKey { return pulse.ReminderKey(id, r.rep, d) }, r.reminder, 0)
	}
	assertSent(t, f.sentAt(), want)

	for _, n := range f.slack.notices(pulse.JobCheckIn) {
		wantLang := pulse.English
		if n.To == oslo {
			wantLang = pulse.Norwegian
		}
		if n.Lang != wantLang || n.Team == nil || n.Team.ID != id || n.To != n.Key.UserID {
			t.Errorf("check-in notice %s to %s in %s for team %v, want it to %s in %s", n.Key, n.To, n.Lang, n.Team, n.Key.UserID, wantLang)
		}
	}
	for _, n := range f.slack.notices(pulse.JobMeetingPrompt, pulse.JobSummary) {
		if n.To != channel || n.Lang != pulse.English {
			t.Errorf("%s went to %s in %s, want %s in English", n.Key, n.To, n.Lang, channel)
		}
	}

	// Nobody answered: every rep-workday is recorded missed at the end of
	// the rep's own day.
	cis, err := f.db.TeamCheckIns(bg, id, pulse.MustDate("2026-03-01"), pulse.MustDate("2026-03-20"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cis) != 15 {
		t.Errorf("stored %d check-ins, want 15 missed days", len(cis))
	}
	for _, c := range cis {
		if c.Status != pulse.CheckInMissed || c.Date.Weekday() == time.Saturday || c.Date.Weekday() == time.Sunday {
			t.Errorf("stored %s %s %s, want only missed weekdays", c.UserID, c.Date, c.Status)
		}
		if j := f.job(pulse.MissedKey(id, c.UserID, c.Date)); j.State != pulse.JobSent {
			t.Errorf("missed %s %s is %s in the ledger, want sent", c.UserID, c.Date, j.State)
		}
	}

	s := f.slack.notices(pulse.JobSummary)
	if len(s) != 1 {
		t.Fatalf("%d summaries, want 1", len(s))
	}
	sum := s[0].Payload.(pulse.SummaryNotice).Summary
	if sum.Due != 15 || sum.Answered != 0 || sum.Week != pulse.MustDate("2026-03-09") || sum.Through != pulse.MustDate("2026-03-13") {
		t.Errorf("summary %d of %d answered in week %s through %s, want 0 of 15 in 2026-03-09 through 2026-03-13", sum.Answered, sum.Due, sum.Week, sum.Through)
	}
}

func TestEngineRemindersLateAnswersAndMissedDays(t *testing.T) {
	f := newFixture(t, utc("2026-03-09 00:00"), func(team *pulse.Team) {
		team.Reps = []string{oslo}
		team.Holidays = []pulse.Date{pulse.MustDate("2026-03-12")}
	}, cadence.Options{})
	if err := f.db.AddAway(bg, &pulse.AwayPeriod{UserID: oslo, From: pulse.MustDate("2026-03-13"), To: pulse.MustDate("2026-03-13")}); err != nil {
		t.Fatal(err)
	}
	f.tickAt(f.clock.Now())
	f.walk(utc("2026-03-14 00:00"), 30*time.Minute, func(now time.Time) {
		switch now {
		case utc("2026-03-09 08:30"): // 09:30 Oslo, before the reminder
			f.checkIn(oslo, pulse.MustDate("2026-03-09"), 4, "Call Acme")
		case utc("2026-03-10 10:30"): // 11:30 Oslo, after it
			f.checkIn(oslo, pulse.MustDate("2026-03-10"), 3, "Visit Beta")
		}
	})
	id := f.team.ID
	assertSent(t, f.sentAt(pulse.JobCheckIn, pulse.JobReminder), map[string]string{
		pulse.CheckInKey(id, oslo, pulse.MustDate("2026-03-09")).String():  "2026-03-09 08:00",
		pulse.CheckInKey(id, oslo, pulse.MustDate("2026-03-10")).String():  "2026-03-10 08:00",
		pulse.ReminderKey(id, oslo, pulse.MustDate("2026-03-10")).String(): "2026-03-10 10:00",
		pulse.CheckInKey(id, oslo, pulse.MustDate("2026-03-11")).String():  "2026-03-11 08:00",
		pulse.ReminderKey(id, oslo, pulse.MustDate("2026-03-11")).String(): "2026-03-11 10:00",
	})
	want := map[pulse.Date]pulse.CheckInStatus{
		pulse.MustDate("2026-03-09"): pulse.CheckInOnTime,
		pulse.MustDate("2026-03-10"): pulse.CheckInLate,
		pulse.MustDate("2026-03-11"): pulse.CheckInMissed,
	}
	cis, err := f.db.RepCheckIns(bg, oslo, pulse.MustDate("2026-03-01"), pulse.MustDate("2026-03-20"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cis) != len(want) {
		t.Errorf("stored %d check-ins, want %d", len(cis), len(want))
	}
	for _, c := range cis {
		if c.Status != want[c.Date] {
			t.Errorf("check-in of %s is %q, want %q", c.Date, c.Status, want[c.Date])
		}
	}
	// The answered day's reminder and missed day never entered the
	// ledger: the facts ruled them out before a claim.
	for _, k := range []pulse.JobKey{pulse.ReminderKey(id, oslo, pulse.MustDate("2026-03-09")), pulse.MissedKey(id, oslo, pulse.MustDate("2026-03-10"))} {
		if _, err := f.db.Job(bg, k); !pulse.IsNotFound(err) {
			t.Errorf("job %s in the ledger (err %v), want none", k, err)
		}
	}
}

func TestEngineAcrossDaylightSaving(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		rep   string
		time  string
		start string // the local midnight starting the night, in UTC
		day   string // the local day of the change
		want  map[string]string
	}{
		{"Oslo falls back: 02:30 happens twice and fires once, at the first", "Europe/Oslo", oslo, "02:30", "2026-10-24 22:00", "2026-10-25",
			map[string]string{"checkin 0": "2026-10-25 00:30", "reminder 0": "2026-10-25 02:30", "checkin 1": "2026-10-26 01:30", "reminder 1": "2026-10-26 03:30"}},
		{"Oslo springs forward: 02:30 never happens and fires at 03:00, once", "Europe/Oslo", oslo, "02:30", "2026-03-28 23:00", "2026-03-29",
			map[string]string{"checkin 0": "2026-03-29 01:00", "reminder 0": "2026-03-29 03:00", "checkin 1": "2026-03-30 00:30", "reminder 1": "2026-03-30 02:30"}},
		{"New York falls back: 01:30 happens twice and fires once, at the first", "America/New_York", newYork, "01:30", "2026-11-01 04:00", "2026-11-01",
			map[string]string{"checkin 0": "2026-11-01 05:30", "reminder 0": "2026-11-01 07:30", "checkin 1": "2026-11-02 06:30", "reminder 1": "2026-11-02 08:30"}},
		{"New York springs forward: 02:30 never happens and fires at 03:00, once", "America/New_York", newYork, "02:30", "2026-03-08 05:00", "2026-03-08",
			map[string]string{"checkin 0": "2026-03-08 07:00", "reminder 0": "2026-03-08 09:00", "checkin 1": "2026-03-09 06:30", "reminder 1": "2026-03-09 08:30"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := utc(tt.start)
			f := newFixture(t, start, func(team *pulse.Team) {
				team.TZ = tt.zone
				team.Reps = []string{tt.rep}
				team.Channel = ""
				team.Workdays = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
				team.CheckInTime = pulse.MustTime(tt.time)
			}, cadence.Options{})
			f.tickAt(start)
			// Minute by minute through the night, then by the half hour.
			f.walk(start.Add(8*time.Hour), time.Minute, nil)
			f.walk(start.Add(30*time.Hour), 30*time.Minute, nil)

			want := map[string]string{}
			day := pulse.MustDate(tt.day)
			for i, d := range []pulse.Date{day, day.AddDays(1)} {
				want[pulse.CheckInKey(f.team.ID, tt.rep, d).String()] = tt.want[fmt.Sprintf("checkin %d", i)]
				want[pulse.ReminderKey(f.team.ID, tt.rep, d).String()] = tt.want[fmt.Sprintf("reminder %d", i)]
			}
			assertSent(t, f.sentAt(pulse.JobCheckIn, pulse.JobReminder), want)
		})
	}
}

func TestEngineCatchesUpAfterDowntime(t *testing.T) {
	t.Run("down from 08:00 to 10:30: the 09:00 check-in goes out at 10:30, its reminder two hours later", func(t *testing.T) {
		f := newFixture(t, utc("2026-03-10 07:00"), func(team *pulse.Team) { team.Reps = []string{oslo} }, cadence.Options{})
		f.tickAt(utc("2026-03-10 07:00"))
		f.tickAt(utc("2026-03-10 09:30"))
		f.walk(utc("2026-03-10 13:00"), 15*time.Minute, nil)
		id := f.team.ID
		assertSent(t, f.sentAt(pulse.JobCheckIn, pulse.JobReminder), map[string]string{
			pulse.CheckInKey(id, oslo, pulse.MustDate("2026-03-10")).String():  "2026-03-10 09:30",
			pulse.ReminderKey(id, oslo, pulse.MustDate("2026-03-10")).String(): "2026-03-10 11:30",
		})
	})
	t.Run("down over midnight: yesterday's jobs are not sent, and a day never asked is not missed", func(t *testing.T) {
		f := newFixture(t, utc("2026-03-09 07:00"), nil, cadence.Options{})
		f.tickAt(utc("2026-03-09 07:00")) // Tokyo's Monday check-in (00:00 UTC) goes out
		f.tickAt(utc("2026-03-10 07:00"))
		id := f.team.ID
		assertSent(t, f.sentAt(), map[string]string{
			pulse.CheckInKey(id, tokyo, pulse.MustDate("2026-03-09")).String(): "2026-03-09 07:00",
			pulse.CheckInKey(id, tokyo, pulse.MustDate("2026-03-10")).String(): "2026-03-10 07:00",
		})
		cis, err := f.db.TeamCheckIns(bg, id, pulse.MustDate("2026-03-01"), pulse.MustDate("2026-03-20"))
		if err != nil {
			t.Fatal(err)
		}
		// Tokyo was asked on Monday and did not answer; the others were
		// never asked.
		if len(cis) != 1 || cis[0].UserID != tokyo || cis[0].Status != pulse.CheckInMissed {
			t.Errorf("stored check-ins %+v, want only Tokyo's Monday missed", cis)
		}
	})
}

func TestEngineRunTicksAtOnceAndStopsWithItsContext(t *testing.T) {
	f := newFixture(t, utc("2026-03-10 08:00"), func(team *pulse.Team) { team.Reps = []string{oslo}; team.Channel = "" }, cadence.Options{})
	ctx, cancel := context.WithCancel(bg)
	done := make(chan error, 1)
	go func() { done <- f.engine.Run(ctx) }()
	// The first tick runs at once, not at the next minute.
	waitFor(t, "the check-in sent by the first tick", func() bool { return len(f.slack.notices(pulse.JobCheckIn)) == 1 })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop when its context ended")
	}
	f.sentAt()
}
