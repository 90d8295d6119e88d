package hubspot_test

import (
	"context"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/hubspot"
	"github.com/salespulse/pulse/crm/hubspot/hubspottest"
)

// fixture is a stand-in and a client of it sharing a test clock. The
// client runs one search at a time, so the clock moves as a real one
// would; TestFiguresOnSeveralWorkers covers the concurrent path.
type fixture struct {
	srv    *hubspottest.Server
	client *hubspot.Client
	clock  *pulse.ManualClock
}

func newFixture(t *testing.T, opts ...hubspottest.Option) *fixture {
	t.Helper()
	clk := pulse.NewManualClock(time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC))
	srv := hubspottest.NewServer(append([]hubspottest.Option{hubspottest.WithClock(clk)}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := hubspot.New(hubspot.Config{
		Token:   pulse.NewSecret(srv.Token()),
		BaseURL: srv.URL(),
		Workers: 1,
		Clock:   clk,
		Sleep:   clk.Sleep,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, client: c, clock: clk}
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at is the instant of a wall-clock time in loc.
func at(loc *time.Location, year int, month time.Month, day, hour, min int) time.Time {
	return time.Date(year, month, day, hour, min, 0, 0, loc)
}

// Measures asked in the tests.
var (
	calls          = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
	meetingsHeld   = pulse.MeasureSpec{Measure: pulse.MeasureMeetingsHeld}
	meetingsBooked = pulse.MeasureSpec{Measure: pulse.MeasureMeetingsBooked}
	dealsWon       = pulse.MeasureSpec{Measure: pulse.MeasureDealsWon}
	dealsAmount    = pulse.MeasureSpec{Measure: pulse.MeasureDealsWonAmount}
	demos          = pulse.MeasureSpec{Measure: pulse.MeasureActivities, ActivityType: "Demo"}
	allMeasures    = []pulse.MeasureSpec{calls, meetingsHeld, meetingsBooked, dealsWon, dealsAmount, demos}
)

// figures asks for every measure of owners (with their zones) from from to
// to, and fails the test on an error.
func (f *fixture) figures(t *testing.T, zones map[string]*time.Location, from, to pulse.Date) pulse.CRMFigures {
	t.Helper()
	var owners []string
	for o := range zones {
		owners = append(owners, o)
	}
	figs, err := f.client.Figures(context.Background(), pulse.CRMQuery{
		Owners: owners, Zones: zones, From: from, To: to, Measures: allMeasures,
	})
	if err != nil {
		t.Fatalf("Figures: %v", err)
	}
	return figs
}

// withClientToken replaces f's client with one that sends token.
func withClientToken(t *testing.T, f *fixture, token string) *fixture {
	t.Helper()
	c, err := hubspot.New(hubspot.Config{
		Token: pulse.NewSecret(token), BaseURL: f.srv.URL(), Workers: 1, Clock: f.clock, Sleep: f.clock.Sleep,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: f.srv, client: c, clock: f.clock}
}
