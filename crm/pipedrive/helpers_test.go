package pipedrive_test

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/pipedrive"
	"github.com/salespulse/pulse/crm/pipedrive/pipedrivetest"
)

var (
	newYork = mustZone("America/New_York")
	oslo    = mustZone("Europe/Oslo")
)

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return z
}

// at returns the instant a wall clock in zone shows "2026-03-08 23:30".
func at(zone *time.Location, wall string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", wall, zone)
	if err != nil {
		panic(err)
	}
	return t
}

// newClock returns the test's clock, moved by hand and by the client's sleeps.
func newClock() *pulse.ManualClock { return pulse.NewManualClock(at(time.UTC, "2026-03-12 08:00")) }

// standIn starts a Pipedrive stand-in on c's time, with Lite's burst limit.
func standIn(t *testing.T, c *pulse.ManualClock, opts ...pipedrivetest.Option) *pipedrivetest.Server {
	t.Helper()
	s := pipedrivetest.NewServer(append([]pipedrivetest.Option{pipedrivetest.WithClock(c.Now)}, opts...)...)
	t.Cleanup(s.Close)
	return s
}

// client returns a client of s on c's time.
func client(t *testing.T, s *pipedrivetest.Server, c *pulse.ManualClock, opts ...pipedrive.Option) *pipedrive.Client {
	t.Helper()
	all := append([]pipedrive.Option{pipedrive.WithBaseURL(s.URL()), pipedrive.WithClock(c.Now, c.Sleep)}, opts...)
	cl, err := pipedrive.New("acme", pulse.NewSecret(pipedrivetest.DefaultToken), all...)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

func id(n int) string { return strconv.Itoa(n) }

// Measures as a team maps them.
var (
	calls    = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
	held     = pulse.MeasureSpec{Measure: pulse.MeasureMeetingsHeld}
	booked   = pulse.MeasureSpec{Measure: pulse.MeasureMeetingsBooked}
	won      = pulse.MeasureSpec{Measure: pulse.MeasureDealsWon}
	amount   = pulse.MeasureSpec{Measure: pulse.MeasureDealsWonAmount}
	emails   = pulse.MeasureSpec{Measure: pulse.MeasureActivities, ActivityType: "email"}
	measures = []pulse.MeasureSpec{calls, held, booked, won, amount, emails}
)

// call is a call marked done at done, logged an hour before.
func call(owner int, done time.Time) pipedrivetest.Activity {
	return pipedrivetest.Activity{Owner: owner, Type: "call", Added: done.Add(-time.Hour), Done: done}
}

// meeting is a meeting due at due, booked a week before and marked done
// at done (not done when done is zero).
func meeting(owner int, due, done time.Time) pipedrivetest.Activity {
	return pipedrivetest.Activity{Owner: owner, Type: "meeting", Added: due.AddDate(0, 0, -7), Due: due, Done: done}
}

// wonDeal is a deal of value won at t, opened a month before.
func wonDeal(owner int, value float64, t time.Time) pipedrivetest.Deal {
	return pipedrivetest.Deal{Owner: owner, Value: value, Added: t.AddDate(0, -1, 0), Won: t}
}

// sameFigures reports whether two CRMFigures hold the same owners, days,
// measures and values, amounts equal to a millionth.
func sameFigures(a, b pulse.CRMFigures) bool {
	if len(a) != len(b) {
		return false
	}
	for o, days := range a {
		if len(days) != len(b[o]) {
			return false
		}
		for d, ms := range days {
			if len(ms) != len(b[o][d]) {
				return false
			}
			for m, v := range ms {
				w, ok := b[o][d][m]
				if !ok || math.Abs(v-w) > 1e-6 {
					return false
				}
			}
		}
	}
	return true
}
