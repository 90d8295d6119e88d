package catalog

import (
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/salespulse/pulse"
)

// The one place numbers, percentages, dates and times are written for a
// person. Digit grouping and the decimal mark come from CLDR through
// golang.org/x/text (1,234.5 in English; 1 234,5 with a no-break space in
// Norwegian, Russian and Polish); the names of weekdays and months and the
// order of a date's parts come from the catalogue's [format] table, so a
// translator decides them.

// maxDecimals caps what Number rounds to: more is noise in a chat message.
const maxDecimals = 6

// printers returns a number printer for each language Pulse speaks. A
// Printer is safe for concurrent use: each call takes its own state.
func printers() map[pulse.Lang]*message.Printer {
	out := make(map[pulse.Lang]*message.Printer, len(pulse.Langs))
	for _, l := range pulse.Langs {
		out[l] = message.NewPrinter(language.Make(string(l)))
	}
	return out
}

func (c *Catalog) printer(lang pulse.Lang) *message.Printer {
	if p, ok := c.printers[lang]; ok {
		return p
	}
	return c.printers[pulse.English]
}

// Number writes v with lang's digit grouping and decimal mark, rounded to
// at most decimals places and without trailing zeros: Number(en, 1234.50,
// 2) is "1,234.5", Number(nb, 3, 1) is "3". A value that is not a number
// is written as a dash, never as "NaN".
func (c *Catalog) Number(lang pulse.Lang, v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	decimals = min(max(decimals, 0), maxDecimals)
	p := math.Pow(10, float64(decimals))
	v = math.Round(v*p) / p
	if v == 0 {
		v = 0 // no "-0" for a small negative rounded away
	}
	if v >= 0 && v < 1e9 {
		// A status writes dozens of numbers, and the printer allocates for
		// each: whole numbers and tenths, the kinds a status writes, take
		// only the language's marks, which the printer gave at load.
		m := c.marks(lang)
		if v == math.Trunc(v) {
			return m.whole(int(v))
		}
		if tenths := v * 10; tenths == math.Trunc(tenths) {
			t := int(tenths)
			return m.whole(t/10) + m.decimal + strconv.Itoa(t%10)
		}
	}
	return c.printer(lang).Sprint(number.Decimal(v, number.MaxFractionDigits(decimals)))
}

// numberMarks is how a language writes a number's marks: "1,234.5" in
// English, "1 234,5" in Norwegian, and "1234" but "12 345" in Polish,
// which groups only five digits and more.
type numberMarks struct {
	decimal, group string
	fourDigits     bool // whether a number of four digits is grouped
}

