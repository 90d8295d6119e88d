package pulse

// When a team checks in. In the morning (as Pulse always did) a rep gives
// yesterday's results and today's plan at the check-in time; in the evening
// today's results and numbers and tomorrow's plan at the end-of-day time;
// with both, the morning check-in is a short plan and the day's results and
// numbers follow at the end of the day, in the same day's check-in. In
// every mode the check-in and its numbers belong to the day they are asked
// on, so reminders, missed days, streaks, the summary and pace count the
// same day.

// CheckInMode is when a team checks in.
type CheckInMode string

// The modes; the empty mode of a team stored before modes is the morning.
const (
	CheckInMorning CheckInMode = "morning"
	CheckInEvening CheckInMode = "evening"
	CheckInBoth    CheckInMode = "both"
)

// CheckInModes lists the modes in the order a manager picks from.
var CheckInModes = []CheckInMode{CheckInMorning, CheckInEvening, CheckInBoth}

// JobEvening is the end-of-day prompt of a team that checks in both
// morning and evening: the day's results and numbers.
const JobEvening JobKind = "evening"

// Mode returns the team's mode, the morning when none was chosen.
func (t *Team) Mode() CheckInMode {
	if t.CheckInMode == "" {
		return CheckInMorning
	}
	return t.CheckInMode
}

// DueTime returns the time of day the counted check-in is asked at, in each
// rep's zone: the end of the day for an evening team, else the check-in
// time. The reminder follows it by the reminder delay.
func (t *Team) DueTime() TimeOfDay {
	if t.Mode() == CheckInEvening {
		return t.EndOfDayTime
	}
	return t.CheckInTime
}

// AsksEvening reports whether the team's reps are asked again at the end
// of the day for the day's results and numbers (mode both).
func (t *Team) AsksEvening() bool { return t.Mode() == CheckInBoth }

// validateMode checks the mode and the end-of-day time it uses.
func (t *Team) validateMode() *Error {
	switch t.Mode() {
	case CheckInMorning:
		return nil
	case CheckInEvening, CheckInBoth:
	default:
		return FieldError("checkin_mode", "err.checkin_mode", map[string]any{"Value": string(t.CheckInMode)}, "unknown check-in mode %q", t.CheckInMode)
	}
	if !t.EndOfDayTime.Valid() {
		return FieldError("end_of_day_time", "err.time", map[string]any{"Value": t.EndOfDayTime.String()}, "end of day out of range")
	}
	if t.Mode() == CheckInBoth && t.EndOfDayTime <= t.CheckInTime {
		return FieldError("end_of_day_time", "err.end_of_day_order", map[string]any{"CheckIn": t.CheckInTime.String()}, "end of day %s not after the check-in %s", t.EndOfDayTime, t.CheckInTime)
	}
	return nil
}

// EveningNotice asks a rep of a team checking in both morning and evening,
// at the end of their day, for the day's results and numbers.
type EveningNotice struct {
	Rep  string
	Date Date // the rep's local day
	// Answered tells whether the rep checked in for the day already (the
	// prompt then asks to add to it).
	Answered bool
}

// Kind returns JobEvening.
func (EveningNotice) Kind() JobKind { return JobEvening }

// EveningKey names a rep's end-of-day prompt for a local day.
func EveningKey(team, rep string, day Date) JobKey {
	return JobKey{Kind: JobEvening, TeamID: team, UserID: rep, Occurrence: day.String()}
}
