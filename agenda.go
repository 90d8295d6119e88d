package pulse

import (
	"slices"
	"time"
)

// AgendaSource says how an item came onto a rep's 1:1 agenda.
type AgendaSource string

// A leader adds an item by hand; the others are gathered by rule.
const (
	AgendaManual     AgendaSource = "manual"
	AgendaBlocker    AgendaSource = "blocker"    // a blocker open past the team's limit
	AgendaCommitment AgendaSource = "commitment" // a commitment missed
	AgendaEnergy     AgendaSource = "energy"     // energy at 2 or below three workdays running
	AgendaTraining   AgendaSource = "training"   // a training nudge answered Not yet twice
)

// AgendaItem is one thing to talk about at a rep's next 1:1. Logging the
// 1:1 closes the open items, but those carried over.
type AgendaItem struct {
	ID      string
	TeamID  string
	RepID   string
	Source  AgendaSource
	Ref     string // what a gathered item is about, so it is gathered once
	Text    string
	AddedBy string // the leader who added it; empty when gathered
	At      time.Time
	Closed  time.Time // zero while open
	Session string    // the 1:1 that closed it
}

// Open reports whether the item waits for a 1:1.
func (a *AgendaItem) Open() bool { return a.Closed.IsZero() }

// Validate checks the item and trims its text.
func (a *AgendaItem) Validate() error {
	var errs ValidationErrors
	var err *Error
	if a.Text, err = cleanText("item", a.Text, MaxTextLen, true); err != nil {
		errs = append(errs, err)
	}
	if !ValidUserID(a.RepID) {
		errs = append(errs, FieldError("rep", "err.user_unknown", map[string]any{"Value": a.RepID}, "bad rep id %q", a.RepID))
	}
	switch a.Source {
	case AgendaManual, AgendaBlocker, AgendaCommitment, AgendaEnergy, AgendaTraining:
	default:
		errs = append(errs, FieldError("item", "err.internal", nil, "agenda source %q", a.Source))
	}
	return errs.OrNil()
}

// AgendaInput is what a rep's agenda is gathered from: their records in
// the team, recent enough to matter.
type AgendaInput struct {
	Blockers    []Blocker         // the team's open blockers
	Commitments []Commitment      // the rep's recent commitments
	CheckIns    []CheckIn         // the rep's recent check-ins
	Nudges      []Nudge           // the rep's nudges
	Skills      map[string]string // each training's skill, by training ID
	Away        []AwayPeriod
	Rep         *Person // the rep, whose own public holidays apply; nil keeps the team's
}

// GatherAgenda returns the items the rules put on rep's agenda on today:
// each open blocker of theirs past the team's limit, each commitment
// missed, energy at 2 or below on their last three workdays, and each
// training whose nudge they answered Not yet twice. Each carries a Ref,
// so an item already on the agenda (or closed) is not gathered again.
func GatherAgenda(team *Team, rep string, today Date, in AgendaInput) []AgendaItem {
	var out []AgendaItem
	item := func(src AgendaSource, ref, text string) {
		out = append(out, AgendaItem{TeamID: team.ID, RepID: rep, Source: src, Ref: string(src) + ":" + ref, Text: text})
	}
	for _, b := range in.Blockers {
		if b.TeamID == team.ID && b.UserID == rep && b.Open() && workdaysBetween(team, in.Rep, b.Date, today) > team.BlockerLimit {
			item(AgendaBlocker, b.ID, b.Text)
		}
	}
	for _, c := range in.Commitments {
		if c.TeamID == team.ID && c.UserID == rep && c.Status == CommitmentMissed {
			item(AgendaCommitment, c.ID, c.Text)
		}
	}
	// The rep's last three workdays, today included once answered.
	var days []Date
	for d := today; len(days) < 3 && d.DaysUntil(today) < 31; d = d.AddDays(-1) {
		if !DayOff(team, in.Rep, in.Away, d) {
			days = append(days, d)
		}
	}
	low := len(days) == 3
	for _, d := range days {
		i := slices.IndexFunc(in.CheckIns, func(c CheckIn) bool { return c.TeamID == team.ID && c.UserID == rep && c.Date == d })
		if i < 0 || !in.CheckIns[i].Answered() || in.CheckIns[i].Energy > 2 {
			low = false
			break
		}
	}
	if low {
		item(AgendaEnergy, days[0].String(), days[2].String()+" – "+days[0].String())
	}
	notYet := map[string]int{}
	for _, n := range in.Nudges {
		if n.TeamID == team.ID && n.UserID == rep && n.Response == NudgeNotYet {
			if notYet[n.TrainingID]++; notYet[n.TrainingID] == 2 {
				skill := in.Skills[n.TrainingID]
				if skill == "" {
					skill = n.TrainingID
				}
				item(AgendaTraining, n.TrainingID, skill)
			}
		}
	}
	return out
}
