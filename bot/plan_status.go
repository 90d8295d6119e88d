package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// paceSections is how many sections a team's pace takes in a manager's
// /pulse: about sixty reps, those behind first; the rest are counted.
const paceSections = 3

// paceRead is what a team's paces are computed from: a tally of the
// check-ins the team's status scans, and the team's plans.
type paceRead struct {
	tally *pulse.PaceTally
	plans []pulse.Plan
}

// repLead is a rep's lead pace (pulse.PaceTally.Lead).
type repLead struct {
	rep  string
	gap  float64 // pulse.PaceGap(pace), by which leads are sorted
	pace pulse.Pace
}

// leads appends to out each rep's lead pace from what was read, with the
// reps' zones and away days from roster, in the team's order of reps; reps
// without a plan are left out.
func (r *paceRead) leads(team *pulse.Team, roster *pulse.Roster, now time.Time, out []repLead) []repLead {
	// Each rep's plans are a run of the plans sorted by rep, in the order
	// the store gave them.
	plans := r.plans
	byRep := func(a pulse.Plan, rep string) int { return strings.Compare(a.UserID, rep) }
	slices.SortStableFunc(plans, func(a, b pulse.Plan) int { return byRep(a, b.UserID) })
	out = slices.Grow(out, len(team.Reps))
	for _, rep := range team.Reps {
		i, _ := slices.BinarySearchFunc(plans, rep, byRep)
		j := i
		for j < len(plans) && plans[j].UserID == rep {
			j++
		}
		if lead, ok := r.tally.Lead(rep, roster.People[rep], plans[i:j:j], roster.Away[rep], now, zoneIn(roster.People[rep], team)); ok {
			out = append(out, repLead{rep, pulse.PaceGap(lead), lead})
		}
	}
	return out
}

// leadPaces reads the team's paces at now, for the digest: each rep's
// pace on the metric furthest behind its plan. roster holds the reps'
// zones and away days.
func (b *Bot) leadPaces(ctx context.Context, team *pulse.Team, roster *pulse.Roster, now time.Time) (map[string]pulse.Pace, error) {
	today := pulse.RepToday(now, team.Location())
	r := paceRead{tally: pulse.NewPaceTally(team, today)}
	var err error
	if r.plans, err = b.planOf(ctx, team, today, ""); err != nil {
		return nil, err
	}
	from, to := pulse.PaceRange(today, r.plans)
	err = pulse.ScanTeamCheckIns(ctx, b.store, team.ID, from, to, func(f *pulse.CheckInFigures) error {
		r.tally.AddFigures(f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load check-ins of team %s: %w", team.ID, err)
	}
	if err := pulse.ReadCRMFigures(ctx, b.store, team, from, to, r.tally.AddCRMFigure); err != nil {
		return nil, fmt.Errorf("load paces: %w", err)
	}
	out := make(map[string]pulse.Pace)
	for _, l := range r.leads(team, roster, now, nil) {
		out[l.rep] = l.pace
	}
	return out, nil
}

// teamPaceBlocks shows every rep's pace to the team's managers, one line
// each on the metric furthest behind its plan, those furthest behind
// first. A rep's every metric is one /pulse @rep away.
func teamPaceBlocks(p voice, team *pulse.Team, leads []repLead) []slack.Block {
	if len(leads) == 0 {
		return nil
	}
	// Sorted by reference: a pace is large to move about.
	rows := make([]*repLead, len(leads))
	for i := range leads {
		rows[i] = &leads[i]
	}
	slices.SortFunc(rows, func(a, b *repLead) int {
		return cmp.Or(cmp.Compare(a.gap, b.gap), cmp.Compare(a.rep, b.rep))
	})
	// Only what the sections can hold is written; the rest is counted, on
	// a line of its own, which the sections may count in turn.
	shown := rows[:min(len(rows), paceSections*maxSectionChars/paceLineChars)]
	more := len(leads) - len(shown)
	left := len(shown) // lines not yet written, the count of the rest among them
	if more > 0 {
		left++
	}
	k := newSectionPacker(p, paceSections)
	defer k.release()
	words := newPaceWords(p, team)
	for _, l := range shown {
		if !k.line(func(b []byte) []byte {
			b = append(append(append(b, "<@"...), l.rep...), "> · "...)
			return words.appendLine(b, p, l.pace)
		}) {
			break
		}
		left--
	}
	if more > 0 && k.line(func(b []byte) []byte {
		return append(b, p.Plural("notices.more", more, map[string]any{"Count": p.count(more)})...)
	}) {
		left--
	}
	return append([]slack.Block{mrkdwnSection("*" + p.T("plan.team_title", nil) + "*")}, k.blocks(left)...)
}

// paceLineChars is about the longest a rep's pace line runs, mention included.
const paceLineChars = 160

// repPaceBlock is a rep's own pace, one line per metric; nil without a plan.
func repPaceBlock(p voice, team *pulse.Team, paces []pulse.Pace) []slack.Block {
	if len(paces) == 0 {
		return nil
	}
	lines := make([]string, 0, len(paces))
	words := newPaceWords(p, team)
	for _, x := range paces {
		lines = append(lines, words.line(p, x))
	}
	return packLines(p, lines, 1)
}
