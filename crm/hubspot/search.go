package hubspot

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/salespulse/pulse"
)

// Search's limits (FACTS.md, "Limits"): at most 200 records a page, and no
// paging past the 10,000th result of a query.
const (
	pageSize   = 200
	maxResults = 10_000
)

// addFunc adds v to owner's figure of m on day.
type addFunc func(owner string, day pulse.Date, m pulse.MeasureSpec, v float64)

// run pages through the query's records and adds them up. When the query
// matches as many records as HubSpot will page through, it is split in two
// (its range, or at the last its owners) and each half is run instead.
func (c *Client) run(ctx context.Context, qu query, add addFunc) error {
	req := qu.request()
	path := "/crm/v3/objects/" + qu.object + "/search"
	var page searchPage
	if err := c.call(ctx, http.MethodPost, path, req, true, &page); err != nil {
		return fmt.Errorf("search %s: %w", qu, err)
	}
	if page.Total >= maxResults {
		halves, ok := qu.split()
		if !ok {
			return fmt.Errorf("search %s: %d results in a range too small to split", qu, page.Total)
		}
		for _, h := range halves {
			if err := c.run(ctx, h, add); err != nil {
				return err
			}
		}
		return nil
	}
	for {
		if err := qu.collect(page.Results, add); err != nil {
			return fmt.Errorf("search %s: %w", qu, err)
		}
		after := nextCursor(page.Paging)
		if after == "" {
			return nil
		}
		if after == req.After {
			return fmt.Errorf("search %s: the cursor %q came back for the next page", qu, after)
		}
		req.After = after
		page = searchPage{}
		if err := c.call(ctx, http.MethodPost, path, req, true, &page); err != nil {
			return fmt.Errorf("search %s after %s: %w", qu, after, err)
		}
	}
}

// request is the search body of the query's first page: the owners, the
// range of the date property (HubSpot takes epoch milliseconds), the
// narrowing, and only the properties the count reads.
func (qu query) request() searchRequest {
	filters := []filter{
		{PropertyName: "hubspot_owner_id", Operator: "IN", Values: qu.owners},
		{PropertyName: qu.date, Operator: "GTE", Value: millis(qu.from)},
		{PropertyName: qu.date, Operator: "LT", Value: millis(qu.to)},
	}
	if qu.narrow.prop != "" {
		filters = append(filters, filter{PropertyName: qu.narrow.prop, Operator: "EQ", Value: qu.narrow.value})
	}
	props := []string{"hubspot_owner_id", qu.date}
	if len(qu.amounts) > 0 {
		props = append(props, "amount")
	}
	return searchRequest{FilterGroups: []filterGroup{{Filters: filters}}, Properties: props, Limit: pageSize}
}

// split halves the query: its range at the millisecond nearest the middle,
// or, in a range of one millisecond, its owners.
func (qu query) split() ([]query, bool) {
	a, b := qu, qu
	if span := qu.to.Sub(qu.from); span >= 2*time.Millisecond {
		mid := qu.from.Add(span / 2).Truncate(time.Millisecond)
		a.to, b.from = mid, mid
		return []query{a, b}, true
	}
	if n := len(qu.owners); n > 1 {
		a.owners, b.owners = qu.owners[:n/2], qu.owners[n/2:]
		return []query{a, b}, true
	}
	return nil, false
}

// collect adds one page's records: each counts on its owner's local day of
// its date property. Records without an owner or a date cannot be placed
// and are skipped.
func (qu query) collect(results []simpleObject, add addFunc) error {
	for _, r := range results {
		owner := text(r.Properties["hubspot_owner_id"])
		if _, asked := slices.BinarySearch(qu.owners, owner); !asked {
			continue
		}
		at, ok, err := parseInstant(text(r.Properties[qu.date]))
		if err != nil {
			return fmt.Errorf("%s %s: %s: %w", qu.object, r.ID, qu.date, err)
		}
		if !ok || at.Before(qu.from) || !at.Before(qu.to) {
			continue
		}
		day := pulse.LocalDay(at, qu.zone)
		for _, m := range qu.counts {
			add(owner, day, m, 1)
		}
		if len(qu.amounts) == 0 {
			continue
		}
		amount, err := parseAmount(text(r.Properties["amount"]))
		if err != nil {
			return fmt.Errorf("%s %s: amount: %w", qu.object, r.ID, err)
		}
		if amount != 0 {
			for _, m := range qu.amounts {
				add(owner, day, m, amount)
			}
		}
	}
	return nil
}

// String names the query in errors: what, for how many owners, when.
func (qu query) String() string {
	s := fmt.Sprintf("%s by %s", qu.object, qu.date)
	if qu.narrow.prop != "" {
		s += fmt.Sprintf(" with %s %q", qu.narrow.prop, qu.narrow.value)
	}
	return fmt.Sprintf("%s for %d owners in %s from %s to %s", s, len(qu.owners), qu.zone,
		qu.from.Format(time.RFC3339), qu.to.Format(time.RFC3339))
}

// text is a property's value; null reads as "".
func text(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}

// millis writes t as epoch milliseconds, the form search filters compare
// datetimes in.
func millis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// parseInstant reads a datetime property: ISO 8601 as HubSpot returns it,
// or epoch milliseconds. It reports false for an empty value.
func parseInstant(v string) (time.Time, bool, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false, nil
	}
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), true, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("%q is no datetime", v)
	}
	return t, true, nil
}

// parseAmount reads a deal's amount, which HubSpot holds as text: "1200",
// "1200.50", or "" for none, which counts as nothing.
func parseAmount(v string) (float64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is no number", v)
	}
	return f, nil
}
