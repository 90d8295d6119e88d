package pipedrive_test

import (
	"context"
	"math"
	"net/url"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/pipedrive/pipedrivetest"
)

func TestEachMeasureCountsOnTheRepsLocalDay(t *testing.T) {
	const me = 1
	tests := []struct {
		name       string
		zone       *time.Location
		day        string
		activities []pipedrivetest.Activity
		deals      []pipedrivetest.Deal
		measure    pulse.MeasureSpec
		want       float64
	}{
		// Calls: by the time they were marked done.
		{name: "a call done at 23:30 in New York counts on that day, though it is the next day in UTC",
			zone: newYork, day: "2026-03-10", measure: calls, want: 1,
			activities: []pipedrivetest.Activity{call(me, at(newYork, "2026-03-10 23:30"))}},
		{name: "a call done at 23:30 in New York the day before is not counted, though it is the day in UTC",
			zone: newYork, day: "2026-03-10", measure: calls, want: 0,
			activities: []pipedrivetest.Activity{call(me, at(newYork, "2026-03-09 23:30"))}},
		{name: "a call done at 00:30 in Oslo counts on that day, though it is the day before in UTC",
			zone: oslo, day: "2026-03-10", measure: calls, want: 1,
			activities: []pipedrivetest.Activity{call(me, at(oslo, "2026-03-10 00:30"))}},
		{name: "on New York's spring-forward day a call at 00:00 EST counts",
			zone: newYork, day: "2026-03-08", measure: calls, want: 1,
			activities: []pipedrivetest.Activity{call(me, at(newYork, "2026-03-08 00:00"))}},
		{name: "on New York's spring-forward day a call at 23:59 EDT counts",
			zone: newYork, day: "2026-03-08", measure: calls, want: 1,
			activities: []pipedrivetest.Activity{call(me, at(newYork, "2026-03-08 23:59"))}},
		{name: "a call at 00:00 EDT the day after New York's 23-hour day is not counted on it",
			zone: newYork, day: "2026-03-08", measure: calls, want: 0,
			activities: []pipedrivetest.Activity{call(me, at(newYork, "2026-03-09 00:00"))}},
		{name: "on Oslo's spring-forward day a call at 23:30 CEST counts",
			zone: oslo, day: "2026-03-29", measure: calls, want: 1,
			activities: []pipedrivetest.Activity{call(me, at(oslo, "2026-03-29 23:30"))}},
		{name: "a call at 00:30 CEST the day after Oslo's 23-hour day is not counted on it",
			zone: oslo, day: "2026-03-29", measure: calls, want: 0,
			activities: []pipedrivetest.Activity{call(me, at(oslo, "2026-03-30 00:30"))}},
		{name: "a call logged but not marked done is not counted",
			zone: oslo, day: "2026-03-10", measure: calls, want: 0,
			activities: []pipedrivetest.Activity{{Owner: me, Type: "call", Added: at(oslo, "2026-03-10 10:00")}}},
		{name: "a lunch marked done is not a call",
			zone: oslo, day: "2026-03-10", measure: calls, want: 0,
			activities: []pipedrivetest.Activity{{Owner: me, Type: "lunch", Added: at(oslo, "2026-03-10 10:00"), Done: at(oslo, "2026-03-10 13:00")}}},
		{name: "a deleted call is not counted",
			zone: oslo, day: "2026-03-10", measure: calls, want: 0,
			activities: []pipedrivetest.Activity{{Owner: me, Type: "call", Added: at(oslo, "2026-03-10 10:00"), Done: at(oslo, "2026-03-10 10:30"), Deleted: true}}},
		{name: "a call done on the day and edited a week later still counts",
			zone: oslo, day: "2026-03-10", measure: calls, want: 1,
			activities: []pipedrivetest.Activity{{Owner: me, Type: "call", Added: at(oslo, "2026-03-10 10:00"), Done: at(oslo, "2026-03-10 10:30"), Updated: at(oslo, "2026-03-17 09:00")}}},
		{name: "someone else's call is not counted",
			zone: oslo, day: "2026-03-10", measure: calls, want: 0,
			activities: []pipedrivetest.Activity{call(2, at(oslo, "2026-03-10 10:30"))}},

		// Meetings held: done, by their start.
		{name: "a meeting due at 23:00 in New York and marked done is held that day, though due the next day in UTC",
			zone: newYork, day: "2026-03-10", measure: held, want: 1,
			activities: []pipedrivetest.Activity{meeting(me, at(newYork, "2026-03-10 23:00"), at(newYork, "2026-03-10 23:50"))}},
		{name: "a meeting booked and due on the day but not marked done is not held",
			zone: newYork, day: "2026-03-10", measure: held, want: 0,
			activities: []pipedrivetest.Activity{{Owner: me, Type: "meeting", Added: at(newYork, "2026-03-10 08:00"), Due: at(newYork, "2026-03-10 10:00")}}},
		{name: "a meeting due the day before and marked done on the day was held the day before",
			zone: oslo, day: "2026-03-10", measure: held, want: 0,
			activities: []pipedrivetest.Activity{meeting(me, at(oslo, "2026-03-09 16:00"), at(oslo, "2026-03-10 09:00"))}},
		{name: "a meeting without a time of day is held on its due date",
			zone: newYork, day: "2026-03-10", measure: held, want: 1,
			activities: []pipedrivetest.Activity{{Owner: me, Type: "meeting", Added: at(newYork, "2026-03-02 09:00"),
				Due: at(time.UTC, "2026-03-10 00:00"), AllDay: true, Done: at(newYork, "2026-03-11 09:00")}}},
		{name: "on Oslo's spring-forward day a meeting at 09:00 CEST is held",
			zone: oslo, day: "2026-03-29", measure: held, want: 1,
			activities: []pipedrivetest.Activity{meeting(me, at(oslo, "2026-03-29 09:00"), at(oslo, "2026-03-29 10:00"))}},

		// Meetings booked: by when they were added, done or not.
		{name: "a meeting added at 23:30 in Oslo is booked that day, though not done",
			zone: oslo, day: "2026-03-10", measure: booked, want: 1,
			activities: []pipedrivetest.Activity{{Owner: me, Type: "meeting", Added: at(oslo, "2026-03-10 23:30"), Due: at(oslo, "2026-03-17 10:00")}}},
		{name: "a meeting added at 23:30 in New York the day before is not booked on the day, though it is in UTC",
			zone: newYork, day: "2026-03-10", measure: booked, want: 0,
			activities: []pipedrivetest.Activity{{Owner: me, Type: "meeting", Added: at(newYork, "2026-03-09 23:30"), Due: at(newYork, "2026-03-17 10:00")}}},
		{name: "a meeting added and held on the day is booked too",
			zone: oslo, day: "2026-03-10", measure: booked, want: 1,
			activities: []pipedrivetest.Activity{{Owner: me, Type: "meeting", Added: at(oslo, "2026-03-10 08:00"), Due: at(oslo, "2026-03-10 15:00"), Done: at(oslo, "2026-03-10 16:00")}}},

		// Deals won and their amount.
		{name: "a deal won at 23:50 in New York counts that day, though the next day in UTC",
			zone: newYork, day: "2026-03-10", measure: won, want: 1,
			deals: []pipedrivetest.Deal{wonDeal(me, 500, at(newYork, "2026-03-10 23:50"))}},
		{name: "a deal won at 23:50 in New York the day before is not counted",
			zone: newYork, day: "2026-03-10", measure: won, want: 0,
			deals: []pipedrivetest.Deal{wonDeal(me, 500, at(newYork, "2026-03-09 23:50"))}},
		{name: "an open deal is not won",
			zone: oslo, day: "2026-03-10", measure: won, want: 0,
			deals: []pipedrivetest.Deal{{Owner: me, Value: 500, Added: at(oslo, "2026-03-10 10:00")}}},
		{name: "the amounts of deals won on the day add up to the cent",
			zone: oslo, day: "2026-03-10", measure: amount, want: 2000.00,
			deals: []pipedrivetest.Deal{wonDeal(me, 1999.99, at(oslo, "2026-03-10 10:00")), wonDeal(me, 0.01, at(oslo, "2026-03-10 11:00"))}},
		{name: "an amount with decimals is kept",
			zone: newYork, day: "2026-03-08", measure: amount, want: 1234.56,
			deals: []pipedrivetest.Deal{wonDeal(me, 1234.56, at(newYork, "2026-03-08 23:30"))}},
		{name: "two deals won on the day count two",
			zone: oslo, day: "2026-03-29", measure: won, want: 2,
			deals: []pipedrivetest.Deal{wonDeal(me, 10, at(oslo, "2026-03-29 00:10")), wonDeal(me, 20, at(oslo, "2026-03-29 23:50"))}},

		// Activities of a chosen type.
		{name: "an email marked done on the day is an activity of type email",
			zone: oslo, day: "2026-03-10", measure: emails, want: 1,
			activities: []pipedrivetest.Activity{{Owner: me, Type: "email", Added: at(oslo, "2026-03-09 10:00"), Done: at(oslo, "2026-03-10 10:00")}}},
		{name: "a call is not an activity of type email",
			zone: oslo, day: "2026-03-10", measure: emails, want: 0,
			activities: []pipedrivetest.Activity{call(me, at(oslo, "2026-03-10 10:00"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			s := standIn(t, c)
			if got := s.AddUser("Rep", "rep@example.com"); got != me {
				t.Fatalf("user ID %d, want %d", got, me)
			}
			for _, a := range tt.activities {
				s.AddActivity(a)
			}
			for _, d := range tt.deals {
				s.AddDeal(d)
			}
			day := pulse.MustDate(tt.day)
			got, err := client(t, s, c).Figures(context.Background(), pulse.CRMQuery{
				Owners: []string{id(me)}, Zones: map[string]*time.Location{id(me): tt.zone},
				From: day, To: day, Measures: measures, // all, so none bleeds into another
			})
			if err != nil {
				t.Fatal(err)
			}
			v, present := got[id(me)][day][tt.measure]
			if math.Abs(v-tt.want) > 1e-9 || (tt.want == 0 && present) {
				t.Errorf("%s = %v (present %v), want %v; figures %v", tt.measure.Measure, v, present, tt.want, got)
			}
		})
	}
}

func TestFiguresOfRepsInNewYorkAndOsloOverDaysAcrossTheirClockChanges(t *testing.T) {
	c := newClock()
	s := standIn(t, c)
	ny := s.AddUser("Nora York", "nora@example.com")
	os := s.AddUser("Ola Oslo", "ola@example.com")
	idle := s.AddUser("Ivar Idle", "ivar@example.com")

	// New York, around its spring-forward day (Sunday 2026-03-08, 23 hours).
	s.AddActivity(call(ny, at(newYork, "2026-03-08 00:05")))
	s.AddActivity(call(ny, at(newYork, "2026-03-08 23:55")))
	s.AddActivity(call(ny, at(newYork, "2026-03-09 00:00")))
	s.AddActivity(meeting(ny, at(newYork, "2026-03-08 22:00"), at(newYork, "2026-03-08 23:00")))
	s.AddActivity(pipedrivetest.Activity{Owner: ny, Type: "meeting", Added: at(newYork, "2026-03-08 21:00"), Due: at(newYork, "2026-03-12 10:00")})
	s.AddDeal(wonDeal(ny, 1499.5, at(newYork, "2026-03-08 23:59")))
	s.AddDeal(wonDeal(ny, 0.25, at(newYork, "2026-03-09 00:01")))
	s.AddActivity(pipedrivetest.Activity{Owner: ny, Type: "email", Added: at(newYork, "2026-03-09 08:00"), Done: at(newYork, "2026-03-09 08:30")})

	// Oslo, a normal week: its clocks change on 2026-03-29.
	s.AddActivity(call(os, at(oslo, "2026-03-09 00:30"))) // 23:30 UTC on the 8th
	s.AddActivity(call(os, at(oslo, "2026-03-09 23:30")))
	s.AddActivity(pipedrivetest.Activity{Owner: os, Type: "meeting", Added: at(oslo, "2026-03-09 08:00"), Due: at(oslo, "2026-03-09 09:00")}) // not done: booked, not held
	s.AddDeal(wonDeal(os, 99.99, at(oslo, "2026-03-09 00:10")))

	days := pulse.MustDate("2026-03-07")
	q := pulse.CRMQuery{
		Owners: []string{id(ny), id(os), id(idle)},
		Zones:  map[string]*time.Location{id(ny): newYork, id(os): oslo, id(idle): oslo},
		From:   days, To: days.AddDays(2), Measures: measures,
	}
	got, err := client(t, s, c).Figures(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	d8, d9 := pulse.MustDate("2026-03-08"), pulse.MustDate("2026-03-09")
	want := pulse.CRMFigures{
		id(ny): {
			d8: {calls: 2, held: 1, booked: 1, won: 1, amount: 1499.5},
			d9: {calls: 1, won: 1, amount: 0.25, emails: 1},
		},
		id(os): {
			d9: {calls: 2, booked: 1, won: 1, amount: 99.99},
		},
	}
	// 2026-03-07 had nothing for anyone, and Ivar nothing at all: both
	// absent, as CRMFigures says.
	if !sameFigures(got, want) {
		t.Errorf("figures\n got %v\nwant %v", got, want)
	}
}

func TestFiguresAskForOneOwnersRecordsUpdatedSinceTheirFirstDayBegan(t *testing.T) {
	c := newClock()
	s := standIn(t, c)
	me := s.AddUser("Rep", "rep@example.com")
	day := pulse.MustDate("2026-03-08")
	tests := []struct {
		name     string
		measures []pulse.MeasureSpec
		done     string // the done parameter, "" for none
	}{
		{"only done activities when no measure counts bookings", []pulse.MeasureSpec{calls, held, emails}, "true"},
		{"every activity when bookings are counted", []pulse.MeasureSpec{calls, booked}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(s.Calls())
			_, err := client(t, s, c).Figures(context.Background(), pulse.CRMQuery{
				Owners: []string{id(me)}, Zones: map[string]*time.Location{id(me): newYork},
				From: day, To: day, Measures: tt.measures,
			})
			if err != nil {
				t.Fatal(err)
			}
			calls := s.Calls()[before:]
			if len(calls) != 1 || calls[0].Path != "/api/v2/activities" {
				t.Fatalf("calls %v, want one list of activities", calls)
			}
			want := url.Values{"owner_id": {id(me)}, "updated_since": {"2026-03-08T05:00:00Z"}, "limit": {"500"}}
			if tt.done != "" {
				want.Set("done", tt.done)
			}
			if got := calls[0].Query; got.Encode() != want.Encode() {
				t.Errorf("query %v, want %v", got, want)
			}
		})
	}
}

func TestFiguresPageThroughEveryActivityOfABusyDay(t *testing.T) {
	c := newClock()
	s := standIn(t, c)
	me := s.AddUser("Rep", "rep@example.com")
	const n = 1234
	start := at(oslo, "2026-03-10 08:00")
	for i := range n {
		s.AddActivity(call(me, start.Add(time.Duration(i)*20*time.Second)))
	}
	s.AddDeal(wonDeal(me, 1, start))
	day := pulse.MustDate("2026-03-10")
	got, err := client(t, s, c).Figures(context.Background(), pulse.CRMQuery{
		Owners: []string{id(me)}, Zones: map[string]*time.Location{id(me): oslo},
		From: day, To: day, Measures: []pulse.MeasureSpec{calls, won},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got[id(me)][day][calls] != n || got[id(me)][day][won] != 1 {
		t.Errorf("calls %v, deals won %v; want %d and 1", got[id(me)][day][calls], got[id(me)][day][won], n)
	}
	var pages []string
	for _, call := range s.Calls() {
		if call.Path == "/api/v2/activities" {
			pages = append(pages, call.Query.Get("cursor"))
		}
	}
	if len(pages) != 3 || pages[0] != "" || pages[1] == "" || pages[2] == "" || pages[1] == pages[2] {
		t.Errorf("cursors of the activity pages %q, want none, then two different ones", pages)
	}
}

func TestAnOwnerWithNoRecordsAndAnEmptyDayAreAbsent(t *testing.T) {
	c := newClock()
	s := standIn(t, c)
	me := s.AddUser("Rep", "rep@example.com")
	s.AddActivity(call(me, at(oslo, "2026-03-11 10:00")))
	day := pulse.MustDate("2026-03-10")
	got, err := client(t, s, c).Figures(context.Background(), pulse.CRMQuery{
		Owners: []string{id(me), "77"}, Zones: map[string]*time.Location{id(me): oslo},
		From: day, To: day, Measures: measures,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("figures %v, want none: the only call was the day after", got)
	}
}

func TestFiguresRefuseAQueryTheyCannotAnswer(t *testing.T) {
	c := newClock()
	s := standIn(t, c)
	day := pulse.MustDate("2026-03-10")
	tests := []struct {
		name string
		q    pulse.CRMQuery
	}{
		{"days in the wrong order", pulse.CRMQuery{Owners: []string{"1"}, From: day, To: day.AddDays(-1), Measures: measures}},
		{"no first day", pulse.CRMQuery{Owners: []string{"1"}, To: day, Measures: measures}},
		{"an owner that is not a Pipedrive user ID", pulse.CRMQuery{Owners: []string{"ola@example.com"}, From: day, To: day, Measures: measures}},
		{"activities of no type", pulse.CRMQuery{Owners: []string{"1"}, From: day, To: day, Measures: []pulse.MeasureSpec{{Measure: pulse.MeasureActivities}}}},
		{"a measure Pulse does not know", pulse.CRMQuery{Owners: []string{"1"}, From: day, To: day, Measures: []pulse.MeasureSpec{{Measure: "emails_sent"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := client(t, s, c).Figures(context.Background(), tt.q); err == nil {
				t.Error("no error")
			}
		})
	}
	if n := len(s.Calls()); n != 0 {
		t.Errorf("%d calls to Pipedrive for queries refused before asking", n)
	}
}
