// Package export writes a team's check-ins as CSV for a spreadsheet: one
// row per rep per workday, with the day's status, answers and metrics.
//
// The file is RFC 4180 CSV (encoding/csv: comma separated, CRLF line ends,
// fields with commas, quotes or line breaks quoted) in UTF-8. It starts
// with a byte order mark unless told not to: Excel reads a CSV file without
// one in the system's legacy code page, which turns every non-Latin name
// into mojibake, while LibreOffice, Google Sheets, Python and Go's own
// encoding/csv take the mark in their stride or strip it in one line.
//
// Statuses are codes (on_time, late, missed, away), the same in every
// language, so that a filter or a formula keeps working whoever exported.
// Headers come from the caller, in the reader's language.
package export

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/salespulse/pulse"
)

// The status codes of a row.
const (
	StatusOnTime = string(pulse.CheckInOnTime)
	StatusLate   = string(pulse.CheckInLate)
	StatusMissed = string(pulse.CheckInMissed)
	StatusAway   = "away"
)

// Headers are the titles of the fixed columns, in the reader's language.
// The team's metrics follow them, each titled with its name.
type Headers struct {
	Date, RepID, RepName, Status, Energy, Results, Plan, Blocker, Skill string
	// Source titles the last column, where the numbers of a team whose
	// metrics come from a CRM came from: the CRM's code and the fetch
	// time in UTC ("hubspot 2026-03-02T08:02:00Z"), or "typed".
	Source string
	// MonthPlan and MonthAttained follow a metric's name in the titles of
	// its plan columns: the rep's target for the day's month, and the
	// share of it reached by that day.
	MonthPlan, MonthAttained string
}

// SourceTyped marks a row whose numbers the rep typed.
const SourceTyped = "typed"

// Data is what one export covers: the team's workdays from From to To, both
// included, as far as Today (the team's local date): days after it are
// left out, and Today itself only where there is a record, since its
// check-in may still come.
type Data struct {
	Team     *pulse.Team
	From, To pulse.Date
	Today    pulse.Date
	People   map[string]*pulse.Person      // for names; a rep missing here is named by ID
	Away     map[string][]pulse.AwayPeriod // by rep
	CheckIns []pulse.CheckIn               // the team's, in any order; those of From's month before From count towards attainment
	CRM      []pulse.CRMFigure             // the team's numbers from its CRM, in any order
	Plans    []pulse.Plan                  // the team's plans of the months covered
}

// Options change how the file is written.
type Options struct {
	// NoBOM leaves out the UTF-8 byte order mark, for scripts.
	NoBOM bool
}

// bom is UTF-8's byte order mark.
const bom = "\ufeff"

// MaxDays bounds one export's range, so a typo in a year cannot make a
// file of centuries.
const MaxDays = 366 * 2

// ChunkDays is how many days of check-ins Write reads from the store at a
// time: what an export holds is a week of the team's check-ins, however
// long its range.
const ChunkDays = 7

// WriteCSV writes d to w and returns the number of data rows. Rows go by
// date, then by rep in the team's order; reps who have left the team but
// have records in the range follow, by ID. It renders plain values and
// reads nothing; Write streams the same rows from a store.
func WriteCSV(w io.Writer, d Data, h Headers, opt Options) (rows int, err error) {
	e, err := newEncoder(w, d.Team, d.From, d.To, d.Today, h, opt)
	if err != nil {
		return 0, err
	}
	e.people, e.away, e.plans = d.People, d.Away, d.Plans
	e.count(d.CheckIns, d.CRM)
	if err := e.days(d.From, d.To, d.CheckIns, d.CRM); err != nil {
		return e.rows, err
	}
	return e.finish()
}

// Source is what Write reads; a pulse.Store is one.
type Source interface {
	TeamCheckIns(ctx context.Context, team string, from, to pulse.Date) ([]pulse.CheckIn, error)
	Person(ctx context.Context, id string) (*pulse.Person, error)
	AwayPeriods(ctx context.Context, user string) ([]pulse.AwayPeriod, error)
	TeamCRMFigures(ctx context.Context, team string, from, to pulse.Date) ([]pulse.CRMFigure, error)
	TeamPlans(ctx context.Context, team string, from, to pulse.Date) ([]pulse.Plan, error)
}

