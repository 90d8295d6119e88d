// Package holiday gives Pulse the public holidays of countries and their
// regions from github.com/rickar/cal/v2, a maintained library with Norway,
// Poland, Russia, the Nordic countries, Germany's states, the UK, the US and
// many more. Importing the package makes it the calendar Pulse consults.
package holiday

import (
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/ee"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fi"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/is"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/pt"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/ua"
	"github.com/rickar/cal/v2/us"

	"github.com/salespulse/pulse"
)

func init() { pulse.UseHolidays(Library{}) }

// lists holds each place's holidays as the library has them.
var lists = map[string][]*cal.Holiday{
	"AT": at.Holidays, "BE": be.Holidays, "CA": ca.Holidays, "CH": ch.Holidays,
	"CZ": cz.Holidays, "DE": de.Holidays, "DK": dk.Holidays, "EE": ee.Holidays,
	"ES": es.Holidays, "FI": fi.Holidays, "FR": fr.Holidays, "GB": gb.Holidays,
	"IE": ie.Holidays, "IS": is.Holidays, "IT": it.Holidays, "LT": lt.Holidays,
	"LV": lv.Holidays, "NL": nl.Holidays, "NO": no.Holidays, "PL": pl.Holidays,
	"PT": pt.Holidays, "RU": append(slices.Clone(ru.Holidays), ruNewYearDays...),
	"SE": se.Holidays, "UA": ua.Holidays, "US": us.Holidays,
	// Germany's states keep holidays of their own.
	"DE-BW": de.HolidaysBW, "DE-BY": de.HolidaysBY, "DE-BE": de.HolidaysBE, "DE-BB": de.HolidaysBB,
	"DE-HB": de.HolidaysHB, "DE-HH": de.HolidaysHH, "DE-HE": de.HolidaysHE, "DE-MV": de.HolidaysMV,
	"DE-NI": de.HolidaysNI, "DE-NW": de.HolidaysNW, "DE-RP": de.HolidaysRP, "DE-SL": de.HolidaysSL,
	"DE-SN": de.HolidaysSN, "DE-ST": de.HolidaysST, "DE-SH": de.HolidaysSH, "DE-TH": de.HolidaysTH,
}

// ruNewYearDays are the days of Russia's New Year holidays (Labour Code,
// article 112: 1–6 and 8 January) that the library leaves out; it has the
// 1st and Christmas on the 7th.
var ruNewYearDays = func() []*cal.Holiday {
	var out []*cal.Holiday
	for _, day := range []int{2, 3, 4, 5, 6, 8} {
		out = append(out, &cal.Holiday{Name: "Новогодние каникулы", Type: cal.ObservancePublic,
			Month: time.January, Day: day, Func: cal.CalcDayOfMonth})
	}
	return out
}()

// calendars holds one calendar per place with the days people have off:
// public and bank holidays, not religious or other observances.
var calendars = func() map[string]*cal.Calendar {
	out := make(map[string]*cal.Calendar, len(lists))
	for place, list := range lists {
		c := &cal.Calendar{Cacheable: true}
		for _, h := range list {
			if h.Type == cal.ObservancePublic || h.Type == cal.ObservanceBank {
				c.AddHoliday(h)
			}
		}
		out[place] = c
	}
	return out
}()

// Library is the calendar of the places Pulse knows.
type Library struct{}

// Holiday returns the name of the public holiday on d in place, counting
// both the day itself and the day it is observed on when it moves (the
// US's 4 July on a Saturday is observed on Friday the 3rd).
func (Library) Holiday(place string, d pulse.Date) (string, bool) {
	c, ok := calendars[place]
	if !ok {
		return "", false
	}
	actual, observed, h := c.IsHoliday(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC))
	if !actual && !observed || h == nil {
		return "", false
	}
	return h.Name, true
}

// KnowsPlace reports whether place is one of Places.
func (Library) KnowsPlace(place string) bool {
	_, ok := calendars[place]
	return ok
}

// Places returns the places Pulse knows, sorted, countries before their
// regions.
func Places() []string {
	out := make([]string, 0, len(lists))
	for p := range lists {
		out = append(out, p)
	}
	slices.SortFunc(out, strings.Compare)
	return out
}
