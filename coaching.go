package pulse

import "time"

// CoachingSession is a 1:1 between a manager and a rep. Its notes are
// private to the team's managers.
type CoachingSession struct {
	ID        string
	TeamID    string
	RepID     string
	ManagerID string
	Date      Date
	Notes     string
	CreatedAt time.Time
}

// Validate checks the session and trims its notes.
func (s *CoachingSession) Validate() error {
	var errs ValidationErrors
	var err *Error
	if s.Notes, err = cleanText("notes", s.Notes, MaxTextLen, false); err != nil {
		errs = append(errs, err)
	}
	if s.Date.IsZero() {
		errs = append(errs, FieldError("date", "err.date", map[string]any{"Value": ""}, "1:1 without a date"))
	}
	if !ValidUserID(s.RepID) {
		errs = append(errs, FieldError("rep", "err.user_unknown", map[string]any{"Value": s.RepID}, "bad rep id %q", s.RepID))
	}
	return errs.OrNil()
}

// Kudos is public recognition of a rep, posted to the team channel.
type Kudos struct {
	ID        string
	TeamID    string
	From      string
	To        string
	Text      string
	Skill     string // optional: the trained skill it recognises
	CreatedAt time.Time
}

// Validate checks the kudos and trims its text.
func (k *Kudos) Validate() error {
	var errs ValidationErrors
	var err *Error
	if k.Text, err = cleanText("text", k.Text, MaxTextLen, true); err != nil {
		errs = append(errs, err)
	}
	if k.Skill, err = cleanText("skill", k.Skill, MaxSkillLen, false); err != nil {
		errs = append(errs, err)
	}
	if !ValidUserID(k.To) {
		errs = append(errs, FieldError("to", "err.user_unknown", map[string]any{"Value": k.To}, "bad user id %q", k.To))
	}
	if k.From == k.To {
		errs = append(errs, FieldError("to", "err.kudos_self", nil, "kudos to oneself"))
	}
	return errs.OrNil()
}
