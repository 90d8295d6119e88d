package pulse

import (
	"math"
	"time"
)

// CheckInStatus says how a rep's day went as far as the check-in goes.
type CheckInStatus string

// The states of a day's check-in. A check-in answered after the team's
// reminder went out is late; a day that ended without one is missed.
const (
	CheckInOnTime CheckInStatus = "on_time"
	CheckInLate   CheckInStatus = "late"
	CheckInMissed CheckInStatus = "missed"
)

// CheckIn is one rep's answer for one local workday in one team. The rep may
// edit it until their local day ends; a missed day is stored as a CheckIn
// with Status missed and no answers, so summaries count it.
type CheckIn struct {
	TeamID  string
	UserID  string
	Date    Date // the rep's local day
	Status  CheckInStatus
	Results string             // what happened yesterday
	Plan    string             // what they will do today
	Blocker string             // what stands in their way; raises a Blocker when set
	Energy  int                // 1–5; 0 only on a missed day
	Metrics map[string]float64 // values for the team's metrics, by Metric.Key
	Skill   string             // optional: how a trained skill was applied
	Answers []Answer           // answers to the team's own questions, in the team's order

	SubmittedAt time.Time // first answer
	UpdatedAt   time.Time // last edit
}

// Answered reports whether the rep answered (on time or late).
func (c *CheckIn) Answered() bool { return c.Status == CheckInOnTime || c.Status == CheckInLate }

// CheckInFigures is what counting a check-in takes: whose, which day, how
// it went and its numbers, without the texts and times. A store's scan
// hands out one, reused, for each check-in it reads, so a team's two weeks
// are counted without a map or a string allocated per check-in.
type CheckInFigures struct {
	TeamID  string
	UserID  string
	Date    Date
	Status  CheckInStatus
	Energy  int
	Metrics []MetricValue // one per metric answered, in no set order
}

// MetricValue is the value a check-in gives one of the team's metrics.
type MetricValue struct {
	Key   string
	Value float64
}

// Answered reports whether the rep answered (on time or late).
func (f *CheckInFigures) Answered() bool {
	return f.Status == CheckInOnTime || f.Status == CheckInLate
}

// Figures returns c's figures. Metrics reuses into's backing array.
func (c *CheckIn) Figures(into []MetricValue) CheckInFigures {
	f := CheckInFigures{TeamID: c.TeamID, UserID: c.UserID, Date: c.Date, Status: c.Status, Energy: c.Energy, Metrics: into[:0]}
	for k, v := range c.Metrics {
		f.Metrics = append(f.Metrics, MetricValue{Key: k, Value: v})
	}
	return f
}

// Validate checks an answered check-in against the team's metrics, and
// reports every bad field at once. The texts are trimmed in place.
func (c *CheckIn) Validate(team *Team) error {
	var errs ValidationErrors
	if c.Status == CheckInMissed {
		return nil
	}
	if c.Status != CheckInOnTime && c.Status != CheckInLate {
		errs = append(errs, FieldError("status", "err.internal", nil, "bad check-in status %q", c.Status))
	}
	if c.Date.IsZero() {
		errs = append(errs, FieldError("date", "err.date", map[string]any{"Value": ""}, "check-in without a date"))
	}
	for _, f := range []struct {
		name     string
		v        *string
		required bool
	}{
		{"results", &c.Results, false},
		{"plan", &c.Plan, true},
		{"blocker", &c.Blocker, false},
		{"skill", &c.Skill, false},
	} {
		s, err := cleanText(f.name, *f.v, MaxTextLen, f.required)
		*f.v = s
		if err != nil {
			errs = append(errs, err)
		}
	}
	if c.Energy < 1 || c.Energy > 5 {
		errs = append(errs, FieldError("energy", "err.energy", map[string]any{"Value": c.Energy}, "energy %d outside 1–5", c.Energy))
	}
	for key, v := range c.Metrics {
		if team != nil {
			if _, ok := team.Metric(key); !ok {
				errs = append(errs, FieldError("metric_"+key, "err.metric_unknown", map[string]any{"Value": key}, "metric %q is not the team's", key))
				continue
			}
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e12 {
			errs = append(errs, FieldError("metric_"+key, "err.number", map[string]any{"Value": v}, "metric %q value %v out of range", key, v))
		}
	}
	if team != nil {
		errs = append(errs, c.validateAnswers(team)...)
	}
	return errs.OrNil()
}
