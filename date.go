package pulse

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar day without a time or zone: a rep's local workday, a
// holiday, the first day of an away period. Pulse keeps days as dates rather
// than instants because "today" depends on whose time zone is asking.
//
// The zero Date is not a valid day; IsZero reports it.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate reads a date written as YYYY-MM-DD and rejects days that do not
// exist, such as 2026-13-40 or 2026-02-30.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if len(s) != len("2006-01-02") {
		return Date{}, Errorf(EINVALID, "err.date", map[string]any{"Value": s}, "date %q is not YYYY-MM-DD", s)
	}
	// Read by hand when plainly valid (store keys hold dates); anything
	// else goes to time.Parse, whose error is the one given.
	if d, ok := readDate(s); ok {
		return d, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "err.date", map[string]any{"Value": s}, "date %q: %v", s, err)
	}
	return DateOf(t), nil
}

// readDate reads s, ten bytes, as YYYY-MM-DD when it is a valid day.
func readDate(s string) (Date, bool) {
	n := [8]int{}
	for i, j := 0, 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return Date{}, false
			}
			continue
		}
		if s[i] < '0' || s[i] > '9' {
			return Date{}, false
		}
		n[j] = int(s[i] - '0')
		j++
	}
	d := Date{Year: n[0]*1000 + n[1]*100 + n[2]*10 + n[3], Month: time.Month(n[4]*10 + n[5]), Day: n[6]*10 + n[7]}
	if d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > daysIn(d.Month, d.Year) {
		return Date{}, false
	}
	return d, true
}

// daysIn is how many days month m of year y has.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MustDate is ParseDate for literals in tests and seeds; it panics on a bad date.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String formats the date as YYYY-MM-DD, which also sorts as text in day order.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	y, m, day := d.Year, int(d.Month), d.Day
	if y < 0 || y > 9999 || m < 0 || m > 99 || day < 0 || day > 99 {
		return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
	}
	// Written by hand: store keys are made of dates, and Sprintf was a
	// measurable part of reading a team's records.
	b := [10]byte{
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + day/10), byte('0' + day%10),
	}
	return string(b[:])
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// In returns the instant of midnight on d in loc, as time.Date resolves it.
// Where a daylight-saving change skips or repeats that wall-clock time, the
// result depends on the zone; scheduling uses WallClock and DayEnd, which
// fix one rule for every zone.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// At returns the instant of the time of day tod on day d in loc, as
// time.Date resolves it; see In for daylight-saving changes.
func (d Date) At(tod TimeOfDay, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, tod.Hour(), tod.Minute(), 0, 0, loc)
}

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date {
	// Within the first 28 days of a month every month has the day, so the
	// sum is the date; pace counts over a quarter day by day, and asking
	// time.Date each time was a tenth of a manager's /pulse.
	if d.Month >= time.January && d.Month <= time.December && d.Day >= 1 && d.Day <= 28 && n >= -27 && n <= 27 {
		if day := d.Day + n; day >= 1 && day <= 28 {
			return Date{Year: d.Year, Month: d.Month, Day: day}
		}
	}
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// From the day number: 1970-01-01 was a Thursday. Pace and streaks ask
	// it of every day they count, and time.Date each time was most of
	// counting a rep's workdays.
	return time.Weekday(((d.dayNumber()+4)%7 + 7) % 7)
}

// Before reports whether d is strictly earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is strictly later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

// DaysUntil returns the number of calendar days from d to e (negative when e
// is earlier).
func (d Date) DaysUntil(e Date) int { return e.dayNumber() - d.dayNumber() }

// dayNumber returns the days from 1970-01-01 to d, by the proleptic
// Gregorian calendar's arithmetic (H. Hinnant's days_from_civil): a status
// counts days of hundreds of records, and time.Date for each was a tenth of
// its time. A day past its month's end counts on into the next month, as
// time.Date would have it; a month out of 1-12 goes through time.Date.
func (d Date) dayNumber() int {
	if d.Month < time.January || d.Month > time.December {
		return int(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// WeekStart returns the Monday on or before d; Pulse's weeks run Monday to
// Sunday, as they do for the sales teams it serves.
func (d Date) WeekStart() Date {
	offset := (int(d.Weekday()) + 6) % 7
	return d.AddDays(-offset)
}

// MarshalText writes the date as YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date written as YYYY-MM-DD; empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// TimeOfDay is a wall-clock time in minutes after midnight (0–1439), the way
// a team sets its check-in, meeting and summary times.
type TimeOfDay int

// ParseTimeOfDay reads "HH:MM" in 24-hour form, as Slack's timepicker sends it.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) == 0 || len(h) > 2 || len(m) != 2 {
		return 0, Errorf(EINVALID, "err.time", map[string]any{"Value": s}, "time %q is not HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, Errorf(EINVALID, "err.time", map[string]any{"Value": s}, "time %q is not HH:MM", s)
	}
	return TimeOfDay(hh*60 + mm), nil
}

// MustTime is ParseTimeOfDay for literals; it panics on a bad time.
func MustTime(s string) TimeOfDay {
	t, err := ParseTimeOfDay(s)
	if err != nil {
		panic(err)
	}
	return t
}

// Hour returns the hour, 0–23.
func (t TimeOfDay) Hour() int { return int(t) / 60 }

// Minute returns the minute within the hour, 0–59.
func (t TimeOfDay) Minute() int { return int(t) % 60 }

// Valid reports whether t lies within one day.
func (t TimeOfDay) Valid() bool { return t >= 0 && t < 24*60 }

// String formats the time as HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute()) }

// MarshalText writes the time as HH:MM.
func (t TimeOfDay) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads HH:MM.
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	v, err := ParseTimeOfDay(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Clock tells the time. Production code uses SystemClock; tests and the demo
// pass a clock they move by hand, so a week runs in milliseconds.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

// SystemClock is the wall clock.
var SystemClock Clock = ClockFunc(time.Now)