// Write writes the export of team from from to to (with today the team's
// local date, as in Data) to w as WriteCSV does, reading the check-ins
// from store ChunkDays at a time and writing each span's rows before it
// reads the next: it holds one span's check-ins, the team's people and
// their away periods, never the whole range or the whole file, and no
// read transaction while it writes. It returns the number of data rows.
func Write(ctx context.Context, w io.Writer, store Source, team *pulse.Team, from, to, today pulse.Date, h Headers, opt Options) (rows int, err error) {
	e, err := newEncoder(w, team, from, to, today, h, opt)
	if err != nil {
		return 0, err
	}
	for _, id := range team.Reps {
		if err := e.lookUp(ctx, store, id); err != nil {
			return 0, err
		}
		if e.away[id], err = store.AwayPeriods(ctx, id); err != nil {
			return 0, fmt.Errorf("export %s: away periods of %s: %w", team.Name, id, err)
		}
	}
	if e.planned() {
		if e.plans, err = store.TeamPlans(ctx, team.ID, pulse.PeriodMonth.First(from), to); err != nil {
			return 0, fmt.Errorf("export %s: plans: %w", team.Name, err)
		}
		// The days of from's month before it count towards attainment.
		for start := pulse.PeriodMonth.First(from); start.Before(from); start = start.AddDays(ChunkDays) {
			end := start.AddDays(ChunkDays - 1)
			if !end.Before(from) {
				end = from.AddDays(-1)
			}
			cs, err := store.TeamCheckIns(ctx, team.ID, start, end)
			if err != nil {
				return 0, fmt.Errorf("export %s: check-ins from %s: %w", team.Name, start, err)
			}
			var figs []pulse.CRMFigure
			if team.NumbersFrom != pulse.CRMTyped {
				if figs, err = store.TeamCRMFigures(ctx, team.ID, start, end); err != nil {
					return 0, fmt.Errorf("export %s: CRM figures from %s: %w", team.Name, start, err)
				}
			}
			e.count(cs, figs)
		}
	}
	last := to
	if today.Before(last) {
		last = today
	}
	for start := from; !start.After(last); start = start.AddDays(ChunkDays) {
		end := start.AddDays(ChunkDays - 1)
		if end.After(last) {
			end = last
		}
		cs, err := store.TeamCheckIns(ctx, team.ID, start, end)
		if err != nil {
			return e.rows, fmt.Errorf("export %s: check-ins from %s to %s: %w", team.Name, start, end, err)
		}
		for i := range cs {
			if err := e.lookUp(ctx, store, cs[i].UserID); err != nil {
				return e.rows, err
			}
		}
		var figs []pulse.CRMFigure
		if team.NumbersFrom != pulse.CRMTyped {
			if figs, err = store.TeamCRMFigures(ctx, team.ID, start, end); err != nil {
				return e.rows, fmt.Errorf("export %s: CRM figures from %s to %s: %w", team.Name, start, end, err)
			}
		}
		if err := e.days(start, end, cs, figs); err != nil {
			return e.rows, err
		}
		// Hand the span's rows on before reading the next, so a failing
		// writer stops the export early.
		e.cw.Flush()
		if err := e.cw.Error(); err != nil {
			return e.rows, fmt.Errorf("export %s: %w", team.Name, err)
		}
	}
	return e.finish()
}

// encoder writes an export's rows, a span of days at a time.
type encoder struct {
	cw       *csv.Writer
	team     *pulse.Team
	from, to pulse.Date
	today    pulse.Date
	people   map[string]*pulse.Person // nil for an ID looked up and not found
	away     map[string][]pulse.AwayPeriod
	row      []string
	rows     int
	qs       []pulse.Question // the questions with a column each, in order

	// Plan columns: the metrics with a target (the team's or a rep's own),
	// the team's plans, and each rep's metric totals of the month so far.
	targeted []int // indexes into team.Metrics
	plans    []pulse.Plan
	month    pulse.Date
	sums     map[string][]float64 // rep → by metric index
}

