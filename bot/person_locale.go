package bot

import (
	"time"

	"github.com/salespulse/pulse"
)

// Where a person's day runs and in which language they are written to.

// today is the date it is now in loc, by the bot's clock.
func (b *Bot) today(loc *time.Location) pulse.Date {
	return pulse.DateOf(b.clock.Now().In(loc))
}

// personZone is the zone the person lives in, else fallback.
func (b *Bot) personZone(r *Request, fallback *time.Location) *time.Location {
	if fallback == nil {
		fallback = b.zone
	}
	if r.Person == nil {
		return fallback
	}
	return r.Person.Zone(fallback)
}

// zoneIn returns the zone a person's day runs in, for a team's check-ins:
// Person.Zone's rule (their own choice, else Slack's, else the team's).
func zoneIn(p *pulse.Person, t *pulse.Team) *time.Location {
	if p == nil {
		return t.Location()
	}
	return p.Zone(t.Location())
}

// langFor returns the language to write to a person of team in.
func langFor(p *pulse.Person, t *pulse.Team) pulse.Lang {
	var teamLang pulse.Lang
	if t != nil {
		teamLang = t.Lang
	}
	return p.Language(teamLang)
}
