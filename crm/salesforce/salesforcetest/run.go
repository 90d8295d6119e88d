package salesforcetest

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/salespulse/pulse"
)

// answerDateTime is how Salesforce writes a dateTime in a query's answer
// (FACTS.md): 2013-05-20T20:49:32.000+0000.
const answerDateTime = "2006-01-02T15:04:05.000-0700"

// result is a query's rows, each already encoded as the JSON record
// Salesforce sends, and whether they are AggregateResults.
type result struct {
	rows    []json.RawMessage
	grouped bool
	count   int // COUNT()'s answer: totalSize with no records
	counted bool
}

// run answers q over the records. The caller holds s.mu.
func (s *Server) run(q *soql, version string) result {
	var rows []record
	for _, r := range s.records[q.object] {
		if matches(r, q.conds) {
			rows = append(rows, r)
		}
	}
	if len(q.items) == 1 && q.items[0].fn == "COUNT" && q.items[0].field == "" {
		n := len(rows)
		if q.limit > 0 {
			n = min(n, q.limit)
		}
		return result{count: n, counted: true}
	}
	if !q.aggregate() {
		out := make([]json.RawMessage, 0, len(rows))
		for _, r := range rows {
			out = append(out, encodeRecord(q, r, version))
			if q.limit > 0 && len(out) == q.limit {
				break
			}
		}
		return result{rows: out}
	}
	return result{rows: group(q, rows), grouped: true}
}

// matches reports whether r meets every condition.
func matches(r record, conds []cond) bool {
	for _, c := range conds {
		v := r[c.field]
		ok := false
		switch c.op {
		case "IN":
			for _, w := range c.values {
				if equal(v, w) {
					ok = true
					break
				}
			}
		case "=":
			ok = equal(v, c.values[0])
		case "!=":
			ok = !equal(v, c.values[0])
		default:
			// An empty field meets no ordering, as in SOQL.
			if v == nil {
				return false
			}
			n := compare(v, c.values[0])
			ok = c.op == "<" && n < 0 || c.op == "<=" && n <= 0 || c.op == ">" && n > 0 || c.op == ">=" && n >= 0
		}
		if !ok {
			return false
		}
	}
	return true
}

// equal reports whether two values of one field are equal; nil equals only
// nil, and text compares without case, as SOQL's = does for most fields.
func equal(a, b any) bool {
	if as, ok := a.(string); ok {
		bs, ok := b.(string)
		return ok && strings.EqualFold(as, bs)
	}
	return compare(a, b) == 0
}

// compare orders two values of one field; nil equals only nil. Text
// compares without case.
func compare(a, b any) int {
	if a == nil || b == nil {
		if a == nil && b == nil {
			return 0
		}
		return 2 // unequal, and no order
	}
	switch a := a.(type) {
	case string:
		return strings.Compare(strings.ToLower(a), strings.ToLower(b.(string)))
	case bool:
		if a == b.(bool) {
			return 0
		}
		return 2
	case pulse.Date:
		return a.Compare(b.(pulse.Date))
	case time.Time:
		return a.Compare(b.(time.Time))
	case float64:
		switch bv := b.(float64); {
		case a < bv:
			return -1
		case a > bv:
			return 1
		}
		return 0
	}
	return 2
}

// group answers an aggregate query: one AggregateResult per group, in the
// order of the groups' keys.
func group(q *soql, rows []record) []json.RawMessage {
	type bucket struct {
		key  []any
		rows []record
	}
	var buckets []*bucket
	index := map[string]*bucket{}
	for _, r := range rows {
		key := make([]any, len(q.groupBy))
		var b strings.Builder
		for i, g := range q.groupBy {
			key[i] = r[g]
			b.WriteString(text(r[g]))
			b.WriteByte(0)
		}
		k := b.String()
		if index[k] == nil {
			index[k] = &bucket{key: key}
			buckets = append(buckets, index[k])
		}
		index[k].rows = append(index[k].rows, r)
	}
	slices.SortFunc(buckets, func(a, b *bucket) int {
		for i := range a.key {
			if n := strings.Compare(text(a.key[i]), text(b.key[i])); n != 0 {
				return n
			}
		}
		return 0
	})
	if len(q.groupBy) == 0 && len(buckets) == 0 {
		// An aggregate without GROUP BY answers one row even over nothing.
		buckets = append(buckets, &bucket{})
	}
	out := make([]json.RawMessage, 0, len(buckets))
	for _, bk := range buckets {
		if q.limit > 0 && len(out) == q.limit {
			break
		}
		var buf bytes.Buffer
		buf.WriteString(`{"attributes":{"type":"AggregateResult"}`)
		for _, it := range q.items {
			buf.WriteString(`,`)
			writeString(&buf, it.alias)
			buf.WriteByte(':')
			switch it.fn {
			case "":
				i := slices.Index(q.groupBy, it.field)
				writeValue(&buf, bk.key[i])
			case "COUNT":
				n := 0
				for _, r := range bk.rows {
					if it.field == "" || r[it.field] != nil {
						n++
					}
				}
				buf.WriteString(strconv.Itoa(n))
			case "SUM":
				var sum float64
				seen := false
				for _, r := range bk.rows {
					if v, ok := r[it.field].(float64); ok {
						sum += v
						seen = true
					}
				}
				if seen {
					writeValue(&buf, sum)
				} else {
					buf.WriteString("null")
				}
			}
		}
		buf.WriteByte('}')
		out = append(out, buf.Bytes())
	}
	return out
}

// encodeRecord writes one row as Salesforce does: attributes first, with
// the record's type and URL, then the selected fields in the query's order.
func encodeRecord(q *soql, r record, version string) json.RawMessage {
	var buf bytes.Buffer
	buf.WriteString(`{"attributes":{"type":`)
	writeString(&buf, q.object)
	buf.WriteString(`,"url":`)
	writeString(&buf, "/services/data/"+version+"/sobjects/"+q.object+"/"+r["Id"].(string))
	buf.WriteByte('}')
	for _, it := range q.items {
		buf.WriteByte(',')
		writeString(&buf, it.field)
		buf.WriteByte(':')
		writeValue(&buf, r[it.field])
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// writeValue writes a field's value in the answer's JSON: dates as
// YYYY-MM-DD, dateTimes in Salesforce's layout, numbers as numbers.
func writeValue(buf *bytes.Buffer, v any) {
	switch v := v.(type) {
	case nil:
		buf.WriteString("null")
	case string:
		writeString(buf, v)
	case bool:
		buf.WriteString(strconv.FormatBool(v))
	case pulse.Date:
		writeString(buf, v.String())
	case time.Time:
		writeString(buf, v.UTC().Format(answerDateTime))
	case float64:
		buf.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	}
}

// writeString writes s as a JSON string: as it is when nothing in it needs
// escaping, as IDs, dates and most names do not, else through
// encoding/json.
func writeString(buf *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			b, _ := json.Marshal(s)
			buf.Write(b)
			return
		}
	}
	buf.WriteByte('"')
	buf.WriteString(s)
	buf.WriteByte('"')
}

// text is a value's sortable text, for grouping keys: dates and dateTimes
// in ISO order, so text order is time order.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case pulse.Date:
		return v.String()
	case time.Time:
		return v.UTC().Format(answerDateTime)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}
