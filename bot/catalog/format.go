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
	if v >= 0 && v < 1000 && v == math.Trunc(v) {
		// Under a thousand a whole number has no group separator and no
		// sign in any language Pulse speaks; a status writes dozens of
		// them, and the printer allocates for each.
		return strconv.Itoa(int(v))
	}
	if tenths := v * 10; v > 0 && v < 1000 && tenths == math.Trunc(tenths) {
		// One decimal under a thousand, an energy average's kind, needs
		// only the language's decimal mark.
		t := int(tenths)
		return strconv.Itoa(t/10) + c.decimalMark(lang) + strconv.Itoa(t%10)
	}
	return c.printer(lang).Sprint(number.Decimal(v, number.MaxFractionDigits(decimals)))
}

// decimalMark is the mark the printer writes between a number's whole part
// and its decimals in lang: "." in English, "," in Norwegian.
func (c *Catalog) decimalMark(lang pulse.Lang) string {
	if m, ok := c.decimalMarks[lang]; ok {
		return m
	}
	return c.decimalMarks[pulse.English]
}

// decimalMarks asks each printer for its decimal mark.
func decimalMarks(ps map[pulse.Lang]*message.Printer) map[pulse.Lang]string {
	out := make(map[pulse.Lang]string, len(ps))
	for l, p := range ps {
		out[l] = strings.TrimSuffix(strings.TrimPrefix(p.Sprint(number.Decimal(1.5)), "1"), "5")
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
