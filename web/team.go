package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/salespulse/pulse"
)

// teamView is what a team page's sections are drawn from.
type teamView struct {
	s      *Server
	v      *viewer
	l      linker
	team   *pulse.Team
	rep    string // the rep a timeline is of; empty on the team's page
	weeks  int
	hist   *pulse.History
	people map[string]*pulse.Person
	plans  *planView // the reps' paces and the span's contests
	labels []string  // each week's label, as the charts and tables write it
}

// teamSections are a team page's sections, in order. Each draws one
// figure from the view, or reports false when it has nothing to show;
// areas that add figures to the team page add a function here.
var teamSections = []func(tv *teamView) (section, bool){
	participationSection,
	energySection,
	numbersSection,
	commitmentsSection,
	trainingSection,
	feedbackSection,
	kudosSection,
	blockersSection,
	planSection,
	contestSection,
	leadersSection,
	repsSection,
	exportSection,
}

// teamPage shows a team over 4, 13 or 52 weeks, to those who may see it.
func (s *Server) teamPage(w http.ResponseWriter, r *http.Request, v *viewer) {
	team, err := s.cfg.Store.Team(r.Context(), r.PathValue("team"))
	if err == nil {
		err = pulse.CanSeeHistory(v.actor, team)
	}
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	p, err := s.buildTeamPage(r.Context(), v, served{}, team, weeksOf(r.URL.Query().Get("weeks")))
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	s.render(w, http.StatusOK, p)
}

// buildTeamPage reads the team's weeks and lays out its page. The caller
// has checked that v may see it.
func (s *Server) buildTeamPage(ctx context.Context, v *viewer, l linker, team *pulse.Team, weeks int) (*page, error) {
	today := pulse.DateOf(s.cfg.Clock.Now().In(team.Location()))
	tv := &teamView{s: s, v: v, l: l, team: team, weeks: weeks, hist: pulse.NewHistory(team, "", weeks, today)}
	if err := s.readTeam(ctx, tv); err != nil {
		return nil, err
	}
	var err error
	if tv.plans, err = s.readPlans(ctx, team, team.Reps, tv.hist.From()); err != nil {
		return nil, err
	}
	for _, w := range tv.hist.Weeks {
		tv.labels = append(tv.labels, s.cfg.Catalog.Date(v.lang, w.Week))
	}
	t := s.cfg.Catalog
	p := s.basePage(v, l, team.Name, t.T(v.lang, "web.team_lead", nil))
	p.PeriodLabel = t.T(v.lang, "web.period", nil)
	p.Periods = s.periods(v, weeks, func(n int) string { return l.team(team.ID, n) })
	for _, build := range teamSections {
		if sec, ok := build(tv); ok {
			p.Sections = append(p.Sections, sec)
		}
	}
	return p, nil
}

// readTeam counts the team's records of the view's weeks, in one read of
// the store.
func (s *Server) readTeam(ctx context.Context, tv *teamView) error {
	h, team := tv.hist, tv.team
	loc := team.Location()
	return s.cfg.Store.ReadTogether(ctx, func(ctx context.Context) error {
		err := pulse.ScanTeamCheckIns(ctx, s.cfg.Store, team.ID, h.From(), h.To(), func(f *pulse.CheckInFigures) error {
			h.AddFigures(f)
			return nil
		})
		if err != nil {
			return err
		}
		err = pulse.ScanTeamCommitments(ctx, s.cfg.Store, team.ID, h.From(), h.To().WeekStart(), func(c *pulse.Commitment) error {
			h.AddCommitment(c)
			return nil
		})
		if err != nil {
			return err
		}
		err = pulse.ScanTeamNudges(ctx, s.cfg.Store, team.ID, h.From().AddDays(-1), h.To(), func(n *pulse.Nudge) error {
			h.AddNudge(n)
			return nil
		})
		if err != nil {
			return err
		}
		kudos, err := s.cfg.Store.TeamKudos(ctx, team.ID, h.From().In(loc), h.To().AddDays(1).In(loc))
		if err != nil {
			return err
		}
		for i := range kudos {
			h.AddKudos(&kudos[i])
		}
		feedback, err := s.cfg.Store.TeamFeedback(ctx, team.ID, h.From().In(loc), h.To().AddDays(1).In(loc))
		if err != nil {
			return err
		}
		for i := range feedback {
			h.AddFeedback(&feedback[i])
		}
		// Every blocker up to today, counted without its text: one raised
		// before the span may still be open in it.
		err = pulse.ScanTeamBlockers(ctx, s.cfg.Store, team.ID, pulse.Date{}, h.To(), func(b *pulse.Blocker) error {
			h.AddBlocker(b)
			return nil
		})
		if err != nil {
			return err
		}
		// The managers' names too, for the links to their pulse.
		roster, err := s.cfg.Store.Roster(ctx, team.ID, append(append([]string{}, team.Reps...), team.Managers...))
		if err != nil {
			return err
		}
		tv.people = roster.People
		return nil
	})
}