// whole writes n ≥ 0 with the marks' grouping.
func (m numberMarks) whole(n int) string {
	s := strconv.Itoa(n)
	if len(s) <= 3 || len(s) == 4 && !m.fourDigits {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/3*len(m.group))
	first := len(s) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(s[:first])
	for i := first; i < len(s); i += 3 {
		b.WriteString(m.group)
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

func (c *Catalog) marks(lang pulse.Lang) numberMarks {
	if m, ok := c.numberMarks[lang]; ok {
		return m
	}
	return c.numberMarks[pulse.English]
}

// numberMarksOf asks each printer for its marks.
func numberMarksOf(ps map[pulse.Lang]*message.Printer) map[pulse.Lang]numberMarks {
	out := make(map[pulse.Lang]numberMarks, len(ps))
	for l, p := range ps {
		group, _, _ := strings.Cut(strings.TrimPrefix(p.Sprint(number.Decimal(1000000)), "1"), "000")
		out[l] = numberMarks{
			decimal:    strings.TrimSuffix(strings.TrimPrefix(p.Sprint(number.Decimal(1.5)), "1"), "5"),
			group:      group,
			fourDigits: p.Sprint(number.Decimal(1000)) != "1000",
		}
	}
	return out
}

// Count writes a whole number with lang's digit grouping: "1,250" in
// English, "1 250" in Norwegian.
func (c *Catalog) Count(lang pulse.Lang, n int) string {
	return c.Number(lang, float64(n), 0)
}

// Percent writes a fraction (0.5 for half) as a whole percentage the way
// lang writes one: "50%" in English and Polish, "50 %" in Norwegian and
// Russian.
func (c *Catalog) Percent(lang pulse.Lang, fraction float64) string {
	if math.IsNaN(fraction) || math.IsInf(fraction, 0) {
		return "–"
	}
	fraction = math.Round(fraction*100) / 100
	if fraction == 0 {
		fraction = 0
	}
	n := math.Round(fraction * 100)
	texts := c.percents[lang]
	if texts == nil {
		texts = c.percents[pulse.English]
	}
	if n < 0 || n >= float64(len(texts)) {
		return c.printer(lang).Sprint(number.Percent(fraction, number.MaxFractionDigits(0)))
	}
	if t := texts[int(n)].Load(); t != nil {
		return *t
	}
	t := c.printer(lang).Sprint(number.Percent(fraction, number.MaxFractionDigits(0)))
	texts[int(n)].Store(&t)
	return t
}

// percentTexts holds a language's whole percents from 0% to 999% once
// written: a manager's /pulse writes two for each rep's pace, and the
// printer took a tenth of the answer's time writing the same few again.
type percentTexts [1000]atomic.Pointer[string]

// percentCaches returns an empty percentTexts for each language Pulse speaks.
func percentCaches() map[pulse.Lang]*percentTexts {
	out := make(map[pulse.Lang]*percentTexts, len(pulse.Langs))
	for _, l := range pulse.Langs {
		out[l] = new(percentTexts)
	}
	return out
}

var weekdayKeys = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Weekday is a day of the week's short name in lang: "Mon".
func (c *Catalog) Weekday(lang pulse.Lang, wd time.Weekday) string {
	if wd < time.Sunday || wd > time.Saturday {
		return ""
	}
	return c.T(lang, "format.weekday_"+weekdayKeys[wd], nil)
}

// Month is a month's name as it reads inside a date in lang: "Nov" in
// English, the genitive "ноября" in Russian.
func (c *Catalog) Month(lang pulse.Lang, m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	return c.T(lang, "format.month_"+strconv.Itoa(int(m)), nil)
}

// Date writes a day with its weekday and without the year, the way lang
// does: "Mon 23 Nov" in English. The zero Date is written as "".
func (c *Catalog) Date(lang pulse.Lang, d pulse.Date) string {
	return c.date(lang, "format.date_short", d)
}

// DateLong writes a day with its weekday and year: "Mon 23 Nov 2026".
func (c *Catalog) DateLong(lang pulse.Lang, d pulse.Date) string {
	return c.date(lang, "format.date_long", d)
}

func (c *Catalog) date(lang pulse.Lang, key string, d pulse.Date) string {
	if d.IsZero() {
		return ""
	}
	t := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	return c.T(lang, key, map[string]any{
		"Weekday": c.Weekday(lang, t.Weekday()),
		"Day":     t.Day(),
		"Month":   c.Month(lang, t.Month()),
		"Year":    t.Year(),
	})
}

// Clock writes t's wall-clock time, in t's own location, as lang reads it:
// every language Pulse speaks reads a 24-hour clock, "09:12".
func (c *Catalog) Clock(lang pulse.Lang, t time.Time) string {
	_ = lang
	return t.Format("15:04")
}

// ParseNumber reads a number a person typed, in any language Pulse speaks:
// a decimal comma is read like a point, and spaces (also no-break ones)
// between digit groups are ignored. It refuses negatives, NaN, infinities
// and numbers past a trillion.
func ParseNumber(s string) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f':
			return -1
		case ',':
			return '.'
		}
		return r
	}, strings.TrimSpace(s))
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsNaN(f) || f > 1e12 {
		return 0, false
	}
	return f, true
}