// newEncoder checks the range and writes the byte order mark and the
// header.
func newEncoder(w io.Writer, team *pulse.Team, from, to, today pulse.Date, h Headers, opt Options) (*encoder, error) {
	if team == nil {
		return nil, errors.New("export: no team")
	}
	if to.Before(from) {
		return nil, pulse.Errorf(pulse.EINVALID, "err.date_order", map[string]any{"From": from.String(), "To": to.String()}, "export: %s is after %s", from, to)
	}
	if from.DaysUntil(to) >= MaxDays {
		return nil, pulse.Errorf(pulse.EINVALID, "export.too_long", map[string]any{"Max": MaxDays}, "export: more than %d days", MaxDays)
	}
	if !opt.NoBOM {
		if _, err := io.WriteString(w, bom); err != nil {
			return nil, fmt.Errorf("export %s: %w", team.Name, err)
		}
	}
	e := &encoder{cw: csv.NewWriter(w), team: team, from: from, to: to, today: today,
		people: map[string]*pulse.Person{}, away: map[string][]pulse.AwayPeriod{}, sums: map[string][]float64{}}
	e.cw.UseCRLF = true
	header := []string{h.Date, h.RepID, h.RepName, h.Status, h.Energy, h.Results, h.Plan, h.Blocker, h.Skill}
	for _, m := range team.Metrics {
		header = append(header, m.Name)
	}
	// One column for each of the team's own questions, titled as it asks
	// it now (an answer given to an older version of it lands there too),
	// then one for each it asked before and removed, as last asked.
	e.qs = e.questions()
	for _, q := range e.qs {
		header = append(header, q.Text)
	}
	// Then two for each metric with a target: the rep's plan for the
	// day's month, and the share of it reached by that day.
	for i, m := range team.Metrics {
		if m.Target > 0 {
			e.targeted = append(e.targeted, i)
			header = append(header, m.Name+" — "+h.MonthPlan, m.Name+" — "+h.MonthAttained)
		}
	}
	if team.NumbersFrom != pulse.CRMTyped {
		header = append(header, h.Source)
	}
	neutralise(header)
	if err := e.cw.Write(header); err != nil {
		return nil, fmt.Errorf("export %s: %w", team.Name, err)
	}
	e.row = make([]string, len(header))
	return e, nil
}

// lookUp reads the person id from store, once.
func (e *encoder) lookUp(ctx context.Context, store Source, id string) error {
	if _, done := e.people[id]; done {
		return nil
	}
	p, err := store.Person(ctx, id)
	switch {
	case err == nil:
		e.people[id] = p
	case pulse.IsNotFound(err):
		e.people[id] = nil
	default:
		return fmt.Errorf("export %s: person %s: %w", e.team.Name, id, err)
	}
	return nil
}

