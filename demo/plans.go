package demo

import (
	"context"
	"strings"

	"github.com/salespulse/pulse"
)

// checkPlansAndContest looks for the week's plans and contest: the plans
// stored, the standings posted once and updated each day, the winner
// announced on Friday with a kudos, and Anna behind pace in Ingrid's view.
func (w *world) checkPlansAndContest(ctx context.Context, failf func(string, ...any)) {
	plans, err := w.db.TeamPlans(ctx, w.team.ID, pulse.PeriodMonth.First(monday), monday)
	if err != nil || len(plans) < 4 {
		failf("the month holds %d plans, want 4 (%v)", len(plans), err)
	}
	contests, err := w.db.TeamContests(ctx, w.team.ID, monday)
	if err != nil || len(contests) != 1 {
		failf("the week holds %d contests, want 1 (%v)", len(contests), err)
		return
	}
	sent := w.notifier.counts()
	if sent[pulse.JobContestStandings] != 5 || sent[pulse.JobContestEnd] != 1 {
		failf("the contest's standings went out %d times and its end %d; want each workday and once", sent[pulse.JobContestStandings], sent[pulse.JobContestEnd])
	}
	posts, winner := 0, false
	for _, m := range w.srv.Messages(channelID) {
		if m.Metadata != nil && !m.Updated {
			if job, _ := m.Metadata.EventPayload[pulse.MetadataJobField].(string); strings.HasPrefix(job, string(pulse.JobContestStandings)+"/") {
				posts++
			}
		}
		winner = winner || strings.Contains(m.Text, "<@"+piotr+">") && strings.Contains(m.Text, w.say("contest_prize"))
	}
	if posts != 1 {
		failf("the standings were posted %d times; want one message, updated", posts)
	}
	if !winner {
		failf("Piotr was never announced the contest's winner with its prize")
	}
	if !w.annaBehindForIngrid() {
		failf("Ingrid's /pulse never showed Anna behind her plan")
	}
	kudos, err := w.db.RepKudos(ctx, piotr, monday.In(w.zone), monday.AddDays(7).In(w.zone))
	won := false
	for _, k := range kudos {
		won = won || strings.Contains(k.Text, w.say("contest_name"))
	}
	if err != nil || !won {
		failf("Piotr got no kudos for winning the contest (%v)", err)
	}
}

// annaBehindForIngrid reports whether Ingrid's /pulse showed Anna behind
// her plan.
func (w *world) annaBehindForIngrid() bool {
	cat, err := loadCatalog()
	if err != nil {
		return false
	}
	behind := cat.T(w.lang, "plan.behind", nil)
	for _, m := range w.srv.Messages(dm(ingrid)) {
		blocks := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">").Replace(string(m.Blocks))
		for _, line := range strings.Split(blocks, `\n`) {
			if strings.Contains(line, "<@"+anna+"> · ") && strings.Contains(line, behind) {
				return true
			}
		}
	}
	return false
}
