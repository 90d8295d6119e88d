package cadence_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/crm/hubspot"
	"github.com/salespulse/pulse/crm/hubspot/hubspottest"
	"github.com/salespulse/pulse/storage"
)

// BenchmarkCRMSyncTeam is one pull of a team of 50 reps (half in New York,
// half in Oslo, matched by email) with every measure, from the HubSpot
// stand-in, through the syncer: match, figures for each rep's yesterday
// and today, and the store. The client keeps HubSpot's pace on a hand-moved
// clock (one search at a time, so the clock moves as a real one would),
// so the benchmark waits for nothing; it reports the requests made
// and the seconds that pace takes (paced-s/op) beside the least the floor
// of 4 searches a second allows for them (floor-s/op).
//
//	go test -run '^$' -bench CRMSyncTeam ./cadence/
func BenchmarkCRMSyncTeam(b *testing.B) {
	db, err := storage.Open(filepath.Join(b.TempDir(), "pulse.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	start := utc("2026-03-10 17:00")
	clock := pulse.NewManualClock(start)
	db.Clock = clock
	hub := hubspottest.NewServer(hubspottest.WithClock(clock))
	b.Cleanup(hub.Close)
	client, err := hubspot.New(hubspot.Config{Token: pulse.NewSecret(hub.Token()), BaseURL: hub.URL(), Workers: 1, Clock: clock, Sleep: clock.Sleep})
	if err != nil {
		b.Fatal(err)
	}
	team := pulse.NewTeam("Fifty", "Europe/Oslo")
	team.Managers = []string{"UBOSS"}
	team.NumbersFrom = pulse.CRMHubSpot
	for i, m := range pulse.Measures {
		spec := pulse.MeasureSpec{Measure: m}
		if m == pulse.MeasureActivities {
			spec.ActivityType = "Demo"
		}
		team.Metrics = append(team.Metrics, pulse.Metric{Key: fmt.Sprintf("m%d", i), Name: string(m), Measure: spec})
	}
	zones := []string{"America/New_York", "Europe/Oslo"}
	for i := range 50 {
		rep := fmt.Sprintf("UREP%04d", i)
		email := fmt.Sprintf("rep%d@example.com", i)
		team.Reps = append(team.Reps, rep)
		if err := db.SavePerson(bg, &pulse.Person{ID: rep, TZ: zones[i%2], Email: email}); err != nil {
			b.Fatal(err)
		}
		owner := hub.AddOwner(email, "Rep", fmt.Sprint(i))
		for c := range 40 {
			hub.AddCallOfType(owner, start.Add(-time.Duration(c)*5*time.Minute), "Demo")
		}
		hub.AddMeeting(owner, start.Add(-2*time.Hour), start.Add(-50*time.Hour))
		hub.AddDeal(owner, "1250.50", start.Add(-time.Hour), true)
	}
	if err := db.CreateTeam(bg, team); err != nil {
		b.Fatal(err)
	}
	s, err := cadence.NewCRMSyncer(cadence.CRMSyncConfig{Clock: clock, Store: db, Notifier: newSlack(clock), CRMs: map[pulse.CRMKind]pulse.CRM{pulse.CRMHubSpot: client}})
	if err != nil {
		b.Fatal(err)
	}
	roster, err := db.Roster(bg, team.ID, team.Reps)
	if err != nil {
		b.Fatal(err)
	}
	repZones := map[string]*time.Location{}
	for _, rep := range team.Reps {
		repZones[rep] = roster.People[rep].Zone(team.Location())
	}
	before := hub.Stats()
	var paced time.Duration
	b.ResetTimer()
	for range b.N {
		// The clock runs on from one pull to the next, as a real one
		// would: the client's pace carries over, so pulls do not overlap.
		t0 := clock.Now()
		if err := s.Pull(bg, team, roster, repZones); err != nil {
			b.Fatal(err)
		}
		paced += clock.Now().Sub(t0)
	}
	b.StopTimer()
	st := hub.Stats()
	fig, err := db.CRMFigure(bg, team.ID, team.Reps[1], pulse.MustDate("2026-03-10"))
	if err != nil || fig.Values["m0"] != 40 {
		b.Fatalf("rep 1's calls = %+v, %v; want 40", fig, err)
	}
	searches := float64(st.Searches-before.Searches) / float64(b.N)
	b.ReportMetric(float64(st.Requests-before.Requests)/float64(b.N), "requests/op")
	b.ReportMetric(searches, "searches/op")
	b.ReportMetric(paced.Seconds()/float64(b.N), "paced-s/op")
	b.ReportMetric((searches-1)/hubspot.DefaultSearchesPerSecond, "floor-s/op")
}
