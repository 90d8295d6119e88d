package pulse

// TeamTally is what a team's status counts of its check-ins, its
// trainings' nudges and its commitments: for each rep, the days of this
// week and last that they answered; the energy of this week's answers and
// last week's; this week's metric totals up to today; the nudges sent and
// applied; and this week's commitments by status. It is fed one record at a
// time and keeps none, so a store can feed it straight from a scan: a
// manager's /pulse reads two weeks of a team's check-ins, every nudge of its
// recent trainings and the week's commitments, and holding them all, texts
// and metric maps included, was most of what it allocated.
type TeamTally struct {
	team  *Team
	week  Date                     // Monday of the team's week
	today Date                     // the team's day
	first int                      // day number of the Monday of last week, index 0 of answeredDays
	reps  map[string]*answeredDays // into days
	days  []answeredDays

	cur, prev mean               // energy of this week's answers up to today, of last week's
	metrics   map[string]float64 // this week's totals up to today, by metric key

	nudgesSent, nudgesApplied int
	commitments               CommitmentCounts

	scratch CheckInFigures // AddCheckIn's, reused
}

// answeredDays holds whether a rep answered on each day from the Monday
// of last week (index 0) on. Three weeks cover a rep far east whose day is
// ahead of the team's on a Sunday.
type answeredDays [21]bool

// tallyDays is how many days back from the team's Monday a tally starts.
const tallyDays = 7

// NewTeamTally returns an empty tally of the team's records for its status
// on the team's day today.
func NewTeamTally(team *Team, today Date) *TeamTally {
	t := new(TeamTally)
	t.Reset(team, today)
	return t
}

// Reset empties t for the team's status on the team's day today, reusing
// what it holds, for a caller that tallies one status after another.
func (t *TeamTally) Reset(team *Team, today Date) {
	reps, metrics, days, scratch := t.reps, t.metrics, t.days, t.scratch.Metrics
	if reps == nil {
		reps = make(map[string]*answeredDays, len(team.Reps))
		metrics = make(map[string]float64, len(team.Metrics))
	}
	clear(reps)
	clear(metrics)
	if cap(days) < len(team.Reps) {
		days = make([]answeredDays, len(team.Reps))
	}
	days = days[:len(team.Reps)]
	clear(days)
	*t = TeamTally{
		team:    team,
		week:    today.WeekStart(),
		today:   today,
		first:   today.WeekStart().dayNumber() - tallyDays,
		reps:    reps,
		metrics: metrics,
		days:    days,
		scratch: CheckInFigures{Metrics: scratch[:0]},
	}
	for i, rep := range team.Reps {
		t.reps[rep] = &t.days[i]
	}
}

// Range returns the first and last day whose check-ins the tally counts:
// the Monday of last week, and the day after today, which a rep east of
// the team may already live.
func (t *TeamTally) Range() (from, to Date) {
	return t.week.AddDays(-tallyDays), t.today.AddDays(1)
}

// AddCheckIn counts one check-in, as AddFigures does.
func (t *TeamTally) AddCheckIn(c *CheckIn) {
	t.scratch = c.Figures(t.scratch.Metrics)
	t.AddFigures(&t.scratch)
}

// AddFigures counts one check-in. Check-ins of other teams, of people no
// longer the team's reps, of days outside Range and missed days are left
// out. It keeps nothing of f, so the caller may reuse it.
func (t *TeamTally) AddFigures(f *CheckInFigures) {
	if f.TeamID != t.team.ID || !f.Answered() {
		return
	}
	days := t.reps[f.UserID]
	if days == nil {
		return
	}
	i := f.Date.dayNumber() - t.first
	if i < 0 || i >= len(days) {
		return
	}
	if days[i] {
		return // the store holds one check-in per rep and day; count one
	}
	days[i] = true
	switch {
	case i < tallyDays:
		t.prev.add(float64(f.Energy))
	case i <= t.today.dayNumber()-t.first:
		t.cur.add(float64(f.Energy))
		for _, m := range f.Metrics {
			if t.team.CountsTyped(m.Key) {
				t.metrics[m.Key] += m.Value
			}
		}
	}
}

// AddCRMFigure counts one rep's figure from the team's CRM in this week's
// metric totals up to today, as Summarize does: the CRM's numbers of the
// metrics it fills, whether or not the rep checked in that day. It keeps
// nothing of f.
func (t *TeamTally) AddCRMFigure(f *CRMFigure) {
	if t.reps[f.Rep] == nil || f.Day.Before(t.week) || f.Day.After(t.today) {
		return
	}
	t.team.CRMCounts(f, func(key string, v float64) { t.metrics[key] += v })
}

// AddNudge counts one nudge of a training of the team, when it was sent.
// It keeps nothing of n.
func (t *TeamTally) AddNudge(n *Nudge) {
	if n.TeamID != t.team.ID || n.SentAt.IsZero() {
		return
	}
	t.nudgesSent++
	if n.Response == NudgeApplied {
		t.nudgesApplied++
	}
}

// AddCommitment counts one commitment, when it is one of the team's reps'
// for the team's week. It keeps nothing of c.
func (t *TeamTally) AddCommitment(c *Commitment) {
	if c.TeamID == t.team.ID && c.Week == t.week && t.reps[c.UserID] != nil {
		t.commitments.add(c.Status)
	}
}

// answered reports whether rep answered on day d.
func (t *TeamTally) answered(rep string, d Date) bool {
	days := t.reps[rep]
	if days == nil {
		return false
	}
	i := d.dayNumber() - t.first
	return i >= 0 && i < len(days) && days[i]
}
