package web

import (
	"bufio"
	"net/http"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/export"
)

// export sends the team's check-ins of the page's span as CSV: the same
// file /pulse export sends, to the same people.
func (s *Server) export(w http.ResponseWriter, r *http.Request, v *viewer) {
	team, err := s.cfg.Store.Team(r.Context(), r.PathValue("team"))
	if err == nil {
		err = pulse.CanExport(v.actor, team)
	}
	if err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	weeks := weeksOf(r.PostFormValue("weeks"))
	today := pulse.DateOf(s.cfg.Clock.Now().In(team.Location()))
	from := today.WeekStart().AddDays(-7 * (weeks - 1))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+export.Filename(team.Name, from, today)+`"`)
	bw := bufio.NewWriter(w)
	h := export.HeadersFrom(func(k string) string { return s.cfg.Catalog.T(v.lang, k, nil) })
	if _, err := export.Write(r.Context(), bw, s.cfg.Store, team, from, today, today, h, export.Options{}); err != nil {
		// The status is sent already; the operator learns of the cut.
		s.cfg.Log.Error("web export", "team", team.ID, "err", err)
		return
	}
	if err := bw.Flush(); err != nil {
		s.cfg.Log.Warn("web export: send", "team", team.ID, "err", err)
	}
}
