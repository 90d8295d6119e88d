package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// setupCommand answers /pulse setup [team name]: the team setup modal,
// filled with the named team's settings when it exists, else with a new
// team's defaults and the name. Without a name it opens the first team the
// person manages, or a new team for an admin.
func (b *Bot) setupCommand(ctx context.Context, r *Request) error {
	name := strings.TrimSpace(UnescapeText(r.Args))
	if utf8.RuneCountInString(name) > pulse.MaxTeamNameLen {
		return pulse.FieldError("name", "err.too_long", map[string]any{"Max": pulse.MaxTeamNameLen}, "team name longer than %d", pulse.MaxTeamNameLen)
	}
	var team *pulse.Team
	switch {
	case name != "":
		t, err := b.store.TeamByName(ctx, name)
		switch {
		case err == nil:
			team = t
		case !pulse.IsNotFound(err):
			return fmt.Errorf("setup: find team by name: %w", err)
		}
	case !r.Actor.Admin:
		if managed := managedTeams(r); len(managed) > 0 {
			team = managed[0]
		}
	}
	if err := pulse.CanSetUpTeam(r.Actor, team); err != nil {
		return err
	}
	if team == nil {
		team = pulse.NewTeam(name, b.personZone(r, b.zone).String())
	}
	return openModal(ctx, r, setupModal(r, team))
}

// setupSubmit saves the team setup modal. The rule is asked again against
// the team as stored now: the person may have lost the right since the
// modal opened. Every bad input shows under its own field.
func (b *Bot) setupSubmit(ctx context.Context, r *Request) error {
	id := r.Interaction.View.PrivateMetadata
	var stored *pulse.Team
	if id != "" {
		t, err := b.store.Team(ctx, id)
		if err != nil {
			return err
		}
		stored = t
	}
	if err := pulse.CanSetUpTeam(r.Actor, stored); err != nil {
		return err
	}
	team := pulse.NewTeam("", "")
	if stored != nil {
		c := *stored
		team = &c
	}
	errs := readSetup(r, team)
	if err := team.Validate(); err != nil {
		if errs, err = errs.Merge(err); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return errs
	}
	key := "setup.saved_updated"
	if stored == nil {
		key = "setup.saved_created"
		if err := b.store.CreateTeam(ctx, team); err != nil {
			return saveTeamError("create", team, err)
		}
	} else if err := b.store.UpdateTeam(ctx, team); err != nil {
		return saveTeamError("update", team, err)
	}
	b.recordRosterChange(r, stored, team)
	text := r.T(key, map[string]any{"Team": mrkdwnEscape(team.Name)})
	r.Reply(Message{Text: text, Blocks: []slack.Block{mrkdwnSection(text), questionsButtonBlock(r, team)}})
	return nil
}

// saveTeamError passes on what a person can act on (a taken name, shown
// under "name") and wraps the rest for the log.
func saveTeamError(what string, t *pulse.Team, err error) error {
	if c := pulse.ErrorCode(err); c == pulse.EINVALID || c == pulse.ECONFLICT || c == pulse.ENOTFOUND {
		var pe *pulse.Error
		if c == pulse.ECONFLICT && errors.As(err, &pe) && pe.Field == "" {
			named := *pe
			named.Field = "name"
			return &named
		}
		return err
	}
	return fmt.Errorf("%s team %s: %w", what, t.ID, err)
}

// zoneSuggestions answers the time zone select with the zones whose name
// holds what the admin typed ("oslo", "new york", "america/"), those whose
// city starts with it first, at most MaxSuggestions.
func (b *Bot) zoneSuggestions(_ context.Context, r *Request) error {
	r.ReplyOptions(zoneOptions(matchZones(r.Interaction.Value)))
	return nil
}

// matchZones returns the zone names matching query, best first.
func matchZones(query string) []string {
	q := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(query), " ", "_"))
	var first, rest []string
	for _, z := range zoneNames {
		lz := strings.ToLower(z)
		if !strings.Contains(lz, q) {
			continue
		}
		city := lz[strings.LastIndexByte(lz, '/')+1:]
		if strings.HasPrefix(city, q) || strings.HasPrefix(lz, q) {
			first = append(first, z)
		} else {
			rest = append(rest, z)
		}
	}
	out := append(first, rest...)
	if len(out) > MaxSuggestions {
		out = out[:MaxSuggestions]
	}
	return out
}

func zoneOptions(names []string) []*slack.OptionBlockObject {
	opts := make([]*slack.OptionBlockObject, 0, len(names))
	for _, z := range names {
		opts = append(opts, zoneOption(z))
	}
	return opts
}

func zoneOption(name string) *slack.OptionBlockObject {
	return slack.NewOptionBlockObject(name, plainText(name), nil)
}
