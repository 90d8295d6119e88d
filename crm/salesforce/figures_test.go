package salesforce_test

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	sf "github.com/salespulse/pulse/crm/salesforce/salesforcetest"
)

var (
	calls   = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
	held    = pulse.MeasureSpec{Measure: pulse.MeasureMeetingsHeld}
	booked  = pulse.MeasureSpec{Measure: pulse.MeasureMeetingsBooked}
	won     = pulse.MeasureSpec{Measure: pulse.MeasureDealsWon}
	amount  = pulse.MeasureSpec{Measure: pulse.MeasureDealsWonAmount}
	demos   = pulse.MeasureSpec{Measure: pulse.MeasureActivities, ActivityType: "Demo"}
	measure = []pulse.MeasureSpec{calls, held, booked, won, amount, demos}
)

// team is the owners every case seeds: a rep in New York, one in Oslo, and
// one with no records at all.
type team struct{ ny, oslo, idle string }

// figure is one expected value.
type figure struct {
	owner string
	day   string
	spec  pulse.MeasureSpec
	v     float64
}

func figures(fs ...figure) pulse.CRMFigures {
	out := pulse.CRMFigures{}
	for _, f := range fs {
		out.Add(f.owner, pulse.MustDate(f.day), f.spec, f.v)
	}
	return out
}

