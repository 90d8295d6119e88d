package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/salespulse/pulse"
)

const (
	// maxOwnersPerQuery keeps an IN list, and so a query's URL, short: a
	// hundred 18-character IDs are about 2,100 characters of SOQL.
	maxOwnersPerQuery = 100
	// maxGroups is the most groups one GROUP BY query may answer: its
	// answer is a single batch of at most 2,000 rows (FACTS.md).
	maxGroups = 2000
)

// The queries, one per kind of record. Calls and activities are closed
// Tasks by their date (ActivityDate): a date without a time, which the rep
// or the dialer sets in the rep's own day, so it is the rep's local day as
// it stands and is grouped by Salesforce. Meetings are Events by a dateTime
// (StartDateTime for held, CreatedDate for booked), stored in UTC, so their
// rows are fetched and each is placed on the day it fell on in its owner's
// zone here: convertTimezone() would convert to the zone of the user
// running the query, not each rep's. Invitees' copies of an event
// (IsChild) and all-day events (a holiday, a conference) are not meetings
// held or booked. Won deals are Opportunities by CloseDate, a date.
const (
	ownersSOQL = "SELECT Id, Email, Name FROM User WHERE IsActive = true"
	// taskDaysSOQL takes the owner list, the field and value that pick the
	// tasks (TaskSubtype = 'Call', or Type = 'X'), and the first and last day.
	taskDaysSOQL = "SELECT OwnerId, ActivityDate, COUNT(Id) FROM Task WHERE OwnerId IN %s AND %s = %s AND IsClosed = true AND ActivityDate >= %s AND ActivityDate <= %s GROUP BY OwnerId, ActivityDate"
	dealDaysSOQL = "SELECT OwnerId, CloseDate, COUNT(Id), SUM(Amount) FROM Opportunity WHERE OwnerId IN %s AND IsWon = true AND CloseDate >= %s AND CloseDate <= %s GROUP BY OwnerId, CloseDate"
	// eventTimesSOQL takes the dateTime field twice, the owner list and the
	// UTC window [from, to).
	eventTimesSOQL = "SELECT OwnerId, %[1]s FROM Event WHERE OwnerId IN %[2]s AND IsChild = false AND IsAllDayEvent = false AND %[1]s >= %[3]s AND %[1]s < %[4]s"
)

// Rows of the queries' answers. An AggregateResult names an unaliased
// aggregate expr0, expr1, ... in the order of the SELECT list; SUM over
// nothing but nulls is null.
type (
	userRow struct {
		ID    string `json:"Id"`
		Email string `json:"Email"`
		Name  string `json:"Name"`
	}
	taskDay struct {
		OwnerID string      `json:"OwnerId"`
		Day     string      `json:"ActivityDate"`
		Count   json.Number `json:"expr0"`
	}
	dealDay struct {
		OwnerID string       `json:"OwnerId"`
		Day     string       `json:"CloseDate"`
		Count   json.Number  `json:"expr0"`
		Amount  *json.Number `json:"expr1"`
	}
	eventRow struct {
		OwnerID     string `json:"OwnerId"`
		StartDate   string `json:"StartDateTime"`
		CreatedDate string `json:"CreatedDate"`
	}
)

