package bot

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

// weekOrder lists the days Monday first, as Pulse's weeks run.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// setupModal is the team setup form, filled from t. Each input's block ID
// is the name of the field Team.Validate reports, so its errors show under
// the right input. The team's ID travels in private_metadata; a new team
// has none.
func setupModal(r *Request, t *pulse.Team) slack.ModalViewRequest {
	label := func(field string) *slack.TextBlockObject { return plainText(r.T("setup.label_"+field, nil)) }
	input := func(field string, el slack.BlockElement, optional bool) *slack.InputBlock {
		in := slack.NewInputBlock(field, label(field), nil, el)
		in.Optional = optional
		return in
	}

	managers := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, nil, "managers")
	managers.InitialUsers = t.Managers
	maxManagers := pulse.MaxTeamManagers
	managers.MaxSelectedItems = &maxManagers

	reps := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, nil, "reps")
	reps.InitialUsers = t.Reps

	channel := slack.NewOptionsSelectBlockElement(slack.OptTypeConversations, nil, "channel")
	channel.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
	channel.InitialConversation = t.Channel

	tz := slack.NewOptionsSelectBlockElement(slack.OptTypeExternal, plainText(r.T("setup.tz_placeholder", nil)), actionSetupTZ)
	minQuery := 1
	tz.MinQueryLength = &minQuery
	if t.TZ != "" {
		tz.InitialOption = zoneOption(t.TZ)
	}

	var langs []*slack.OptionBlockObject
	var langInitial *slack.OptionBlockObject
	for _, l := range pulse.Langs {
		o := slack.NewOptionBlockObject(string(l), plainText(langName(l)), nil)
		langs = append(langs, o)
		if l == t.Lang {
			langInitial = o
		}
	}
	lang := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "lang", langs...)
	lang.InitialOption = langInitial

	dayOptions := func() []*slack.OptionBlockObject {
		opts := make([]*slack.OptionBlockObject, 0, 7)
		for _, d := range weekOrder {
			opts = append(opts, slack.NewOptionBlockObject(strconv.Itoa(int(d)), plainText(r.T(limit("setup.day_"+strings.ToLower(d.String()), maxOptionText), nil)), nil))
		}
		return opts
	}
	daySelect := func(field string, day time.Weekday) *slack.SelectBlockElement {
		opts := dayOptions()
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, field, opts...)
		for _, o := range opts {
			if o.Value == strconv.Itoa(int(day)) {
				sel.InitialOption = o
			}
		}
		return sel
	}
	timePicker := func(field string, tod pulse.TimeOfDay) *slack.TimePickerBlockElement {
		el := slack.NewTimePickerBlockElement(field)
		el.InitialTime = tod.String()
		return el
	}

	workdayOpts := dayOptions()
	workdays := slack.NewCheckboxGroupsBlockElement("workdays", workdayOpts...)
	for _, o := range workdayOpts {
		for _, d := range t.Workdays {
			if o.Value == strconv.Itoa(int(d)) {
				workdays.InitialOptions = append(workdays.InitialOptions, o)
			}
		}
	}

	directors := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, nil, "directors")
	directors.InitialUsers = t.Directors
	maxDirectors := pulse.MaxTeamDirectors
	directors.MaxSelectedItems = &maxDirectors
	digest := timePicker("digest_time", t.Digest())
	count := func(field string, v, max int) *slack.NumberInputBlockElement {
		el := slack.NewNumberInputBlockElement(nil, field, false).WithMinValue("1").WithMaxValue(strconv.Itoa(max))
		el.InitialValue = strconv.Itoa(v)
		return el
	}

	metrics := textInput("metrics", r.T("setup.label_metrics", nil), formatMetrics(t.Metrics), true, true, pulse.MaxTextLen)
	metrics.Hint = plainText(r.T("setup.metrics_hint", nil))

	blocks := []slack.Block{
		textInput("name", r.T("setup.label_name", nil), t.Name, false, false, pulse.MaxTeamNameLen),
		input("managers", managers, false),
		input("reps", reps, true),
		input("channel", channel, false),
		input("tz", tz, false),
		input("lang", lang, false),
		input("checkin_time", timePicker("checkin_time", t.CheckInTime), false),
		slack.NewInputBlock("checkin_mode", plainText(r.T("checkin_mode.label_mode", nil)), nil, modeSelect(r, t.Mode())),
		slack.NewInputBlock("end_of_day_time", plainText(r.T("checkin_mode.label_end_of_day", nil)), nil, timePicker("end_of_day_time", t.EndOfDayTime)),
		input("workdays", workdays, false),
		input("meeting_day", daySelect("meeting_day", t.MeetingDay), false),
		input("meeting_time", timePicker("meeting_time", t.MeetingTime), false),
		input("summary_day", daySelect("summary_day", t.SummaryDay), false),
		input("summary_time", timePicker("summary_time", t.SummaryTime), false),
		input("digest_time", digest, true),
		input("directors", directors, true),
		input("feedback_interval", count("feedback_interval", t.Interval(), 30), true),
		input("feedback_target", count("feedback_target", t.Target(), 20), true),
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

// readSetup copies the submitted form into t and returns the inputs it
// could not read; Team.Validate judges the rest.
func readSetup(r *Request, t *pulse.Team) pulse.ValidationErrors {
	var errs pulse.ValidationErrors
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
	t.Directors = nil
	if v := stateValue(r, "directors"); v != nil {
		t.Directors = v.SelectedUsers
	}
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
	return append(errs, readCRMSetup(r, t)...)
}

// parseWeekday reads a day as the modal's options carry it: 0 (Sunday) to 6.
func parseWeekday(s string) (time.Weekday, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 6 || strconv.Itoa(n) != s {
		return 0, false
	}
	return time.Weekday(n), true
}

// parseMetrics reads the metrics input: one metric a line, written
// "key: Name = target" (the target may be left out), e.g.
// "calls: Calls = 100", and for a metric the CRM fills its measure in
// brackets at the end, e.g. "calls: Calls = 100 [calls]" (cutMeasure).
// Blank lines are skipped.
// Team.Validate then checks the keys, names, targets and measures.
func parseMetrics(text string) ([]pulse.Metric, *pulse.Error) {
	var out []pulse.Metric
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		line, measure, err := cutMeasure(line)
		if err != nil {
			return nil, err
		}
		key, rest, ok := strings.Cut(line, ":")
		name, target, hasTarget := strings.Cut(rest, "=")
		m := pulse.Metric{Key: strings.TrimSpace(key), Name: strings.TrimSpace(name), Measure: measure}
		if hasTarget {
			n, okN := catalog.ParseNumber(target)
			ok = ok && okN
			m.Target = n
		}
		if !ok || m.Key == "" || m.Name == "" {
			return nil, pulse.FieldError("metrics", "setup.metric_line", map[string]any{"Line": i + 1, "Value": line}, "metric line %d malformed", i+1)
		}
		out = append(out, m)
	}
	return out, nil
}

