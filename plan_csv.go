package pulse

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// A plans file is CSV: a header row, then one row per rep and period, with
// the rep's Slack user ID or email, the period (week, month or quarter),
// the period's start date (YYYY-MM-DD, any day of it), and one column per
// metric key of the team. An empty metric cell leaves that metric's plan as
// it is. pulse plan export writes the same form, so a file goes out, is
// edited in a spreadsheet and comes back.

// MaxPlanRows bounds a plans file: a thousand reps with each period.
const MaxPlanRows = 5000

// PlanRowError is what is wrong with one line of a plans file.
type PlanRowError struct {
	Line   int    // 1 is the header
	Column string // the column's title; empty for the whole row
	Reason string
}

func (e PlanRowError) String() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d, %s: %s", e.Line, e.Column, e.Reason)
}

// PlanFileErrors lists every bad line of a plans file; none of it is
// imported then.
type PlanFileErrors []PlanRowError

func (e PlanFileErrors) Error() string {
	lines := make([]string, len(e))
	for i, r := range e {
		lines[i] = r.String()
	}
	return fmt.Sprintf("%d problems, nothing imported:\n%s", len(e), strings.Join(lines, "\n"))
}

// IsEmail reports whether a user cell holds an email rather than an ID.
func IsEmail(s string) bool { return strings.Contains(s, "@") }

// ReadPlans reads a plans file for team. resolve turns an email into a
// Slack user ID (false when unknown). It returns every plan of the file,
// validated, or a PlanFileErrors naming each bad line: a cell that looks
// like a spreadsheet formula is refused, never stored.
func ReadPlans(r io.Reader, team *Team, resolve func(email string) (string, bool), setBy string, now time.Time) ([]Plan, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, keys, errs := readPlanHeader(cr, team)
	if errs != nil {
		return nil, errs
	}
	f := planFile{team: team, header: header, keys: keys, resolve: resolve, setBy: setBy, now: now, seen: map[string]int{}}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				f.errs = append(f.errs, PlanRowError{Line: len(f.seen) + 2, Reason: csvReason(err)})
				break
			}
			f.errs = append(f.errs, PlanRowError{Line: pe.StartLine, Reason: csvReason(err)})
			continue
		}
		line, _ := cr.FieldPos(0)
		if line > MaxPlanRows+1 {
			f.errs = append(f.errs, PlanRowError{Line: line, Reason: fmt.Sprintf("a plans file holds at most %d rows", MaxPlanRows)})
			break
		}
		f.readRow(line, rec)
	}
	if len(f.errs) > 0 {
		return nil, f.errs
	}
	return f.out, nil
}

// readPlanHeader reads a plans file's header row and the metric keys it
// names, or what is wrong with it.
func readPlanHeader(cr *csv.Reader, team *Team) (header, keys []string, errs PlanFileErrors) {
	header, err := cr.Read()
	if err != nil {
		return nil, nil, PlanFileErrors{{Line: 1, Reason: "no header row: " + csvReason(err)}}
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // Excel's byte order mark
	}
	if len(header) < 4 {
		return nil, nil, PlanFileErrors{{Line: 1, Reason: "the header needs the columns user, period, start and at least one metric key"}}
	}
	keys = make([]string, 0, len(header)-3)
	for _, h := range header[3:] {
		k := strings.ToLower(strings.TrimSpace(h))
		if _, ok := team.Metric(k); !ok {
			errs = append(errs, PlanRowError{Line: 1, Column: clipCell(h), Reason: fmt.Sprintf("not a metric key of team %s (%s)", team.Name, teamKeys(team))})
		}
		keys = append(keys, k)
	}
	return header, keys, errs
}

// planFile is a plans file being read: the plans of its good rows so far,
// and what is wrong with the others.
type planFile struct {
	team         *Team
	header, keys []string
	resolve      func(email string) (string, bool)
	setBy        string
	now          time.Time
	errs         PlanFileErrors
	seen         map[string]int // the line of each rep, period, start and metric read
	out          []Plan
}

// bad notes what is wrong with a cell of a line.
func (f *planFile) bad(line, col int, reason string) {
	f.errs = append(f.errs, PlanRowError{Line: line, Column: clipCell(f.header[col]), Reason: reason})
}

