package hubspot_test

import (
	"context"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/hubspot"
	"github.com/salespulse/pulse/crm/hubspot/hubspottest"
)

// seedMarch seeds a rep in New York, a rep in Oslo and one with nothing,
// with records near local midnight and on each city's spring-forward day
// (New York 2026-03-08, Oslo 2026-03-29), and returns their owner IDs and
// zones.
func seedMarch(t *testing.T, s *hubspottest.Server) (ny, osl, idle string, zones map[string]*time.Location) {
	t.Helper()
	newYork, oslo := mustZone(t, "America/New_York"), mustZone(t, "Europe/Oslo")
	ny = s.AddOwner("Maria.Lopez@example.com", "Maria", "Lopez")
	osl = s.AddOwner("ola@example.com", "Ola", "Nordmann")
	idle = s.AddOwner("idle@example.com", "Ida", "Le")

	// New York.
	s.AddCall(ny, at(newYork, 2026, 3, 7, 23, 59))
	s.AddCall(ny, at(newYork, 2026, 3, 8, 0, 10)) // EST
	s.AddCall(ny, at(newYork, 2026, 3, 8, 3, 30)) // EDT, after the jump
	s.AddCall(ny, at(newYork, 2026, 3, 8, 23, 30))
	s.AddCall(ny, at(newYork, 2026, 3, 10, 23, 59)) // 03:59 UTC on the 11th
	s.AddCall(ny, at(newYork, 2026, 3, 11, 0, 0))
	s.AddCallOfType(ny, at(newYork, 2026, 3, 10, 11, 0), "Demo")
	s.AddCallOfType(ny, at(newYork, 2026, 3, 10, 12, 0), "Discovery")
	s.AddMeeting(ny, at(newYork, 2026, 3, 10, 10, 0), at(newYork, 2026, 3, 2, 9, 0))
	s.AddMeeting(ny, at(newYork, 2026, 3, 16, 10, 0), at(newYork, 2026, 3, 10, 23, 50))
	s.AddMeetingOfType(ny, at(newYork, 2026, 3, 10, 14, 0), at(newYork, 2026, 3, 1, 8, 0), "Demo")
	s.AddDeal(ny, "1200.50", at(newYork, 2026, 3, 10, 16, 0), true)
	s.AddDeal(ny, "", at(newYork, 2026, 3, 10, 17, 0), true)
	s.AddDeal(ny, "99", at(newYork, 2026, 3, 10, 23, 59), true)
	s.AddDeal(ny, "5000", at(newYork, 2026, 3, 10, 12, 0), false)

	// Oslo.
	s.AddCall(osl, at(oslo, 2026, 3, 11, 0, 30))  // 23:30 UTC on the 10th
	s.AddCall(osl, at(oslo, 2026, 3, 29, 0, 5))   // CET, 23:05 UTC on the 28th
	s.AddCall(osl, at(oslo, 2026, 3, 29, 23, 59)) // CEST, 21:59 UTC
	s.AddCall(osl, at(oslo, 2026, 3, 30, 0, 0))   // 22:00 UTC on the 29th
	s.AddMeeting(osl, at(oslo, 2026, 3, 29, 3, 30), at(oslo, 2026, 3, 20, 9, 0))
	s.AddDeal(osl, "250000", at(oslo, 2026, 3, 29, 23, 30), true)

	return ny, osl, idle, map[string]*time.Location{ny: newYork, osl: oslo, idle: newYork}
}

