package pulse

import "time"

// History is a team's (or one rep's) figures week by week, for the web
// dashboard's charts: the quarter a manager cannot see in Slack's "today"
// and "this week". It is filled by handing it the records of its span one
// by one, the way a store scans them, so a year of a big team is counted
// without holding it.
type History struct {
	Team  *Team
	Rep   string // one rep's history; empty for the whole team
	Today Date   // the team's local date: later days are not counted
	Weeks []WeekFigures

	loc   *time.Location
	given map[Date]map[string]bool // week → reps given feedback in it
}

// WeekFigures are one week's figures, Monday to Sunday.
type WeekFigures struct {
	Week Date // its Monday

	Answered int // check-ins answered, on time or late
	Missed   int // check-ins missed
	Energy   int // sum of the answered check-ins' energy
	EnergyN  int // answered check-ins that gave one

	Actual []float64 // the week's total of each of the team's metrics, in Team.Metrics' order
	Plan   []float64 // the week's target of each: the weekly target × the reps counted

	Kept, Partly, MissedCommitments, OpenCommitments int

	NudgesSent, NudgesApplied int

	Kudos int

	Feedback     int // pieces of feedback the team's leaders gave its reps
	FeedbackReps int // reps given any

	BlockersRaised int // raised in the week
	BlockersOpen   int // still open at the week's end (or today, for this week)
}

// NewHistory returns an empty history of team over the weeks weeks up to
// and including today's; with rep set, of that rep only.
func NewHistory(team *Team, rep string, weeks int, today Date) *History {
	weeks = max(weeks, 1)
	h := &History{Team: team, Rep: rep, Today: today, Weeks: make([]WeekFigures, weeks), loc: team.Location()}
	first := today.WeekStart().AddDays(-7 * (weeks - 1))
	reps := len(team.Reps)
	if rep != "" {
		reps = 1
	}
	for i := range h.Weeks {
		w := &h.Weeks[i]
		w.Week = first.AddDays(7 * i)
		w.Actual = make([]float64, len(team.Metrics))
		w.Plan = make([]float64, len(team.Metrics))
		for j, m := range team.Metrics {
			w.Plan[j] = m.Target * float64(reps)
		}
	}
	return h
}

// From returns the first day the history counts; To the last.
func (h *History) From() Date { return h.Weeks[0].Week }

// To returns the last day the history counts: today.
func (h *History) To() Date { return h.Today }

// week returns the figures of the week holding d, or nil when d lies
// outside the history or after today, or belongs to another rep.
func (h *History) week(d Date, user string) *WeekFigures {
	if h.Rep != "" && user != h.Rep {
		return nil
	}
	if d.Before(h.From()) || d.After(h.Today) {
		return nil
	}
	return &h.Weeks[h.From().DaysUntil(d)/7]
}

// AddFigures counts a check-in of the team.
func (h *History) AddFigures(f *CheckInFigures) {
	w := h.week(f.Date, f.UserID)
	if w == nil || f.TeamID != h.Team.ID {
		return
	}
	switch {
	case f.Answered():
		w.Answered++
		if f.Energy > 0 {
			w.Energy += f.Energy
			w.EnergyN++
		}
	case f.Status == CheckInMissed:
		w.Missed++
	}
	for _, mv := range f.Metrics {
		for j := range h.Team.Metrics {
			if h.Team.Metrics[j].Key == mv.Key {
				w.Actual[j] += mv.Value
			}
		}
	}
}

// AddCommitment counts a commitment by the week it is for.
func (h *History) AddCommitment(c *Commitment) {
	w := h.week(c.Week, c.UserID)
	if w == nil || c.TeamID != h.Team.ID {
		return
	}
	switch c.Status {
	case CommitmentKept:
		w.Kept++
	case CommitmentPartly:
		w.Partly++
	case CommitmentMissed:
		w.MissedCommitments++
	default:
		w.OpenCommitments++
	}
}

