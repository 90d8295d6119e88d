package cadence_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
)

func BenchmarkDuePlain1000(b *testing.B) {
	team, people := bigTeam(1000)
	team.ID = "T1"
	team.Workdays = []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	facts := cadence.Facts{People: map[string]*pulse.Person{}, LastOneOnOne: map[string]pulse.Date{}}
	for _, p := range people {
		facts.People[p.ID] = p
	}
	now := utc("2026-03-10 14:00")
	b.ReportAllocs()
	for b.Loop() {
		cadence.Due(now, team, facts, cadence.Options{})
	}
}
