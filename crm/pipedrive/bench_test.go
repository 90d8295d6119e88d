package pipedrive_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/pipedrive"
	"github.com/salespulse/pulse/crm/pipedrive/pipedrivetest"
)

// BenchmarkTeamSync is one team's sync: 50 reps, half in New York and half
// in Oslo, one day, every measure, against the stand-in enforcing Lite's
// burst limit (20 requests per rolling 2 s) on the wall clock. Each rep has
// a busy day: 30 calls, 4 meetings held, 3 booked, 5 emails, 2 deals won.
//
// It reports the requests a sync makes, the 429s it met, its rate against
// the floor of 10 requests a second (floor-ratio 1.0 is the limit itself),
// and the tokens it spends of the daily budget (30,000 × plan multiplier ×
// seats: 1.5 million a day for 50 Lite seats).
//
//	go test -run '^$' -bench TeamSync -benchtime 3x ./crm/pipedrive/
func BenchmarkTeamSync(b *testing.B) {
	s := pipedrivetest.NewServer() // Lite's burst limit, wall clock
	defer s.Close()
	day := pulse.MustDate("2026-03-10")
	var owners []string
	zones := map[string]*time.Location{}
	for i := range 50 {
		zone := newYork
		if i%2 == 1 {
			zone = oslo
		}
		o := s.AddUser(fmt.Sprint("Rep ", i), fmt.Sprintf("rep%d@example.com", i))
		owners, zones[id(o)] = append(owners, id(o)), zone
		start := day.In(zone).Add(8 * time.Hour)
		for k := range 30 {
			s.AddActivity(call(o, start.Add(time.Duration(k)*15*time.Minute)))
		}
		for k := range 4 {
			due := start.Add(time.Duration(k) * 2 * time.Hour)
			s.AddActivity(meeting(o, due, due.Add(time.Hour)))
		}
		for k := range 3 {
			s.AddActivity(pipedrivetest.Activity{Owner: o, Type: "meeting", Added: start.Add(time.Duration(k) * time.Hour), Due: start.AddDate(0, 0, 7)})
		}
		for k := range 5 {
			s.AddActivity(pipedrivetest.Activity{Owner: o, Type: "email", Added: start, Done: start.Add(time.Duration(k) * time.Hour)})
		}
		s.AddDeal(wonDeal(o, 1250.50, start.Add(3*time.Hour)))
		s.AddDeal(wonDeal(o, 99.95, start.Add(6*time.Hour)))
	}
	cl, err := pipedrive.New("acme", pulse.NewSecret(pipedrivetest.DefaultToken), pipedrive.WithBaseURL(s.URL()))
	if err != nil {
		b.Fatal(err)
	}
	q := pulse.CRMQuery{Owners: owners, Zones: zones, From: day, To: day, Measures: measures}
	before := len(s.Calls())
	spent := s.Spent()
	b.ResetTimer()
	for b.Loop() {
		got, err := cl.Figures(context.Background(), q)
		if err != nil {
			b.Fatal(err)
		}
		if got[owners[0]][day][calls] != 30 || got[owners[49]][day][won] != 2 {
			b.Fatalf("figures of the first rep %v, of the last %v", got[owners[0]][day], got[owners[49]][day])
		}
	}
	b.StopTimer()
	made := s.Calls()[before:]
	limited := 0
	for _, c := range made {
		if c.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	n := float64(b.N)
	perSecond := float64(len(made)) / b.Elapsed().Seconds()
	b.ReportMetric(float64(len(made))/n, "calls/op")
	b.ReportMetric(float64(limited)/n, "429s/op")
	b.ReportMetric(perSecond, "calls/s")
	b.ReportMetric(perSecond/(float64(pipedrive.LiteLimit.Requests)/pipedrive.LiteLimit.Window.Seconds()), "floor-ratio")
	b.ReportMetric(float64(s.Spent()-spent)/n, "tokens/op")
}