// Owners lists the org's active users with their emails, lower-cased.
func (c *Client) Owners(ctx context.Context) ([]pulse.CRMOwner, error) {
	var owners []pulse.CRMOwner
	err := query(ctx, c, "User", ownersSOQL, false, func(u *userRow) error {
		owners = append(owners, pulse.CRMOwner{ID: u.ID, Email: strings.ToLower(strings.TrimSpace(u.Email)), Name: u.Name})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("salesforce owners: %w", err)
	}
	return owners, nil
}

// wanted is what a query asks for, sorted by the records that answer it.
// Each measure keeps the specs it was asked as, the keys of the figures.
type wanted struct {
	calls       []pulse.MeasureSpec
	activities  map[string][]pulse.MeasureSpec // by Task Type
	types       []string                       // activities' keys, in order
	deals       []pulse.MeasureSpec
	amounts     []pulse.MeasureSpec
	held        []pulse.MeasureSpec
	booked      []pulse.MeasureSpec
	taskOrDeals bool
}

func want(specs []pulse.MeasureSpec) (wanted, error) {
	w := wanted{activities: map[string][]pulse.MeasureSpec{}}
	for _, s := range specs {
		switch s.Measure {
		case pulse.MeasureCalls:
			w.calls = append(w.calls, s)
		case pulse.MeasureActivities:
			if strings.TrimSpace(s.ActivityType) == "" {
				return w, pulse.Errorf(pulse.EINVALID, "", nil, "salesforce: activities need an activity type")
			}
			if _, ok := w.activities[s.ActivityType]; !ok {
				w.types = append(w.types, s.ActivityType)
			}
			w.activities[s.ActivityType] = append(w.activities[s.ActivityType], s)
		case pulse.MeasureDealsWon:
			w.deals = append(w.deals, s)
		case pulse.MeasureDealsWonAmount:
			w.amounts = append(w.amounts, s)
		case pulse.MeasureMeetingsHeld:
			w.held = append(w.held, s)
		case pulse.MeasureMeetingsBooked:
			w.booked = append(w.booked, s)
		default:
			return w, pulse.Errorf(pulse.EINVALID, "", nil, "salesforce: unknown measure %q", s.Measure)
		}
	}
	w.taskOrDeals = len(w.calls)+len(w.types)+len(w.deals)+len(w.amounts) > 0
	return w, nil
}

// Figures counts the asked measures per owner per local day, From to To.
// Owners are asked a hundred at a time; a GROUP BY query covers as many
// days as keep it within one batch of 2,000 groups.
func (c *Client) Figures(ctx context.Context, q pulse.CRMQuery) (pulse.CRMFigures, error) {
	if q.From.IsZero() || q.To.IsZero() || q.To.Before(q.From) {
		return nil, pulse.Errorf(pulse.EINVALID, "", nil, "salesforce: the days %s to %s are no range", q.From, q.To)
	}
	w, err := want(q.Measures)
	if err != nil {
		return nil, err
	}
	owners := make([]string, 0, len(q.Owners))
	for _, id := range q.Owners {
		if !validID(id) {
			return nil, pulse.Errorf(pulse.EINVALID, "", nil, "salesforce: %q is not a Salesforce user ID", id)
		}
		if !slices.Contains(owners, id) {
			owners = append(owners, id)
		}
	}
	figs := pulse.CRMFigures{}
	for chunk := range slices.Chunk(owners, maxOwnersPerQuery) {
		if w.taskOrDeals {
			span := max(1, maxGroups/len(chunk))
			for from := q.From; !from.After(q.To); from = from.AddDays(span) {
				to := from.AddDays(span - 1)
				if to.After(q.To) {
					to = q.To
				}
				if err := c.dateFigures(ctx, w, chunk, from, to, figs); err != nil {
					return nil, err
				}
			}
		}
		if len(w.held)+len(w.booked) > 0 {
			if err := c.meetingFigures(ctx, w, chunk, q, figs); err != nil {
				return nil, err
			}
		}
	}
	return figs, nil
}

// dateFigures adds the measures kept by a date field, grouped by Salesforce.
func (c *Client) dateFigures(ctx context.Context, w wanted, owners []string, from, to pulse.Date, figs pulse.CRMFigures) error {
	ids, first, last := idList(owners), dateLiteral(from), dateLiteral(to)
	tasks := func(field, value string, specs []pulse.MeasureSpec) error {
		soql := fmt.Sprintf(taskDaysSOQL, ids, field, quote(value), first, last)
		return query(ctx, c, "Task", soql, true, func(r *taskDay) error {
			day, err := pulse.ParseDate(r.Day)
			if err != nil {
				return fmt.Errorf("ActivityDate %q: %w", r.Day, err)
			}
			n, err := number(r.Count)
			if err != nil {
				return err
			}
			for _, s := range specs {
				figs.Add(r.OwnerID, day, s, n)
			}
			return nil
		})
	}
	if len(w.calls) > 0 {
		if err := tasks("TaskSubtype", "Call", w.calls); err != nil {
			return fmt.Errorf("salesforce calls: %w", err)
		}
	}
	for _, t := range w.types {
		if err := tasks("Type", t, w.activities[t]); err != nil {
			return fmt.Errorf("salesforce activities of type %q: %w", t, err)
		}
	}
	if len(w.deals)+len(w.amounts) == 0 {
		return nil
	}
	soql := fmt.Sprintf(dealDaysSOQL, ids, first, last)
	err := query(ctx, c, "Opportunity", soql, true, func(r *dealDay) error {
		day, err := pulse.ParseDate(r.Day)
		if err != nil {
			return fmt.Errorf("CloseDate %q: %w", r.Day, err)
		}
		n, err := number(r.Count)
		if err != nil {
			return err
		}
		for _, s := range w.deals {
			figs.Add(r.OwnerID, day, s, n)
		}
		if r.Amount == nil { // every amount of the day is empty
			return nil
		}
		amount, err := number(*r.Amount)
		if err != nil {
			return err
		}
		for _, s := range w.amounts {
			figs.Add(r.OwnerID, day, s, amount)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("salesforce deals won: %w", err)
	}
	return nil
}

// meetingFigures adds the measures kept by an Event's dateTime: each row is
// placed on the day its instant fell on in its owner's zone.
func (c *Client) meetingFigures(ctx context.Context, w wanted, owners []string, q pulse.CRMQuery, figs pulse.CRMFigures) error {
	from, to := window(owners, q)
	ids := idList(owners)
	events := func(field string, specs []pulse.MeasureSpec) error {
		soql := fmt.Sprintf(eventTimesSOQL, field, ids, dateTimeLiteral(from), dateTimeLiteral(to))
		return query(ctx, c, "Event", soql, false, func(r *eventRow) error {
			v := r.StartDate
			if field == "CreatedDate" {
				v = r.CreatedDate
			}
			t, err := parseDateTime(v)
			if err != nil {
				return fmt.Errorf("%s %q: %w", field, v, err)
			}
			day := pulse.LocalDay(t, q.Zones[r.OwnerID])
			if day.Before(q.From) || day.After(q.To) {
				return nil // in the window for another owner's zone
			}
			for _, s := range specs {
				figs.Add(r.OwnerID, day, s, 1)
			}
			return nil
		})
	}
	if len(w.held) > 0 {
		if err := events("StartDateTime", w.held); err != nil {
			return fmt.Errorf("salesforce meetings held: %w", err)
		}
	}
	if len(w.booked) > 0 {
		if err := events("CreatedDate", w.booked); err != nil {
			return fmt.Errorf("salesforce meetings booked: %w", err)
		}
	}
	return nil
}

// window returns the UTC instants [from, to) that hold every owner's local
// days From to To, widened by an hour each side for a zone whose midnight a
// daylight-saving change skips; rows outside an owner's own days are
// dropped when they are placed.
func window(owners []string, q pulse.CRMQuery) (from, to time.Time) {
	for i, id := range owners {
		zone := q.Zones[id]
		if zone == nil {
			zone = time.UTC
		}
		start, end := q.From.In(zone), q.To.AddDays(1).In(zone)
		if i == 0 || start.Before(from) {
			from = start
		}
		if i == 0 || end.After(to) {
			to = end
		}
	}
	return from.Add(-time.Hour), to.Add(time.Hour)
}

// number reads a count or an amount of an AggregateResult.
func number(n json.Number) (float64, error) {
	v, err := strconv.ParseFloat(n.String(), 64)
	if err != nil {
		return 0, fmt.Errorf("aggregate %q is not a number", n)
	}
	return v, nil
}
