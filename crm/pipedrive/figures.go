package pipedrive

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/salespulse/pulse"
)

// The endpoints the client reads (testdata/FACTS.md).
const (
	pathUsers      = "/api/v1/users"
	pathActivities = "/api/v2/activities"
	pathDeals      = "/api/v2/deals"
	pageLimit      = 500 // the most a v2 list returns a page
)

// user is the part of Pipedrive's BaseUser the client reads.
type user struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	IsDeleted bool   `json:"is_deleted"`
}

// Owners lists the company's users with their emails, lower-cased. Users
// deleted from the company are left out; deactivated ones stay, since they
// may still own the records of a day being counted.
func (c *Client) Owners(ctx context.Context) ([]pulse.CRMOwner, error) {
	var resp struct {
		Data []user `json:"data"`
	}
	if err := c.get(ctx, pathUsers, nil, &resp); err != nil {
		return nil, fmt.Errorf("pipedrive: list users: %w", err)
	}
	owners := make([]pulse.CRMOwner, 0, len(resp.Data))
	for _, u := range resp.Data {
		if u.IsDeleted {
			continue
		}
		owners = append(owners, pulse.CRMOwner{
			ID:    strconv.FormatInt(u.ID, 10),
			Email: strings.ToLower(strings.TrimSpace(u.Email)),
			Name:  u.Name,
		})
	}
	return owners, nil
}

// activity is the part of Pipedrive's v2 ActivityItem the client reads.
// Times are RFC 3339 in UTC; due_date and due_time are the start, in UTC
// too, and due_time is empty for an activity without a time of day.
type activity struct {
	Type             string `json:"type"`
	IsDeleted        bool   `json:"is_deleted"`
	Done             bool   `json:"done"`
	AddTime          string `json:"add_time"`
	DueDate          string `json:"due_date"`
	DueTime          string `json:"due_time"`
	MarkedAsDoneTime string `json:"marked_as_done_time"`
}

// deal is the part of Pipedrive's v2 Deal the client reads.
type deal struct {
	Value     float64 `json:"value"`
	Status    string  `json:"status"`
	IsDeleted bool    `json:"is_deleted"`
	WonTime   string  `json:"won_time"`
}

// page is one page of a v2 list with cursor paging.
type page[T any] struct {
	Data           []T `json:"data"`
	AdditionalData struct {
		NextCursor *string `json:"next_cursor"`
	} `json:"additional_data"`
}

// list calls each for every record of a v2 list endpoint, page by page.
// One page's records are decoded into the previous page's slice: each
// must not keep them.
func list[T any](ctx context.Context, c *Client, path string, q url.Values, each func(*T) error) error {
	var p page[T]
	seen := map[string]bool{}
	for {
		clear(p.Data[:cap(p.Data)]) // a field absent on this page must not keep the last one's value
		p.Data = p.Data[:0]
		p.AdditionalData.NextCursor = nil
		if err := c.get(ctx, path, q, &p); err != nil {
			return err
		}
		for i := range p.Data {
			if err := each(&p.Data[i]); err != nil {
				return err
			}
		}
		next := p.AdditionalData.NextCursor
		if next == nil || *next == "" {
			return nil
		}
		if seen[*next] {
			return fmt.Errorf("GET %s: cursor %q came back twice", path, *next)
		}
		seen[*next] = true
		q.Set("cursor", *next)
	}
}

// plan is what a query asks, sorted by the list it is counted from.
type plan struct {
	calls, held, booked pulse.MeasureSpec // zero Measure when not asked
	types               map[string]pulse.MeasureSpec
	won, amount         pulse.MeasureSpec
}

func (p *plan) activities() bool {
	return p.calls.Measure != "" || p.held.Measure != "" || p.booked.Measure != "" || len(p.types) > 0
}

func (p *plan) deals() bool { return p.won.Measure != "" || p.amount.Measure != "" }