// readRow adds the plans of one row, or what is wrong with it.
func (f *planFile) readRow(line int, rec []string) {
	if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
		return // a blank line
	}
	if len(rec) != len(f.header) {
		f.errs = append(f.errs, PlanRowError{Line: line, Reason: fmt.Sprintf("%d cells, the header has %d", len(rec), len(f.header))})
		return
	}
	rowErrs := len(f.errs)
	for i, cell := range rec {
		if StartsFormula(cell) {
			f.bad(line, i, "looks like a spreadsheet formula; refused")
		}
	}
	if len(f.errs) > rowErrs {
		return
	}
	row, ok := f.rowPlans(line, rec)
	if !ok || len(f.errs) > rowErrs {
		return
	}
	for _, p := range row {
		if err := p.Validate(f.team); err != nil {
			f.bad(line, 0, err.Error())
			return
		}
		id := p.UserID + "/" + string(p.Period) + "/" + p.Start.String() + "/" + p.Metric
		if first, dup := f.seen[id]; dup {
			f.bad(line, 3, fmt.Sprintf("repeats the plan of line %d", first))
			return
		}
		f.seen[id] = line
		f.out = append(f.out, p)
	}
}

// rowPlans parses a row's cells into a plan per metric given; ok is false
// when its user is not known at all.
func (f *planFile) rowPlans(line int, rec []string) (row []Plan, ok bool) {
	team := f.team
	user := strings.TrimSpace(rec[0])
	if IsEmail(user) {
		id, ok := f.resolve(user)
		if !ok {
			f.bad(line, 0, fmt.Sprintf("no Slack user with the email %q", clipCell(user)))
			return nil, false
		}
		user = id
	}
	if !team.IsRep(user) {
		f.bad(line, 0, fmt.Sprintf("%q is not a rep of team %s", clipCell(user), team.Name))
	}
	period, ok := ParsePeriod(rec[1])
	if !ok {
		f.bad(line, 1, fmt.Sprintf("%q is not week, month or quarter", clipCell(rec[1])))
	}
	start, err := ParseDate(rec[2])
	if err != nil {
		f.bad(line, 2, fmt.Sprintf("%q is not a date YYYY-MM-DD", clipCell(rec[2])))
	}
	for i, k := range f.keys {
		cell := strings.TrimSpace(rec[3+i])
		if cell == "" {
			continue
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(cell, " ", ""), 64)
		if err != nil || v < 0 || v > MaxPlanTarget || v != v {
			f.bad(line, 3+i, fmt.Sprintf("%q is not a number from 0 to %.0f", clipCell(cell), MaxPlanTarget))
			continue
		}
		row = append(row, Plan{TeamID: team.ID, UserID: user, Metric: k, Period: period, Start: start, Target: v, SetBy: f.setBy, UpdatedAt: f.now})
	}
	return row, true
}

// WritePlans writes plans in the form ReadPlans reads, one row per rep,
// period and start, a column per metric of the team. Its cells are IDs,
// dates, keys and numbers only, so none reads as a formula.
func WritePlans(w io.Writer, team *Team, plans []Plan) error {
	cw := csv.NewWriter(w)
	header := []string{"user", "period", "start"}
	col := map[string]int{}
	for i, m := range team.Metrics {
		header = append(header, m.Key)
		col[m.Key] = 3 + i
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rows := map[string][]string{}
	var order []string
	for _, p := range plans {
		c, ok := col[p.Metric]
		if !ok || p.TeamID != team.ID {
			continue
		}
		id := p.UserID + "/" + string(p.Period) + "/" + p.Start.String()
		row := rows[id]
		if row == nil {
			row = make([]string, len(header))
			row[0], row[1], row[2] = p.UserID, string(p.Period), p.Start.String()
			rows[id] = row
			order = append(order, id)
		}
		row[c] = strconv.FormatFloat(p.Target, 'f', -1, 64)
	}
	for _, id := range order {
		if err := cw.Write(rows[id]); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// clipCell keeps what a file said short in a message.
func clipCell(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func teamKeys(team *Team) string {
	keys := make([]string, len(team.Metrics))
	for i, m := range team.Metrics {
		keys[i] = m.Key
	}
	return strings.Join(keys, ", ")
}
