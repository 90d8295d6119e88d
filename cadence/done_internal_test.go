package cadence

import (
	"hash/maphash"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestDoneKeepsEachJobApartUntilItsTime(t *testing.T) {
	e := &Engine{done: map[doneKey]int64{}, doneSeeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
	noon := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	base := pulse.JobKey{Kind: pulse.JobCheckIn, TeamID: "t0000000001", UserID: "U02", Occurrence: "2026-11-23"}
	e.remember(base, noon)
	for _, k := range []pulse.JobKey{
		{Kind: pulse.JobReminder, TeamID: base.TeamID, UserID: base.UserID, Occurrence: base.Occurrence},
		{Kind: base.Kind, TeamID: "t0000000002", UserID: base.UserID, Occurrence: base.Occurrence},
		{Kind: base.Kind, TeamID: base.TeamID, UserID: "U03", Occurrence: base.Occurrence},
		{Kind: base.Kind, TeamID: base.TeamID, UserID: base.UserID, Occurrence: "2026-11-24"},
		// The same characters split between parts differently.
		{Kind: base.Kind, TeamID: base.TeamID + "U", UserID: "02", Occurrence: base.Occurrence},
	} {
		if e.known(k) {
			t.Errorf("%s is known after only %s was remembered", k, base)
		}
	}
	if !e.known(base) {
		t.Fatalf("%s is not known after it was remembered", base)
	}
	e.forget(noon.Add(-time.Nanosecond))
	if !e.known(base) {
		t.Error("a job was forgotten before its time")
	}
	e.forget(noon)
	if e.known(base) || len(e.done) != 0 {
		t.Error("a job was kept past its time")
	}
}
