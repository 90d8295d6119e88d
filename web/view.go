package web

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/salespulse/pulse"
)

// The spans a team or rep page covers: a month, a quarter, a year.
var spans = []int{4, 13, 52}

// defaultWeeks is the span a page opens with: a quarter.
const defaultWeeks = 13

// weeksOf reads the span asked for; anything but one of spans is the default.
func weeksOf(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || !slices.Contains(spans, n) {
		return defaultWeeks
	}
	return n
}

// linker builds the URLs of the pages: served ones, or the files the demo
// writes side by side.
type linker interface {
	home() string
	team(team string, weeks int) string
	rep(team, rep string, weeks int) string
	leader(team, manager string, weeks int) string
	assets() string
}

// served links the pages as the Server serves them.
type served struct{}

func (served) home() string { return "/" }
func (served) team(team string, weeks int) string {
	return "/teams/" + team + "?weeks=" + strconv.Itoa(weeks)
}
func (served) rep(team, rep string, weeks int) string {
	return "/teams/" + team + "/reps/" + rep + "?weeks=" + strconv.Itoa(weeks)
}
func (served) leader(team, manager string, weeks int) string {
	return "/teams/" + team + "/leaders/" + manager + "?weeks=" + strconv.Itoa(weeks)
}
func (served) assets() string { return "/assets/" }

// byName returns teams sorted by name, as the bot lists them.
func byName(teams []*pulse.Team) []*pulse.Team {
	out := slices.Clone(teams)
	slices.SortStableFunc(out, func(a, b *pulse.Team) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// basePage fills what every signed-in page shows.
func (s *Server) basePage(v *viewer, l linker, title, lead string) *page {
	t := s.cfg.Catalog
	p := &page{
		Lang: v.lang, Title: title, Lead: lead, Skip: t.T(v.lang, "web.skip", nil),
		User: t.T(v.lang, "web.signed_in_as", map[string]any{"Name": v.name}),
		CSRF: v.csrf, HomeURL: l.home(), Assets: l.assets(),
	}
	if v.csrf != "" {
		p.Logout = t.T(v.lang, "web.logout", nil)
	}
	return p
}

// periods links a page to its other spans.
func (s *Server) periods(v *viewer, weeks int, url func(int) string) []period {
	var out []period
	for _, n := range spans {
		out = append(out, period{URL: url(n), Label: s.cfg.Catalog.Plural(v.lang, "web.weeks", n, nil), Current: n == weeks})
	}
	return out
}

// nameOf returns a person's name for a page, their ID when Pulse has none.
func nameOf(people map[string]*pulse.Person, id string) string {
	if p := people[id]; p != nil && p.Name != "" {
		return p.Name
	}
	return id
}
