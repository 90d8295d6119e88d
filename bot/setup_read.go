package bot

import (
	"strconv"
	"time"

	"github.com/salespulse/pulse"
)

// readSetup copies the submitted form into t and returns the inputs it
// could not read; Team.Validate judges the rest.
func readSetup(r *Request, t *pulse.Team) pulse.ValidationErrors {
	readSetupPeople(r, t)
	errs := readSetupTimes(r, t)
	errs = append(errs, readSetupRhythm(r, t)...)
	errs = append(errs, readSetupLists(r, t)...)
	return append(errs, readCRMSetup(r, t)...)
}

// readSetupPeople reads the team's name, people, channel, zone and
// language, which nothing here can fail to read: Team.Validate checks them.
func readSetupPeople(r *Request, t *pulse.Team) {
	t.Name = stateText(r, "name")
	t.Managers, t.Reps = nil, nil
	if v := stateValue(r, "managers"); v != nil {
		t.Managers = v.SelectedUsers
	}
	if v := stateValue(r, "reps"); v != nil {
		t.Reps = v.SelectedUsers
	}
	t.Channel = ""
	if v := stateValue(r, "channel"); v != nil {
		t.Channel = v.SelectedConversation
	}
	t.TZ = ""
	if v := stateValue(r, "tz"); v != nil {
		t.TZ = v.SelectedOption.Value
	}
	t.Lang = ""
	if v := stateValue(r, "lang"); v != nil {
		t.Lang = pulse.Lang(v.SelectedOption.Value)
	}
	t.Directors = nil
	if v := stateValue(r, "directors"); v != nil {
		t.Directors = v.SelectedUsers
	}
}

// readSetupTimes reads the times of day and the check-in mode.
func readSetupTimes(r *Request, t *pulse.Team) pulse.ValidationErrors {
	var errs pulse.ValidationErrors
	for _, f := range []struct {
		field string
		dst   *pulse.TimeOfDay
	}{{"checkin_time", &t.CheckInTime}, {"end_of_day_time", &t.EndOfDayTime}, {"meeting_time", &t.MeetingTime}, {"summary_time", &t.SummaryTime}} {
		s := ""
		if v := stateValue(r, f.field); v != nil {
			s = v.SelectedTime
		}
		if s == "" && f.field == "end_of_day_time" {
			continue // a form from before the mode keeps the team's
		}
		tod, err := pulse.ParseTimeOfDay(s)
		if err != nil {
			errs = append(errs, pulse.FieldError(f.field, "err.time", map[string]any{"Value": s}, "%s %q", f.field, s))
			continue
		}
		*f.dst = tod
	}
	if v := stateValue(r, "checkin_mode"); v != nil && v.SelectedOption.Value != "" {
		t.CheckInMode = pulse.CheckInMode(v.SelectedOption.Value)
	}
	// Left empty, the digest follows the check-in time by two hours.
	t.DigestTime = 0
	if v := stateValue(r, "digest_time"); v != nil && v.SelectedTime != "" {
		tod, err := pulse.ParseTimeOfDay(v.SelectedTime)
		if err != nil {
			errs = append(errs, pulse.FieldError("digest_time", "err.time", map[string]any{"Value": v.SelectedTime}, "digest_time %q", v.SelectedTime))
		} else {
			t.DigestTime = tod
		}
	}
	return errs
}

// readSetupRhythm reads the feedback rhythm, the workdays and the days of
// the meeting and the summary.
func readSetupRhythm(r *Request, t *pulse.Team) pulse.ValidationErrors {
	var errs pulse.ValidationErrors
	// Left empty, the feedback rhythm keeps Pulse's defaults.
	for _, f := range []struct {
		field string
		dst   *int
	}{{"feedback_interval", &t.FeedbackInterval}, {"feedback_target", &t.FeedbackTarget}} {
		*f.dst = 0
		raw := stateText(r, f.field)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			errs = append(errs, pulse.FieldError(f.field, "err.number", map[string]any{"Value": raw}, "%s %q", f.field, raw))
			continue
		}
		*f.dst = n
	}
	t.Workdays = nil
	if v := stateValue(r, "workdays"); v != nil {
		for _, o := range v.SelectedOptions {
			d, ok := parseWeekday(o.Value)
			if !ok {
				errs = append(errs, pulse.FieldError("workdays", "setup.day", nil, "workday %q", o.Value))
				break
			}
			t.Workdays = append(t.Workdays, d)
		}
	}
	for _, f := range []struct {
		field string
		dst   *time.Weekday
	}{{"meeting_day", &t.MeetingDay}, {"summary_day", &t.SummaryDay}} {
		s := ""
		if v := stateValue(r, f.field); v != nil {
			s = v.SelectedOption.Value
		}
		d, ok := parseWeekday(s)
		if !ok {
			errs = append(errs, pulse.FieldError(f.field, "setup.day", nil, "%s %q", f.field, s))
			continue
		}
		*f.dst = d
	}
	return errs
}

// readSetupLists reads the metrics, the holidays and the days off.
func readSetupLists(r *Request, t *pulse.Team) pulse.ValidationErrors {
	var errs pulse.ValidationErrors
	metrics, err := parseMetrics(stateText(r, "metrics"))
	if err != nil {
		errs = append(errs, err)
	}
	t.Metrics = metrics
	// A form from before these inputs keeps what the team has.
	if stateValue(r, "holiday_place") != nil {
		place, perr := readHolidayPlace(r)
		if perr != nil {
			errs = append(errs, perr)
		}
		t.HolidayPlace = place
	}
	if stateValue(r, "days_off") != nil {
		days, derr := parseDaysOff(stateText(r, "days_off"))
		if derr != nil {
			errs = append(errs, derr)
		}
		t.Holidays = days
	}
	return errs
}

// parseWeekday reads a day as the modal's options carry it: 0 (Sunday) to 6.
func parseWeekday(s string) (time.Weekday, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 6 || strconv.Itoa(n) != s {
		return 0, false
	}
	return time.Weekday(n), true
}
