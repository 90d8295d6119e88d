package pulse

import "time"

// CommitmentStatus is how a weekly commitment turned out.
type CommitmentStatus string

// A commitment is open until it is reviewed, then kept, partly kept or missed.
const (
	CommitmentOpen   CommitmentStatus = "open"
	CommitmentKept   CommitmentStatus = "kept"
	CommitmentPartly CommitmentStatus = "partly"
	CommitmentMissed CommitmentStatus = "missed"
)

// ParseCommitmentStatus accepts the four states by name.
func ParseCommitmentStatus(s string) (CommitmentStatus, bool) {
	switch st := CommitmentStatus(s); st {
	case CommitmentOpen, CommitmentKept, CommitmentPartly, CommitmentMissed:
		return st, true
	}
	return "", false
}

// Commitment is what a rep promises for a week, held to account at the next
// weekly meeting. The rep writes it and gives their own word on it; the
// team's managers give theirs and set the final status.
type Commitment struct {
	ID          string
	TeamID      string
	UserID      string
	Week        Date    // Monday of the week it is for
	Text        string  // the promise, specific and measurable
	Metric      string  // optional: a team metric it is measured by
	Target      float64 // optional: the number to reach on that metric
	Due         Date    // by when; defaults to the week's last workday
	Status      CommitmentStatus
	RepNote     string // the rep's own word at review
	ManagerNote string // the manager's word at review
	CreatedAt   time.Time
	ReviewedAt  time.Time
}

// Validate checks the commitment against the team and trims its texts.
func (c *Commitment) Validate(team *Team) error {
	var errs ValidationErrors
	var err *Error
	if c.Text, err = cleanText("text", c.Text, MaxTextLen, true); err != nil {
		errs = append(errs, err)
	}
	if c.RepNote, err = cleanText("rep_note", c.RepNote, MaxTextLen, false); err != nil {
		errs = append(errs, err)
	}
	if c.ManagerNote, err = cleanText("manager_note", c.ManagerNote, MaxTextLen, false); err != nil {
		errs = append(errs, err)
	}
	if c.Week.IsZero() || c.Week.Weekday() != time.Monday {
		errs = append(errs, FieldError("week", "err.date", map[string]any{"Value": c.Week.String()}, "week %s is not a Monday", c.Week))
	}
	if !c.Due.IsZero() && c.Due.Before(c.Week) {
		errs = append(errs, FieldError("due", "err.date_order", map[string]any{"From": c.Week.String(), "To": c.Due.String()}, "due %s before week %s", c.Due, c.Week))
	}
	if c.Metric != "" && team != nil {
		if _, ok := team.Metric(c.Metric); !ok {
			errs = append(errs, FieldError("metric", "err.metric_unknown", map[string]any{"Value": c.Metric}, "metric %q is not the team's", c.Metric))
		}
	}
	if c.Target < 0 {
		errs = append(errs, FieldError("target", "err.number", map[string]any{"Value": c.Target}, "negative target"))
	}
	if _, ok := ParseCommitmentStatus(string(c.Status)); !ok {
		errs = append(errs, FieldError("status", "err.internal", nil, "bad commitment status %q", c.Status))
	}
	return errs.OrNil()
}

// CommitmentsByRep returns, for each of reps in their order, their
// commitments among cs, in the order of cs; a rep without any is there
// too, so that a list of the team's commitments passes nobody over.
func CommitmentsByRep(reps []string, cs []Commitment) []RepCommitments {
	out := make([]RepCommitments, 0, len(reps))
	for _, rep := range reps {
		rc := RepCommitments{Rep: rep}
		for _, c := range cs {
			if c.UserID == rep {
				rc.Commitments = append(rc.Commitments, c)
			}
		}
		out = append(out, rc)
	}
	return out
}