// formatMetrics writes metrics the way parseMetrics reads them back.
func formatMetrics(ms []pulse.Metric) string {
	lines := make([]string, 0, len(ms))
	for _, m := range ms {
		line := m.Key + ": " + m.Name + " = " + strconv.FormatFloat(m.Target, 'f', -1, 64)
		if !m.Measure.IsZero() {
			line += " [" + m.Measure.String() + "]"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// cutMeasure takes a CRM measure off the end of a metric line: "[calls]",
// "[activities:Demo]". Brackets that do not start with a measure's name
// belong to the metric's name ("Calls [EMEA]").
func cutMeasure(line string) (string, pulse.MeasureSpec, *pulse.Error) {
	open := strings.LastIndex(line, " [")
	if !strings.HasSuffix(line, "]") || open < 0 {
		return line, pulse.MeasureSpec{}, nil
	}
	inner := strings.TrimSpace(line[open+2 : len(line)-1])
	head, _, _ := strings.Cut(inner, ":")
	if !slices.Contains(pulse.Measures, pulse.Measure(strings.ToLower(strings.TrimSpace(head)))) {
		return line, pulse.MeasureSpec{}, nil
	}
	spec, err := pulse.ParseMeasureSpec(inner)
	if err != nil {
		return line, spec, pulse.FieldError("metrics", "err.crm_measure", map[string]any{"Value": clipText(inner, maxEchoChars)}, "bad measure %q", inner)
	}
	return strings.TrimSpace(line[:open]), spec, nil
}
