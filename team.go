package pulse

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Limits on what people type. They sit inside Slack's own (a plain-text
// input takes at most 3,000 characters) so anything Pulse accepts can be
// shown back in a section block.
const (
	MaxTeamNameLen   = 80
	MaxTextLen       = 3000 // check-in answers, notes, commitments, kudos
	MaxGoalLen       = 500
	MaxSkillLen      = 100
	MaxMetrics       = 10 // one number input each in the check-in modal
	MaxMetricNameLen = 40
	MaxTeamReps      = 1000
	MaxTeamManagers  = 20
	MaxTeamDirectors = 10
)

// Lang is a language Pulse speaks, as a BCP 47 base tag.
type Lang string

// The languages Pulse speaks.
const (
	English   Lang = "en"
	Norwegian Lang = "nb"
	Russian   Lang = "ru"
	Polish    Lang = "pl"
)

// Langs lists the languages Pulse speaks, English first.
var Langs = []Lang{English, Norwegian, Russian, Polish}

// ParseLang accepts a language Pulse speaks, also when written as a locale
// ("ru-RU", "nb_NO") or with Norwegian's macrolanguage "no".
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if base, _, ok := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-"); ok {
		s = base
	}
	if s == "no" || s == "nn" {
		s = "nb"
	}
	for _, l := range Langs {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}

// Metric is a number a team tracks per rep per day, such as calls or
// meetings booked, with a weekly target for each rep.
type Metric struct {
	Key    string  // stable identifier used in check-ins and exports, e.g. "calls"
	Name   string  // what people read, e.g. "Calls"
	Target float64 // weekly target per rep; 0 means none
	// Measure is the CRM measure the metric's numbers come from when the
	// team's NumbersFrom names a CRM; the zero spec means the reps type it.
	Measure MeasureSpec `json:",omitzero"`
}

var metricKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// Team is a sales team: who leads it, who is in it, and the rhythm Pulse
// keeps for it. Admins and the team's managers may change it.
type Team struct {
	ID       string
	Name     string   // unique in the workspace, case-insensitively
	Managers []string // Slack user IDs; at least one. Managers see the whole team.
	Reps     []string // Slack user IDs of the people who check in
	Channel  string   // Slack channel ID for the meeting prompt, summary and kudos
	TZ       string   // IANA zone of the team's meeting and summary times
	Lang     Lang     // language of channel posts and the default for members

	Workdays      []time.Weekday // days a check-in is due
	Holidays      []Date         // the team's own extra days off: nothing is sent
	HolidayPlace  string         // country or region whose public holidays are off ("NO", "DE-BY"); empty for none
	CheckInTime   TimeOfDay      // in each rep's own time zone
	CheckInMode   CheckInMode    // morning (the default), evening or both
	EndOfDayTime  TimeOfDay      // the evening check-in, in each rep's own zone (evening and both)
	ReminderDelay time.Duration  // after the check-in, one reminder if unanswered

	MeetingDay  time.Weekday
	MeetingTime TimeOfDay     // in the team's zone
	MeetingLead time.Duration // how long before the meeting its prompt goes out

	SummaryDay  time.Weekday
	SummaryTime TimeOfDay // in the team's zone

	Metrics           []Metric
	CoachingCadence   int   // days between 1:1s before managers are reminded
	BlockerLimit      int   // workdays a blocker may stay open before a follow-up
	ReinforcementDays []int // days after a training that attendees are nudged
	DailyThread       bool  // share check-ins as replies in one daily channel thread

	// Directors lead the team's managers (a head of sales): they see the
	// team and its managers' leadership pulse and may give feedback, but
	// do not check in. Optional.
	Directors []string
	// DigestTime is when each manager's daily digest goes out, in the
	// team's zone; zero means two hours after the check-in time (see Digest).
	DigestTime TimeOfDay
	// FeedbackInterval is how many of a rep's workdays may pass without
	// feedback from any manager before the digest warns; zero means 3.
	FeedbackInterval int
	// FeedbackTarget is how many times a week each rep should be given
	// feedback; zero means 2.
	FeedbackTarget int

	Questions   []Question // the team's own check-in questions, at most MaxQuestions
	QuestionSeq int        // the highest question number given, so none is given twice
	// RetiredQuestions holds the latest removed questions, as they were
	// last asked, so that their past answers are still exported.
	RetiredQuestions []Question

	// NumbersFrom is the CRM the metrics with a Measure come from; empty
	// when every number is typed. CRMTopUp lets reps add to a CRM figure
	// what the CRM missed (a call made from a personal phone).
	NumbersFrom CRMKind `json:",omitempty"`
	CRMTopUp    bool    `json:",omitempty"`

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Clone returns a copy of t that shares nothing with it that either could
// change: a store that keeps decoded teams hands out clones.
func (t *Team) Clone() *Team {
	c := *t
	c.Managers = slices.Clone(t.Managers)
	c.Reps = slices.Clone(t.Reps)
	c.Workdays = slices.Clone(t.Workdays)
	c.Holidays = slices.Clone(t.Holidays)
	c.Metrics = slices.Clone(t.Metrics)
	c.ReinforcementDays = slices.Clone(t.ReinforcementDays)
	c.Questions = slices.Clone(t.Questions)
	for i := range c.Questions {
		c.Questions[i].Options = slices.Clone(c.Questions[i].Options)
	}
	c.RetiredQuestions = slices.Clone(t.RetiredQuestions)
	for i := range c.RetiredQuestions {
		c.RetiredQuestions[i].Options = slices.Clone(c.RetiredQuestions[i].Options)
	}
	c.Directors = slices.Clone(t.Directors)
	return &c
}

// NewTeam returns a team with the defaults a sales team starts from:
// Monday-to-Friday, check-in at 09:00, a reminder two hours later, the
// weekly meeting on Monday at 10:00, the summary on Friday at 16:00, 1:1s
// every 14 days, and nudges 2, 7, 14 and 30 days after a training.
func NewTeam(name, tz string) *Team {
	return &Team{
		Name:              name,
		TZ:                tz,
		Lang:              English,
		Workdays:          []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		CheckInTime:       9 * 60,
		CheckInMode:       CheckInMorning,
		EndOfDayTime:      17 * 60,
		ReminderDelay:     2 * time.Hour,
		MeetingDay:        time.Monday,
		MeetingTime:       10 * 60,
		MeetingLead:       30 * time.Minute,
		SummaryDay:        time.Friday,
		SummaryTime:       16 * 60,
		CoachingCadence:   14,
		BlockerLimit:      2,
		ReinforcementDays: []int{2, 7, 14, 30},
		DigestTime:        11 * 60,
		FeedbackInterval:  DefaultFeedbackInterval,
		FeedbackTarget:    DefaultFeedbackTarget,
	}
}

// Validate reports every problem with the team's settings at once.
func (t *Team) Validate() error {
	errs := t.validateMembers()
	errs = append(errs, t.validateFeedbackSettings()...)
	for _, id := range append(slices.Clone(t.Managers), t.Reps...) {
		if !ValidUserID(id) {
			errs = append(errs, FieldError("reps", "err.user_unknown", map[string]any{"Value": id}, "bad user id %q", id))
			break
		}
	}
	if t.Channel != "" && !ValidChannelID(t.Channel) {
		errs = append(errs, FieldError("channel", "err.channel", nil, "bad channel id %q", t.Channel))
	}
	if _, err := LoadLocation(t.TZ); err != nil {
		errs = append(errs, FieldError("tz", "err.tz", map[string]any{"Value": t.TZ}, "unknown time zone %q", t.TZ))
	}
	if _, ok := ParseLang(string(t.Lang)); !ok {
		errs = append(errs, FieldError("lang", "err.lang", map[string]any{"Value": string(t.Lang)}, "unknown language %q", t.Lang))
	}
	if e := t.validateMode(); e != nil {
		errs = append(errs, e)
	}
	if !KnownHolidayPlace(t.HolidayPlace) {
		errs = append(errs, FieldError("holiday_place", "err.holiday_place", map[string]any{"Value": t.HolidayPlace}, "unknown holiday place %q", t.HolidayPlace))
	}
	if len(t.Workdays) == 0 {
		errs = append(errs, FieldError("workdays", "err.workdays_empty", nil, "no workdays"))
	}
	errs = append(errs, t.validateSchedule()...)
	errs = append(errs, t.validateMetrics()...)
	errs = append(errs, t.validateQuestions()...)
	if !t.NumbersFrom.Valid() {
		errs = append(errs, FieldError("numbers_from", "err.crm_kind", map[string]any{"Value": string(t.NumbersFrom)}, "unknown CRM %q", t.NumbersFrom))
	}
	return errs.OrNil()
}

// validateMembers checks the name and who is in the team.
func (t *Team) validateMembers() ValidationErrors {
	var errs ValidationErrors
	name := strings.TrimSpace(t.Name)
	switch {
	case name == "":
		errs = append(errs, FieldError("name", "err.team_name_empty", nil, "team name is empty"))
	case utf8.RuneCountInString(name) > MaxTeamNameLen:
		errs = append(errs, FieldError("name", "err.too_long", map[string]any{"Max": MaxTeamNameLen}, "team name longer than %d", MaxTeamNameLen))
	}
	switch {
	case len(t.Managers) == 0:
		errs = append(errs, FieldError("managers", "err.team_no_manager", nil, "team has no manager"))
	case len(t.Managers) > MaxTeamManagers:
		errs = append(errs, FieldError("managers", "err.too_many", map[string]any{"Max": MaxTeamManagers}, "more than %d managers", MaxTeamManagers))
	}
	if len(t.Reps) > MaxTeamReps {
		errs = append(errs, FieldError("reps", "err.too_many", map[string]any{"Max": MaxTeamReps}, "more than %d reps", MaxTeamReps))
	}
	if len(t.Directors) > MaxTeamDirectors {
		errs = append(errs, FieldError("directors", "err.too_many", map[string]any{"Max": MaxTeamDirectors}, "more than %d directors", MaxTeamDirectors))
	}
	for _, id := range t.Directors {
		switch {
		case !ValidUserID(id):
			errs = append(errs, FieldError("directors", "err.user_unknown", map[string]any{"Value": id}, "bad user id %q", id))
		case t.IsRep(id):
			errs = append(errs, FieldError("directors", "err.director_rep", nil, "director %s also checks in", id))
		default:
			continue
		}
		break
	}
	return errs
}

// validateFeedbackSettings checks how often and how much leaders are
// asked to give feedback.
func (t *Team) validateFeedbackSettings() ValidationErrors {
	var errs ValidationErrors
	if t.FeedbackInterval < 0 || t.FeedbackInterval > 30 {
		errs = append(errs, FieldError("feedback_interval", "err.range", map[string]any{"Min": 1, "Max": 30}, "feedback interval %d out of 1–30", t.FeedbackInterval))
	}
	if t.FeedbackTarget < 0 || t.FeedbackTarget > 20 {
		errs = append(errs, FieldError("feedback_target", "err.range", map[string]any{"Min": 1, "Max": 20}, "feedback target %d out of 1–20", t.FeedbackTarget))
	}
	return errs
}

// validateSchedule checks the times of the day and the intervals the
// cadence runs on.
func (t *Team) validateSchedule() ValidationErrors {
	var errs ValidationErrors
	for _, tod := range []struct {
		field string
		v     TimeOfDay
	}{{"checkin_time", t.CheckInTime}, {"meeting_time", t.MeetingTime}, {"summary_time", t.SummaryTime}, {"digest_time", t.DigestTime}} {
		if !tod.v.Valid() {
			errs = append(errs, FieldError(tod.field, "err.time", map[string]any{"Value": tod.v.String()}, "%s out of range", tod.field))
		}
	}
	if t.ReminderDelay < 0 || t.ReminderDelay > 12*time.Hour {
		errs = append(errs, FieldError("reminder_delay", "err.range", map[string]any{"Min": 0, "Max": 12}, "reminder delay %s out of 0–12h", t.ReminderDelay))
	}
	if t.MeetingLead < 0 || t.MeetingLead > 24*time.Hour {
		errs = append(errs, FieldError("meeting_lead", "err.range", map[string]any{"Min": 0, "Max": 24}, "meeting lead %s out of 0–24h", t.MeetingLead))
	}
	if t.CoachingCadence < 1 || t.CoachingCadence > 365 {
		errs = append(errs, FieldError("coaching_cadence", "err.range", map[string]any{"Min": 1, "Max": 365}, "coaching cadence %d out of 1–365", t.CoachingCadence))
	}
	if t.BlockerLimit < 1 || t.BlockerLimit > 30 {
		errs = append(errs, FieldError("blocker_limit", "err.range", map[string]any{"Min": 1, "Max": 30}, "blocker limit %d out of 1–30", t.BlockerLimit))
	}
	for _, d := range t.ReinforcementDays {
		if d < 1 || d > 365 {
			errs = append(errs, FieldError("reinforcement", "err.range", map[string]any{"Min": 1, "Max": 365}, "reinforcement day %d out of 1–365", d))
			break
		}
	}
	return errs
}

// validateMetrics checks the metrics reps report.
func (t *Team) validateMetrics() ValidationErrors {
	var errs ValidationErrors
	if len(t.Metrics) > MaxMetrics {
		errs = append(errs, FieldError("metrics", "err.too_many", map[string]any{"Max": MaxMetrics}, "more than %d metrics", MaxMetrics))
	}
	seen := map[string]bool{}
	for _, m := range t.Metrics {
		switch {
		case !metricKey.MatchString(m.Key) || seen[m.Key]:
			errs = append(errs, FieldError("metrics", "err.metric", map[string]any{"Value": m.Key}, "bad or repeated metric key %q", m.Key))
		case strings.TrimSpace(m.Name) == "" || utf8.RuneCountInString(m.Name) > MaxMetricNameLen:
			errs = append(errs, FieldError("metrics", "err.metric", map[string]any{"Value": m.Name}, "bad metric name %q", m.Name))
		case StartsFormula(m.Name):
			// The name titles a column of the export.
			errs = append(errs, FieldError("metrics", "err.metric_formula", map[string]any{"Value": m.Name}, "metric name %q starts a formula", m.Name))
		case m.Target < 0:
			errs = append(errs, FieldError("metrics", "err.metric", map[string]any{"Value": m.Key}, "negative target for %q", m.Key))
		case !m.Measure.Valid():
			errs = append(errs, FieldError("metrics", "err.crm_measure", map[string]any{"Value": m.Key}, "bad CRM measure for %q", m.Key))
		}
		seen[m.Key] = true
	}
	return errs
}

// Location returns the team's time zone; it falls back to UTC only for a
// team that failed validation, which storage never holds.
func (t *Team) Location() *time.Location {
	loc, err := LoadLocation(t.TZ)
	if err != nil {
		return time.UTC
	}
	return loc
}

// IsManager reports whether user manages the team.
func (t *Team) IsManager(user string) bool { return slices.Contains(t.Managers, user) }

// IsDirector reports whether user directs the team's managers.
func (t *Team) IsDirector(user string) bool { return slices.Contains(t.Directors, user) }

// IsLeader reports whether user manages or directs the team: the people
// who may read its check-ins in a digest and answer them.
func (t *Team) IsLeader(user string) bool { return t.IsManager(user) || t.IsDirector(user) }

// IsRep reports whether user checks in with the team.
func (t *Team) IsRep(user string) bool { return slices.Contains(t.Reps, user) }

// IsMember reports whether user is a manager or a rep of the team.
func (t *Team) IsMember(user string) bool { return t.IsManager(user) || t.IsRep(user) }

// IsWorkday reports whether d is a working day of the team as a whole: a
// workday that is neither one of its own days off nor a public holiday of
// its place. A member's own day is DayOff's to decide.
func (t *Team) IsWorkday(d Date) bool { return t.IsWorkdayIn(t.HolidayPlace, d) }

// Metric returns the team's metric with the given key, a number
// question's among them.
func (t *Team) Metric(key string) (Metric, bool) {
	for _, m := range t.TrackedMetrics() {
		if m.Key == key {
			return m, true
		}
	}
	return Metric{}, false
}

var (
	userID    = regexp.MustCompile(`^[UW][A-Z0-9]{2,20}$`)
	channelID = regexp.MustCompile(`^[CGD][A-Z0-9]{2,20}$`)
)

// ValidUserID reports whether s has the shape of a Slack user ID.
func ValidUserID(s string) bool { return userID.MatchString(s) }

// ValidChannelID reports whether s has the shape of a Slack conversation ID.
func ValidChannelID(s string) bool { return channelID.MatchString(s) }

// zones caches loaded time zones by name: time.LoadLocation reads and
// parses the zone's data on every call, and every schedule decision and
// status answer asks for a zone per person.
var zones sync.Map // string → *time.Location

// LoadLocation loads an IANA time zone and refuses the empty name and
// "Local", which would make a team's schedule depend on the server's zone.
// It is safe for concurrent use; each zone is read once per process.
func LoadLocation(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	if name == "" || name == "Local" {
		return nil, Errorf(EINVALID, "err.tz", map[string]any{"Value": name}, "time zone %q is not an IANA zone", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, Errorf(EINVALID, "err.tz", map[string]any{"Value": name}, "time zone %q: %v", name, err)
	}
	zones.Store(name, loc)
	return loc, nil
}
