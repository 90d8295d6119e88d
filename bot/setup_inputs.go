package bot

import (
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// The elements of the team setup modal, each filled with the team's
// current setting.

// weekOrder lists the days Monday first, as Pulse's weeks run.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// userMultiSelect picks people; max bounds how many when above zero.
func userMultiSelect(field string, users []string, max int) *slack.MultiSelectBlockElement {
	el := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, nil, field)
	el.InitialUsers = users
	if max > 0 {
		el.MaxSelectedItems = &max
	}
	return el
}

// channelSelect picks the team's channel, public or private.
func channelSelect(channel string) *slack.SelectBlockElement {
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeConversations, nil, "channel")
	el.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
	el.InitialConversation = channel
	return el
}

// zoneSelect searches the time zones as the admin types (zoneSuggestions).
func zoneSelect(r *Request, tz string) *slack.SelectBlockElement {
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeExternal, plainText(r.T("setup.tz_placeholder", nil)), actionSetupTZ)
	minQuery := 1
	el.MinQueryLength = &minQuery
	if tz != "" {
		el.InitialOption = zoneOption(tz)
	}
	return el
}

// langSelect offers Pulse's languages, each named in itself.
func langSelect(initial pulse.Lang) *slack.SelectBlockElement {
	var langs []*slack.OptionBlockObject
	var langInitial *slack.OptionBlockObject
	for _, l := range pulse.Langs {
		o := slack.NewOptionBlockObject(string(l), plainText(langName(l)), nil)
		langs = append(langs, o)
		if l == initial {
			langInitial = o
		}
	}
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "lang", langs...)
	el.InitialOption = langInitial
	return el
}

// weekdayOptions are the days of the week, Monday first, in the person's
// language; each option's value is the day's number (parseWeekday).
func weekdayOptions(r *Request) []*slack.OptionBlockObject {
	opts := make([]*slack.OptionBlockObject, 0, 7)
	for _, d := range weekOrder {
		opts = append(opts, slack.NewOptionBlockObject(strconv.Itoa(int(d)), plainText(r.T(limit("setup.day_"+strings.ToLower(d.String()), maxOptionText), nil)), nil))
	}
	return opts
}

// weekdaySelect picks one day of the week.
func weekdaySelect(r *Request, field string, day time.Weekday) *slack.SelectBlockElement {
	opts := weekdayOptions(r)
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, field, opts...)
	for _, o := range opts {
		if o.Value == strconv.Itoa(int(day)) {
			sel.InitialOption = o
		}
	}
	return sel
}

// workdayCheckboxes ticks the team's workdays.
func workdayCheckboxes(r *Request, days []time.Weekday) *slack.CheckboxGroupsBlockElement {
	opts := weekdayOptions(r)
	el := slack.NewCheckboxGroupsBlockElement("workdays", opts...)
	for _, o := range opts {
		for _, d := range days {
			if o.Value == strconv.Itoa(int(d)) {
				el.InitialOptions = append(el.InitialOptions, o)
			}
		}
	}
	return el
}

// timePicker picks a time of day.
func timePicker(field string, tod pulse.TimeOfDay) *slack.TimePickerBlockElement {
	el := slack.NewTimePickerBlockElement(field)
	el.InitialTime = tod.String()
	return el
}

// countInput takes a whole number from 1 to max.
func countInput(field string, v, max int) *slack.NumberInputBlockElement {
	el := slack.NewNumberInputBlockElement(nil, field, false).WithMinValue("1").WithMaxValue(strconv.Itoa(max))
	el.InitialValue = strconv.Itoa(v)
	return el
}