// days writes the rows of the days from from to to, inside the export's
// range and up to today, from checkIns (any order; those outside the days
// are left out).
func (e *encoder) days(from, to pulse.Date, checkIns []pulse.CheckIn, crm []pulse.CRMFigure) error {
	if from.Before(e.from) {
		from = e.from
	}
	if to.After(e.to) {
		to = e.to
	}
	byDay := make(map[dayRep]*pulse.CheckIn, len(checkIns))
	var former []string
	for i := range checkIns {
		c := &checkIns[i]
		if c.Date.Before(from) || c.Date.After(to) {
			continue
		}
		byDay[dayRep{c.Date, c.UserID}] = c
		if !e.team.IsRep(c.UserID) && !slices.Contains(former, c.UserID) {
			former = append(former, c.UserID)
		}
	}
	figs := make(map[dayRep]*pulse.CRMFigure, len(crm))
	for i := range crm {
		f := &crm[i]
		figs[dayRep{f.Day, f.Rep}] = f
	}
	slices.Sort(former)
	reps := append(slices.Clone(e.team.Reps), former...)

	row := e.row
	for day := from; !day.After(to) && !day.After(e.today); day = day.AddDays(1) {
		for _, rep := range reps {
			c := byDay[dayRep{day, rep}]
			current := e.team.IsRep(rep)
			workday := e.team.IsWorkdayIn(e.team.HolidayPlaceOf(e.people[rep]), day)
			var status string
			switch {
			case c != nil:
				status = string(c.Status)
			case !current || !workday:
				continue
			case pulse.IsAway(e.away[rep], day):
				status = StatusAway
			case day.Before(e.today):
				status = StatusMissed
			default:
				continue // today, not answered yet
			}
			clear(row)
			row[0], row[1], row[2], row[3] = day.String(), rep, e.name(rep), status
			if c != nil && c.Answered() {
				row[4] = strconv.Itoa(c.Energy)
				row[5], row[6], row[7], row[8] = c.Results, c.Plan, c.Blocker, c.Skill
				for i, q := range e.qs {
					if a, ok := c.AnswerTo(q.ID); ok {
						row[9+len(e.team.Metrics)+i] = a.Value
					}
				}
			}
			vals := e.metrics(row, c, figs[dayRep{day, rep}])
			e.planCells(row, day, rep, vals)
			neutralise(row)
			if err := e.cw.Write(row); err != nil {
				return fmt.Errorf("export %s: %w", e.team.Name, err)
			}
			e.rows++
		}
	}
	return nil
}

