package bot

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse"
)

// identify fills in who is asking: what Pulse knows of them, their teams,
// their language and whether they are an admin. A store that fails here
// leaves defaults (English, no teams) rather than no answer.
func (b *Bot) identify(ctx context.Context, r *Request) {
	user := r.Actor.UserID
	r.voice = b.voice(pulse.English)
	if user == "" {
		return
	}
	// One read for both: every envelope is identified, and a read is a
	// transaction to open (on PostgreSQL, a round trip).
	var p *pulse.Person
	var teams []*pulse.Team
	err := b.store.ReadTogether(ctx, func(ctx context.Context) error {
		var err error
		if p, err = b.store.Person(ctx, user); err != nil {
			p = nil
			if !pulse.IsNotFound(err) {
				b.log.Warn("look up person", "user", user, "err", err)
			}
		}
		if teams, err = b.store.TeamsOf(ctx, user); err != nil {
			b.log.Warn("look up teams", "user", user, "err", err)
		}
		return nil
	})
	if err != nil {
		b.log.Warn("look up person and teams", "user", user, "err", err)
	}
	var teamLang pulse.Lang
	if len(teams) > 0 {
		teamLang = teams[0].Lang
	}
	r.Person, r.Teams = p, teams
	r.voice = b.voice(p.Language(teamLang))
	r.Actor.Admin = b.isAdmin(user, p)
}

// loadPerson reads the person fresh from the store before a change, or
// starts one when Pulse knows nothing of them yet.
func (b *Bot) loadPerson(ctx context.Context, r *Request) (*pulse.Person, error) {
	p, err := b.store.Person(ctx, r.Actor.UserID)
	switch {
	case pulse.IsNotFound(err):
		return &pulse.Person{ID: r.Actor.UserID}, nil
	case err != nil:
		return nil, fmt.Errorf("load person %s: %w", r.Actor.UserID, err)
	}
	return p, nil
}

// personOf returns what Pulse knows of user; nil when nothing yet, or when
// the store cannot say (the caller then uses the team's zone and language).
func (b *Bot) personOf(ctx context.Context, user string) *pulse.Person {
	p, err := b.store.Person(ctx, user)
	if err != nil {
		if !pulse.IsNotFound(err) {
			b.log.Warn("look up person", "user", user, "err", err)
		}
		return nil
	}
	return p
}