// T looks a key up in the viewer's language.
func (tv *teamView) T(key string) string { return tv.s.cfg.Catalog.T(tv.v.lang, key, nil) }

func (tv *teamView) percent(f float64) string { return tv.s.cfg.Catalog.Percent(tv.v.lang, f) }

func (tv *teamView) number(f float64, decimals int) string {
	return tv.s.cfg.Catalog.Number(tv.v.lang, f, decimals)
}

// orNone writes a value that may be missing.
func (tv *teamView) orNone(v float64, ok bool, format func(float64) string) string {
	if !ok {
		return tv.T("web.no_value")
	}
	return format(v)
}

// ratioSection is a section of one share per week: a chart from 0 to
// 100 % and a table of the counts behind it.
func (tv *teamView) ratioSection(id, titleKey, noteKey string, value func(*pulse.WeekFigures) (float64, bool), head []string, counts func(*pulse.WeekFigures) []string) section {
	title := tv.T(titleKey)
	s := series{Name: title}
	tb := &table{ID: id, Caption: title, Head: append(append([]string{tv.T("web.col_week")}, head...), tv.T("web.col_rate"))}
	for i := range tv.hist.Weeks {
		w := &tv.hist.Weeks[i]
		v, ok := value(w)
		s.Values, s.OK = append(s.Values, v), append(s.OK, ok)
		row := append([]string{tv.labels[i]}, counts(w)...)
		tb.Rows = append(tb.Rows, append(row, tv.orNone(v, ok, tv.percent)))
	}
	return section{ID: id, Title: title, Note: tv.T(noteKey), Table: tb,
		Chart: lineChart(id, title, tv.labels, []series{s}, 1, 0, 4, tv.percent)}
}

func participationSection(tv *teamView) (section, bool) {
	return tv.ratioSection("participation", "web.participation", "web.participation_note",
		(*pulse.WeekFigures).Participation,
		[]string{tv.T("web.status_on_time") + " / " + tv.T("web.status_late"), tv.T("web.status_missed")},
		func(w *pulse.WeekFigures) []string { return []string{strconv.Itoa(w.Answered), strconv.Itoa(w.Missed)} }), true
}

func energySection(tv *teamView) (section, bool) {
	title := tv.T("web.energy")
	s := series{Name: title}
	tb := &table{ID: "energy", Caption: title, Head: []string{tv.T("web.col_week"), tv.T("web.col_energy")}}
	one := func(f float64) string { return tv.number(f, 1) }
	for i := range tv.hist.Weeks {
		v, ok := tv.hist.Weeks[i].MeanEnergy()
		s.Values, s.OK = append(s.Values, v), append(s.OK, ok)
		tb.Rows = append(tb.Rows, []string{tv.labels[i], tv.orNone(v, ok, one)})
	}
	return section{ID: "energy", Title: title, Note: tv.T("web.energy_note"), Table: tb,
		Chart: lineChart("energy", title, tv.labels, []series{s}, 5, 0, 5, one)}, true
}

// numbersSection draws each metric's weekly total as a share of its plan,
// with the plan itself as a dashed line at 100 %.
func numbersSection(tv *teamView) (section, bool) {
	if len(tv.team.Metrics) == 0 {
		return section{}, false
	}
	title := tv.T("web.numbers")
	head := []string{tv.T("web.col_week")}
	var ss []series
	for _, m := range tv.team.Metrics {
		ss = append(ss, series{Name: m.Name})
		head = append(head, m.Name+": "+tv.T("web.col_actual"), m.Name+": "+tv.T("web.col_plan"), m.Name+": "+tv.T("web.col_of_plan"))
	}
	tb := &table{ID: "numbers", Caption: title, Head: head}
	for i := range tv.hist.Weeks {
		w := &tv.hist.Weeks[i]
		row := []string{tv.labels[i]}
		for j := range tv.team.Metrics {
			v, ok := w.OfPlan(j)
			ss[j].Values, ss[j].OK = append(ss[j].Values, v), append(ss[j].OK, ok)
			plan := tv.T("web.no_value")
			if w.Plan[j] > 0 {
				plan = tv.number(w.Plan[j], 1)
			}
			row = append(row, tv.number(w.Actual[j], 1), plan, tv.orNone(v, ok, tv.percent))
		}
		tb.Rows = append(tb.Rows, row)
	}
	return section{ID: "numbers", Title: title, Note: tv.T("web.numbers_note"), Table: tb,
		Chart: lineChart("numbers", title, tv.labels, ss, 1.2, 1, 4, tv.percent)}, true
}