func planFor(specs []pulse.MeasureSpec) (plan, error) {
	var p plan
	for _, m := range specs {
		switch m.Measure {
		case pulse.MeasureCalls:
			p.calls = m
		case pulse.MeasureMeetingsHeld:
			p.held = m
		case pulse.MeasureMeetingsBooked:
			p.booked = m
		case pulse.MeasureDealsWon:
			p.won = m
		case pulse.MeasureDealsWonAmount:
			p.amount = m
		case pulse.MeasureActivities:
			if m.ActivityType == "" {
				return plan{}, errors.New("pipedrive: activities of no type")
			}
			if p.types == nil {
				p.types = map[string]pulse.MeasureSpec{}
			}
			p.types[m.ActivityType] = m
		default:
			return plan{}, fmt.Errorf("pipedrive: unknown measure %q", m.Measure)
		}
	}
	return p, nil
}

// Figures counts the asked measures per owner per local day:
//
//   - calls: activities of the call type marked done on the day;
//   - meetings held: activities of the meeting type marked done whose start
//     (due date and time) falls on the day; one without a time of day
//     counts on its due date. A meeting nobody marked done is not counted
//     as held: Pipedrive has no other sign that it took place;
//   - meetings booked: activities of the meeting type added on the day,
//     done or not;
//   - activities of a type: activities of that type marked done on the day;
//   - deals won and their amount: deals won on the day, and the sum of their
//     values, in each deal's own currency.
//
// Each owner costs one paged list of activities and one of won deals,
// narrowed to records updated since the first day began in the owner's
// zone: marking an activity done, adding it, or winning a deal each updates
// the record, so nothing counted is older than that.
func (c *Client) Figures(ctx context.Context, q pulse.CRMQuery) (pulse.CRMFigures, error) {
	if q.From.IsZero() || q.To.Before(q.From) {
		return nil, fmt.Errorf("pipedrive: days %s to %s", q.From, q.To)
	}
	p, err := planFor(q.Measures)
	if err != nil {
		return nil, err
	}
	for _, o := range q.Owners {
		if _, err := strconv.ParseInt(o, 10, 64); err != nil {
			return nil, fmt.Errorf("pipedrive: owner %q is not a user ID", o)
		}
	}

	type job struct {
		owner string
		deals bool
	}
	jobs := make(chan job)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu    sync.Mutex
		out   = pulse.CRMFigures{}
		first error
	)
	worker := func() {
		for j := range jobs {
			got, err := c.owner(ctx, q, &p, j.owner, j.deals)
			mu.Lock()
			if err != nil && first == nil {
				first = err
				cancel()
			}
			for day, ms := range got[j.owner] {
				for m, v := range ms {
					out.Add(j.owner, day, m, v)
				}
			}
			mu.Unlock()
		}
	}
	var wg sync.WaitGroup
	for range min(c.workers, max(1, len(q.Owners))) {
		wg.Go(worker)
	}
send:
	for _, o := range q.Owners {
		for _, deals := range []bool{false, true} {
			if (deals && !p.deals()) || (!deals && !p.activities()) {
				continue
			}
			select {
			case jobs <- job{o, deals}:
			case <-ctx.Done():
				break send
			}
		}
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pipedrive: figures: %w", err)
	}
	return out, nil
}

// owner counts one owner's activities, or won deals, over q's days.
func (c *Client) owner(ctx context.Context, q pulse.CRMQuery, p *plan, owner string, deals bool) (pulse.CRMFigures, error) {
	zone := q.Zones[owner]
	if zone == nil {
		zone = time.UTC
	}
	o := ownerFigures{c: c, q: q, p: p, owner: owner, zone: zone, got: pulse.CRMFigures{}}
	params := url.Values{}
	params.Set("owner_id", owner)
	params.Set("updated_since", q.From.In(zone).UTC().Format(time.RFC3339))
	params.Set("limit", strconv.Itoa(pageLimit))

	if deals {
		params.Set("status", "won")
		if err := list(ctx, c, pathDeals, params, o.countDeal); err != nil {
			return nil, fmt.Errorf("pipedrive: won deals of owner %s: %w", owner, err)
		}
		return o.got, nil
	}

	if p.booked.Measure == "" {
		params.Set("done", "true") // every other activity measure counts done ones only
	}
	if err := list(ctx, c, pathActivities, params, o.countActivity); err != nil {
		return nil, fmt.Errorf("pipedrive: activities of owner %s: %w", owner, err)
	}
	return o.got, nil
}

