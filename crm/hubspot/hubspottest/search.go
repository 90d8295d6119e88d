package hubspottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Search's limits (FACTS.md, "Limits"): 200 records a page, 10 when the
// request names none, no page starting at or past the 10,000th result, at
// most 5 filter groups of at most 6 filters.
const (
	maxPageSize     = 200
	defaultPageSize = 10
	maxResults      = 10_000
	maxFilterGroups = 5
	maxGroupFilters = 6
)

// operators are the filter operators of HubSpot's Filter model.
var operators = []string{
	"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
	"HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN",
}

// searchRequest is PublicObjectSearchRequest.
type searchRequest struct {
	Query        *string         `json:"query"`
	Limit        *int            `json:"limit"`
	After        *string         `json:"after"`
	Sorts        json.RawMessage `json:"sorts"` // strings in the spec, objects in the guide; unused here
	Properties   []string        `json:"properties"`
	FilterGroups []filterGroup   `json:"filterGroups"`
}

type filterGroup struct {
	Filters []filter `json:"filters"`
}

type filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        *string  `json:"value"`
	HighValue    *string  `json:"highValue"`
	Values       []string `json:"values"`
}

// searchPage is CollectionResponseWithTotalSimplePublicObjectForwardPaging.
type searchPage struct {
	Total   int            `json:"total"`
	Results []simpleObject `json:"results"`
	Paging  *forwardPaging `json:"paging,omitempty"`
}

// simpleObject is SimplePublicObject.
type simpleObject struct {
	ID         string             `json:"id"`
	Properties map[string]*string `json:"properties"`
	CreatedAt  string             `json:"createdAt"`
	UpdatedAt  string             `json:"updatedAt"`
	Archived   bool               `json:"archived"`
}

type forwardPaging struct {
	Next *nextPage `json:"next,omitempty"`
}

type nextPage struct {
	After string `json:"after"`
	Link  string `json:"link,omitempty"`
}

// serveSearch answers POST /crm/v3/objects/{object}/search.
func (s *Server) serveSearch(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	objectType := r.PathValue("object")
	props, ok := schema[objectType]
	if !ok {
		s.fail(w, r, http.StatusNotFound, "", "resource not found")
		return
	}
	if !s.admit(w, r, true) {
		return
	}
	var req searchRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.invalid(w, r, body, "INVALID_JSON", "Invalid input JSON: "+err.Error(), nil)
		return
	}
	size, offset, problem := pageOf(req)
	if problem == "" {
		problem = validFilters(req.FilterGroups, props)
	}
	if problem == "" && req.Query != nil && *req.Query != "" {
		problem = "the stand-in does not search by query; use filterGroups"
	}
	if problem != "" {
		s.invalid(w, r, body, "INVALID_REQUEST", problem, nil)
		return
	}

	s.mu.Lock()
	var matched []*object
	for _, o := range s.objects[objectType] {
		if matches(o, req.FilterGroups, props) {
			matched = append(matched, o)
		}
	}
	page := searchPage{Total: len(matched), Results: []simpleObject{}}
	end := min(offset+size, len(matched))
	for _, o := range matched[min(offset, end):end] {
		page.Results = append(page.Results, o.public(objectType, req.Properties, props))
	}
	s.mu.Unlock()
	if end < len(matched) {
		after := strconv.Itoa(end)
		page.Paging = &forwardPaging{Next: &nextPage{After: after}}
	}
	s.answer(w, r, body, http.StatusOK, page)
}

// pageOf reads the page size and the offset that after stands for, or says
// what is wrong with them. HubSpot's search cursor is the offset of the
// next result, written as text.
func pageOf(req searchRequest) (size, offset int, problem string) {
	size = defaultPageSize
	if req.Limit != nil {
		size = *req.Limit
	}
	if size < 1 || size > maxPageSize {
		return 0, 0, fmt.Sprintf("limit must be between 1 and %d, got %d", maxPageSize, size)
	}
	if req.After != nil && *req.After != "" {
		n, err := strconv.Atoi(*req.After)
		if err != nil || n < 0 {
			return 0, 0, fmt.Sprintf("after %q is not a paging cursor this search gave", *req.After)
		}
		offset = n
	}
	if offset >= maxResults {
		return 0, 0, fmt.Sprintf("the search can page through at most %d results; after was %d", maxResults, offset)
	}
	return size, offset, ""
}

