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
}

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
	CheckIns []pulse.CheckIn               // the team's, in any order
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

// WriteCSV writes d to w and returns the number of data rows. Rows go by
// date, then by rep in the team's order; reps who have left the team but
// have records in the range follow, by ID.
func WriteCSV(w io.Writer, d Data, h Headers, opt Options) (rows int, err error) {
	if d.Team == nil {
		return 0, errors.New("export: no team")
	}
	if d.To.Before(d.From) {
		return 0, pulse.Errorf(pulse.EINVALID, "err.date_order", map[string]any{"From": d.From.String(), "To": d.To.String()}, "export: %s is after %s", d.From, d.To)
	}
	if d.From.DaysUntil(d.To) >= MaxDays {
		return 0, pulse.Errorf(pulse.EINVALID, "export.too_long", map[string]any{"Max": MaxDays}, "export: more than %d days", MaxDays)
	}
	if !opt.NoBOM {
		if _, err := io.WriteString(w, bom); err != nil {
			return 0, fmt.Errorf("export %s: %w", d.Team.Name, err)
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := []string{h.Date, h.RepID, h.RepName, h.Status, h.Energy, h.Results, h.Plan, h.Blocker, h.Skill}
	for _, m := range d.Team.Metrics {
		header = append(header, m.Name)
	}
	if err := cw.Write(header); err != nil {
		return 0, fmt.Errorf("export %s: %w", d.Team.Name, err)
	}

	type dayRep struct {
		day pulse.Date
		rep string
	}
	byDay := make(map[dayRep]*pulse.CheckIn, len(d.CheckIns))
	var former []string
	for i := range d.CheckIns {
		c := &d.CheckIns[i]
		if c.Date.Before(d.From) || c.Date.After(d.To) {
			continue
		}
		byDay[dayRep{c.Date, c.UserID}] = c
		if !d.Team.IsRep(c.UserID) && !slices.Contains(former, c.UserID) {
			former = append(former, c.UserID)
		}
	}
	slices.Sort(former)
	reps := append(slices.Clone(d.Team.Reps), former...)

	row := make([]string, len(header))
	for day := d.From; !day.After(d.To) && !day.After(d.Today); day = day.AddDays(1) {
		workday := d.Team.IsWorkday(day)
		for _, rep := range reps {
			c := byDay[dayRep{day, rep}]
			current := d.Team.IsRep(rep)
			var status string
			switch {
			case c != nil:
				status = string(c.Status)
			case !current || !workday:
				continue
			case pulse.IsAway(d.Away[rep], day):
				status = StatusAway
			case day.Before(d.Today):
				status = StatusMissed
			default:
				continue // today, not answered yet
			}
			clear(row)
			row[0], row[1], row[2], row[3] = day.String(), rep, cell(d.name(rep)), status
			if c != nil && c.Answered() {
				row[4] = strconv.Itoa(c.Energy)
				row[5], row[6], row[7], row[8] = cell(c.Results), cell(c.Plan), cell(c.Blocker), cell(c.Skill)
				for i, m := range d.Team.Metrics {
					if v, ok := c.Metrics[m.Key]; ok {
						row[9+i] = strconv.FormatFloat(v, 'f', -1, 64)
					}
				}
			}
			if err := cw.Write(row); err != nil {
				return rows, fmt.Errorf("export %s: %w", d.Team.Name, err)
			}
			rows++
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return rows, fmt.Errorf("export %s: %w", d.Team.Name, err)
	}
	return rows, nil
}

func (d Data) name(rep string) string {
	if p := d.People[rep]; p != nil && p.Name != "" {
		return p.Name
	}
	return rep
}

// cell keeps a person's text from running as a spreadsheet formula: text
// that starts with =, +, -, @ or a tab or carriage return gets a leading
// apostrophe, which spreadsheets show as text (OWASP's advice on CSV
// injection). Everything else goes out as written.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Load reads from store what an export of team from from to to needs,
// with today the team's local date.
func Load(ctx context.Context, store pulse.Store, team *pulse.Team, from, to, today pulse.Date) (Data, error) {
	d := Data{Team: team, From: from, To: to, Today: today,
		People: map[string]*pulse.Person{}, Away: map[string][]pulse.AwayPeriod{}}
	var err error
	if d.CheckIns, err = store.TeamCheckIns(ctx, team.ID, from, to); err != nil {
		return d, fmt.Errorf("export %s: check-ins: %w", team.Name, err)
	}
	ids := slices.Clone(team.Reps)
	for _, c := range d.CheckIns {
		if !slices.Contains(ids, c.UserID) {
			ids = append(ids, c.UserID)
		}
	}
	for _, id := range ids {
		p, err := store.Person(ctx, id)
		switch {
		case err == nil:
			d.People[id] = p
		case !pulse.IsNotFound(err):
			return d, fmt.Errorf("export %s: person %s: %w", team.Name, id, err)
		}
		if team.IsRep(id) {
			if d.Away[id], err = store.AwayPeriods(ctx, id); err != nil {
				return d, fmt.Errorf("export %s: away periods of %s: %w", team.Name, id, err)
			}
		}
	}
	return d, nil
}

// HeaderKeys are the catalogue keys of the fixed columns' titles, in
// Headers' order.
var HeaderKeys = [...]string{"export.col_date", "export.col_rep_id", "export.col_rep_name", "export.col_status",
	"export.col_energy", "export.col_results", "export.col_plan", "export.col_blocker", "export.col_skill"}

// HeadersFrom builds the titles with t, which looks a catalogue key up in
// the reader's language.
func HeadersFrom(t func(key string) string) Headers {
	k := HeaderKeys
	return Headers{Date: t(k[0]), RepID: t(k[1]), RepName: t(k[2]), Status: t(k[3]), Energy: t(k[4]),
		Results: t(k[5]), Plan: t(k[6]), Blocker: t(k[7]), Skill: t(k[8])}
}
