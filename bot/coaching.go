package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// coachingCommand answers /pulse 1on1 @rep [notes]: a 1:1 logged today in
// the team's zone. Without notes it opens the 1:1 notes modal.
func (b *Bot) coachingCommand(ctx context.Context, r *Request) error {
	words, notes := SplitArgs(r.Args, 1)
	if len(words) == 0 {
		return pulse.Errorf(pulse.EINVALID, "commands.oneonone_usage", nil, "1on1 without a mention")
	}
	rep, err := MentionArg(words[0])
	if err != nil {
		return err
	}
	team, _ := leadTeam(r, []string{rep})
	if team == nil {
		return refuseLead(r, rep)
	}
	today := b.today(team.Location())
	if notes == "" {
		// The modal opens first: its trigger lasts three seconds. The
		// agenda follows in it.
		view := coachingModal(r, packValue(team.ID, rep), rep, today)
		resp, err := b.api.OpenViewContext(ctx, r.Command.TriggerID, view)
		if err != nil {
			return fmt.Errorf("views.open %s: %w", view.CallbackID, err)
		}
		r.Later(func(ctx context.Context) error { return b.showAgendaIn(ctx, r, team, rep, resp.View, view) })
		return nil
	}
	s, err := b.saveSession(ctx, r, team, rep, today, UnescapeText(notes))
	if err != nil {
		return err
	}
	if err := b.closeAgenda(ctx, r, s); err != nil {
		return err
	}
	r.Reply(Message{Text: sessionSaved(r, s)})
	return nil
}

// coachingSubmit saves the 1:1 notes modal, asking the rule again: the
// manager may have lost the team since the modal opened.
func (b *Bot) coachingSubmit(ctx context.Context, r *Request) error {
	parts, ok := unpackValue(r.Interaction.View.PrivateMetadata, 2)
	if !ok {
		return fmt.Errorf("1:1 modal metadata %q is not team|rep", r.Interaction.View.PrivateMetadata)
	}
	team, err := b.store.Team(ctx, parts[0])
	if err != nil {
		return err
	}
	rep := parts[1]
	if err := pulse.CanLead(r.Actor, team, rep); err != nil {
		return err
	}
	day, derr := stateDate(r, "date")
	if derr != nil {
		return derr
	}
	if day.After(b.today(team.Location())) {
		return pulse.FieldError("date", "commands.date_future", map[string]any{"Value": day.String()}, "1:1 dated %s, in the future", day)
	}
	s, err := b.saveSession(ctx, r, team, rep, day, stateText(r, "notes"))
	if err != nil {
		return err
	}
	if err := b.closeAgenda(ctx, r, s); err != nil {
		return err
	}
	r.Reply(Message{Text: sessionSaved(r, s)})
	return nil
}

// showAgendaIn adds the rep's 1:1 agenda to the opened 1:1 modal, with a
// choice of items to carry over to the next.
func (b *Bot) showAgendaIn(ctx context.Context, r *Request, team *pulse.Team, rep string, opened slack.View, view slack.ModalViewRequest) error {
	items, err := b.repAgenda(ctx, team, rep)
	if err != nil || len(items) == 0 {
		return err
	}
	p := r.voice
	blocks := append([]slack.Block{view.Blocks.BlockSet[0], mrkdwnSection(agendaLines(p, items))}, view.Blocks.BlockSet[1:]...)
	view.Blocks.BlockSet = append(blocks, agendaCarryInput(p, items))
	if _, err := b.api.UpdateViewContext(ctx, view, "", opened.Hash, opened.ID); err != nil {
		return fmt.Errorf("views.update %s: %w", view.CallbackID, err)
	}
	return nil
}

// saveSession validates and stores a 1:1 the person had with rep.
func (b *Bot) saveSession(ctx context.Context, r *Request, team *pulse.Team, rep string, day pulse.Date, notes string) (*pulse.CoachingSession, error) {
	s := &pulse.CoachingSession{TeamID: team.ID, RepID: rep, ManagerID: r.Actor.UserID, Date: day, Notes: notes, CreatedAt: b.clock.Now()}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := b.store.SaveSession(ctx, s); err != nil {
		return nil, fmt.Errorf("save 1:1 %s/%s %s: %w", s.TeamID, s.RepID, s.Date, err)
	}
	return s, nil
}

func sessionSaved(r *Request, s *pulse.CoachingSession) string {
	data := map[string]any{"Rep": mention(s.RepID), "Day": r.date(s.Date)}
	if s.Notes == "" {
		return r.T("commands.oneonone_saved", data)
	}
	return r.T("commands.oneonone_saved_notes", data)
}

// coachingModal asks for the 1:1's notes and day, today at first.
func coachingModal(r *Request, metadata, rep string, today pulse.Date) slack.ModalViewRequest {
	intro := mrkdwnSection(r.T("commands.oneonone_intro", map[string]any{"Rep": mention(rep)}))
	return modal(r, ViewCoaching, "commands.oneonone_title", metadata,
		intro,
		textInput("notes", r.T("commands.oneonone_notes", nil), "", true, true, pulse.MaxTextLen),
		dateInput("date", r.T("commands.oneonone_date", nil), today),
	)
}

// trainingCommand answers /pulse training <skill> @rep…: a training held
// today in the team's zone, whose attendees the cadence engine nudges on
// the team's reinforcement schedule.
func (b *Bot) trainingCommand(ctx context.Context, r *Request) error {
	skill, reps, err := SplitMentions(r.Args)
	if err != nil {
		return err
	}
	if skill == "" {
		return pulse.FieldError("skill", "commands.training_usage", nil, "training without a skill")
	}
	team, bad := leadTeam(r, reps)
	if team == nil {
		return refuseLead(r, bad)
	}
	t := &pulse.Training{
		TeamID:    team.ID,
		Skill:     UnescapeText(skill),
		Date:      b.today(team.Location()),
		Attendees: reps,
		Schedule:  append([]int(nil), team.ReinforcementDays...),
		CreatedBy: r.Actor.UserID,
		CreatedAt: b.clock.Now(),
	}
	if err := t.Validate(); err != nil {
		return err
	}
	if err := b.store.SaveTraining(ctx, t); err != nil {
		return fmt.Errorf("save training %q in %s: %w", t.Skill, t.TeamID, err)
	}
	r.Reply(Message{Text: r.Plural("commands.training_saved", len(reps), map[string]any{
		"Skill": mrkdwnEscape(t.Skill), "Count": len(reps), "Team": mrkdwnEscape(team.Name),
	})})
	return nil
}
