package bot

import (
	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// setupModal is the team setup form, filled from t. Each input's block ID
// is the name of the field Team.Validate reports, so its errors show under
// the right input. The team's ID travels in private_metadata; a new team
// has none.
func setupModal(r *Request, t *pulse.Team) slack.ModalViewRequest {
	input := func(field string, el slack.BlockElement, optional bool) *slack.InputBlock {
		in := slack.NewInputBlock(field, plainText(r.T("setup.label_"+field, nil)), nil, el)
		in.Optional = optional
		return in
	}
	metrics := textInput("metrics", r.T("setup.label_metrics", nil), formatMetrics(t.Metrics), true, true, pulse.MaxTextLen)
	metrics.Hint = plainText(r.T("setup.metrics_hint", nil))

	blocks := []slack.Block{
		textInput("name", r.T("setup.label_name", nil), t.Name, false, false, pulse.MaxTeamNameLen),
		input("managers", userMultiSelect("managers", t.Managers, pulse.MaxTeamManagers), false),
		input("reps", userMultiSelect("reps", t.Reps, 0), true),
		input("channel", channelSelect(t.Channel), false),
		input("tz", zoneSelect(r, t.TZ), false),
		input("lang", langSelect(t.Lang), false),
		input("checkin_time", timePicker("checkin_time", t.CheckInTime), false),
		slack.NewInputBlock("checkin_mode", plainText(r.T("checkin_mode.label_mode", nil)), nil, modeSelect(r, t.Mode())),
		slack.NewInputBlock("end_of_day_time", plainText(r.T("checkin_mode.label_end_of_day", nil)), nil, timePicker("end_of_day_time", t.EndOfDayTime)),
		input("workdays", workdayCheckboxes(r, t.Workdays), false),
		input("meeting_day", weekdaySelect(r, "meeting_day", t.MeetingDay), false),
		input("meeting_time", timePicker("meeting_time", t.MeetingTime), false),
		input("summary_day", weekdaySelect(r, "summary_day", t.SummaryDay), false),
		input("summary_time", timePicker("summary_time", t.SummaryTime), false),
		input("digest_time", timePicker("digest_time", t.Digest()), true),
		input("directors", userMultiSelect("directors", t.Directors, pulse.MaxTeamDirectors), true),
		input("feedback_interval", countInput("feedback_interval", t.Interval(), 30), true),
		input("feedback_target", countInput("feedback_target", t.Target(), 20), true),
		metrics,
		holidaysInput(r, t),
		daysOffInput(r, t),
	}
	blocks = append(blocks, crmSetupBlocks(r, t)...)
	return modal(r, ViewSetup, "setup.title", t.ID, blocks...)
}

// holidaysInput is the "Holidays" select: the country (or region) whose
// public holidays the team keeps.
func holidaysInput(r *Request, t *pulse.Team) *slack.InputBlock {
	in := slack.NewInputBlock("holiday_place", plainText(r.T("holidays.label_place", nil)), nil, holidayPlaceSelect(r, t.HolidayPlace))
	in.Optional = true
	in.Hint = plainText(r.T("holidays.place_hint", nil))
	return in
}

// daysOffInput holds the team's own extra days off beside the public holidays.
func daysOffInput(r *Request, t *pulse.Team) *slack.InputBlock {
	in := textInput("days_off", r.T("holidays.label_days_off", nil), formatDaysOff(t.Holidays), true, true, pulse.MaxTextLen)
	in.Hint = plainText(r.T("holidays.days_off_hint", nil))
	return in
}
