package web

import (
	"context"
	"maps"
	"net/http"
	"strconv"

	"github.com/salespulse/pulse"
)

// The leader's own pulse on the web: how a manager kept the team's rhythm
// week by week (feedback to every rep, 1:1s when due, last week's
// commitments reviewed, training reports followed up, blockers resolved
// in time), for the manager and the team's directors.

// leaderView is what a leader page's sections are drawn from.
type leaderView struct {
	teamView
	manager string
	pulses  []pulse.LeaderPulse // one a week, oldest first
}

// leaderSections are a leader page's sections, in order.
var leaderSections = []func(lv *leaderView) (section, bool){
	leaderFeedbackSection,
	leaderOneOnOnesSection,
	leaderCommitmentsSection,
	leaderReportsSection,
	leaderBlockersSection,
	leaderKudosSection,
}

// leaderPage shows one manager's leadership pulse over 4, 13 or 52 weeks.
func (s *Server) leaderPage(w http.ResponseWriter, r *http.Request, v *viewer) {
	team, err := s.cfg.Store.Team(r.Context(), r.PathValue("team"))
	manager := r.PathValue("manager")
	if err == nil {
		err = pulse.CanSeeLeaderPulse(v.actor, team, manager)
	}
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	p, err := s.buildLeaderPage(r.Context(), v, served{}, team, manager, weeksOf(r.URL.Query().Get("weeks")))
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	s.render(w, http.StatusOK, p)
}

// buildLeaderPage reads the manager's weeks and lays out their page. The
// caller has checked that v may see it.
func (s *Server) buildLeaderPage(ctx context.Context, v *viewer, l linker, team *pulse.Team, manager string, weeks int) (*page, error) {
	today := pulse.DateOf(s.cfg.Clock.Now().In(team.Location()))
	lv := &leaderView{teamView: teamView{s: s, v: v, l: l, team: team, weeks: weeks, hist: pulse.NewHistory(team, "", weeks, today)}, manager: manager}
	if err := s.readLeader(ctx, lv); err != nil {
		return nil, err
	}
	for _, w := range lv.hist.Weeks {
		lv.labels = append(lv.labels, s.cfg.Catalog.Date(v.lang, w.Week))
	}
	t := s.cfg.Catalog
	title := t.T(v.lang, "web.leader_title", map[string]any{"Manager": nameOf(lv.people, manager), "Team": team.Name})
	p := s.basePage(v, l, title, t.T(v.lang, "web.leader_lead", nil))
	p.PeriodLabel = t.T(v.lang, "web.period", nil)
	p.Periods = s.periods(v, weeks, func(n int) string { return l.leader(team.ID, manager, n) })
	for _, build := range leaderSections {
		if sec, ok := build(lv); ok {
			p.Sections = append(p.Sections, sec)
		}
	}
	return p, nil
}

// readLeader reads the span's records once and counts the manager's
// pulse of each week from them.
func (s *Server) readLeader(ctx context.Context, lv *leaderView) error {
	st, team, h := s.cfg.Store, lv.team, lv.hist
	loc := team.Location()
	from, to := h.From(), h.To()
	var in pulse.LeaderPulseInput
	var sessions []pulse.CoachingSession
	lastBefore := map[string]pulse.Date{}
	err := st.ReadTogether(ctx, func(ctx context.Context) error {
		var err error
		start, end := from.In(loc), to.AddDays(1).In(loc)
		if in.Feedback, err = st.TeamFeedback(ctx, team.ID, start, end); err != nil {
			return err
		}
		if in.Kudos, err = st.TeamKudos(ctx, team.ID, start, end); err != nil {
			return err
		}
		// Each week reviews the commitments of the week before.
		if in.Commitments, err = st.TeamCommitments(ctx, team.ID, from.AddDays(-7), to.WeekStart()); err != nil {
			return err
		}
		// A blocker resolved in the span may have been raised long before:
		// all are read, without their texts, and those resolved in it kept.
		err = pulse.ScanTeamBlockers(ctx, st, team.ID, pulse.Date{}, to, func(b *pulse.Blocker) error {
			if !b.ResolvedAt.Before(start) {
				in.Blockers = append(in.Blockers, *b)
			}
			return nil
		})
		if err != nil {
			return err
		}
		// A report answers a nudge of a training up to a year before.
		err = pulse.ScanTeamNudges(ctx, st, team.ID, from.AddDays(-366), to, func(n *pulse.Nudge) error {
			if n.Response != pulse.NudgePending && !n.AnsweredAt.Before(start) {
				in.Nudges = append(in.Nudges, *n)
			}
			return nil
		})
		if err != nil {
			return err
		}
		roster, err := st.Roster(ctx, team.ID, append(append([]string{}, team.Reps...), lv.manager))
		if err != nil {
			return err
		}
		in.Away, lv.people = roster.Away, roster.People
		// The span's 1:1s, and the day of each rep's one before it.
		for _, rep := range team.Reps {
			before, ss, err := st.RepSessionsFrom(ctx, team.ID, rep, from)
			if err != nil {
				return err
			}
			if !before.IsZero() {
				lastBefore[rep] = before
			}
			sessions = append(sessions, ss...)
		}
		return nil
	})
	if err != nil {
		return err
	}
	in.Sessions = sessions
	for _, w := range h.Weeks {
		in.Week = w.Week
		in.LastOneOnOne = maps.Clone(lastBefore)
		for _, s := range sessions {
			if s.Date.Before(w.Week) && in.LastOneOnOne[s.RepID].Before(s.Date) {
				in.LastOneOnOne[s.RepID] = s.Date
			}
		}
		lv.pulses = append(lv.pulses, pulse.ComputeLeaderPulse(team, lv.manager, in))
	}
	return nil
}

