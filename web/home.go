package web

import (
	"net/http"

	"github.com/salespulse/pulse"
)

// home lists the person's pages: the teams they manage, and their own
// timeline in each team they check in with.
func (s *Server) home(w http.ResponseWriter, r *http.Request, v *viewer) {
	t := s.cfg.Catalog
	p := s.basePage(v, served{}, t.T(v.lang, "web.home", nil), "")
	managed := group{ID: "managed", Title: t.T(v.lang, "web.teams_managed", nil)}
	own := group{ID: "own", Title: t.T(v.lang, "web.timelines", nil)}
	led := group{ID: "leader", Title: t.T(v.lang, "web.leaders_home", nil)}
	for _, team := range v.teams {
		if pulse.CanSeeHistory(v.actor, team) == nil {
			managed.Links = append(managed.Links, link{URL: served{}.team(team.ID, defaultWeeks), Label: team.Name})
		}
		if pulse.CanSeeLeaderPulse(v.actor, team, v.actor.UserID) == nil {
			led.Links = append(led.Links, link{URL: served{}.leader(team.ID, v.actor.UserID, defaultWeeks), Label: team.Name})
		}
		if team.IsRep(v.actor.UserID) {
			own.Links = append(own.Links, link{URL: served{}.rep(team.ID, v.actor.UserID, defaultWeeks), Label: team.Name})
		}
	}
	for _, g := range []group{managed, led, own} {
		if len(g.Links) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	if len(p.Groups) == 0 {
		p.Lead = t.T(v.lang, "web.no_teams", nil)
	}
	s.render(w, http.StatusOK, p)
}
