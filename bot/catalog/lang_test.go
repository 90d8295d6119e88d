package catalog_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

// counts are the numbers that tell CLDR's plural categories apart: 0 and
// 5, 11, 25 are many in Russian and Polish, 1 is one, 21 is one in Russian
// but many in Polish, 2 and 22 are few.
var counts = []int{0, 1, 2, 5, 11, 21, 22, 25}

func TestCountsTakeEachLanguagesPluralForms(t *testing.T) {
	c := mustNew(t)
	tests := []struct {
		lang pulse.Lang
		key  string
		want []string // for each of counts
	}{
		{pulse.Russian, "format.days", []string{"0 дней", "1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня", "25 дней"}},
		{pulse.Russian, "format.reps", []string{"0 менеджеров", "1 менеджер", "2 менеджера", "5 менеджеров", "11 менеджеров", "21 менеджер", "22 менеджера", "25 менеджеров"}},
		{pulse.Russian, "format.checkins", []string{"0 отчётов", "1 отчёт", "2 отчёта", "5 отчётов", "11 отчётов", "21 отчёт", "22 отчёта", "25 отчётов"}},
		{pulse.Polish, "format.days", []string{"0 dni", "1 dzień", "2 dni", "5 dni", "11 dni", "21 dni", "22 dni", "25 dni"}},
		{pulse.Polish, "format.reps", []string{"0 handlowców", "1 handlowiec", "2 handlowców", "5 handlowców", "11 handlowców", "21 handlowców", "22 handlowców", "25 handlowców"}},
		{pulse.Polish, "format.checkins", []string{"0 raportów", "1 raport", "2 raporty", "5 raportów", "11 raportów", "21 raportów", "22 raporty", "25 raportów"}},
		{pulse.Norwegian, "format.days", []string{"0 dager", "1 dag", "2 dager", "5 dager", "11 dager", "21 dager", "22 dager", "25 dager"}},
		{pulse.Norwegian, "format.reps", []string{"0 selgere", "1 selger", "2 selgere", "5 selgere", "11 selgere", "21 selgere", "22 selgere", "25 selgere"}},
		{pulse.Norwegian, "format.checkins", []string{"0 innsjekker", "1 innsjekk", "2 innsjekker", "5 innsjekker", "11 innsjekker", "21 innsjekker", "22 innsjekker", "25 innsjekker"}},
		{pulse.English, "format.days", []string{"0 days", "1 day", "2 days", "5 days", "11 days", "21 days", "22 days", "25 days"}},
		{pulse.English, "format.reps", []string{"0 reps", "1 rep", "2 reps", "5 reps", "11 reps", "21 reps", "22 reps", "25 reps"}},
		{pulse.English, "format.checkins", []string{"0 check-ins", "1 check-in", "2 check-ins", "5 check-ins", "11 check-ins", "21 check-ins", "22 check-ins", "25 check-ins"}},
	}
	for _, tt := range tests {
		for i, n := range counts {
			t.Run(fmt.Sprintf("%s %s %d", tt.lang, tt.key, n), func(t *testing.T) {
				if got := c.Plural(tt.lang, tt.key, n, nil); got != tt.want[i] {
					t.Errorf("Plural(%s, %s, %d) = %q, want %q", tt.lang, tt.key, n, got, tt.want[i])
				}
			})
		}
	}
	// A count is grouped as the language groups numbers.
	if got, want := c.Plural(pulse.Russian, "format.days", 1500, nil), "1"+nbsp+"500 дней"; got != want {
		t.Errorf("Plural(ru, format.days, 1500) = %q, want %q", got, want)
	}
}

