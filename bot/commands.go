package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

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

// loadPerson reads the person fresh from the store before a change, or
// starts one when Pulse knows nothing of them yet.
func loadPerson(ctx context.Context, r *Request) (*pulse.Person, error) {
	p, err := r.Store().Person(ctx, r.Actor.UserID)
	switch {
	case pulse.IsNotFound(err):
		return &pulse.Person{ID: r.Actor.UserID}, nil
	case err != nil:
		return nil, fmt.Errorf("load person %s: %w", r.Actor.UserID, err)
	}
	return p, nil
}

// openModal opens view with the request's trigger_id. Call it before any
// slow work: the trigger is good for 3 seconds from the person's click.
func openModal(ctx context.Context, r *Request, view slack.ModalViewRequest) error {
	trigger := ""
	switch {
	case r.Command != nil:
		trigger = r.Command.TriggerID
	case r.Interaction != nil:
		trigger = r.Interaction.TriggerID
	}
	if _, err := r.API().OpenViewContext(ctx, trigger, view); err != nil {
		return fmt.Errorf("views.open %s: %w", view.CallbackID, err)
	}
	return nil
}

// channelRef is how Slack writes a link to a channel in a message.
func channelRef(id string) string { return "<#" + id + ">" }

// stateValue returns the submitted value of the input in block blockID,
// or nil when the person left it empty (Slack then omits it).
func stateValue(r *Request, blockID string) *slack.BlockAction {
	if r.Interaction == nil || r.Interaction.View.State == nil {
		return nil
	}
	for _, v := range r.Interaction.View.State.Values[blockID] {
		return &v
	}
	return nil
}

// stateText is the text of a plain_text_input, trimmed.
func stateText(r *Request, blockID string) string {
	if v := stateValue(r, blockID); v != nil {
		return strings.TrimSpace(v.Value)
	}
	return ""
}

// stateDate reads a datepicker, returning a FieldError under blockID for a
// missing or impossible day.
func stateDate(r *Request, blockID string) (pulse.Date, *pulse.Error) {
	v := stateValue(r, blockID)
	if v == nil || v.SelectedDate == "" {
		return pulse.Date{}, pulse.FieldError(blockID, "err.date", map[string]any{"Value": ""}, "%s: no date", blockID)
	}
	d, err := pulse.ParseDate(v.SelectedDate)
	if err != nil {
		return pulse.Date{}, pulse.FieldError(blockID, "err.date", map[string]any{"Value": v.SelectedDate}, "%s: %v", blockID, err)
	}
	return d, nil
}

// textInput is an input block with a plain_text_input, its block ID the
// field it sets.
func textInput(blockID, label, initial string, multiline, optional bool, maxLen int) *slack.InputBlock {
	el := slack.NewPlainTextInputBlockElement(nil, blockID)
	el.Multiline = multiline
	el.InitialValue = initial
	if maxLen > 0 {
		el.MaxLength = maxLen
	}
	in := slack.NewInputBlock(blockID, plainText(label), nil, el)
	in.Optional = optional
	return in
}

// dateInput is an input block with a datepicker set to initial.
func dateInput(blockID, label string, initial pulse.Date) *slack.InputBlock {
	el := slack.NewDatePickerBlockElement(blockID)
	if !initial.IsZero() {
		el.InitialDate = initial.String()
	}
	return slack.NewInputBlock(blockID, plainText(label), nil, el)
}

// modal is a modal view with Pulse's title and buttons in the person's
// language.
func modal(r *Request, callbackID, titleKey, metadata string, blocks ...slack.Block) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackID,
		Title:           plainText(r.T(limit(titleKey, maxViewLabel), nil)),
		Submit:          plainText(r.T(limit("commands.modal_save", maxViewLabel), nil)),
		Close:           plainText(r.T(limit("commands.modal_cancel", maxViewLabel), nil)),
		PrivateMetadata: metadata,
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}
