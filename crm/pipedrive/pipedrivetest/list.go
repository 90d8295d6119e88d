package pipedrivetest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The query parameters Pipedrive documents for each list (FACTS.md,
// "GET /api/v2/activities" and "GET /api/v2/deals").
var (
	activityParams = []string{"filter_id", "ids", "owner_id", "deal_id", "lead_id", "person_id", "org_id", "done", "updated_since", "updated_until", "sort_by", "sort_direction", "include_fields", "limit", "cursor"}
	dealParams     = []string{"filter_id", "ids", "owner_id", "person_id", "org_id", "pipeline_id", "stage_id", "status", "updated_since", "updated_until", "sort_by", "sort_direction", "include_fields", "custom_fields", "limit", "cursor"}
)

// filtered lists the parameters the stand-in applies; the other documented
// ones are answered 501.
var filtered = map[string]bool{
	"owner_id": true, "done": true, "status": true, "updated_since": true, "updated_until": true,
	"sort_by": true, "sort_direction": true, "limit": true, "cursor": true,
}

// Paging limits of the v2 lists (FACTS.md, "Paging").
const (
	defaultLimit = 100
	maxLimit     = 500
)

// listQuery is a list request's parameters, parsed.
type listQuery struct {
	owner        int // 0: any
	done         *bool
	statuses     []string // deals; empty: all not deleted
	since, until time.Time
	limit        int
	after        int // the cursor: records with a greater ID
}

// parseList reads q against the parameters documented for the list. A
// failure comes back as an HTTP status and Pipedrive-style message.
func parseList(q url.Values, documented []string) (listQuery, int, string) {
	lq := listQuery{limit: defaultLimit}
	for _, k := range slices.Sorted(maps.Keys(q)) {
		v := q.Get(k)
		if !slices.Contains(documented, k) {
			return lq, http.StatusBadRequest, fmt.Sprintf("unknown query parameter %q", k)
		}
		if !filtered[k] {
			return lq, http.StatusNotImplemented, fmt.Sprintf("the stand-in does not implement %q", k)
		}
		var err error
		switch k {
		case "owner_id":
			lq.owner, err = strconv.Atoi(v)
		case "done":
			// v2 takes true and false only, where v1 also took 1 and 0.
			if v != "true" && v != "false" {
				err = fmt.Errorf("must be true or false")
			}
			b := v == "true"
			lq.done = &b
		case "status":
			for st := range strings.SplitSeq(v, ",") {
				if !slices.Contains([]string{"open", "won", "lost", "deleted"}, st) {
					err = fmt.Errorf("must be open, won, lost or deleted")
				}
				lq.statuses = append(lq.statuses, st)
			}
		case "updated_since":
			lq.since, err = time.Parse(time.RFC3339, v)
		case "updated_until":
			lq.until, err = time.Parse(time.RFC3339, v)
		case "sort_by":
			if v != "id" {
				return lq, http.StatusNotImplemented, "the stand-in sorts by id only"
			}
		case "sort_direction":
			if v != "asc" {
				return lq, http.StatusNotImplemented, "the stand-in sorts ascending only"
			}
		case "limit":
			lq.limit, err = strconv.Atoi(v)
			if err == nil && (lq.limit < 1 || lq.limit > maxLimit) {
				err = fmt.Errorf("must be from 1 to %d", maxLimit)
			}
		case "cursor":
			lq.after, err = decodeCursor(v)
		}
		if err != nil {
			return lq, http.StatusBadRequest, fmt.Sprintf("parameter %q: %v", k, err)
		}
	}
	return lq, http.StatusOK, ""
}

// updated reports whether t passes the updated_since and updated_until
// bounds: since is inclusive, until exclusive.
func (lq *listQuery) updated(t time.Time) bool {
	return (lq.since.IsZero() || !t.Before(lq.since)) && (lq.until.IsZero() || t.Before(lq.until))
}

func (s *Server) listActivities(q url.Values) (any, *string, int, string) {
	lq, code, msg := parseList(q, activityParams)
	if code != http.StatusOK {
		return nil, nil, code, msg
	}
	var page []activityJSON
	for i := range s.activities {
		a := &s.activities[i]
		if a.id <= lq.after || a.Deleted || (lq.owner != 0 && a.Owner != lq.owner) ||
			(lq.done != nil && *lq.done != !a.Done.IsZero()) || !lq.updated(a.Updated) {
			continue
		}
		if len(page) == lq.limit {
			return page, encodeCursor(page[len(page)-1].ID), http.StatusOK, ""
		}
		page = append(page, a.json())
	}
	return orEmpty(page), nil, http.StatusOK, ""
}

func (s *Server) listDeals(q url.Values) (any, *string, int, string) {
	lq, code, msg := parseList(q, dealParams)
	if code != http.StatusOK {
		return nil, nil, code, msg
	}
	var page []dealJSON
	for i := range s.deals {
		d := &s.deals[i]
		st := d.status()
		if d.id <= lq.after || (lq.owner != 0 && d.Owner != lq.owner) || !lq.updated(d.Updated) {
			continue
		}
		if len(lq.statuses) == 0 && st == "deleted" || len(lq.statuses) > 0 && !slices.Contains(lq.statuses, st) {
			continue
		}
		if len(page) == lq.limit {
			return page, encodeCursor(page[len(page)-1].ID), http.StatusOK, ""
		}
		page = append(page, d.json())
	}
	return orEmpty(page), nil, http.StatusOK, ""
}

// orEmpty makes a nil page an empty JSON array rather than null.
func orEmpty[T any](page []T) []T {
	if page == nil {
		return []T{}
	}
	return page
}

// cursor is what the stand-in's opaque cursors hold, in the form of
// Pipedrive's documented example.
type cursor struct {
	Field         string `json:"field"`
	FieldValue    int    `json:"fieldValue"`
	SortDirection string `json:"sortDirection"`
	ID            int    `json:"id"`
}

func encodeCursor(id int) *string {
	b, _ := json.Marshal(cursor{Field: "id", FieldValue: id, SortDirection: "asc", ID: id})
	s := base64.RawURLEncoding.EncodeToString(b)
	return &s
}

func decodeCursor(s string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Field != "id" || c.ID <= 0 {
		return 0, fmt.Errorf("not a cursor this server gave")
	}
	return c.ID, nil
}