// AddNudge counts a training nudge by the week it was sent; one not sent
// yet is not counted.
func (h *History) AddNudge(n *Nudge) {
	if n.SentAt.IsZero() || n.TeamID != h.Team.ID {
		return
	}
	w := h.week(DateOf(n.SentAt.In(h.loc)), n.UserID)
	if w == nil {
		return
	}
	w.NudgesSent++
	if n.Response == NudgeApplied {
		w.NudgesApplied++
	}
}

// AddKudos counts kudos to a rep of the team by the week they were given.
func (h *History) AddKudos(k *Kudos) {
	if k.TeamID != h.Team.ID {
		return
	}
	if w := h.week(DateOf(k.CreatedAt.In(h.loc)), k.To); w != nil {
		w.Kudos++
	}
}

// AddBlocker counts a blocker in the week it was raised, and as open in
// every week whose end found it unresolved.
func (h *History) AddBlocker(b *Blocker) {
	if b.TeamID != h.Team.ID || (h.Rep != "" && b.UserID != h.Rep) {
		return
	}
	if w := h.week(b.Date, b.UserID); w != nil {
		w.BlockersRaised++
	}
	resolved := Date{}
	if b.Status == BlockerResolved {
		resolved = DateOf(b.ResolvedAt.In(h.loc))
	}
	for i := range h.Weeks {
		w := &h.Weeks[i]
		end := w.Week.AddDays(6)
		if end.After(h.Today) {
			end = h.Today
		}
		if b.Date.After(end) {
			continue // not raised yet
		}
		if resolved.IsZero() || resolved.After(end) {
			w.BlockersOpen++
		}
	}
}

// Participation returns the share of due check-ins answered, and false for
// a week in which none was due.
func (w *WeekFigures) Participation() (float64, bool) {
	return share(w.Answered, w.Answered+w.Missed)
}

// MeanEnergy returns the answered check-ins' mean energy (1–5), and false
// for a week without one.
func (w *WeekFigures) MeanEnergy() (float64, bool) {
	if w.EnergyN == 0 {
		return 0, false
	}
	return float64(w.Energy) / float64(w.EnergyN), true
}

// KeptRate returns the share of the week's reviewed commitments that were
// kept, a partly kept one counting half, and false when none was reviewed.
func (w *WeekFigures) KeptRate() (float64, bool) {
	reviewed := w.Kept + w.Partly + w.MissedCommitments
	if reviewed == 0 {
		return 0, false
	}
	return (float64(w.Kept) + float64(w.Partly)/2) / float64(reviewed), true
}

// AppliedRate returns nudges answered "applied" ÷ nudges sent in the week,
// and false when none was sent.
func (w *WeekFigures) AppliedRate() (float64, bool) {
	return share(w.NudgesApplied, w.NudgesSent)
}

// OfPlan returns the week's total of metric j as a share of its plan, and
// false when the metric has no target or nobody checked in that week (a
// week before the team was on Pulse is not a week of zeros).
func (w *WeekFigures) OfPlan(j int) (float64, bool) {
	if w.Plan[j] <= 0 || w.Answered == 0 {
		return 0, false
	}
	return w.Actual[j] / w.Plan[j], true
}

func share(part, whole int) (float64, bool) {
	if whole == 0 {
		return 0, false
	}
	return float64(part) / float64(whole), true
}

// AddFeedback counts feedback given to a rep of the team by the week it was
// given in.
func (h *History) AddFeedback(f *Feedback) {
	if f.TeamID != h.Team.ID {
		return
	}
	w := h.week(DateOf(f.At.In(h.loc)), f.RepID)
	if w == nil {
		return
	}
	w.Feedback++
	if h.given == nil {
		h.given = map[Date]map[string]bool{}
	}
	if h.given[w.Week] == nil {
		h.given[w.Week] = map[string]bool{}
	}
	if !h.given[w.Week][f.RepID] {
		h.given[w.Week][f.RepID] = true
		w.FeedbackReps++
	}
}
