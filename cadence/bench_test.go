package cadence_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/storage"
)

var benchZones = []string{"Europe/Oslo", "America/New_York", "Asia/Tokyo"}

// bigTeam is a team of n reps spread over three zones, with a training
// for all of them and a blocker per ten reps.
func bigTeam(n int) (*pulse.Team, []*pulse.Person) {
	team := pulse.NewTeam("Big", "Europe/Oslo")
	team.Managers = []string{"UBOSS"}
	team.Channel = "CBIG"
	team.CreatedAt = utc("2026-01-05 08:00")
	people := []*pulse.Person{{ID: "UBOSS", TZ: "Europe/Oslo"}}
	for i := range n {
		id := fmt.Sprintf("U%05d", i)
		team.Reps = append(team.Reps, id)
		people = append(people, &pulse.Person{ID: id, TZ: benchZones[i%len(benchZones)]})
	}
	return team, people
}

func BenchmarkDue(b *testing.B) {
	team, people := bigTeam(200)
	team.ID = "T1"
	facts := cadence.Facts{People: map[string]*pulse.Person{}, LastOneOnOne: map[string]pulse.Date{}}
	for _, p := range people {
		facts.People[p.ID] = p
	}
	facts.Trainings = []pulse.Training{{ID: "tr1", Date: pulse.MustDate("2026-03-02"), Attendees: team.Reps}}
	for i := 0; i < len(team.Reps); i += 10 {
		facts.OpenBlockers = append(facts.OpenBlockers, pulse.Blocker{ID: fmt.Sprintf("b%d", i), UserID: team.Reps[i], Date: pulse.MustDate("2026-03-02"), Status: pulse.BlockerOpen})
	}
	now := utc("2026-03-10 14:00")
	b.ReportAllocs()
	for b.Loop() {
		cadence.Due(now, team, facts, cadence.Options{})
	}
}

// BenchmarkTickSteadyState measures a tick of a 200-rep team once the
// day's jobs are sent: what the engine costs every minute.
func BenchmarkTickSteadyState(b *testing.B) {
	db, err := storage.Open(filepath.Join(b.TempDir(), "pulse.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	team, people := bigTeam(200)
	for _, p := range people {
		if err := db.SavePerson(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.CreateTeam(ctx, team); err != nil {
		b.Fatal(err)
	}
	clock := pulse.NewManualClock(utc("2026-03-10 14:00"))
	e, err := cadence.New(cadence.Config{Clock: clock, Store: db, Notifier: newSlack(clock), Directory: storeDirectory{db}})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	if err := e.Tick(ctx); err != nil {
		b.Fatal(err)
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := e.Drain(dctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Tick(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
