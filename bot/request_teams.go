package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/salespulse/pulse"
)

// byName returns teams sorted by name, so "the first team" means the same
// one every time.
func byName(teams []*pulse.Team) []*pulse.Team {
	out := slices.Clone(teams)
	slices.SortStableFunc(out, func(a, b *pulse.Team) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// managedTeams returns the teams the person manages, by name.
func managedTeams(r *Request) []*pulse.Team {
	var out []*pulse.Team
	for _, t := range byName(r.Teams) {
		if t.IsManager(r.Actor.UserID) {
			out = append(out, t)
		}
	}
	return out
}

// repTeam returns the team the person checks in with, for commands a rep
// gives about themselves (commit, away, goal). In several, it is the first
// by name, and several reports so, for the answer to say which. Someone in
// no team, or only managing, is refused.
func repTeam(r *Request) (team *pulse.Team, several bool, err error) {
	var teams []*pulse.Team
	for _, t := range byName(r.Teams) {
		if t.IsRep(r.Actor.UserID) {
			teams = append(teams, t)
		}
	}
	switch {
	case len(teams) > 0:
		return teams[0], len(teams) > 1, nil
	case len(r.Teams) == 0:
		return nil, false, pulse.Errorf(pulse.EFORBIDDEN, "commands.no_team", nil, "%s is in no team", r.Actor.UserID)
	}
	return nil, false, pulse.CanCheckIn(r.Actor, r.Teams[0])
}

// leadTeam finds the team in which the person leads every one of reps: the
// first by name that they manage and that has them all as reps. When there
// is none, it returns the rep that kept the last team tried from fitting
// (the first rep when no managed team holds it), for the refusal to name.
func leadTeam(r *Request, reps []string) (team *pulse.Team, badRep string) {
	managed := managedTeams(r)
	if len(managed) == 0 {
		return nil, reps[0]
	}
	for _, t := range managed {
		if pulse.CanLead(r.Actor, t, reps[0]) != nil {
			continue
		}
		all := true
		for _, rep := range reps[1:] {
			if pulse.CanLead(r.Actor, t, rep) != nil {
				all, badRep = false, rep
				break
			}
		}
		if all {
			return t, ""
		}
	}
	if badRep == "" {
		badRep = reps[0]
	}
	return nil, badRep
}

// refuseLead answers a person whom leadTeam found leading no team with
// rep in it. Someone who manages no team gets the root's refusal; a
// manager is told which mention was wrong, with the mention itself, which
// an error's sentence cannot carry (it is escaped), so it is a reply.
// Either way nothing was saved.
func refuseLead(r *Request, rep string) error {
	if len(managedTeams(r)) == 0 {
		return pulse.CanLead(r.Actor, nil, rep)
	}
	r.Reply(Message{Text: r.T("commands.not_your_rep", map[string]any{"Rep": mention(rep)})})
	return nil
}

// requestTeam returns one of the person's teams by ID, from those the
// router already loaded, else from the store.
func (b *Bot) requestTeam(ctx context.Context, r *Request, id string) (*pulse.Team, error) {
	for _, t := range r.Teams {
		if t.ID == id {
			return t, nil
		}
	}
	t, err := b.store.Team(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load team %s: %w", id, err)
	}
	return t, nil
}
