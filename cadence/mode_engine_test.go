package cadence_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
	_ "github.com/salespulse/pulse/holiday"
)

// TestEngineEveningPromptsOnEachRepsWorkdaysOnceAcrossARestart runs a team
// checking in morning and evening, keeping Norway's holidays, with a rep in
// New York who keeps the US's, through Ascension (Thursday 14 May 2026):
// the check-in and the end-of-day prompt go out once each per rep and
// workday at their own wall clock, none on a rep's holiday, and a second
// engine started mid-day sends nothing twice.
func TestEngineEveningPromptsOnEachRepsWorkdaysOnceAcrossARestart(t *testing.T) {
	f := newFixture(t, utc("2026-05-12 23:00"), func(team *pulse.Team) {
		team.CheckInMode, team.EndOfDayTime, team.HolidayPlace = pulse.CheckInBoth, pulse.MustTime("17:00"), "NO"
	}, cadence.Options{})
	ny, err := f.db.Person(bg, newYork)
	if err != nil {
		t.Fatal(err)
	}
	ny.HolidayPlace = "US"
	if err := f.db.SavePerson(bg, ny); err != nil {
		t.Fatal(err)
	}
	f.walk(utc("2026-05-14 13:00"), 10*time.Minute, nil)
	// The process dies and a new one takes over at the same minute.
	f.engine = f.newEngine("run-2", cadence.Options{})
	f.tickAt(utc("2026-05-14 13:00"))
	f.walk(utc("2026-05-15 22:00"), 10*time.Minute, nil)

	id := f.team.ID
	tue, wed, thu, fri := pulse.MustDate("2026-05-12"), pulse.MustDate("2026-05-13"), pulse.MustDate("2026-05-14"), pulse.MustDate("2026-05-15")
	assertSent(t, f.sentAt(pulse.JobCheckIn, pulse.JobEvening), map[string]string{
		// Tuesday evening in New York when the engine starts: both are
		// still meaningful that day, and sent at once.
		pulse.CheckInKey(id, newYork, tue).String(): "2026-05-12 23:10",
		pulse.EveningKey(id, newYork, tue).String(): "2026-05-12 23:10",
		pulse.CheckInKey(id, tokyo, wed).String():   "2026-05-13 00:00",
		pulse.EveningKey(id, tokyo, wed).String():   "2026-05-13 08:00",
		pulse.CheckInKey(id, oslo, wed).String():    "2026-05-13 07:00",
		pulse.EveningKey(id, oslo, wed).String():    "2026-05-13 15:00",
		pulse.CheckInKey(id, newYork, wed).String(): "2026-05-13 13:00",
		pulse.EveningKey(id, newYork, wed).String(): "2026-05-13 21:00",
		// Ascension: Oslo and Tokyo keep Norway's holidays; New York works.
		pulse.CheckInKey(id, newYork, thu).String(): "2026-05-14 13:00",
		pulse.EveningKey(id, newYork, thu).String(): "2026-05-14 21:00",
		pulse.CheckInKey(id, tokyo, fri).String():   "2026-05-15 00:00",
		pulse.EveningKey(id, tokyo, fri).String():   "2026-05-15 08:00",
		pulse.CheckInKey(id, oslo, fri).String():    "2026-05-15 07:00",
		pulse.EveningKey(id, oslo, fri).String():    "2026-05-15 15:00",
		pulse.CheckInKey(id, newYork, fri).String(): "2026-05-15 13:00",
		pulse.EveningKey(id, newYork, fri).String(): "2026-05-15 21:00",
	})
	for _, n := range f.slack.notices(pulse.JobEvening) {
		if _, ok := n.Payload.(pulse.EveningNotice); !ok {
			t.Errorf("%s carries a %T", n.Key, n.Payload)
		}
	}
}
