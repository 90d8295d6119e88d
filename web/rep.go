package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/salespulse/pulse"
)

// repView is what a rep's timeline is drawn from: the rep's history in
// the team, and their records of its span.
type repView struct {
	teamView
	rep         string
	checkIns    []pulse.CheckIn
	commitments []pulse.Commitment
	nudges      []pulse.Nudge
	skills      map[string]string // training ID → skill
	kudos       []pulse.Kudos
	feedback    []pulse.Feedback
	sessions    []pulse.CoachingSession
	notes       bool // whether the viewer may read 1:1 notes
}

// repSections are a rep's timeline's sections, in order; areas that add
// to the timeline add a function here.
var repSections = []func(rv *repView) (section, bool){
	repEnergySection,
	repNumbersSection,
	repPaceSection,
	repContestSection,
	checkInsSection,
	commitmentListSection,
	trainingListSection,
	feedbackListSection,
	kudosListSection,
	oneOnOnesSection,
}

// repPage shows one rep's timeline in a team, to the rep and the team's managers.
func (s *Server) repPage(w http.ResponseWriter, r *http.Request, v *viewer) {
	team, err := s.cfg.Store.Team(r.Context(), r.PathValue("team"))
	rep := r.PathValue("rep")
	if err == nil {
		err = pulse.CanSeeTimeline(v.actor, team, rep)
	}
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	p, err := s.buildRepPage(r.Context(), v, served{}, team, rep, weeksOf(r.URL.Query().Get("weeks")))
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	s.render(w, http.StatusOK, p)
}

// buildRepPage reads the rep's weeks and lays out their timeline. The
// caller has checked that v may see it.
func (s *Server) buildRepPage(ctx context.Context, v *viewer, l linker, team *pulse.Team, rep string, weeks int) (*page, error) {
	today := pulse.DateOf(s.cfg.Clock.Now().In(team.Location()))
	rv := &repView{teamView: teamView{s: s, v: v, l: l, team: team, rep: rep, weeks: weeks, hist: pulse.NewHistory(team, rep, weeks, today)},
		rep: rep, skills: map[string]string{}, notes: pulse.CanSeeNotes(v.actor, team) == nil}
	if err := s.readRep(ctx, rv); err != nil {
		return nil, err
	}
	var err error
	if rv.plans, err = s.readPlans(ctx, team, []string{rep}, rv.hist.From()); err != nil {
		return nil, err
	}
	for _, w := range rv.hist.Weeks {
		rv.labels = append(rv.labels, s.cfg.Catalog.Date(v.lang, w.Week))
	}
	t := s.cfg.Catalog
	p := s.basePage(v, l, nameOf(rv.people, rep)+" · "+team.Name, t.T(v.lang, "web.rep_lead", nil))
	p.PeriodLabel = t.T(v.lang, "web.period", nil)
	p.Periods = s.periods(v, weeks, func(n int) string { return l.rep(team.ID, rep, n) })
	for _, build := range repSections {
		if sec, ok := build(rv); ok {
			p.Sections = append(p.Sections, sec)
		}
	}
	return p, nil
}

// readRep reads the rep's records of the span in the team, in one read.
func (s *Server) readRep(ctx context.Context, rv *repView) error {
	st := s.cfg.Store
	return st.ReadTogether(ctx, func(ctx context.Context) error {
		for _, read := range []func(context.Context, pulse.Store) error{
			rv.readWork, rv.readNudges, rv.readRecognition, rv.readSessions, rv.readNames,
		} {
			if err := read(ctx, st); err != nil {
				return err
			}
		}
		return nil
	})
}

