package hubspot_test

import (
	"context"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/hubspot"
	"github.com/salespulse/pulse/crm/hubspot/hubspottest"
)

// BenchmarkTeamSync pulls one team's day, every measure, for 50 reps in
// New York and Oslo with 60 calls, 6 meetings held, 6 booked and 2 deals
// won each, from the stand-in holding HubSpot's limits (5 searches a
// second, 100 requests per 10 s), on the wall clock with the client's
// default pace (4 searches a second, HubSpot's floor). It reports the
// searches made and how long they took against the least time they can
// take at the floor, (searches-1)/4 s: a ratio near 1 means the sync is as
// fast as HubSpot lets it be. The latency variant holds each answer as long
// as a real search may take, to show the workers keep the pace.
//
//	go test -run '^$' -bench TeamSync ./crm/hubspot/
func BenchmarkTeamSync(b *testing.B) {
	for _, latency := range []time.Duration{0, 300 * time.Millisecond} {
		b.Run("latency="+latency.String(), func(b *testing.B) {
			srv := hubspottest.NewServer(hubspottest.WithLatency(latency))
			b.Cleanup(srv.Close)
			zones, want := seedTeam(b, srv, 50, 60)
			day := pulse.MustDate("2026-03-10")
			q := pulse.CRMQuery{Zones: zones, From: day, To: day, Measures: allMeasures}
			for o := range zones {
				q.Owners = append(q.Owners, o)
			}
			before := srv.Stats()
			var took time.Duration
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				client, err := hubspot.New(hubspot.Config{Token: pulse.NewSecret(srv.Token()), BaseURL: srv.URL()})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				figs, err := client.Figures(context.Background(), q)
				took += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				if got := figs[q.Owners[0]][day][calls]; got != want[calls] {
					b.Fatalf("calls = %v, want %v", got, want[calls])
				}
			}
			st := srv.Stats()
			searches := float64(st.Searches-before.Searches) / float64(b.N)
			floor := (searches - 1) / hubspot.DefaultSearchesPerSecond
			b.ReportMetric(searches, "searches/op")
			b.ReportMetric(float64(st.RateLimited-before.RateLimited)/float64(b.N), "429s/op")
			b.ReportMetric(floor, "floor-s/op")
			b.ReportMetric(took.Seconds()/float64(b.N)/floor, "x-floor")
		})
	}
}