// validFilters checks the filter groups as HubSpot does: how many, that
// each names a property of the object and a known operator, and that the
// operator has its operands. It returns "" when they are valid.
func validFilters(groups []filterGroup, props map[string]kind) string {
	if len(groups) > maxFilterGroups {
		return fmt.Sprintf("at most %d filterGroups are allowed, got %d", maxFilterGroups, len(groups))
	}
	for _, g := range groups {
		if len(g.Filters) > maxGroupFilters {
			return fmt.Sprintf("at most %d filters are allowed in a filterGroup, got %d", maxGroupFilters, len(g.Filters))
		}
		for _, f := range g.Filters {
			k, ok := props[f.PropertyName]
			switch {
			case f.PropertyName == "":
				return "a filter has no propertyName"
			case !ok:
				return fmt.Sprintf("Property %q does not exist", f.PropertyName)
			case !slices.Contains(operators, f.Operator):
				return fmt.Sprintf("operator %q is not one of %s", f.Operator, strings.Join(operators, ", "))
			}
			if p := operands(f, k); p != "" {
				return p
			}
		}
	}
	return ""
}

// operands checks that f carries what its operator needs, readable as the
// property's kind.
func operands(f filter, k kind) string {
	need := func(v *string) string {
		if v == nil {
			return fmt.Sprintf("operator %s on %s needs a value", f.Operator, f.PropertyName)
		}
		if _, ok := comparable(*v, k); !ok {
			return fmt.Sprintf("%q is not a valid value for %s", *v, f.PropertyName)
		}
		return ""
	}
	switch f.Operator {
	case "HAS_PROPERTY", "NOT_HAS_PROPERTY":
		return ""
	case "IN", "NOT_IN":
		if len(f.Values) == 0 {
			return fmt.Sprintf("operator %s on %s needs values", f.Operator, f.PropertyName)
		}
		return ""
	case "BETWEEN":
		if p := need(f.Value); p != "" {
			return p
		}
		return need(f.HighValue)
	}
	return need(f.Value)
}

// matches reports whether o passes any of the groups (all of one group's
// filters); no groups match everything.
func matches(o *object, groups []filterGroup, props map[string]kind) bool {
	if len(groups) == 0 {
		return true
	}
	for _, g := range groups {
		all := true
		for _, f := range g.Filters {
			if !passes(o, f, props[f.PropertyName]) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// passes reports whether o's property passes f. A record without the
// property passes only NOT_HAS_PROPERTY.
func passes(o *object, f filter, k kind) bool {
	stored, set := o.props[f.PropertyName]
	switch f.Operator {
	case "HAS_PROPERTY":
		return set
	case "NOT_HAS_PROPERTY":
		return !set
	}
	if !set {
		return false
	}
	switch f.Operator {
	case "IN", "NOT_IN":
		in := slices.ContainsFunc(f.Values, func(v string) bool { return strings.EqualFold(v, stored) })
		return in == (f.Operator == "IN")
	case "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN":
		has := strings.Contains(strings.ToLower(stored), strings.ToLower(strings.Trim(*f.Value, "*")))
		return has == (f.Operator == "CONTAINS_TOKEN")
	}
	c := o.compare(f.PropertyName, stored, *f.Value, k)
	switch f.Operator {
	case "EQ":
		return c == 0
	case "NEQ":
		return c != 0
	case "LT":
		return c < 0
	case "LTE":
		return c <= 0
	case "GT":
		return c > 0
	case "GTE":
		return c >= 0
	case "BETWEEN":
		return c >= 0 && o.compare(f.PropertyName, stored, *f.HighValue, k) <= 0
	}
	return false
}

// compare orders o's value of prop against a filter's, as the property's
// kind orders them: datetimes by instant, numbers by value, the rest as
// text without regard to case.
func (o *object) compare(prop, stored, operand string, k kind) int {
	a := o.nums[prop]
	b, _ := comparable(operand, k)
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	if k == number || k == datetime {
		return 0
	}
	return strings.Compare(strings.ToLower(stored), strings.ToLower(operand))
}

// comparable reads v as a number for the numeric kinds: a datetime as epoch
// milliseconds, written so or as ISO 8601. Text kinds read as 0, and
// compare by their text.
func comparable(v string, k kind) (float64, bool) {
	v = strings.TrimSpace(v)
	switch k {
	case number:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	case datetime:
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
			return float64(ms), true
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		return float64(t.UnixMilli()), err == nil
	case boolean:
		return 0, v == "true" || v == "false"
	}
	return 0, true
}

// public is o as a search returns it: the asked properties that the
// object type has (null when unset), and those every search returns.
func (o *object) public(objectType string, asked []string, props map[string]kind) simpleObject {
	out := simpleObject{
		ID: o.id, Properties: map[string]*string{},
		CreatedAt: instant(o.createdAt), UpdatedAt: instant(o.updated),
	}
	for _, name := range append(slices.Clone(alwaysReturned[objectType]), asked...) {
		if _, known := props[name]; !known {
			continue // HubSpot leaves out properties that do not exist
		}
		if v, ok := o.props[name]; ok {
			out.Properties[name] = &v
		} else {
			out.Properties[name] = nil
		}
	}
	return out
}