func TestFiguresCountEachMeasureOnTheRepsLocalDay(t *testing.T) {
	f := newFixture(t)
	ny, osl, idle, zones := seedMarch(t, f.srv)
	figs := f.figures(t, zones, pulse.MustDate("2026-03-01"), pulse.MustDate("2026-03-31"))

	tests := []struct {
		name  string
		owner string
		day   string
		m     pulse.MeasureSpec
		want  float64
	}{
		{"a New York call at 23:59 the evening before the jump counts on its own day", ny, "2026-03-07", calls, 1},
		{"New York's 23-hour spring-forward day has its three calls, before and after the jump", ny, "2026-03-08", calls, 3},
		{"a New York call at 23:59, already the next day in UTC, counts on the New York day", ny, "2026-03-10", calls, 3},
		{"a New York call at midnight counts on the new day", ny, "2026-03-11", calls, 1},
		{"a meeting counts as held on the day it starts", ny, "2026-03-10", meetingsHeld, 2},
		{"a meeting booked at 23:50 New York counts as booked that day", ny, "2026-03-10", meetingsBooked, 1},
		{"a meeting counts as booked on the day it was logged, not the day it is held", ny, "2026-03-02", meetingsBooked, 1},
		{"a meeting of a type is booked on its own day too", ny, "2026-03-01", meetingsBooked, 1},
		{"a meeting held later is not held on the day it was booked", ny, "2026-03-16", meetingsHeld, 1},
		{"won deals count, a lost one does not, an empty amount still counts", ny, "2026-03-10", dealsWon, 3},
		{"won amounts are summed from text with decimals, an empty amount adding nothing", ny, "2026-03-10", dealsAmount, 1299.50},
		{"activities of a type are the calls and meetings of that type", ny, "2026-03-10", demos, 2},
		{"a day with nothing reads zero", ny, "2026-03-12", calls, 0},
		{"an Oslo call at 00:30, still the day before in UTC, counts on the Oslo day", osl, "2026-03-11", calls, 1},
		{"Oslo's 23-hour spring-forward day has its calls from 00:05 CET to 23:59 CEST", osl, "2026-03-29", calls, 2},
		{"an Oslo call at midnight after the jump, 22:00 UTC, counts on the next day", osl, "2026-03-30", calls, 1},
		{"an Oslo meeting at 03:30 on the jump day is held that day", osl, "2026-03-29", meetingsHeld, 1},
		{"an Oslo deal won at 23:30 CEST counts on the Oslo day", osl, "2026-03-29", dealsAmount, 250000},
		{"an owner with no records reads zero", idle, "2026-03-10", calls, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := figs[tt.owner][pulse.MustDate(tt.day)][tt.m]; got != tt.want {
				t.Errorf("%s of owner %s on %s = %v, want %v", tt.m.Measure, tt.owner, tt.day, got, tt.want)
			}
		})
	}

	// Nothing is counted twice or on a day of its own making.
	totals := map[string]map[pulse.MeasureSpec]float64{}
	for owner, days := range figs {
		totals[owner] = map[pulse.MeasureSpec]float64{}
		for _, ms := range days {
			for m, v := range ms {
				totals[owner][m] += v
			}
		}
	}
	wantTotals := map[string]map[pulse.MeasureSpec]float64{
		ny:  {calls: 8, meetingsHeld: 3, meetingsBooked: 3, dealsWon: 3, dealsAmount: 1299.5, demos: 2},
		osl: {calls: 4, meetingsHeld: 1, meetingsBooked: 1, dealsWon: 1, dealsAmount: 250000},
	}
	for _, owner := range []string{ny, osl} {
		for _, m := range allMeasures {
			if got, want := totals[owner][m], wantTotals[owner][m]; got != want {
				t.Errorf("owner %s's %s over the month = %v, want %v", owner, m.Measure, got, want)
			}
		}
	}
	if _, ok := figs[idle]; ok {
		t.Errorf("the owner with no records has figures: %v", figs[idle])
	}
}

