package salesforce

import (
	"fmt"
	"strings"
	"time"

	"github.com/salespulse/pulse"
)

// quote writes s as a SOQL string literal. The quote and the backslash are
// escaped, as are the characters SOQL has escapes for; any other control
// character becomes \uXXXX (FACTS.md: quoted string escape sequences).
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'', '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04x`, r)
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// idList writes owner IDs as a parenthesised list of literals for IN.
func idList(ids []string) string {
	var b strings.Builder
	b.Grow(len(ids) * 21)
	b.WriteByte('(')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(quote(id))
	}
	b.WriteByte(')')
	return b.String()
}

// dateLiteral writes a date for a date field: YYYY-MM-DD, unquoted.
func dateLiteral(d pulse.Date) string { return d.String() }

// dateTimeLiteral writes an instant for a dateTime field, in UTC, unquoted.
func dateTimeLiteral(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// validID reports whether id reads like a Salesforce record ID: 15 or 18
// letters and digits. Owner IDs go into the SOQL text, so anything else is
// refused before it gets there.
func validID(id string) bool {
	if len(id) != 15 && len(id) != 18 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// The layouts of a dateTime value in a query's answer: Salesforce writes
// 2013-05-20T20:49:32.000+0000; RFC 3339 is accepted too.
const answerDateTime = "2006-01-02T15:04:05.000-0700"

// parseDateTime reads a dateTime value of a query's answer.
func parseDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(answerDateTime, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}