// metrics fills the row's metric cells, and its source cell for a team
// whose numbers come from a CRM, with the numbers that count
// (pulse.MetricFigure): the CRM's also on a day the rep did not answer.
// It returns those numbers, by metric, for the plan columns.
func (e *encoder) metrics(row []string, c *pulse.CheckIn, fig *pulse.CRMFigure) []float64 {
	vals, set, fromCRM, anyTyped := e.counted(c, fig)
	for i, v := range vals {
		if set[i] {
			row[9+i] = strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	if e.team.NumbersFrom == pulse.CRMTyped {
		return vals
	}
	switch last := len(row) - 1; {
	case fromCRM:
		row[last] = string(fig.Source) + " " + fig.FetchedAt.UTC().Format(time.RFC3339)
	case anyTyped:
		row[last] = SourceTyped
	}
	return vals
}

// counted returns a rep's numbers of a day that count, by metric: typed in
// the check-in c (when answered) or counted by the CRM in fig; set says
// which metrics have one.
func (e *encoder) counted(c *pulse.CheckIn, fig *pulse.CRMFigure) (vals []float64, set []bool, fromCRM, anyTyped bool) {
	var typed map[string]float64
	if c != nil && c.Answered() {
		typed = c.Metrics
	}
	vals, set = make([]float64, len(e.team.Metrics)), make([]bool, len(e.team.Metrics))
	for i, m := range e.team.Metrics {
		t, has := typed[m.Key]
		v, src, ok := pulse.MetricFigure(e.team, m, t, has, fig)
		if !ok {
			continue
		}
		vals[i], set[i] = v, true
		if src == pulse.CRMTyped {
			anyTyped = true
		} else {
			fromCRM = true
		}
	}
	return vals, set, fromCRM, anyTyped
}

// dayRep keys a rep's day.
type dayRep struct {
	day pulse.Date
	rep string
}

// planned reports whether the export has plan columns.
func (e *encoder) planned() bool { return len(e.targeted) > 0 }

// count adds the numbers that count of from's month before from to the
// month's totals, for attainment: the check-ins' and the CRM's.
func (e *encoder) count(cs []pulse.CheckIn, crm []pulse.CRMFigure) {
	if !e.planned() {
		return
	}
	first := pulse.PeriodMonth.First(e.from)
	before := func(d pulse.Date) bool { return !d.Before(first) && d.Before(e.from) }
	figs := make(map[dayRep]*pulse.CRMFigure, len(crm))
	for i := range crm {
		if f := &crm[i]; before(f.Day) {
			figs[dayRep{f.Day, f.Rep}] = f
		}
	}
	for i := range cs {
		if c := &cs[i]; before(c.Date) {
			k := dayRep{c.Date, c.UserID}
			vals, _, _, _ := e.counted(c, figs[k])
			delete(figs, k)
			e.add(c.UserID, c.Date, vals)
		}
	}
	for k, f := range figs { // days with the CRM's numbers and no check-in
		vals, _, _, _ := e.counted(nil, f)
		e.add(k.rep, k.day, vals)
	}
}

// add counts one rep's numbers of a day into their month's totals.
func (e *encoder) add(rep string, day pulse.Date, vals []float64) {
	if m := pulse.PeriodMonth.First(day); m != e.month {
		e.month = m
		clear(e.sums)
	}
	s := e.sums[rep]
	if s == nil {
		s = make([]float64, len(e.team.Metrics))
		e.sums[rep] = s
	}
	for i, v := range vals {
		s[i] += v
	}
}

// planCells fills a row's plan columns: the rep's target of the day's
// month and the share of it reached through the day (vals, the day's
// numbers that count, counted first).
func (e *encoder) planCells(row []string, day pulse.Date, rep string, vals []float64) {
	if !e.planned() {
		return
	}
	e.add(rep, day, vals)
	col := 9 + len(e.team.Metrics) + len(e.qs)
	for _, i := range e.targeted {
		m := e.team.Metrics[i]
		target, _ := pulse.PlanTarget(e.team, e.plans, rep, m.Key, pulse.PeriodMonth, e.month)
		if target > 0 {
			row[col] = strconv.FormatFloat(target, 'f', -1, 64)
			done := 0.0
			if s := e.sums[rep]; s != nil {
				done = s[i]
			}
			row[col+1] = strconv.FormatFloat(done/target, 'f', 3, 64)
		}
		col += 2
	}
}

// questions returns the questions with a column each: the team's, then
// its retired ones.
func (e *encoder) questions() []pulse.Question {
	if len(e.team.RetiredQuestions) == 0 {
		return e.team.Questions
	}
	return append(slices.Clone(e.team.Questions), e.team.RetiredQuestions...)
}

// finish flushes what is buffered and returns the rows written.
func (e *encoder) finish() (int, error) {
	e.cw.Flush()
	if err := e.cw.Error(); err != nil {
		return e.rows, fmt.Errorf("export %s: %w", e.team.Name, err)
	}
	return e.rows, nil
}

func (e *encoder) name(rep string) string {
	if p := e.people[rep]; p != nil && p.Name != "" {
		return p.Name
	}
	return rep
}

// neutralise keeps every cell of a row from running as a spreadsheet
// formula: a cell that pulse.StartsFormula gets a leading apostrophe, which
// spreadsheets show as text (OWASP's advice on CSV injection). Every cell
// goes through it, titles and codes too, so no column is left to chance.
func neutralise(row []string) {
	for i, s := range row {
		if pulse.StartsFormula(s) {
			row[i] = "'" + s
		}
	}
}

// HeaderKeys are the catalogue keys of the fixed columns' titles, in
// Headers' order.
var HeaderKeys = [...]string{"export.col_date", "export.col_rep_id", "export.col_rep_name", "export.col_status",
	"export.col_energy", "export.col_results", "export.col_plan", "export.col_blocker", "export.col_skill", "export.col_source"}

// HeadersFrom builds the titles with t, which looks a catalogue key up in
// the reader's language.
func HeadersFrom(t func(key string) string) Headers {
	k := HeaderKeys
	return Headers{Date: t(k[0]), RepID: t(k[1]), RepName: t(k[2]), Status: t(k[3]), Energy: t(k[4]),
		Results: t(k[5]), Plan: t(k[6]), Blocker: t(k[7]), Skill: t(k[8]), Source: t(k[9]),
		MonthPlan: t("export.col_month_plan"), MonthAttained: t("export.col_month_attained")}
}

// Filename names the file after the team and range, in characters
// every file system takes.
func Filename(team string, from, to pulse.Date) string {
	var b strings.Builder
	for _, c := range strings.ToLower(team) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		name = "team"
	}
	return fmt.Sprintf("pulse-%s-%s-%s.csv", name, from, to)
}