// shareSection is one "x of y" figure of the leader's weeks: a chart of
// the share and a table of both counts.
func (lv *leaderView) shareSection(id, titleKey, noteKey, doneKey, dueKey string, of func(*pulse.LeaderPulse) (done, due int)) section {
	title := lv.T(titleKey)
	s := series{Name: title}
	tb := &table{ID: id, Caption: title, Head: []string{lv.T("web.col_week"), lv.T(doneKey), lv.T(dueKey), lv.T("web.col_rate")}}
	for i := range lv.pulses {
		done, due := of(&lv.pulses[i])
		v, ok := 0.0, due > 0
		if ok {
			v = float64(done) / float64(due)
		}
		s.Values, s.OK = append(s.Values, v), append(s.OK, ok)
		tb.Rows = append(tb.Rows, []string{lv.labels[i], strconv.Itoa(done), strconv.Itoa(due), lv.orNone(v, ok, lv.percent)})
	}
	return section{ID: id, Title: title, Note: lv.T(noteKey), Table: tb,
		Chart: lineChart(id, title, lv.labels, []series{s}, 1, 0, 4, lv.percent)}
}

func leaderFeedbackSection(lv *leaderView) (section, bool) {
	return lv.shareSection("leader-feedback", "web.leader_feedback", "web.leader_feedback_note", "web.col_on_target", "web.col_reps",
		func(p *pulse.LeaderPulse) (int, int) { return p.RepsOnTarget, p.Reps }), true
}

func leaderOneOnOnesSection(lv *leaderView) (section, bool) {
	return lv.shareSection("leader-one-on-ones", "web.leader_one_on_ones", "web.leader_one_on_ones_note", "web.col_held", "web.col_due",
		func(p *pulse.LeaderPulse) (int, int) { return p.OneOnOnesHeld, p.OneOnOnesDue }), true
}

func leaderCommitmentsSection(lv *leaderView) (section, bool) {
	return lv.shareSection("leader-commitments", "web.leader_commitments", "web.leader_commitments_note", "web.col_reviewed", "web.col_due",
		func(p *pulse.LeaderPulse) (int, int) { return p.CommitmentsReviewed, p.CommitmentsDue }), true
}

func leaderReportsSection(lv *leaderView) (section, bool) {
	return lv.shareSection("leader-reports", "web.leader_reports", "web.leader_reports_note", "web.col_followed", "web.col_reports",
		func(p *pulse.LeaderPulse) (int, int) { return p.ReportsFollowed, p.ReportsDue }), true
}

func leaderBlockersSection(lv *leaderView) (section, bool) {
	return lv.shareSection("leader-blockers", "web.leader_blockers", "web.leader_blockers_note", "web.col_in_limit", "web.col_resolved",
		func(p *pulse.LeaderPulse) (int, int) { return p.BlockersInLimit, p.BlockersResolved }), true
}

func leaderKudosSection(lv *leaderView) (section, bool) {
	title := lv.T("web.leader_kudos")
	s := series{Name: title}
	tb := &table{ID: "leader-kudos", Caption: title, Head: []string{lv.T("web.col_week"), lv.T("web.col_feedback"), lv.T("web.col_kudos")}}
	for i, p := range lv.pulses {
		s.Values, s.OK = append(s.Values, float64(p.Kudos)), append(s.OK, true)
		tb.Rows = append(tb.Rows, []string{lv.labels[i], strconv.Itoa(p.Feedback), strconv.Itoa(p.Kudos)})
	}
	return section{ID: "leader-kudos", Title: title, Note: lv.T("web.leader_kudos_note"), Table: tb,
		Chart: lineChart("leader-kudos", title, lv.labels, []series{s}, 4, 0, 4, func(f float64) string { return lv.number(f, 0) })}, true
}

// feedbackSection is the feedback the team's leaders gave, week by week:
// how much, and to how many of its reps.
func feedbackSection(tv *teamView) (section, bool) {
	return tv.countSection("feedback", "web.feedback", "web.feedback_note",
		[]string{tv.T("web.col_feedback"), tv.T("web.col_feedback_reps")},
		func(w *pulse.WeekFigures) int { return w.Feedback },
		func(w *pulse.WeekFigures) int { return w.FeedbackReps }), true
}

// leadersSection links the leadership pulse of each of the team's
// managers the viewer may see: their own, or all of them for a director.
func leadersSection(tv *teamView) (section, bool) {
	sec := section{ID: "leaders", Title: tv.T("web.leaders"), Note: tv.T("web.leaders_note")}
	for _, m := range tv.team.Managers {
		if pulse.CanSeeLeaderPulse(tv.v.actor, tv.team, m) == nil {
			sec.Links = append(sec.Links, link{URL: tv.l.leader(tv.team.ID, m, tv.weeks), Label: nameOf(tv.people, m)})
		}
	}
	return sec, len(sec.Links) > 0
}

// feedbackListSection lists the feedback the rep was given in the span,
// newest first, with how many replies its thread holds.
func feedbackListSection(rv *repView) (section, bool) {
	loc := rv.team.Location()
	head := []string{rv.T("web.col_date"), rv.T("web.col_from"), rv.T("web.col_kind"), rv.T("web.col_text"), rv.T("web.col_replies")}
	var rows [][]string
	for _, i := range newest(len(rv.feedback)) {
		f := &rv.feedback[i]
		kind := "leader.kind_" + string(f.Kind)
		if f.Kind == pulse.FeedbackAck {
			kind = "web.kind_ack"
		}
		rows = append(rows, []string{rv.date(pulse.DateOf(f.At.In(loc))), nameOf(rv.people, f.From), rv.T(kind), f.Text, strconv.Itoa(len(f.Replies))})
	}
	return rv.list("feedback-list", "web.feedback_list", head, rows)
}