func TestDatesUseEachLanguagesNamesAndOrder(t *testing.T) {
	c := mustNew(t)
	nov23, mar2 := pulse.MustDate("2026-11-23"), pulse.MustDate("2026-03-02")
	tests := []struct {
		name, got, want string
	}{
		{"a Russian date puts the month in the genitive", c.Date(pulse.Russian, nov23), "пн, 23 ноября"},
		{"a Russian date in March", c.Date(pulse.Russian, mar2), "пн, 2 марта"},
		{"a long Russian date", c.DateLong(pulse.Russian, nov23), "пн, 23 ноября 2026"},
		{"a Polish date puts the month in the genitive", c.Date(pulse.Polish, nov23), "pon., 23 listopada"},
		{"a Polish date in March", c.Date(pulse.Polish, mar2), "pon., 2 marca"},
		{"a long Polish date", c.DateLong(pulse.Polish, nov23), "pon., 23 listopada 2026"},
		{"a Norwegian date has a dot after the day", c.Date(pulse.Norwegian, nov23), "man. 23. nov."},
		{"a long Norwegian date", c.DateLong(pulse.Norwegian, mar2), "man. 2. mar. 2026"},
		{"an English date", c.Date(pulse.English, nov23), "Mon 23 Nov"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}

	names := map[pulse.Lang]struct{ weekdays, months []string }{
		pulse.English: {
			[]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
			[]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}},
		pulse.Norwegian: {
			[]string{"søn.", "man.", "tir.", "ons.", "tor.", "fre.", "lør."},
			[]string{"jan.", "feb.", "mar.", "apr.", "mai", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "des."}},
		pulse.Russian: {
			[]string{"вс", "пн", "вт", "ср", "чт", "пт", "сб"},
			[]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}},
		pulse.Polish: {
			[]string{"niedz.", "pon.", "wt.", "śr.", "czw.", "pt.", "sob."},
			[]string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"}},
	}
	for lang, n := range names {
		for i, want := range n.weekdays {
			if got := c.Weekday(lang, time.Weekday(i)); got != want {
				t.Errorf("Weekday(%s, %s) = %q, want %q", lang, time.Weekday(i), got, want)
			}
		}
		for i, want := range n.months {
			if got := c.Month(lang, time.Month(i+1)); got != want {
				t.Errorf("Month(%s, %s) = %q, want %q", lang, time.Month(i+1), got, want)
			}
		}
	}
}

// sameAsEnglish lists the keys whose sentence may read exactly as the
// English one in another language, each with why.
var sameAsEnglish = map[string]string{
	"notices.date_range":          "two dates and a dash",
	"notices.meeting_line":        "an emoji, a mention, the rep's words and a status, with punctuation",
	"notices.meeting_review_item": "a mention and the rep's words",
	"notices.summary_metric":      "a bullet, a metric's name and a number",
	"status.blocker_line":         "a bullet, a mention, the rep's words and an age",
	"status.commitment_line":      "a bullet, a status and the rep's words",
	"status.metric":               "a metric's name and a number",
	"status.overdue":              "a count and mentions",
	"status.report_line":          "a bullet, a skill and the rep's words",
	"leader.button_ack":           "a thumbs-up emoji",
	"leader.agenda_manual":        "a bullet and the leader's words",
}

func TestNoTranslationIsLeftInEnglish(t *testing.T) {
	c := mustNew(t)
	needed := map[string]bool{}
	for _, lang := range []pulse.Lang{pulse.Norwegian, pulse.Russian, pulse.Polish} {
		for _, key := range c.Keys() {
			if !c.Has(lang, key) {
				continue // the parity test reports a missing key
			}
			data := map[string]any{}
			for _, f := range c.Placeholders(pulse.English, key) {
				data[f] = "{" + f + "}"
			}
			say := func(l pulse.Lang, n int) string {
				if c.IsPlural(key) {
					return c.Plural(l, key, n, data)
				}
				return c.T(l, key, data)
			}
			for _, n := range []int{1, 2, 5} { // one, few and many where a language has them
				got := say(lang, n)
				if got != say(pulse.English, n) {
					continue
				}
				if _, ok := sameAsEnglish[key]; ok {
					needed[key] = true
					continue
				}
				t.Errorf("%s %s reads as the English %q", lang, key, got)
				break
			}
		}
	}
	for key, why := range sameAsEnglish {
		if !needed[key] {
			t.Errorf("%s is allowed to read as English (%s), but no language does: take it off the list", key, why)
		}
		empty := map[string]any{}
		for _, f := range c.Placeholders(pulse.English, key) {
			empty[f] = ""
		}
		if strings.ContainsFunc(c.T(pulse.English, key, empty), isLetter) {
			t.Errorf("%s is allowed to read as English (%s), but its English has words to translate", key, why)
		}
	}
}

func isLetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }

func TestEveryCountedSentenceHasTheFormsItsLanguageNeeds(t *testing.T) {
	var logs bytes.Buffer
	c, err := catalog.New(catalog.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range c.Languages() {
		for _, key := range c.Keys() {
			if !c.IsPlural(key) || !c.Has(lang, key) {
				continue
			}
			data := map[string]any{}
			for _, f := range c.Placeholders(pulse.English, key) {
				data[f] = "x"
			}
			logs.Reset()
			for _, n := range counts {
				c.Plural(lang, key, n, data)
			}
			if logs.Len() > 0 {
				t.Errorf("%s %s lacks a plural form its language needs (write it as a table with the forms of %s): %s", lang, key, lang, logs.String())
			}
		}
	}
}
