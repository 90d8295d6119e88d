package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// 1:1 agendas: items a leader adds with Add to 1:1 on a digest entry, and
// items gathered by rule, shown in the 1:1 reminder and in /pulse 1on1
// @rep, and closed by logging the 1:1 (each may be carried over).

// How far back the rules look for what a rep's agenda should hold.
const agendaLookback = 28

// agendaAddButton opens a modal to add to the rep's agenda, filled with
// the check-in's blocker, else its plan.
func (b *Bot) agendaAddButton(ctx context.Context, r *Request) error {
	tg, err := b.readAgendaTarget(ctx, r, r.Action.Value)
	if err != nil {
		return err
	}
	initial := ""
	if c, err := b.store.CheckIn(ctx, tg.team.ID, tg.rep, tg.day); err == nil {
		initial = c.Blocker
		if initial == "" {
			initial = c.Plan
		}
	}
	view := modal(r, ViewAgenda, "leader.agenda_title", packValue(tg.team.ID, tg.rep, tg.day.String()),
		contextBlock(r.T("leader.agenda_intro", map[string]any{"Rep": mention(tg.rep)})),
		textInput("item", r.T("leader.label_item", nil), clipText(initial, pulse.MaxTextLen), true, false, pulse.MaxTextLen),
	)
	return openModal(ctx, r, view)
}

// readAgendaTarget reads a team|rep|day value and checks that actor may
// add to the rep's agenda.
func (b *Bot) readAgendaTarget(ctx context.Context, r *Request, value string) (feedbackTarget, error) {
	parts, ok := unpackValue(value, 3)
	if !ok {
		return feedbackTarget{}, pulse.Errorf(pulse.EINVALID, "checkin.bad_request", nil, "agenda value of the wrong shape")
	}
	day, err := pulse.ParseDate(parts[2])
	if err != nil {
		return feedbackTarget{}, pulse.Errorf(pulse.EINVALID, "checkin.bad_request", nil, "agenda value: %v", err)
	}
	team, err := b.requestTeam(ctx, r, parts[0])
	if pulse.IsNotFound(err) {
		return feedbackTarget{}, pulse.CanAddToAgenda(r.Actor, nil, parts[1])
	}
	if err != nil {
		return feedbackTarget{}, err
	}
	if err := pulse.CanAddToAgenda(r.Actor, team, parts[1]); err != nil {
		return feedbackTarget{}, err
	}
	return feedbackTarget{team: team, rep: parts[1], day: day}, nil
}

// agendaSubmit adds the item and tells the leader.
func (b *Bot) agendaSubmit(ctx context.Context, r *Request) error {
	tg, err := b.readAgendaTarget(ctx, r, r.Interaction.View.PrivateMetadata)
	if err != nil {
		return err
	}
	a := &pulse.AgendaItem{TeamID: tg.team.ID, RepID: tg.rep, Source: pulse.AgendaManual, Text: stateText(r, "item"), AddedBy: r.Actor.UserID, At: b.clock.Now()}
	if err := a.Validate(); err != nil {
		return err
	}
	if _, err := b.store.AddAgendaItem(ctx, a); err != nil {
		return fmt.Errorf("add to the agenda of %s: %w", tg.rep, err)
	}
	text := r.T("leader.agenda_added", map[string]any{"Rep": mention(tg.rep)})
	r.Later(func(ctx context.Context) error {
		_, err := b.PostMessage(ctx, r.Actor.UserID, Message{Text: text})
		return err
	})
	return nil
}

// repAgenda gathers what the rules put on the rep's agenda today, stores
// what is new, and returns the open items.
func (b *Bot) repAgenda(ctx context.Context, team *pulse.Team, rep string) ([]pulse.AgendaItem, error) {
	today := b.today(team.Location())
	var in pulse.AgendaInput
	var err error
	if in.Blockers, err = b.store.OpenBlockers(ctx, team.ID); err != nil {
		return nil, fmt.Errorf("blockers: %w", err)
	}
	if in.Commitments, err = b.store.RepCommitments(ctx, rep, today.AddDays(-agendaLookback).WeekStart(), today); err != nil {
		return nil, fmt.Errorf("commitments: %w", err)
	}
	if in.CheckIns, err = b.store.RepCheckIns(ctx, rep, today.AddDays(-agendaLookback), today); err != nil {
		return nil, fmt.Errorf("check-ins: %w", err)
	}
	if in.Nudges, err = b.store.RepNudges(ctx, rep); err != nil {
		return nil, fmt.Errorf("nudges: %w", err)
	}
	in.Skills = map[string]string{}
	for _, n := range in.Nudges {
		if n.TeamID != team.ID || n.Response != pulse.NudgeNotYet || in.Skills[n.TrainingID] != "" {
			continue
		}
		if tr, err := b.store.Training(ctx, n.TrainingID); err == nil {
			in.Skills[n.TrainingID] = tr.Skill
		}
	}
	if in.Away, err = b.store.AwayPeriods(ctx, rep); err != nil {
		return nil, fmt.Errorf("away periods: %w", err)
	}
	in.Rep = b.personOf(ctx, rep)
	for _, a := range pulse.GatherAgenda(team, rep, today, in) {
		a.At = b.clock.Now()
		if _, err := b.store.AddAgendaItem(ctx, &a); err != nil {
			return nil, fmt.Errorf("gather the agenda: %w", err)
		}
	}
	return b.store.RepAgenda(ctx, team.ID, rep)
}

// agendaLines writes the open items, a line each, in p's language.
func agendaLines(p voice, items []pulse.AgendaItem) string {
	lines := []string{p.T("leader.agenda_heading", nil)}
	for _, a := range items {
		lines = append(lines, p.T("leader.agenda_"+string(a.Source), map[string]any{"Text": listText(a.Text)}))
	}
	return capLines(p, lines, 30, maxSectionChars)
}

// agendaCarryInput lets the leader keep items for the next 1:1.
func agendaCarryInput(p voice, items []pulse.AgendaItem) *slack.InputBlock {
	var opts []*slack.OptionBlockObject
	for _, a := range items[:min(len(items), 10)] {
		opts = append(opts, slack.NewOptionBlockObject(a.ID, plainText(clipText(p.T("leader.agenda_"+string(a.Source), map[string]any{"Text": strings.Join(strings.Fields(a.Text), " ")}), maxOptionText)), nil))
	}
	in := slack.NewInputBlock("carry", plainText(p.T("leader.label_carry", nil)), nil, slack.NewCheckboxGroupsBlockElement("carry", opts...))
	in.Optional = true
	return in
}

// closeAgenda closes the rep's agenda after a 1:1, keeping what the leader
// carried over.
func (b *Bot) closeAgenda(ctx context.Context, r *Request, s *pulse.CoachingSession) error {
	var keep []string
	if v := stateValue(r, "carry"); v != nil {
		for _, o := range v.SelectedOptions {
			keep = append(keep, o.Value)
		}
	}
	if _, err := b.store.CloseAgenda(ctx, s.TeamID, s.RepID, keep, s.ID, b.clock.Now()); err != nil {
		return fmt.Errorf("close the agenda after 1:1 %s: %w", s.ID, err)
	}
	return nil
}
