package pulse

import "slices"

// The one rule of days off. A member works on a day that is one of the
// team's workdays, not one of the team's own extra days off, not a public
// holiday where the member lives (their own place, else the team's), and
// not one of their days away. Cadence, status, streaks, the summary, pace
// and commitments all ask here.

// HolidayPlaceOf returns the place whose public holidays apply to p in the
// team: p's own when set, else the team's. p may be nil.
func (t *Team) HolidayPlaceOf(p *Person) string {
	if p != nil && p.HolidayPlace != "" {
		return p.HolidayPlace
	}
	return t.HolidayPlace
}

// IsWorkdayIn reports whether d is a working day of the team for someone
// whose public holidays are those of place ("" means the team's own).
func (t *Team) IsWorkdayIn(place string, d Date) bool {
	return slices.Contains(t.Workdays, d.Weekday()) && !t.IsHolidayIn(place, d)
}

// IsHolidayIn reports whether d is one of the team's own days off or a
// public holiday of place ("" means the team's own).
func (t *Team) IsHolidayIn(place string, d Date) bool {
	if slices.Contains(t.Holidays, d) {
		return true
	}
	if place == "" {
		place = t.HolidayPlace
	}
	_, holiday := PublicHoliday(place, d)
	return holiday
}

// DayOff reports whether d is a day off for member p of the team: a day
// nothing is asked of them and nothing counts against them. p may be nil
// (the team's place applies).
func DayOff(t *Team, p *Person, away []AwayPeriod, d Date) bool {
	return !t.IsWorkdayIn(t.HolidayPlaceOf(p), d) || IsAway(away, d)
}

// RepPlaces returns the holiday place of each of the team's reps who keeps
// one of their own, from what Pulse knows of them (missing people keep the
// team's), for the Places of a status or a summary.
func RepPlaces(t *Team, people map[string]*Person) map[string]string {
	var out map[string]string
	for _, rep := range t.Reps {
		if p := people[rep]; p != nil && p.HolidayPlace != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[rep] = p.HolidayPlace
		}
	}
	return out
}
