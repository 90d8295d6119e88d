package pulse

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Person is what Pulse knows of one Slack user, whatever their role: their
// name and zone as Slack reports them, and the choices they made in Pulse.
// Only the person may change TZOverride, Lang and Goal.
type Person struct {
	ID         string
	Name       string // display name from Slack, for summaries and transcripts
	TZ         string // IANA zone from Slack's users.info, refreshed from time to time
	TZOverride string // the person's own choice, which wins over TZ
	Locale     string // Slack's locale, e.g. "en-US"; consulted for language
	Lang       Lang   // the person's own choice (/pulse lang); empty when none
	Goal       string // personal goal, the "why" that check-ins remind them of
	// HolidayPlace is the country or region whose public holidays the
	// person keeps, when it differs from their team's; empty for the team's.
	HolidayPlace string
	IsAdmin      bool   // Slack workspace admin or owner, per users.info
	Email        string `json:",omitempty"` // lower-cased, per users.info (users:read.email); matches reps to CRM users
	FetchedAt    time.Time
}

// Zone returns the time zone the person lives in: their own choice, else
// Slack's, else fallback.
func (p *Person) Zone(fallback *time.Location) *time.Location {
	for _, name := range []string{p.TZOverride, p.TZ} {
		if name == "" {
			continue
		}
		if loc, err := LoadLocation(name); err == nil {
			return loc
		}
	}
	return fallback
}

// Language picks the language Pulse speaks to the person: their own choice,
// else a Slack locale naming a language Pulse speaks other than English
// (today's Slack offers none, so it tells little), else the team's, else
// English.
func (p *Person) Language(team Lang) Lang {
	if p != nil {
		if l, ok := ParseLang(string(p.Lang)); ok {
			return l
		}
		if l, ok := ParseLang(p.Locale); ok && l != English {
			return l
		}
	}
	if l, ok := ParseLang(string(team)); ok {
		return l
	}
	return English
}

// Validate checks the fields a person sets.
func (p *Person) Validate() error {
	var errs ValidationErrors
	if !ValidUserID(p.ID) {
		errs = append(errs, FieldError("user", "err.user_unknown", map[string]any{"Value": p.ID}, "bad user id %q", p.ID))
	}
	if p.TZOverride != "" {
		if _, err := LoadLocation(p.TZOverride); err != nil {
			errs = append(errs, FieldError("tz", "err.tz", map[string]any{"Value": p.TZOverride}, "unknown time zone %q", p.TZOverride))
		}
	}
	if p.Lang != "" {
		if _, ok := ParseLang(string(p.Lang)); !ok {
			errs = append(errs, FieldError("lang", "err.lang", map[string]any{"Value": string(p.Lang)}, "unknown language %q", p.Lang))
		}
	}
	if !KnownHolidayPlace(p.HolidayPlace) {
		errs = append(errs, FieldError("holiday_place", "err.holiday_place", map[string]any{"Value": p.HolidayPlace}, "unknown holiday place %q", p.HolidayPlace))
	}
	if utf8.RuneCountInString(p.Goal) > MaxGoalLen {
		errs = append(errs, FieldError("goal", "err.too_long", map[string]any{"Max": MaxGoalLen}, "goal longer than %d", MaxGoalLen))
	}
	return errs.OrNil()
}

// AwayPeriod is a span of days, both ends included, on which a rep is away:
// no check-in is due, nothing is sent, and the streak is not broken.
type AwayPeriod struct {
	ID     string
	UserID string
	From   Date
	To     Date
}

// Validate checks that the period has both ends in order and is not absurdly long.
func (a *AwayPeriod) Validate() error {
	var errs ValidationErrors
	switch {
	case a.From.IsZero():
		errs = append(errs, FieldError("from", "err.date", map[string]any{"Value": ""}, "away period without start"))
	case a.To.IsZero():
		errs = append(errs, FieldError("to", "err.date", map[string]any{"Value": ""}, "away period without end"))
	case a.To.Before(a.From):
		errs = append(errs, FieldError("to", "err.date_order", map[string]any{"From": a.From.String(), "To": a.To.String()}, "away period ends %s before it starts %s", a.To, a.From))
	case a.From.DaysUntil(a.To) > 366:
		errs = append(errs, FieldError("to", "err.away_too_long", map[string]any{"Max": 366}, "away period longer than a year"))
	}
	if !ValidUserID(a.UserID) {
		errs = append(errs, FieldError("user", "err.user_unknown", map[string]any{"Value": a.UserID}, "bad user id %q", a.UserID))
	}
	return errs.OrNil()
}

// Covers reports whether d lies within the period.
func (a *AwayPeriod) Covers(d Date) bool { return !d.Before(a.From) && !d.After(a.To) }

// IsAway reports whether any of periods covers d.
func IsAway(periods []AwayPeriod, d Date) bool {
	for i := range periods {
		if periods[i].Covers(d) {
			return true
		}
	}
	return false
}

// cleanText trims what a person typed and checks its length in characters,
// not bytes, so Cyrillic is held to the same limit as Latin.
func cleanText(field, s string, max int, required bool) (string, *Error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return s, FieldError(field, "err.required", nil, "%s is empty", field)
	}
	if utf8.RuneCountInString(s) > max {
		return s, FieldError(field, "err.too_long", map[string]any{"Max": max}, "%s longer than %d characters", field, max)
	}
	if !utf8.ValidString(s) {
		return s, FieldError(field, "err.text_encoding", nil, "%s is not valid UTF-8", field)
	}
	return s, nil
}
