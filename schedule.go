package pulse

import "time"

// WallClock returns the first instant at which a clock on the wall in loc
// shows time tod on day d, or a later time that day. Daylight-saving changes
// make some wall times happen twice and some never, and Go's time.Date
// resolves both differently from zone to zone; Pulse wants one rule
// everywhere: a time that happens twice is its first occurrence, and a time
// that does not exist is the first instant after the gap (02:30 on the
// spring-forward night in Oslo is 03:00).
func WallClock(d Date, tod TimeOfDay, loc *time.Location) time.Time {
	want := time.Date(d.Year, d.Month, d.Day, tod.Hour(), tod.Minute(), 0, 0, time.UTC)
	t := d.At(tod, loc)
	switch got := wall(t); {
	case got.Equal(want):
		// In a fall-back hour the same wall time also happened one shift
		// earlier, under the zone in force before this one.
		start, _ := t.ZoneBounds()
		if start.IsZero() {
			return t
		}
		_, before := start.Add(-time.Second).Zone()
		_, now := t.Zone()
		if before > now {
			if earlier := t.Add(-time.Duration(before-now) * time.Second); earlier.Before(start) && wall(earlier).Equal(want) {
				return earlier
			}
		}
		return t
	case got.After(want):
		// Go moved past the gap: its first instant is where the zone began.
		start, _ := t.ZoneBounds()
		return start
	default:
		// Go stayed before the gap: the first instant after it is where
		// the zone ends.
		_, end := t.ZoneBounds()
		return end
	}
}

// wall returns the wall-clock reading of t as a UTC time, to compare readings.
func wall(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// DayEnd returns the instant day d ends in loc, which is when the next day
// begins (a 23- or 25-hour day across a daylight-saving change).
func DayEnd(d Date, loc *time.Location) time.Time {
	return WallClock(d.AddDays(1), 0, loc)
}

// CheckInTimeFor returns when a rep's check-in for day d is due: the team's
// check-in time on d (the end of the day for an evening team) in the rep's
// own zone (person may be nil; the team's zone is used then).
func CheckInTimeFor(team *Team, person *Person, d Date) time.Time {
	return WallClock(d, team.DueTime(), zoneOf(team, person))
}

// CheckInStatusAt returns the status of a check-in for day d submitted at
// the given instant: late once the team's reminder time has passed (the
// check-in time plus ReminderDelay in the rep's zone, the moment the
// reminder is scheduled for), else on time. A team without a reminder delay
// sends no reminder, and its check-ins are on time.
func CheckInStatusAt(team *Team, person *Person, d Date, submittedAt time.Time) CheckInStatus {
	if team.ReminderDelay > 0 && !submittedAt.Before(CheckInTimeFor(team, person, d).Add(team.ReminderDelay)) {
		return CheckInLate
	}
	return CheckInOnTime
}

func zoneOf(team *Team, person *Person) *time.Location {
	if person == nil {
		return team.Location()
	}
	return person.Zone(team.Location())
}
