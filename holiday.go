package pulse

import (
	"strings"
	"sync/atomic"
)

// HolidayCalendar knows the public holidays of places: a country as its
// ISO 3166-1 code ("NO", "US"), or a region of one where the calendar has
// its own list ("DE-BY"). Pulse reads holidays from a well-kept library
// rather than dates typed by hand; package holiday provides it.
type HolidayCalendar interface {
	// Holiday returns the name of the public holiday on d in place, or
	// false when d is an ordinary day there or place is unknown.
	Holiday(place string, d Date) (name string, ok bool)
	// KnowsPlace reports whether the calendar has holidays for place.
	KnowsPlace(place string) bool
}

// holidays is the calendar in use; nil knows no place and no holiday.
var holidays atomic.Pointer[HolidayCalendar]

// UseHolidays makes c the calendar every day-off decision consults. The
// process sets it once at start; it is safe to call concurrently with readers.
func UseHolidays(c HolidayCalendar) { holidays.Store(&c) }

// PublicHoliday returns the name of the public holiday on d in place.
func PublicHoliday(place string, d Date) (string, bool) {
	c := holidays.Load()
	if place == "" || c == nil {
		return "", false
	}
	return (*c).Holiday(place, d)
}

// KnownHolidayPlace reports whether place names a country or region whose
// holidays Pulse knows. The empty place (no public holidays) is known.
func KnownHolidayPlace(place string) bool {
	if place == "" {
		return true
	}
	c := holidays.Load()
	return c != nil && (*c).KnowsPlace(place)
}

// ParseHolidayPlace reads a place as a person types it ("no", "de-by",
// "US") in the form the calendar knows, or false.
func ParseHolidayPlace(s string) (string, bool) {
	p := strings.ToUpper(strings.TrimSpace(strings.ReplaceAll(s, "_", "-")))
	if p == "" || !KnownHolidayPlace(p) {
		return "", false
	}
	return p, true
}
