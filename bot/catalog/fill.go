package catalog

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/salespulse/pulse"
)

// Nearly every sentence Pulse says fills plain {{.Field}} placeholders, and
// go-i18n runs each through text/template, whose reflection was most of
// the time and garbage of rendering a status. A sentence whose every
// action is a plain field is split once, when the catalogue loads, into
// text and fields, and filled by concatenation; its plural form is chosen
// by x/text's CLDR rules. Anything richer goes through go-i18n as before.
// A test holds both ways to the same output for every sentence.

// fillable is a sentence split into its forms, each a run of parts.
type fillable struct {
	forms [plural.Many + 1][]part // by plural form; nil when the message lacks it
}

// part is literal text, or the data field to write in its place.
type part struct {
	text  string
	field string
}

// plainAction is a placeholder that only names a field.
var plainAction = regexp.MustCompile(`\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// split returns the parts of one form, or ok false when it has an action
// that is more than a field.
func split(src string) (parts []part, ok bool) {
	last := 0
	for _, m := range plainAction.FindAllStringSubmatchIndex(src, -1) {
		if lit := src[last:m[0]]; lit != "" {
			if strings.Contains(lit, "{{") {
				return nil, false
			}
			parts = append(parts, part{text: lit})
		}
		parts = append(parts, part{field: src[m[2]:m[3]]})
		last = m[1]
	}
	if lit := src[last:]; lit != "" {
		if strings.Contains(lit, "{{") {
			return nil, false
		}
		parts = append(parts, part{text: lit})
	}
	return parts, true
}

// newFillable splits every form of m, or returns nil when one of them
// needs text/template.
func newFillable(m *i18n.Message) *fillable {
	f := new(fillable)
	for form, src := range map[plural.Form]string{
		plural.Zero: m.Zero, plural.One: m.One, plural.Two: m.Two,
		plural.Few: m.Few, plural.Many: m.Many, plural.Other: m.Other,
	} {
		if src == "" {
			continue
		}
		parts, ok := split(src)
		if !ok {
			return nil
		}
		if parts == nil {
			parts = []part{} // an empty form that exists
		}
		f.forms[form] = parts
	}
	return f
}

// fill writes the form of the sentence for count (when hasCount) with data,
// and Count as count's digits when hasCount.
func (f *fillable) fill(tag language.Tag, data map[string]any, count int, hasCount bool, countText string) string {
	parts := f.form(tag, count, hasCount)
	if len(parts) == 1 && parts[0].field == "" {
		// Most of a status is labels without placeholders: said as they
		// read, with nothing built.
		return parts[0].text
	}
	// Sized to the text, so the builder is allocated once.
	var b strings.Builder
	b.Grow(filledLen(parts, data, hasCount, countText))
	for _, p := range parts {
		b.WriteString(partText(p, data, hasCount, countText))
	}
	return b.String()
}

// appendFill is fill appended to dst, for a caller that writes many
// sentences into one text.
func (f *fillable) appendFill(dst []byte, tag language.Tag, data map[string]any, count int, hasCount bool, countText string) []byte {
	for _, p := range f.form(tag, count, hasCount) {
		dst = append(dst, partText(p, data, hasCount, countText)...)
	}
	return dst
}

// form is the sentence's form for count, when hasCount; else its other.
func (f *fillable) form(tag language.Tag, count int, hasCount bool) []part {
	form := plural.Other
	if hasCount {
		form = plural.Cardinal.MatchPlural(tag, abs(count), 0, 0, 0, 0)
	}
	if parts := f.forms[form]; parts != nil {
		return parts
	}
	return f.forms[plural.Other] // as go-i18n falls back
}

// filledLen is about how long parts run filled: exactly, when every field
// is text.
func filledLen(parts []part, data map[string]any, hasCount bool, countText string) int {
	n := 0
	for _, p := range parts {
		switch {
		case p.field == "":
			n += len(p.text)
		case hasCount && p.field == "Count":
			n += len(countText)
		default:
			if s, ok := data[p.field].(string); ok {
				n += len(s)
			} else {
				n += 20
			}
		}
	}
	return n
}

// partText is what one part writes.
func partText(p part, data map[string]any, hasCount bool, countText string) string {
	switch {
	case p.field == "":
		return p.text
	case hasCount && p.field == "Count":
		return countText
	}
	return valueText(data[p.field])
}

// valueText is v as text/template prints a field's value.
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return "<no value>" // text/template's word for a missing key
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	default:
		return fmt.Sprint(v)
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// langTags are the tags the plural rules are looked up by.
var langTags = func() map[pulse.Lang]language.Tag {
	m := make(map[pulse.Lang]language.Tag, len(pulse.Langs))
	for _, l := range pulse.Langs {
		m[l] = language.Make(string(l))
	}
	return m
}()
