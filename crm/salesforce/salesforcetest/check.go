package salesforcetest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/salespulse/pulse"
)

var (
	dateRE     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	dateTimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)
)

// typed turns a literal into a value of field f's kind, or says why not in
// Salesforce's words.
func typed(name string, f field, l literal) (any, error) {
	word := strings.ToLower(l.text)
	if l.kind == tokWord && word == "null" {
		return nil, nil
	}
	bad := func(want string) error {
		return &queryError{"INVALID_FIELD", fmt.Sprintf("value of filter criterion for field '%s' must be of type %s and should not be enclosed in quotes", name, want)}
	}
	switch f.kind {
	case kindBoolean:
		if l.kind != tokWord {
			return nil, bad("boolean")
		}
		return word == "true", nil
	case kindDate:
		d, err := pulse.ParseDate(l.text)
		if l.kind != tokValue || !dateRE.MatchString(l.text) || err != nil {
			return nil, bad("date")
		}
		return d, nil
	case kindDateTime:
		t, err := time.Parse(time.RFC3339Nano, l.text)
		if l.kind != tokValue || !dateTimeRE.MatchString(l.text) || err != nil {
			return nil, bad("dateTime")
		}
		return t.UTC(), nil
	case kindCurrency:
		v, err := strconv.ParseFloat(l.text, 64)
		if l.kind != tokValue || err != nil {
			return nil, bad("double")
		}
		return v, nil
	default:
		if l.kind != tokString {
			return nil, &queryError{"MALFORMED_QUERY", fmt.Sprintf("value of filter criterion for field '%s' must be a string in quotes", name)}
		}
		return l.text, nil
	}
}

// check holds a parsed query to the schema: the object and its fields
// exist, values fit their fields, grouping follows SOQL's rules.
func check(q *soql) error {
	obj, ok := schema[q.object]
	if !ok {
		return &queryError{"INVALID_TYPE", fmt.Sprintf("sObject type '%s' is not supported.", q.object)}
	}
	lookup := func(name string) (field, error) {
		f, ok := obj.fields[name]
		if !ok {
			return field{}, &queryError{"INVALID_FIELD", fmt.Sprintf("No such column '%s' on entity '%s'.", name, q.object)}
		}
		return f, nil
	}
	for i := range q.conds {
		c := &q.conds[i]
		f, err := lookup(c.field)
		if err != nil {
			return err
		}
		if f.kind == kindBoolean && c.op != "=" && c.op != "!=" {
			return &queryError{"INVALID_FIELD", fmt.Sprintf("invalid operator on boolean field: %s", c.field)}
		}
		for j, v := range c.values {
			tv, err := typed(c.field, f, v.(literal))
			if err != nil {
				return err
			}
			if tv == nil && c.op != "=" && c.op != "!=" {
				return malformed("null may only be compared with = or !=")
			}
			c.values[j] = tv
		}
	}
	grouped := map[string]bool{}
	for _, g := range q.groupBy {
		f, err := lookup(g)
		if err != nil {
			return err
		}
		if !f.group {
			return &queryError{"INVALID_FIELD", fmt.Sprintf("field '%s' can not be grouped in a query call", g)}
		}
		grouped[g] = true
	}
	agg := q.aggregate()
	for _, it := range q.items {
		if it.field != "" {
			f, err := lookup(it.field)
			if err != nil {
				return err
			}
			if it.fn == "SUM" && f.kind != kindCurrency {
				return malformed("field %s does not support aggregate operator SUM", it.field)
			}
		}
		switch {
		case it.fn == "COUNT" && it.field == "" && (len(q.items) > 1 || len(q.groupBy) > 0):
			return malformed("COUNT() stands alone; with other fields or GROUP BY use COUNT(fieldName)")
		case it.fn == "" && agg && !grouped[it.field]:
			return malformed("Field must be grouped or aggregated: %s", it.field)
		}
	}
	return nil
}