// ownerFigures gathers one owner's figures on the query's days, in the
// owner's zone.
type ownerFigures struct {
	c     *Client
	q     pulse.CRMQuery
	p     *plan
	owner string
	zone  *time.Location
	got   pulse.CRMFigures
}

// onDay returns t's day in the owner's zone, and whether the query asks
// for it.
func (o *ownerFigures) onDay(t time.Time) (pulse.Date, bool) {
	d := pulse.LocalDay(t, o.zone)
	return d, !d.Before(o.q.From) && !d.After(o.q.To)
}

// countDeal counts a won deal and its amount on the day it was won.
func (o *ownerFigures) countDeal(d *deal) error {
	if d.IsDeleted || d.Status != "won" {
		return nil
	}
	t, err := parseTime(d.WonTime)
	if err != nil || t.IsZero() {
		return err
	}
	if day, ok := o.onDay(t); ok {
		if o.p.won.Measure != "" {
			o.got.Add(o.owner, day, o.p.won, 1)
		}
		if o.p.amount.Measure != "" && d.Value != 0 {
			o.got.Add(o.owner, day, o.p.amount, d.Value)
		}
	}
	return nil
}

// countActivity counts a meeting on the day it was booked and the day it
// was held, and a done call or activity of a counted type on the day it
// was marked done.
func (o *ownerFigures) countActivity(a *activity) error {
	p, types := o.p, o.c.types
	if a.IsDeleted {
		return nil
	}
	if p.booked.Measure != "" && a.Type == types.Meeting {
		t, err := parseTime(a.AddTime)
		if err != nil {
			return err
		}
		if day, ok := o.onDay(t); ok {
			o.got.Add(o.owner, day, p.booked, 1)
		}
	}
	if !a.Done {
		return nil
	}
	if p.held.Measure != "" && a.Type == types.Meeting {
		day, ok, err := startDay(a.DueDate, a.DueTime, o.zone)
		if err != nil {
			return err
		}
		if ok && !day.Before(o.q.From) && !day.After(o.q.To) {
			o.got.Add(o.owner, day, p.held, 1)
		}
	}
	spec, typed := p.types[a.Type]
	isCall := p.calls.Measure != "" && a.Type == types.Call
	if !typed && !isCall {
		return nil
	}
	t, err := parseTime(a.MarkedAsDoneTime)
	if err != nil || t.IsZero() {
		return err
	}
	day, ok := o.onDay(t)
	if !ok {
		return nil
	}
	if isCall {
		o.got.Add(o.owner, day, p.calls, 1)
	}
	if typed {
		o.got.Add(o.owner, day, spec, 1)
	}
	return nil
}

// parseTime reads a Pipedrive timestamp: RFC 3339 in API v2, with or
// without fractions of a second; v1's "2006-01-02 15:04:05" in UTC is read
// too, since Pipedrive has shipped that form in v2 payloads before. An
// empty or null time is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q is neither RFC 3339 nor YYYY-MM-DD HH:MM:SS", s)
	}
	return t, nil
}

// startDay returns the local day an activity starts on: its due date and
// time are UTC, so the pair is moved into zone; an activity with no time of
// day starts on its due date as written. ok is false without a due date.
func startDay(date, clock string, zone *time.Location) (day pulse.Date, ok bool, err error) {
	if date == "" {
		return pulse.Date{}, false, nil
	}
	if clock == "" {
		d, err := pulse.ParseDate(date)
		if err != nil {
			return pulse.Date{}, false, fmt.Errorf("due date %q: %w", date, err)
		}
		return d, true, nil
	}
	layout := "2006-01-02 15:04:05" // v2 writes 15:00:00
	if len(clock) == len("15:04") {
		layout = "2006-01-02 15:04" // v1 wrote HH:MM
	}
	t, err := time.Parse(layout, date+" "+clock)
	if err != nil {
		return pulse.Date{}, false, fmt.Errorf("due %q %q is not a UTC date and time", date, clock)
	}
	return pulse.LocalDay(t, zone), true, nil
}
