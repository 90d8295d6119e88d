package catalog_test

import (
	"math"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

// nbsp is CLDR's digit group separator in Norwegian, Russian and Polish.
const nbsp = "\u00a0"

func TestNumbersAreWrittenTheWayEachLanguageWritesThem(t *testing.T) {
	c := mustNew(t)
	tests := []struct {
		name     string
		lang     pulse.Lang
		v        float64
		decimals int
		want     string
	}{
		{"English groups thousands with a comma and uses a decimal point", pulse.English, 1234.5, 2, "1,234.5"},
		{"Norwegian groups with a no-break space and uses a decimal comma", pulse.Norwegian, 1234.5, 2, "1" + nbsp + "234,5"},
		{"Russian groups with a no-break space and uses a decimal comma", pulse.Russian, 1234.5, 2, "1" + nbsp + "234,5"},
		{"Polish groups a four-digit number too", pulse.Polish, 1234.5, 2, "1" + nbsp + "234,5"},
		{"Polish groups a four-digit whole number", pulse.Polish, 1234, 0, "1" + nbsp + "234"},
		{"English half", pulse.English, 0.5, 1, "0.5"},
		{"Norwegian half", pulse.Norwegian, 0.5, 1, "0,5"},
		{"Russian half", pulse.Russian, 0.5, 1, "0,5"},
		{"Polish half", pulse.Polish, 0.5, 1, "0,5"},
		{"trailing zeros are dropped", pulse.English, 3.10, 2, "3.1"},
		{"a whole number has no fraction", pulse.Norwegian, 3, 1, "3"},
		{"rounding to the decimals asked for", pulse.English, 3.456, 1, "3.5"},
		{"rounding to none", pulse.Russian, 2.5, 0, "3"},
		{"millions get two separators", pulse.Russian, 1234567, 0, "1" + nbsp + "234" + nbsp + "567"},
		{"a small negative rounded to zero has no minus", pulse.English, -0.04, 1, "0"},
		{"negative numbers keep their sign", pulse.English, -1234.5, 1, "-1,234.5"},
		{"a language Pulse does not speak writes English", pulse.Lang("xx"), 1234.5, 1, "1,234.5"},
		{"not a number is a dash", pulse.English, math.NaN(), 1, "–"},
		{"infinity is a dash", pulse.Polish, math.Inf(1), 1, "–"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Number(tt.lang, tt.v, tt.decimals); got != tt.want {
				t.Errorf("Number(%s, %v, %d) = %q, want %q", tt.lang, tt.v, tt.decimals, got, tt.want)
			}
		})
	}
}

func TestCountsAndPercentagesAreWrittenTheWayEachLanguageWritesThem(t *testing.T) {
	c := mustNew(t)
	tests := []struct {
		name, got, want string
	}{
		{"an English count", c.Count(pulse.English, 12500), "12,500"},
		{"a Norwegian count", c.Count(pulse.Norwegian, 12500), "12" + nbsp + "500"},
		{"a small count has no separator", c.Count(pulse.Polish, 999), "999"},
		{"an English percentage", c.Percent(pulse.English, 0.5), "50%"},
		{"a Norwegian percentage has a no-break space", c.Percent(pulse.Norwegian, 0.5), "50" + nbsp + "%"},
		{"a Russian percentage has a no-break space", c.Percent(pulse.Russian, 0.5), "50" + nbsp + "%"},
		{"a Polish percentage has none", c.Percent(pulse.Polish, 0.5), "50%"},
		{"a percentage is rounded to a whole one", c.Percent(pulse.English, 0.666), "67%"},
		{"over a hundred percent", c.Percent(pulse.English, 12.5), "1,250%"},
		{"zero percent", c.Percent(pulse.Russian, 0), "0" + nbsp + "%"},
		{"not a number", c.Percent(pulse.English, math.NaN()), "–"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestAPluralsCountIsWrittenWithTheLanguagesGrouping(t *testing.T) {
	c := mustNew(t)
	if got, want := c.Plural(pulse.English, "format.days", 1500, nil), "1,500 days"; got != want {
		t.Errorf("Plural(en, format.days, 1500) = %q, want %q", got, want)
	}
	if got, want := c.Plural(pulse.English, "format.days", 1, nil), "1 day"; got != want {
		t.Errorf("Plural(en, format.days, 1) = %q, want %q", got, want)
	}
}

func TestEnglishDatesAndTimes(t *testing.T) {
	c := mustNew(t)
	tests := []struct {
		name, got, want string
	}{
		{"a short date", c.Date(pulse.English, pulse.MustDate("2026-11-23")), "Mon 23 Nov"},
		{"a long date", c.DateLong(pulse.English, pulse.MustDate("2026-03-01")), "Sun 1 Mar 2026"},
		{"the zero date", c.Date(pulse.English, pulse.Date{}), ""},
		{"a weekday", c.Weekday(pulse.English, time.Saturday), "Sat"},
		{"a month", c.Month(pulse.English, time.December), "Dec"},
		{"a month out of range", c.Month(pulse.English, 13), ""},
		{"a time of day", c.Clock(pulse.English, time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)), "09:05"},
		{"a time of day in its own zone", c.Clock(pulse.Russian, time.Date(2026, 3, 2, 21, 30, 0, 0, time.FixedZone("MSK", 3*3600))), "21:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestParseNumberReadsWhatPeopleType(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want float64
		ok   bool
	}{
		{"a whole number", "120", 120, true},
		{"a decimal point", "2.5", 2.5, true},
		{"a decimal comma", "2,5", 2.5, true},
		{"spaces between digit groups", "1 234,5", 1234.5, true},
		{"no-break spaces between digit groups", "1\u00a0234", 1234, true},
		{"spaces around", "  7 ", 7, true},
		{"a negative number", "-3", 0, false},
		{"a word", "lots", 0, false},
		{"nothing", "", 0, false},
		{"not a number", "NaN", 0, false},
		{"infinity", "Inf", 0, false},
		{"past a trillion", "1e13", 0, false},
		{"absurdly large", "1e300", 0, false},
		{"zero", "0", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := catalog.ParseNumber(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func BenchmarkNumber(b *testing.B) {
	c, err := catalog.New()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c.Number(pulse.Polish, 12345.678, 1)
	}
}

func BenchmarkDate(b *testing.B) {
	c, err := catalog.New()
	if err != nil {
		b.Fatal(err)
	}
	d := pulse.MustDate("2026-11-23")
	for b.Loop() {
		c.Date(pulse.Russian, d)
	}
}
