package salesforce_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	sf "github.com/salespulse/pulse/crm/salesforce/salesforcetest"
)

// BenchmarkTeamSync is one team's sync: 50 reps, half in New York and half
// in Oslo, one day, every measure, against the stand-in over a real socket.
// Each rep has 40 calls, 8 demos, 5 meetings held (two near local midnight)
// and 2 booked, and a won deal that day, beside other days' records.
//
// Besides time and allocations it reports the requests a sync sends, the
// time the client's pacing adds to it (by the hand-moved clock: the
// benchmark does not sleep), and the share of an Enterprise org's base
// allocation of 100,000 requests a day that ten hourly syncs spend.
func BenchmarkTeamSync(b *testing.B) {
	o := newOrg(b, sf.Options{}, nil)
	ny, oslo := zone(b, "America/New_York"), zone(b, "Europe/Oslo")
	day := pulse.MustDate("2026-03-09")
	q := pulse.CRMQuery{From: day, To: day, Zones: map[string]*time.Location{}, Measures: measure}
	for i := range 50 {
		id := o.srv.AddUser(sf.User{Email: fmt.Sprintf("rep%d@example.com", i), Name: fmt.Sprintf("Rep %d", i)})
		loc := ny
		if i%2 == 1 {
			loc = oslo
		}
		q.Owners = append(q.Owners, id)
		q.Zones[id] = loc
		for d := -1; d <= 1; d++ { // the day, and the days around it
			on := day.AddDays(d)
			for range 40 {
				o.srv.AddTask(sf.Task{OwnerID: id, Subtype: "Call", Type: "Call", Day: on})
			}
			for range 8 {
				o.srv.AddTask(sf.Task{OwnerID: id, Type: "Demo", Day: on})
			}
			for h := range 5 {
				start := on.At(pulse.TimeOfDay(9*60+h*120), loc)
				if h == 4 {
					start = on.At(pulse.MustTime("23:45"), loc)
				}
				o.srv.AddEvent(sf.Event{OwnerID: id, Start: start, Created: on.At(pulse.MustTime("00:10"), loc)})
			}
			o.srv.AddEvent(sf.Event{OwnerID: id, Start: on.AddDays(7).At(pulse.MustTime("10:00"), loc), Created: on.At(pulse.MustTime("15:00"), loc)})
			o.srv.AddOpportunity(sf.Opportunity{OwnerID: id, Won: true, CloseDate: on, Amount: sf.Amount(1250.50)})
		}
	}
	ctx := context.Background()
	got, err := o.client.Figures(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	for _, id := range q.Owners {
		f := got[id][day]
		if f[calls] != 40 || f[demos] != 8 || f[held] != 5 || f[booked] != 6 || f[won] != 1 || f[amount] != 1250.50 {
			b.Fatalf("rep %s's figures are %v", id, f)
		}
	}
	before, slept := o.srv.Calls(), o.clock.SleptInAll()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := o.client.Figures(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	after := o.srv.Calls()
	perSync := float64(after.API()-before.API()) / float64(b.N)
	b.ReportMetric(perSync, "requests/sync")
	b.ReportMetric(float64(after.Token-before.Token)/float64(b.N), "tokens/sync")
	b.ReportMetric((o.clock.SleptInAll()-slept).Seconds()/float64(b.N), "paced-s/sync")
	b.ReportMetric(perSync*10/100_000*100, "%-of-100k/day")
}