// show writes figures one per line, sorted, for a failure message.
func show(f pulse.CRMFigures) string {
	var lines []string
	for owner, days := range f {
		for day, ms := range days {
			for m, v := range ms {
				lines = append(lines, fmt.Sprintf("%s %s %s%s = %v", owner, day, m.Measure, m.ActivityType, v))
			}
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func TestFiguresCountEachMeasureOnTheRepsOwnDay(t *testing.T) {
	ny, oslo := zone(t, "America/New_York"), zone(t, "Europe/Oslo")
	far := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) // a start outside every case's days
	tests := []struct {
		name     string
		from, to string
		seed     func(s *sf.Server, tm team)
		want     func(tm team) pulse.CRMFigures
	}{
		{
			name: "New York's daylight-saving day, 2026-03-08, is 23 hours from its own midnight to midnight",
			from: "2026-03-08", to: "2026-03-08",
			seed: func(s *sf.Server, tm team) {
				for range 3 {
					s.AddTask(sf.Task{OwnerID: tm.ny, Subtype: "Call", Day: pulse.MustDate("2026-03-08")})
				}
				s.AddTask(sf.Task{OwnerID: tm.ny, Subtype: "Call", Day: pulse.MustDate("2026-03-08"), Open: true}) // still to make
				s.AddTask(sf.Task{OwnerID: tm.ny, Subtype: "Email", Day: pulse.MustDate("2026-03-08")})
				s.AddTask(sf.Task{OwnerID: tm.ny, Subtype: "Call", Day: pulse.MustDate("2026-03-07")})
				s.AddEvent(sf.Event{OwnerID: tm.ny, Start: at(t, ny, "2026-03-08 00:30")})                     // 05:30Z, EST
				s.AddEvent(sf.Event{OwnerID: tm.ny, Start: at(t, ny, "2026-03-08 23:30")})                     // 03:30Z on the 9th, EDT
				s.AddEvent(sf.Event{OwnerID: tm.ny, Start: at(t, ny, "2026-03-07 23:30")})                     // the day before
				s.AddEvent(sf.Event{OwnerID: tm.ny, Start: at(t, ny, "2026-03-09 00:15")})                     // the day after
				s.AddEvent(sf.Event{OwnerID: tm.ny, Start: at(t, ny, "2026-03-08 10:00"), Child: true})        // an invitee's copy
				s.AddEvent(sf.Event{OwnerID: tm.ny, Start: at(t, time.UTC, "2026-03-08 00:00"), AllDay: true}) // a conference day
				s.AddEvent(sf.Event{OwnerID: tm.ny, Start: far, Created: at(t, ny, "2026-03-08 23:45")})
				s.AddEvent(sf.Event{OwnerID: tm.ny, Start: far, Created: at(t, ny, "2026-03-09 00:05")})
			},
			want: func(tm team) pulse.CRMFigures {
				return figures(
					figure{tm.ny, "2026-03-08", calls, 3},
					figure{tm.ny, "2026-03-08", held, 2},
					figure{tm.ny, "2026-03-08", booked, 1},
				)
			},
		},
		{
			name: "Oslo's daylight-saving day, 2026-03-29, ends at 22:00 UTC, while New York's goes on",
			from: "2026-03-29", to: "2026-03-29",
			seed: func(s *sf.Server, tm team) {
				s.AddEvent(sf.Event{OwnerID: tm.oslo, Start: at(t, oslo, "2026-03-29 00:10")}) // 23:10Z on the 28th
				s.AddEvent(sf.Event{OwnerID: tm.oslo, Start: at(t, oslo, "2026-03-29 23:50")}) // 21:50Z
				s.AddEvent(sf.Event{OwnerID: tm.oslo, Start: at(t, oslo, "2026-03-28 23:50")})
				s.AddEvent(sf.Event{OwnerID: tm.oslo, Start: at(t, oslo, "2026-03-30 00:10")})               // 22:10Z on the 29th
				s.AddEvent(sf.Event{OwnerID: tm.ny, Start: at(t, time.UTC, "2026-03-29 22:10")})             // 18:10 in New York
				s.AddEvent(sf.Event{OwnerID: tm.oslo, Start: far, Created: at(t, oslo, "2026-03-29 03:30")}) // 01:30Z, just after the clocks moved
			},
			want: func(tm team) pulse.CRMFigures {
				return figures(
					figure{tm.oslo, "2026-03-29", held, 2},
					figure{tm.oslo, "2026-03-29", booked, 1},
					figure{tm.ny, "2026-03-29", held, 1},
				)
			},
		},
		{
			name: "one UTC instant counts on each rep's own day",
			from: "2026-03-10", to: "2026-03-10",
			seed: func(s *sf.Server, tm team) {
				for _, owner := range []string{tm.ny, tm.oslo} {
					s.AddEvent(sf.Event{OwnerID: owner, Start: at(t, time.UTC, "2026-03-10 03:00")})
				}
			},
			want: func(tm team) pulse.CRMFigures {
				// 23:00 on the 9th in New York, 04:00 on the 10th in Oslo.
				return figures(figure{tm.oslo, "2026-03-10", held, 1})
			},
		},
		{
			name: "won deals count with their amounts as decimals, and an empty amount adds nothing",
			from: "2026-03-09", to: "2026-03-10",
			seed: func(s *sf.Server, tm team) {
				s.AddOpportunity(sf.Opportunity{OwnerID: tm.ny, Won: true, CloseDate: pulse.MustDate("2026-03-09"), Amount: sf.Amount(1200.50)})
				s.AddOpportunity(sf.Opportunity{OwnerID: tm.ny, Won: true, CloseDate: pulse.MustDate("2026-03-09"), Amount: sf.Amount(799.25)})
				s.AddOpportunity(sf.Opportunity{OwnerID: tm.ny, Won: true, CloseDate: pulse.MustDate("2026-03-09")})
				s.AddOpportunity(sf.Opportunity{OwnerID: tm.ny, CloseDate: pulse.MustDate("2026-03-09"), Amount: sf.Amount(5000)}) // open or lost
				s.AddOpportunity(sf.Opportunity{OwnerID: tm.oslo, Won: true, CloseDate: pulse.MustDate("2026-03-10")})
				s.AddOpportunity(sf.Opportunity{OwnerID: tm.oslo, Won: true, CloseDate: pulse.MustDate("2026-03-11"), Amount: sf.Amount(10)})
			},
			want: func(tm team) pulse.CRMFigures {
				return figures(
					figure{tm.ny, "2026-03-09", won, 3},
					figure{tm.ny, "2026-03-09", amount, 1999.75},
					figure{tm.oslo, "2026-03-10", won, 1},
				)
			},
		},
		{
			name: "activities of a type are the closed tasks of that Type, whatever their subtype",
			from: "2026-03-09", to: "2026-03-09",
			seed: func(s *sf.Server, tm team) {
				s.AddTask(sf.Task{OwnerID: tm.oslo, Type: "Demo", Day: pulse.MustDate("2026-03-09")})
				s.AddTask(sf.Task{OwnerID: tm.oslo, Type: "Demo", Subtype: "Call", Day: pulse.MustDate("2026-03-09")})
				s.AddTask(sf.Task{OwnerID: tm.oslo, Type: "Demo", Day: pulse.MustDate("2026-03-09"), Open: true})
				s.AddTask(sf.Task{OwnerID: tm.oslo, Type: "Demo's", Day: pulse.MustDate("2026-03-09")})
			},
			want: func(tm team) pulse.CRMFigures {
				return figures(
					figure{tm.oslo, "2026-03-09", demos, 2},
					figure{tm.oslo, "2026-03-09", calls, 1},
				)
			},
		},
		{
			name: "an empty day has no figures and no error",
			from: "2026-03-11", to: "2026-03-11",
			seed: func(s *sf.Server, tm team) {
				s.AddTask(sf.Task{OwnerID: tm.ny, Subtype: "Call", Day: pulse.MustDate("2026-03-10")})
				s.AddEvent(sf.Event{OwnerID: tm.oslo, Start: at(t, oslo, "2026-03-12 00:00")})
			},
			want: func(tm team) pulse.CRMFigures { return pulse.CRMFigures{} },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := newOrg(t, sf.Options{}, nil)
			tm := team{
				ny:   o.srv.AddUser(sf.User{Email: "ana@example.com", Name: "Ana"}),
				oslo: o.srv.AddUser(sf.User{Email: "ola@example.com", Name: "Ola"}),
				idle: o.srv.AddUser(sf.User{Email: "ida@example.com", Name: "Ida"}),
			}
			tc.seed(o.srv, tm)
			got, err := o.client.Figures(context.Background(), pulse.CRMQuery{
				Owners:   []string{tm.ny, tm.oslo, tm.idle},
				Zones:    map[string]*time.Location{tm.ny: ny, tm.oslo: oslo, tm.idle: ny},
				From:     pulse.MustDate(tc.from),
				To:       pulse.MustDate(tc.to),
				Measures: measure,
			})
			if err != nil {
				t.Fatalf("Figures: %v", err)
			}
			if want := tc.want(tm); !reflect.DeepEqual(got, want) {
				t.Errorf("figures:\n%s\nwant:\n%s", show(got), show(want))
			}
			if _, ok := got[tm.idle]; ok {
				t.Errorf("the owner with no records has figures: %v", got[tm.idle])
			}
		})
	}
}

func TestFiguresAsksEachKindOfRecordOnce(t *testing.T) {
	o := newOrg(t, sf.Options{}, nil)
	id := o.srv.AddUser(sf.User{Email: "ana@example.com"})
	if _, err := o.client.Figures(context.Background(), pulse.CRMQuery{
		Owners: []string{id}, From: pulse.MustDate("2026-03-09"), To: pulse.MustDate("2026-03-09"), Measures: measure,
	}); err != nil {
		t.Fatal(err)
	}
	// Calls, demos, won deals with their amount, meetings held, booked.
	var objects []string
	for _, q := range o.srv.Queries() {
		_, rest, _ := strings.Cut(q, " FROM ")
		obj, _, _ := strings.Cut(rest, " ")
		objects = append(objects, obj)
	}
	if want := []string{"Task", "Task", "Opportunity", "Event", "Event"}; !slices.Equal(objects, want) {
		t.Errorf("queried %v, want %v:\n%s", objects, want, strings.Join(o.srv.Queries(), "\n"))
	}
}

func TestFiguresPagesRowsWithNextRecordsURL(t *testing.T) {
	o := newOrg(t, sf.Options{BatchSize: 3}, nil)
	id := o.srv.AddUser(sf.User{Email: "ana@example.com"})
	for i := range 8 {
		o.srv.AddEvent(sf.Event{OwnerID: id, Start: time.Date(2026, 3, 9, 8+i, 0, 0, 0, time.UTC)})
	}
	got, err := o.client.Figures(context.Background(), pulse.CRMQuery{
		Owners: []string{id}, From: pulse.MustDate("2026-03-09"), To: pulse.MustDate("2026-03-09"),
		Measures: []pulse.MeasureSpec{held},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := got[id][pulse.MustDate("2026-03-09")][held]; n != 8 {
		t.Errorf("meetings held = %v, want 8 over three batches", n)
	}
	if c := o.srv.Calls(); c.Query != 1 || c.QueryMore != 2 {
		t.Errorf("calls = %+v, want one query and two of its nextRecordsUrl", c)
	}
}

func TestOwnersListsActiveUsersWithLowerCasedEmailsAcrossBatches(t *testing.T) {
	o := newOrg(t, sf.Options{BatchSize: 2}, nil)
	want := []pulse.CRMOwner{}
	for i := range 5 {
		email := fmt.Sprintf("Rep%d@Example.COM", i)
		id := o.srv.AddUser(sf.User{Email: email, Name: fmt.Sprintf("Rep %d", i)})
		want = append(want, pulse.CRMOwner{ID: id, Email: strings.ToLower(email), Name: fmt.Sprintf("Rep %d", i)})
	}
	o.srv.AddUser(sf.User{Email: "gone@example.com", Inactive: true})
	got, err := o.client.Owners(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("owners = %v, want %v", got, want)
	}
	if c := o.srv.Calls(); c.QueryMore != 2 {
		t.Errorf("calls = %+v, want two pages after the first", c)
	}
}

func TestFiguresSplitsOwnersAndDaysSoNoGroupedAnswerNeedsPaging(t *testing.T) {
	o := newOrg(t, sf.Options{}, nil)
	var owners []string
	for i := range 150 {
		owners = append(owners, o.srv.AddUser(sf.User{Email: fmt.Sprintf("rep%d@example.com", i)}))
	}
	first := pulse.MustDate("2026-01-01")
	// 150 owners and 30 days could make 4,500 groups; one owner's 2,100 days
	// could make 2,100.
	for _, id := range owners {
		for d := range 30 {
			o.srv.AddTask(sf.Task{OwnerID: id, Subtype: "Call", Day: first.AddDays(d)})
		}
	}
	long := owners[0]
	for d := 30; d < 2100; d++ {
		o.srv.AddTask(sf.Task{OwnerID: long, Subtype: "Call", Day: first.AddDays(d)})
	}
	ctx := context.Background()
	got, err := o.client.Figures(ctx, pulse.CRMQuery{Owners: owners, From: first, To: first.AddDays(29), Measures: []pulse.MeasureSpec{calls}})
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, days := range got {
		for _, ms := range days {
			total += ms[calls]
		}
	}
	if total != 150*30 || len(got) != 150 {
		t.Errorf("%v calls over %d owners, want 4500 over 150", total, len(got))
	}
	// 100 owners: 20 days a query, so two; then 50 owners: 40 days, so one.
	if n := len(o.srv.Queries()); n != 3 {
		t.Errorf("%d queries, want 3", n)
	}
	got, err = o.client.Figures(ctx, pulse.CRMQuery{Owners: []string{long}, From: first, To: first.AddDays(2099), Measures: []pulse.MeasureSpec{calls}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got[long]); n != 2100 {
		t.Errorf("%d days of calls, want 2100", n)
	}
}

func TestFiguresRefusesWhatCannotBeAskedBeforeSendingAnything(t *testing.T) {
	day := pulse.MustDate("2026-03-09")
	tests := []struct {
		name string
		q    pulse.CRMQuery
	}{
		{"an owner ID with a quote in it", pulse.CRMQuery{Owners: []string{"005' OR Id != '"}, From: day, To: day, Measures: measure}},
		{"an owner ID of the wrong length", pulse.CRMQuery{Owners: []string{"005ABC"}, From: day, To: day, Measures: measure}},
		{"days that end before they begin", pulse.CRMQuery{Owners: []string{"005000000000001AAA"}, From: day, To: day.AddDays(-1), Measures: measure}},
		{"activities of no type", pulse.CRMQuery{Owners: []string{"005000000000001AAA"}, From: day, To: day, Measures: []pulse.MeasureSpec{{Measure: pulse.MeasureActivities}}}},
		{"a measure no CRM knows", pulse.CRMQuery{Owners: []string{"005000000000001AAA"}, From: day, To: day, Measures: []pulse.MeasureSpec{{Measure: "emails"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := newOrg(t, sf.Options{}, nil)
			_, err := o.client.Figures(context.Background(), tc.q)
			if code := pulse.ErrorCode(err); code != pulse.EINVALID {
				t.Errorf("error %v has code %q, want %q", err, code, pulse.EINVALID)
			}
			if n := len(o.rec.Sent()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

func TestActivityTypeIsQuotedIntoSOQL(t *testing.T) {
	o := newOrg(t, sf.Options{}, nil)
	id := o.srv.AddUser(sf.User{Email: "ana@example.com"})
	odd := `Demo's "big" \ one` + "\n"
	o.srv.AddTask(sf.Task{OwnerID: id, Type: odd, Day: pulse.MustDate("2026-03-09")})
	o.srv.AddTask(sf.Task{OwnerID: id, Type: "Demo", Day: pulse.MustDate("2026-03-09")})
	spec := pulse.MeasureSpec{Measure: pulse.MeasureActivities, ActivityType: odd}
	got, err := o.client.Figures(context.Background(), pulse.CRMQuery{
		Owners: []string{id}, From: pulse.MustDate("2026-03-09"), To: pulse.MustDate("2026-03-09"),
		Measures: []pulse.MeasureSpec{spec},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := figures(figure{id, "2026-03-09", spec, 1})
	if !maps.EqualFunc(got, want, func(a, b map[pulse.Date]map[pulse.MeasureSpec]float64) bool { return reflect.DeepEqual(a, b) }) {
		t.Errorf("figures:\n%s\nwant:\n%s", show(got), show(want))
	}
}