func commitmentsSection(tv *teamView) (section, bool) {
	return tv.ratioSection("commitments", "web.commitments", "web.commitments_note",
		(*pulse.WeekFigures).KeptRate,
		[]string{tv.T("web.col_kept"), tv.T("web.col_partly"), tv.T("web.col_missed"), tv.T("web.col_open")},
		func(w *pulse.WeekFigures) []string {
			return []string{strconv.Itoa(w.Kept), strconv.Itoa(w.Partly), strconv.Itoa(w.MissedCommitments), strconv.Itoa(w.OpenCommitments)}
		}), true
}

func trainingSection(tv *teamView) (section, bool) {
	return tv.ratioSection("training", "web.training", "web.training_note",
		(*pulse.WeekFigures).AppliedRate,
		[]string{tv.T("web.col_sent"), tv.T("web.col_applied")},
		func(w *pulse.WeekFigures) []string {
			return []string{strconv.Itoa(w.NudgesSent), strconv.Itoa(w.NudgesApplied)}
		}), true
}

// countSection draws whole numbers per week, one line each.
func (tv *teamView) countSection(id, titleKey, noteKey string, heads []string, values ...func(*pulse.WeekFigures) int) section {
	title := tv.T(titleKey)
	ss := make([]series, len(values))
	for j := range ss {
		ss[j].Name = heads[j]
	}
	tb := &table{ID: id, Caption: title, Head: append([]string{tv.T("web.col_week")}, heads...)}
	whole := func(f float64) string { return tv.number(f, 0) }
	for i := range tv.hist.Weeks {
		row := []string{tv.labels[i]}
		for j, value := range values {
			n := value(&tv.hist.Weeks[i])
			ss[j].Values, ss[j].OK = append(ss[j].Values, float64(n)), append(ss[j].OK, true)
			row = append(row, strconv.Itoa(n))
		}
		tb.Rows = append(tb.Rows, row)
	}
	return section{ID: id, Title: title, Note: tv.T(noteKey), Table: tb,
		Chart: lineChart(id, title, tv.labels, ss, 4, 0, 4, whole)}
}

func kudosSection(tv *teamView) (section, bool) {
	return tv.countSection("kudos", "web.kudos", "web.kudos_note", []string{tv.T("web.col_kudos")},
		func(w *pulse.WeekFigures) int { return w.Kudos }), true
}

func blockersSection(tv *teamView) (section, bool) {
	return tv.countSection("blockers", "web.blockers", "web.blockers_note",
		[]string{tv.T("web.col_open"), tv.T("web.col_raised")},
		func(w *pulse.WeekFigures) int { return w.BlockersOpen },
		func(w *pulse.WeekFigures) int { return w.BlockersRaised }), true
}

// repsSection links each rep's timeline.
func repsSection(tv *teamView) (section, bool) {
	sec := section{ID: "reps", Title: tv.T("web.reps")}
	for _, rep := range tv.team.Reps {
		sec.Links = append(sec.Links, link{URL: tv.l.rep(tv.team.ID, rep, tv.weeks), Label: nameOf(tv.people, rep)})
	}
	return sec, len(sec.Links) > 0
}

// exportSection offers the span's check-ins as CSV, to those who may
// export them, on a served page (a form needs a session).
func exportSection(tv *teamView) (section, bool) {
	if tv.v.csrf == "" || pulse.CanExport(tv.v.actor, tv.team) != nil {
		return section{}, false
	}
	return section{ID: "export", Title: tv.T("web.export"), Note: tv.T("web.export_lead"),
		Form: &form{Action: "/teams/" + tv.team.ID + "/export", Label: tv.T("web.export_button"), CSRF: tv.v.csrf,
			Hidden: []field{{Name: "weeks", Value: strconv.Itoa(tv.weeks)}}}}, true
}