func TestFiguresForOneDay(t *testing.T) {
	f := newFixture(t)
	ny, osl, _, zones := seedMarch(t, f.srv)

	tests := []struct {
		name  string
		owner string
		day   string
		want  map[pulse.MeasureSpec]float64
	}{
		{"New York's spring-forward day alone", ny, "2026-03-08", map[pulse.MeasureSpec]float64{calls: 3}},
		{"Oslo's spring-forward day alone", osl, "2026-03-29",
			map[pulse.MeasureSpec]float64{calls: 2, meetingsHeld: 1, dealsWon: 1, dealsAmount: 250000}},
		{"an empty day gives no figures", ny, "2026-03-12", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			day := pulse.MustDate(tt.day)
			figs := f.figures(t, map[string]*time.Location{tt.owner: zones[tt.owner]}, day, day)
			for d := range figs[tt.owner] {
				if d != day {
					t.Errorf("figures for %s in a query for %s", d, day)
				}
			}
			got := figs[tt.owner][day]
			if len(got) != len(tt.want) {
				t.Errorf("figures %v, want %v", got, tt.want)
			}
			for m, want := range tt.want {
				if got[m] != want {
					t.Errorf("%s = %v, want %v", m.Measure, got[m], want)
				}
			}
		})
	}
}

func TestFiguresPageThroughEveryRecord(t *testing.T) {
	f := newFixture(t)
	newYork := mustZone(t, "America/New_York")
	rep := f.srv.AddOwner("rep@example.com", "Rep", "One")
	start := at(newYork, 2026, 3, 10, 8, 0)
	for i := range 450 {
		f.srv.AddCall(rep, start.Add(time.Duration(i)*time.Minute))
	}
	day := pulse.MustDate("2026-03-10")
	figs, err := f.client.Figures(context.Background(), pulse.CRMQuery{
		Owners: []string{rep}, Zones: map[string]*time.Location{rep: newYork}, From: day, To: day,
		Measures: []pulse.MeasureSpec{calls},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := figs[rep][day][calls]; got != 450 {
		t.Errorf("calls = %v, want 450", got)
	}
	if st := f.srv.Stats(); st.Searches != 3 {
		t.Errorf("%d search pages, want 3 of at most 200 records", st.Searches)
	}
}

func TestFiguresSplitASearchThatReachesTenThousandResults(t *testing.T) {
	newYork := mustZone(t, "America/New_York")
	day := pulse.MustDate("2026-03-10")
	tests := []struct {
		name   string
		owners int
		each   int
		spread bool // over the day, or all at one instant
	}{
		{"ten thousand calls of one rep in a day are split by time", 1, 10_000, true},
		{"ten thousand and fifty calls of one rep in a day are split by time", 1, 10_050, true},
		{"two reps' calls all at one instant are split by owner", 2, 5_000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			zones := map[string]*time.Location{}
			var owners []string
			start := at(newYork, 2026, 3, 10, 0, 0)
			for o := range tt.owners {
				id := f.srv.AddOwner("rep"+string(rune('a'+o))+"@example.com", "Rep", "X")
				owners, zones[id] = append(owners, id), newYork
				for i := range tt.each {
					when := start.Add(12 * time.Hour)
					if tt.spread {
						when = start.Add(time.Duration(i) * 24 * time.Hour / time.Duration(tt.each))
					}
					f.srv.AddCall(id, when)
				}
			}
			figs, err := f.client.Figures(context.Background(), pulse.CRMQuery{
				Owners: owners, Zones: zones, From: day, To: day, Measures: []pulse.MeasureSpec{calls},
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range owners {
				if got := figs[o][day][calls]; got != float64(tt.each) {
					t.Errorf("owner %s: calls = %v, want %d", o, got, tt.each)
				}
			}
			if st := f.srv.Stats(); st.Invalid != 0 {
				t.Errorf("the stand-in refused %d requests, such as a page past 10,000", st.Invalid)
			}
		})
	}
}

func TestFiguresRefuseAQueryTheyCannotAnswer(t *testing.T) {
	day := pulse.MustDate("2026-03-10")
	tests := []struct {
		name string
		q    pulse.CRMQuery
	}{
		{"a range that ends before it starts", pulse.CRMQuery{Owners: []string{"1"}, From: day, To: day.AddDays(-1), Measures: []pulse.MeasureSpec{calls}}},
		{"a range without days", pulse.CRMQuery{Owners: []string{"1"}, Measures: []pulse.MeasureSpec{calls}}},
		{"activities of no type", pulse.CRMQuery{Owners: []string{"1"}, From: day, To: day, Measures: []pulse.MeasureSpec{{Measure: pulse.MeasureActivities}}}},
		{"a measure no CRM has", pulse.CRMQuery{Owners: []string{"1"}, From: day, To: day, Measures: []pulse.MeasureSpec{{Measure: "emails"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.client.Figures(context.Background(), tt.q)
			if code := pulse.ErrorCode(err); code != pulse.EINVALID {
				t.Errorf("error %v (code %q), want %s", err, code, pulse.EINVALID)
			}
			if n := f.srv.Stats().Requests; n != 0 {
				t.Errorf("%d requests sent for a query refused", n)
			}
		})
	}
}

// TestFiguresOnSeveralWorkers runs a team's searches concurrently on the
// wall clock (the race detector watches), paced fast against a stand-in
// without limits.
func TestFiguresOnSeveralWorkers(t *testing.T) {
	srv := hubspottest.NewServer(hubspottest.WithSearchLimit(0, 0), hubspottest.WithRequestLimit(0, 0))
	t.Cleanup(srv.Close)
	client, err := hubspot.New(hubspot.Config{
		Token: pulse.NewSecret(srv.Token()), BaseURL: srv.URL(),
		SearchesPerSecond: 10_000, RequestsPerTenSecond: 100_000,
	})
	if err != nil {
		t.Fatal(err)
	}
	zones, want := seedTeam(t, srv, 50, 20)
	day := pulse.MustDate("2026-03-10")
	q := pulse.CRMQuery{Zones: zones, From: day, To: day, Measures: allMeasures}
	for o := range zones {
		q.Owners = append(q.Owners, o)
	}
	figs, err := client.Figures(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	for o := range zones {
		for m, w := range want {
			if got := figs[o][day][m]; got != w {
				t.Errorf("owner %s: %s = %v, want %v", o, m.Measure, got, w)
			}
		}
	}
}

// seedTeam adds n reps, half in New York and half in Oslo, each with the
// given number of calls on 2026-03-10 (a tenth of them demos), a tenth as
// many meetings held and booked that day, and two deals won. It returns
// their zones and the figures each should have.
func seedTeam(t testing.TB, s *hubspottest.Server, n, callsEach int) (map[string]*time.Location, map[pulse.MeasureSpec]float64) {
	t.Helper()
	zones := map[string]*time.Location{}
	cities := []*time.Location{mustZone(t, "America/New_York"), mustZone(t, "Europe/Oslo")}
	meetings := max(1, callsEach/10)
	for i := range n {
		loc := cities[i%2]
		id := s.AddOwner("rep"+time.Duration(i).String()+"@example.com", "Rep", time.Duration(i).String())
		zones[id] = loc
		start := at(loc, 2026, 3, 10, 8, 0)
		for c := range callsEach {
			typ := ""
			if c%10 == 0 {
				typ = "Demo"
			}
			s.AddCallOfType(id, start.Add(time.Duration(c)*time.Minute), typ)
		}
		for m := range meetings {
			s.AddMeeting(id, start.Add(time.Duration(m)*time.Hour), start.Add(-48*time.Hour))
			s.AddMeeting(id, start.Add(72*time.Hour), start.Add(time.Duration(m)*time.Minute))
		}
		s.AddDeal(id, "1000.25", start.Add(9*time.Hour), true)
		s.AddDeal(id, "", start.Add(10*time.Hour), true)
	}
	want := map[pulse.MeasureSpec]float64{
		calls: float64(callsEach), meetingsHeld: float64(meetings), meetingsBooked: float64(meetings),
		dealsWon: 2, dealsAmount: 1000.25, demos: float64((callsEach + 9) / 10),
	}
	return zones, want
}
