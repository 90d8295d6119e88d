package hubspot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/salespulse/pulse"
)

// maxOwnersPerSearch is how many owners one search asks for in its
// hubspot_owner_id IN filter. HubSpot publishes no cap on IN's values that
// we found (FACTS.md, "Filters"); fifty keeps a team in one search per
// zone and the request small.
const maxOwnersPerSearch = 50

// How each measure is searched (FACTS.md, "Measures"):
//
//	calls logged            calls by hs_timestamp
//	meetings held           meetings by hs_meeting_start_time
//	meetings booked         meetings by hs_createdate, when the meeting was logged
//	deals won, and amount   deals with hs_is_closed_won true, by closedate
//	activities of a type    calls and meetings whose hs_activity_type is the type
//	                        (the account's "call and meeting types"), by hs_timestamp
var (
	searchCalls          = search{object: "calls", date: "hs_timestamp"}
	searchMeetingsHeld   = search{object: "meetings", date: "hs_meeting_start_time"}
	searchMeetingsBooked = search{object: "meetings", date: "hs_createdate"}
	searchDealsWon       = search{object: "deals", date: "closedate", narrow: narrowing{"hs_is_closed_won", "true"}}
)

// search is which records count toward a measure: one object's whose date
// property falls in the range, narrowed by one more property's value.
type search struct {
	object string
	date   string
	narrow narrowing
}

// narrowing is one EQ filter; the zero narrowing filters nothing.
type narrowing struct{ prop, value string }

// query is one search for some owners of one zone over [from, to), and the
// measures its records add to.
type query struct {
	search
	owners   []string // sorted
	zone     *time.Location
	from, to time.Time
	counts   []pulse.MeasureSpec // each record adds one
	amounts  []pulse.MeasureSpec // each record adds its amount
}

// Figures counts the asked measures per owner per local day. It groups the
// owners by zone, so one search covers every owner of a zone for one
// measure, and runs the searches a few at a time at the pace HubSpot
// allows.
func (c *Client) Figures(ctx context.Context, q pulse.CRMQuery) (pulse.CRMFigures, error) {
	qs, err := plan(q)
	if err != nil {
		return nil, err
	}
	figs := pulse.CRMFigures{}
	var mu sync.Mutex
	add := func(owner string, day pulse.Date, m pulse.MeasureSpec, v float64) {
		mu.Lock()
		figs.Add(owner, day, m, v)
		mu.Unlock()
	}
	err = c.each(ctx, qs, func(ctx context.Context, qu query) error { return c.run(ctx, qu, add) })
	if err != nil {
		return nil, fmt.Errorf("hubspot figures %s to %s: %w", q.From, q.To, err)
	}
	return figs, nil
}

// plan turns a query for figures into the searches that answer it.
func plan(q pulse.CRMQuery) ([]query, error) {
	if q.From.IsZero() || q.To.IsZero() || q.To.Before(q.From) {
		return nil, pulse.Errorf(pulse.EINVALID, "", nil, "hubspot figures: the range %q to %q is not one", q.From, q.To)
	}
	type planned struct {
		search
		counts, amounts []pulse.MeasureSpec
	}
	var searches []*planned
	use := func(s search, m pulse.MeasureSpec, amount bool) {
		i := slices.IndexFunc(searches, func(p *planned) bool { return p.search == s })
		if i < 0 {
			i = len(searches)
			searches = append(searches, &planned{search: s})
		}
		p := searches[i]
		if amount {
			p.amounts = append(p.amounts, m)
		} else {
			p.counts = append(p.counts, m)
		}
	}
	var seen []pulse.MeasureSpec
	for _, m := range q.Measures {
		if slices.Contains(seen, m) {
			continue // asked twice, counted once
		}
		seen = append(seen, m)
		switch m.Measure {
		case pulse.MeasureCalls:
			use(searchCalls, m, false)
		case pulse.MeasureMeetingsHeld:
			use(searchMeetingsHeld, m, false)
		case pulse.MeasureMeetingsBooked:
			use(searchMeetingsBooked, m, false)
		case pulse.MeasureDealsWon:
			use(searchDealsWon, m, false)
		case pulse.MeasureDealsWonAmount:
			use(searchDealsWon, m, true)
		case pulse.MeasureActivities:
			if m.ActivityType == "" {
				return nil, pulse.Errorf(pulse.EINVALID, "", nil, "hubspot figures: activities of no type")
			}
			typed := narrowing{"hs_activity_type", m.ActivityType}
			use(search{object: "calls", date: "hs_timestamp", narrow: typed}, m, false)
			use(search{object: "meetings", date: "hs_timestamp", narrow: typed}, m, false)
		default:
			return nil, pulse.Errorf(pulse.EINVALID, "", nil, "hubspot figures: no measure %q", m.Measure)
		}
	}

	var qs []query
	for _, g := range byZone(q.Owners, q.Zones) {
		from, to := q.From.In(g.zone), q.To.AddDays(1).In(g.zone)
		for chunk := range slices.Chunk(g.owners, maxOwnersPerSearch) {
			for _, s := range searches {
				qs = append(qs, query{
					search: s.search, owners: chunk, zone: g.zone, from: from, to: to,
					counts: s.counts, amounts: s.amounts,
				})
			}
		}
	}
	return qs, nil
}

// zoneGroup is the owners whose reps share a time zone.
type zoneGroup struct {
	zone   *time.Location
	owners []string
}

// byZone groups the owners by their zone (UTC when they have none), each
// group's owners sorted and once, the groups in the order of their names.
func byZone(owners []string, zones map[string]*time.Location) []zoneGroup {
	var groups []zoneGroup
	for _, o := range owners {
		z := zones[o]
		if z == nil {
			z = time.UTC
		}
		i := slices.IndexFunc(groups, func(g zoneGroup) bool { return g.zone.String() == z.String() })
		if i < 0 {
			i = len(groups)
			groups = append(groups, zoneGroup{zone: z})
		}
		groups[i].owners = append(groups[i].owners, o)
	}
	for i := range groups {
		slices.Sort(groups[i].owners)
		groups[i].owners = slices.Compact(groups[i].owners)
	}
	slices.SortFunc(groups, func(a, b zoneGroup) int { return cmp.Compare(a.zone.String(), b.zone.String()) })
	return groups
}

// each runs fn for every query on up to Workers goroutines. The first error
// stops the rest and is returned.
func (c *Client) each(ctx context.Context, qs []query, fn func(context.Context, query) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan query)
	var wg sync.WaitGroup
	for range min(c.cfg.Workers, len(qs)) {
		wg.Go(func() {
			for qu := range work {
				if err := fn(ctx, qu); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for _, qu := range qs {
		select {
		case work <- qu:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	return context.Cause(ctx)
}
