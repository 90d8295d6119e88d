package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// paceSections is how many sections a team's pace takes in a manager's
// /pulse: about sixty reps, those behind first; the rest are counted.
const paceSections = 3

// teamPaces computes the pace of each of the team's reps on the team's
// day, from one scan of the team's check-ins of the quarter.
func (b *Bot) teamPaces(ctx context.Context, team *pulse.Team, now time.Time) (map[string][]pulse.Pace, error) {
	today := pulse.RepToday(now, team.Location())
	tally := pulse.NewPaceTally(team)
	from, to := pulse.PaceRange(today)
	err := b.store.ScanTeamCheckIns(ctx, team.ID, from, to, func(f *pulse.CheckInFigures) error {
		tally.AddFigures(f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load check-ins of team %s: %w", team.ID, err)
	}
	plans, err := b.planOf(ctx, team, today, "")
	if err != nil {
		return nil, err
	}
	byRep := make(map[string][]pulse.Plan)
	for _, p := range plans {
		byRep[p.UserID] = append(byRep[p.UserID], p)
	}
	roster, err := b.store.Roster(ctx, team.ID, team.Reps)
	if err != nil {
		return nil, fmt.Errorf("load the reps of team %s: %w", team.ID, err)
	}
	out := make(map[string][]pulse.Pace, len(team.Reps))
	for _, rep := range team.Reps {
		if paces := tally.Paces(rep, byRep[rep], roster.Away[rep], now, zoneIn(roster.People[rep], team)); len(paces) > 0 {
			out[rep] = paces
		}
	}
	return out, nil
}

// teamPaceBlocks shows every rep's pace to the team's managers, those
// furthest behind first.
func teamPaceBlocks(p phrasebook, team *pulse.Team, paces map[string][]pulse.Pace) []slack.Block {
	type row struct {
		rep string
		gap float64
	}
	rows := make([]row, 0, len(paces))
	for rep, ps := range paces {
		gap := pulse.PaceGap(ps[0])
		for _, x := range ps[1:] {
			gap = min(gap, pulse.PaceGap(x))
		}
		rows = append(rows, row{rep, gap})
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Or(cmp.Compare(a.gap, b.gap), cmp.Compare(a.rep, b.rep)) })
	var lines []string
	for _, r := range rows {
		for _, x := range paces[r.rep] {
			lines = append(lines, mention(r.rep)+" · "+paceLine(p, team, x))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	blocks := []slack.Block{mrkdwnSection("*" + p.T("plan.team_title", nil) + "*")}
	return append(blocks, packLines(p, lines, paceSections)...)
}

// repPaceBlock is a rep's own pace, one line per metric; nil without a plan.
func repPaceBlock(p phrasebook, team *pulse.Team, paces []pulse.Pace) []slack.Block {
	if len(paces) == 0 {
		return nil
	}
	lines := make([]string, 0, len(paces))
	for _, x := range paces {
		lines = append(lines, paceLine(p, team, x))
	}
	return packLines(p, lines, 1)
}
