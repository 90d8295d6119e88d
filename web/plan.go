package web

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/salespulse/pulse"
)

// planView is what the plans and contests sections show: each rep's pace
// this period, and the contests of the page's span with their standings.
type planView struct {
	paces     map[string][]pulse.Pace
	contests  []pulse.Contest
	standings map[string][]pulse.Standing // by contest ID
}

// readPlans reads the team's plans and paces on its day, and the contests
// that ran in the span from with their standings. reps are the reps whose
// paces are wanted: the whole team, or one rep.
func (s *Server) readPlans(ctx context.Context, team *pulse.Team, reps []string, from pulse.Date) (*planView, error) {
	st := s.cfg.Store
	now := s.cfg.Clock.Now()
	today := pulse.RepToday(now, team.Location())
	pv := &planView{paces: map[string][]pulse.Pace{}, standings: map[string][]pulse.Standing{}}
	err := st.ReadTogether(ctx, func(ctx context.Context) error {
		first := pulse.PeriodQuarter.First(today)
		if w := pulse.PeriodWeek.First(today); w.Before(first) {
			first = w
		}
		plans, err := st.TeamPlans(ctx, team.ID, first, today.AddDays(1))
		if err != nil {
			return err
		}
		tally := pulse.NewPaceTally(team, today)
		lo, hi := pulse.PaceRange(today, plans)
		err = pulse.ScanTeamCheckIns(ctx, st, team.ID, lo, hi, func(f *pulse.CheckInFigures) error {
			if slices.Contains(reps, f.UserID) {
				tally.AddFigures(f)
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = pulse.ReadCRMFigures(ctx, st, team, lo, hi, func(f *pulse.CRMFigure) {
			if slices.Contains(reps, f.Rep) {
				tally.AddCRMFigure(f)
			}
		})
		if err != nil {
			return err
		}
		roster, err := st.Roster(ctx, team.ID, reps)
		if err != nil {
			return err
		}
		for _, rep := range reps {
			var own []pulse.Plan
			for _, p := range plans {
				if p.UserID == rep {
					own = append(own, p)
				}
			}
			zone := team.Location()
			if p := roster.People[rep]; p != nil {
				zone = p.Zone(zone)
			}
			if ps := tally.Paces(rep, roster.People[rep], own, roster.Away[rep], now, zone); len(ps) > 0 {
				pv.paces[rep] = ps
			}
		}
		contests, err := st.TeamContests(ctx, team.ID, from)
		if err != nil {
			return err
		}
		for i := range contests {
			c := &contests[i]
			if c.Cancelled || c.Start.After(today) {
				continue
			}
			standings, err := pulse.ReadStandings(ctx, st, team, c, today)
			if err != nil {
				return err
			}
			pv.contests = append(pv.contests, *c)
			pv.standings[c.ID] = standings
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return pv, nil
}

// paceRows are the table rows of reps' paces, those furthest behind first.
func (tv *teamView) paceRows(pv *planView, withRep bool) [][]string {
	type line struct {
		rep  string
		pace pulse.Pace
	}
	var lines []line
	for rep, ps := range pv.paces {
		for _, p := range ps {
			lines = append(lines, line{rep, p})
		}
	}
	slices.SortFunc(lines, func(a, b line) int {
		return cmp.Or(cmp.Compare(pulse.PaceGap(a.pace), pulse.PaceGap(b.pace)), cmp.Compare(a.rep, b.rep), cmp.Compare(a.pace.Metric, b.pace.Metric))
	})
	var rows [][]string
	for _, l := range lines {
		m, _ := tv.team.Metric(l.pace.Metric)
		status := "plan.on_track"
		if l.pace.Behind() {
			status = "plan.behind"
		}
		row := []string{m.Name}
		if withRep {
			row = []string{nameOf(tv.people, l.rep), m.Name}
		}
		rows = append(rows, append(row, tv.T("web.period_"+string(l.pace.Period)), tv.number(l.pace.Target, 0), tv.number(l.pace.Done, 0),
			tv.percent(l.pace.Attainment()), tv.percent(l.pace.Elapsed()), tv.T(status)))
	}
	return rows
}

func (tv *teamView) paceHead(withRep bool) []string {
	head := []string{tv.T("web.col_metric")}
	if withRep {
		head = []string{tv.T("web.col_rep"), tv.T("web.col_metric")}
	}
	return append(head, tv.T("web.col_period"), tv.T("web.col_target"), tv.T("web.col_done"),
		tv.T("web.col_attainment"), tv.T("web.col_elapsed"), tv.T("web.col_status"))
}

// planSection shows every rep's pace against their plan, those furthest
// behind first.
func planSection(tv *teamView) (section, bool) {
	if tv.plans == nil || len(tv.plans.paces) == 0 {
		return section{}, false
	}
	title := tv.T("web.plans")
	return section{ID: "plans", Title: title, Note: tv.T("web.plans_note"),
		Table: &table{ID: "plans", Caption: title, Head: tv.paceHead(true), Rows: tv.paceRows(tv.plans, true)}}, true
}

// contestSections show each contest of the span with its standings: the
// whole table to the team's managers, the rep's own place to a rep.
func contestSection(tv *teamView) (section, bool) {
	if tv.plans == nil || len(tv.plans.contests) == 0 {
		return section{}, false
	}
	sec := section{ID: "contests", Title: tv.T("web.contests"), Note: tv.T("web.contests_note")}
	for i := range tv.plans.contests {
		c := &tv.plans.contests[i]
		caption := tv.s.cfg.Catalog.T(tv.v.lang, "web.contest_caption", map[string]any{
			"Name": c.Name, "From": tv.s.cfg.Catalog.Date(tv.v.lang, c.Start), "To": tv.s.cfg.Catalog.Date(tv.v.lang, c.End)})
		if c.Prize != "" {
			caption += " · " + tv.s.cfg.Catalog.T(tv.v.lang, "web.contest_prize", map[string]any{"Prize": c.Prize})
		}
		tb := &table{ID: "contest-" + c.ID, Caption: caption,
			Head: []string{tv.T("web.col_rank"), tv.T("web.col_rep"), tv.T("web.col_total"), tv.T("web.col_score"), tv.T("web.col_workdays")}}
		for _, st := range tv.plans.standings[c.ID] {
			if tv.rep != "" && st.Rep != tv.rep {
				continue
			}
			tb.Rows = append(tb.Rows, []string{strconv.Itoa(st.Rank), nameOf(tv.people, st.Rep), tv.number(st.Total, 1), tv.number(st.Score, 2), strconv.Itoa(st.Workdays)})
		}
		if len(tb.Rows) > 0 {
			sec.Tables = append(sec.Tables, tb)
		}
	}
	return sec, len(sec.Tables) > 0
}

// repPaceSection shows the rep's own pace on each metric with a plan.
func repPaceSection(rv *repView) (section, bool) {
	if rv.plans == nil || len(rv.plans.paces) == 0 {
		return section{}, false
	}
	title := rv.T("web.plans")
	return section{ID: "plans", Title: title, Note: rv.T("web.plans_note"),
		Table: &table{ID: "plans", Caption: title, Head: rv.paceHead(false), Rows: rv.paceRows(rv.plans, false)}}, true
}

// repContestSection shows the rep's own place in each contest of the span.
func repContestSection(rv *repView) (section, bool) { return contestSection(&rv.teamView) }
