package pulse

import (
	"slices"
	"time"
)

// Training is a skill the team was trained in on a day, for some reps. Each
// attendee is nudged on the team's reinforcement schedule to report how they
// applied it, because training that is not applied is wasted.
type Training struct {
	ID        string
	TeamID    string
	Skill     string   // e.g. "objection handling"
	Date      Date     // the day of the training
	Attendees []string // Slack user IDs of the reps trained
	Schedule  []int    // days after Date that each attendee is nudged
	CreatedBy string
	CreatedAt time.Time
}

// Validate checks the training and trims its skill.
func (t *Training) Validate() error {
	var errs ValidationErrors
	var err *Error
	if t.Skill, err = cleanText("skill", t.Skill, MaxSkillLen, true); err != nil {
		errs = append(errs, err)
	}
	if t.Date.IsZero() {
		errs = append(errs, FieldError("date", "err.date", map[string]any{"Value": ""}, "training without a date"))
	}
	if len(t.Attendees) == 0 {
		errs = append(errs, FieldError("attendees", "err.no_attendees", nil, "training without attendees"))
	}
	for _, d := range t.Schedule {
		if d < 1 || d > 365 {
			errs = append(errs, FieldError("schedule", "err.range", map[string]any{"Min": 1, "Max": 365}, "nudge day %d out of range", d))
			break
		}
	}
	return errs.OrNil()
}

// NudgeDates returns the days on which attendees are nudged, in order.
func (t *Training) NudgeDates() []Date {
	days := slices.Clone(t.Schedule)
	slices.Sort(days)
	out := make([]Date, 0, len(days))
	for _, d := range slices.Compact(days) {
		out = append(out, t.Date.AddDays(d))
	}
	return out
}

// NudgeDays returns the days after the training on which its attendees
// are nudged, in order and each once: its own schedule, else the team's
// reinforcement days.
func (t *Training) NudgeDays(team *Team) []int {
	days := t.Schedule
	if len(days) == 0 && team != nil {
		days = team.ReinforcementDays
	}
	return slices.Compact(slices.Sorted(slices.Values(days)))
}

// IsNudgeDay reports whether the training's attendees are nudged day days
// after it. A nudge of any other day does not exist, whatever a button
// says.
func (t *Training) IsNudgeDay(team *Team, day int) bool {
	return slices.Contains(t.NudgeDays(team), day)
}

// NudgeResponse is what an attendee answered to a nudge.
type NudgeResponse string

// A nudge is pending until the rep answers it: applied (with a report) or not yet.
const (
	NudgePending NudgeResponse = ""
	NudgeApplied NudgeResponse = "applied"
	NudgeNotYet  NudgeResponse = "not_yet"
)

// Nudge is one reminder to one attendee to apply a trained skill, and their
// answer. Implementation rate = nudges answered "applied" / nudges sent.
type Nudge struct {
	TrainingID string
	TeamID     string
	UserID     string
	Day        int // days after the training
	SentAt     time.Time
	Response   NudgeResponse
	Report     string // how the rep applied the skill
	AnsweredAt time.Time
}

// Validate checks the rep's report.
func (n *Nudge) Validate() error {
	var errs ValidationErrors
	var err *Error
	if n.Report, err = cleanText("report", n.Report, MaxTextLen, n.Response == NudgeApplied); err != nil {
		errs = append(errs, err)
	}
	return errs.OrNil()
}

// ImplementationRate returns reports ÷ nudges sent, and false when no nudge
// has been sent yet.
func ImplementationRate(nudges []Nudge) (float64, bool) {
	sent, applied := 0, 0
	for _, n := range nudges {
		if n.SentAt.IsZero() {
			continue
		}
		sent++
		if n.Response == NudgeApplied {
			applied++
		}
	}
	if sent == 0 {
		return 0, false
	}
	return float64(applied) / float64(sent), true
}