// readWork reads the rep's check-ins and commitments in the team.
func (rv *repView) readWork(ctx context.Context, st pulse.Store) error {
	h, team := rv.hist, rv.team
	all, err := st.RepCheckIns(ctx, rv.rep, h.From(), h.To())
	if err != nil {
		return err
	}
	var mv []pulse.MetricValue
	for i := range all {
		if all[i].TeamID != team.ID {
			continue
		}
		f := all[i].Figures(mv)
		h.AddFigures(&f)
		mv = f.Metrics
		rv.checkIns = append(rv.checkIns, all[i])
	}
	cs, err := st.RepCommitments(ctx, rv.rep, h.From(), h.To().WeekStart())
	if err != nil {
		return err
	}
	for i := range cs {
		if cs[i].TeamID == team.ID {
			h.AddCommitment(&cs[i])
			rv.commitments = append(rv.commitments, cs[i])
		}
	}
	return nil
}

// readNudges reads the rep's nudges in the team sent in the span, and the
// skills of their trainings.
func (rv *repView) readNudges(ctx context.Context, st pulse.Store) error {
	h, team := rv.hist, rv.team
	loc := team.Location()
	ns, err := st.RepNudges(ctx, rv.rep)
	if err != nil {
		return err
	}
	for i := range ns {
		n := &ns[i]
		if n.TeamID != team.ID || n.SentAt.IsZero() || pulse.DateOf(n.SentAt.In(loc)).Before(h.From()) {
			continue
		}
		h.AddNudge(n)
		rv.nudges = append(rv.nudges, *n)
		if _, ok := rv.skills[n.TrainingID]; !ok {
			tr, err := st.Training(ctx, n.TrainingID)
			if err != nil {
				return err
			}
			rv.skills[n.TrainingID] = tr.Skill
		}
	}
	return nil
}

// readRecognition reads the kudos and feedback the rep got in the team.
func (rv *repView) readRecognition(ctx context.Context, st pulse.Store) error {
	h, team := rv.hist, rv.team
	loc := team.Location()
	ks, err := st.RepKudos(ctx, rv.rep, h.From().In(loc), h.To().AddDays(1).In(loc))
	if err != nil {
		return err
	}
	for i := range ks {
		if ks[i].TeamID == team.ID {
			h.AddKudos(&ks[i])
			rv.kudos = append(rv.kudos, ks[i])
		}
	}
	fs, err := st.TeamFeedback(ctx, team.ID, h.From().In(loc), h.To().AddDays(1).In(loc))
	if err != nil {
		return err
	}
	for i := range fs {
		if fs[i].RepID == rv.rep {
			h.AddFeedback(&fs[i])
			rv.feedback = append(rv.feedback, fs[i])
		}
	}
	return nil
}

// readSessions reads the rep's 1:1s in the team in the span.
func (rv *repView) readSessions(ctx context.Context, st pulse.Store) error {
	ss, err := st.RepSessions(ctx, rv.team.ID, rv.rep)
	if err != nil {
		return err
	}
	for _, sess := range ss {
		if !sess.Date.Before(rv.hist.From()) && !sess.Date.After(rv.hist.To()) {
			rv.sessions = append(rv.sessions, sess)
		}
	}
	return nil
}

// readNames reads the profiles of the rep, the team's managers and
// whoever gave kudos or feedback.
func (rv *repView) readNames(ctx context.Context, st pulse.Store) error {
	ids := append([]string{rv.rep}, rv.team.Managers...)
	for _, k := range rv.kudos {
		ids = append(ids, k.From)
	}
	for _, f := range rv.feedback {
		ids = append(ids, f.From)
	}
	slices.Sort(ids)
	roster, err := st.Roster(ctx, rv.team.ID, slices.Compact(ids))
	if err != nil {
		return err
	}
	rv.people = roster.People
	return nil
}

func repEnergySection(rv *repView) (section, bool) { return energySection(&rv.teamView) }

func repNumbersSection(rv *repView) (section, bool) { return numbersSection(&rv.teamView) }

// newest returns the indexes of n items, newest (last) first: a timeline
// reads from today backwards.
func newest(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = n - 1 - i
	}
	return out
}

func (rv *repView) list(id, titleKey string, head []string, rows [][]string) (section, bool) {
	sec := section{ID: id, Title: rv.T(titleKey)}
	if len(rows) == 0 {
		sec.Empty = rv.T("web.nothing_yet")
		return sec, true
	}
	sec.Table = &table{ID: id, Caption: sec.Title, Head: head, Rows: rows}
	return sec, true
}

