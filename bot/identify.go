package bot

import (
	"context"

	"github.com/salespulse/pulse"
)

// identify fills in who is asking: what Pulse knows of them, their teams,
// their language and whether they are an admin. A store that fails here
// leaves defaults (English, no teams) rather than no answer.
func (b *Bot) identify(ctx context.Context, r *Request) {
	user := r.Actor.UserID
	r.Lang = pulse.English
	if user == "" {
		return
	}
	p, err := b.store.Person(ctx, user)
	if err != nil {
		p = nil
		if !pulse.IsNotFound(err) {
			b.log.Warn("look up person", "user", user, "err", err)
		}
	}
	teams, err := b.store.TeamsOf(ctx, user)
	if err != nil {
		b.log.Warn("look up teams", "user", user, "err", err)
	}
	var teamLang pulse.Lang
	if len(teams) > 0 {
		teamLang = teams[0].Lang
	}
	r.Person, r.Teams = p, teams
	r.Lang = p.Language(teamLang)
	r.Actor.Admin = b.isAdmin(user, p)
}