func (rv *repView) date(d pulse.Date) string { return rv.s.cfg.Catalog.Date(rv.v.lang, d) }

func checkInsSection(rv *repView) (section, bool) {
	head := []string{rv.T("web.col_date"), rv.T("web.col_status"), rv.T("web.col_energy")}
	for _, m := range rv.team.Metrics {
		head = append(head, m.Name)
	}
	head = append(head, rv.T("web.col_results"), rv.T("web.col_today"), rv.T("web.col_blocker"))
	var rows [][]string
	for _, i := range newest(len(rv.checkIns)) {
		c := &rv.checkIns[i]
		energy := ""
		if c.Energy > 0 {
			energy = strconv.Itoa(c.Energy)
		}
		row := []string{rv.date(c.Date), rv.T("web.status_" + string(c.Status)), energy}
		for _, m := range rv.team.Metrics {
			cell := ""
			if v, ok := c.Metrics[m.Key]; ok {
				cell = rv.number(v, 2)
			}
			row = append(row, cell)
		}
		rows = append(rows, append(row, c.Results, c.Plan, c.Blocker))
	}
	return rv.list("checkins", "web.checkins", head, rows)
}

func commitmentListSection(rv *repView) (section, bool) {
	head := []string{rv.T("web.col_week"), rv.T("web.col_commitment"), rv.T("web.col_status"), rv.T("web.col_rep_note"), rv.T("web.col_manager_note")}
	var rows [][]string
	for _, i := range newest(len(rv.commitments)) {
		c := &rv.commitments[i]
		rows = append(rows, []string{rv.date(c.Week), c.Text, rv.T("web.commitment_" + string(c.Status)), c.RepNote, c.ManagerNote})
	}
	return rv.list("commitment-list", "web.commitment_list", head, rows)
}

func trainingListSection(rv *repView) (section, bool) {
	loc := rv.team.Location()
	head := []string{rv.T("web.col_date"), rv.T("web.col_skill"), rv.T("web.col_day"), rv.T("web.col_answer"), rv.T("web.col_report")}
	var rows [][]string
	for _, i := range newest(len(rv.nudges)) {
		n := &rv.nudges[i]
		answer := "web.nudge_pending"
		switch n.Response {
		case pulse.NudgeApplied:
			answer = "web.nudge_applied"
		case pulse.NudgeNotYet:
			answer = "web.nudge_not_yet"
		}
		rows = append(rows, []string{rv.date(pulse.DateOf(n.SentAt.In(loc))), rv.skills[n.TrainingID], strconv.Itoa(n.Day), rv.T(answer), n.Report})
	}
	return rv.list("training-list", "web.trainings", head, rows)
}

func kudosListSection(rv *repView) (section, bool) {
	loc := rv.team.Location()
	head := []string{rv.T("web.col_date"), rv.T("web.col_from"), rv.T("web.col_text")}
	var rows [][]string
	for _, i := range newest(len(rv.kudos)) {
		k := &rv.kudos[i]
		rows = append(rows, []string{rv.date(pulse.DateOf(k.CreatedAt.In(loc))), nameOf(rv.people, k.From), k.Text})
	}
	return rv.list("kudos-list", "web.kudos_list", head, rows)
}

// oneOnOnesSection lists the rep's 1:1s; their notes only to the team's
// managers, not even to the rep.
func oneOnOnesSection(rv *repView) (section, bool) {
	head := []string{rv.T("web.col_date"), rv.T("web.col_manager")}
	if rv.notes {
		head = append(head, rv.T("web.col_notes"))
	}
	var rows [][]string
	for _, i := range newest(len(rv.sessions)) {
		c := &rv.sessions[i]
		row := []string{rv.date(c.Date), nameOf(rv.people, c.ManagerID)}
		if rv.notes {
			row = append(row, c.Notes)
		}
		rows = append(rows, row)
	}
	return rv.list("one-on-ones", "web.one_on_ones", head, rows)
}
