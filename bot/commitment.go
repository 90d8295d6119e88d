package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

// commitCommand answers /pulse commit <text>: a commitment for this week
// (the Monday of the rep's own today), due on the week's last workday.
// Without text it opens the commitment modal.
func (b *Bot) commitCommand(ctx context.Context, r *Request) error {
	team, several, err := repTeam(r)
	if err != nil {
		return err
	}
	week := b.today(b.personZone(r, team.Location())).WeekStart()
	if r.Args == "" {
		return openModal(ctx, r, commitmentModal(r, team, week))
	}
	c := &pulse.Commitment{
		TeamID: team.ID, UserID: r.Actor.UserID, Week: week, Text: UnescapeText(r.Args),
		Due: lastWorkday(team, week), Status: pulse.CommitmentOpen, CreatedAt: b.clock.Now(),
	}
	if err := b.saveCommitment(ctx, r, team, c); err != nil {
		return err
	}
	text := commitmentSaved(r, team, several, c)
	if several {
		text += " " + r.T("commands.commit_which_team", map[string]any{"Team": mrkdwnEscape(team.Name)})
	}
	r.Reply(Message{Text: text})
	return nil
}

// addCommitmentButton opens the commitment modal from the meeting
// prompt's "Add my commitment" button, for the team and week it carries.
func (b *Bot) addCommitmentButton(ctx context.Context, r *Request) error {
	team, week, err := b.commitmentTarget(ctx, r, r.Action.Value)
	if err != nil {
		return err
	}
	return openModal(ctx, r, commitmentModal(r, team, week))
}

// commitmentSubmit saves the commitment modal, asking the rule again.
func (b *Bot) commitmentSubmit(ctx context.Context, r *Request) error {
	team, week, err := b.commitmentTarget(ctx, r, r.Interaction.View.PrivateMetadata)
	if err != nil {
		return err
	}
	c := &pulse.Commitment{
		TeamID: team.ID, UserID: r.Actor.UserID, Week: week, Text: stateText(r, "text"),
		Status: pulse.CommitmentOpen, CreatedAt: b.clock.Now(),
	}
	var errs pulse.ValidationErrors
	if v := stateValue(r, "metric"); v != nil {
		c.Metric = v.SelectedOption.Value
	}
	if s := stateText(r, "target"); s != "" {
		n, ok := catalog.ParseNumber(s)
		if !ok {
			errs = append(errs, pulse.FieldError("target", "err.number", map[string]any{"Value": s}, "target %q", s))
		}
		c.Target = n
	}
	due, derr := stateDate(r, "due")
	if derr != nil {
		errs = append(errs, derr)
	}
	c.Due = due
	if err := c.Validate(team); err != nil {
		var ve pulse.ValidationErrors
		if !errors.As(err, &ve) {
			return err
		}
		errs = append(errs, ve...)
	}
	if len(errs) > 0 {
		return errs
	}
	if err := b.saveCommitment(ctx, r, team, c); err != nil {
		return err
	}
	r.Reply(Message{Text: commitmentSaved(r, team, len(repTeams(r)) > 1, c)})
	return nil
}

// commitmentTarget reads the team ID and week a button or modal carries
// and checks the person is a rep of that team.
func (b *Bot) commitmentTarget(ctx context.Context, r *Request, value string) (*pulse.Team, pulse.Date, error) {
	parts, ok := unpackValue(value, 2)
	if !ok {
		return nil, pulse.Date{}, fmt.Errorf("commitment value %q is not team|week", value)
	}
	week, err := pulse.ParseDate(parts[1])
	if err != nil || week != week.WeekStart() {
		return nil, pulse.Date{}, fmt.Errorf("commitment value %q: week is not a Monday", value)
	}
	team, err := b.store.Team(ctx, parts[0])
	if err != nil {
		return nil, pulse.Date{}, err
	}
	if err := pulse.CanCheckIn(r.Actor, team); err != nil {
		return nil, pulse.Date{}, err
	}
	return team, week, nil
}

func (b *Bot) saveCommitment(ctx context.Context, r *Request, team *pulse.Team, c *pulse.Commitment) error {
	if err := c.Validate(team); err != nil {
		return err
	}
	if err := b.store.SaveCommitment(ctx, c); err != nil {
		return fmt.Errorf("save commitment %s/%s %s: %w", c.TeamID, c.UserID, c.Week, err)
	}
	return nil
}

// repTeams are the teams the person checks in with.
func repTeams(r *Request) []*pulse.Team {
	var out []*pulse.Team
	for _, t := range r.Teams {
		if t.IsRep(r.Actor.UserID) {
			out = append(out, t)
		}
	}
	return out
}

// commitmentSaved says what was saved, naming the team when the rep is in
// several.
func commitmentSaved(r *Request, team *pulse.Team, several bool, c *pulse.Commitment) string {
	data := map[string]any{"Due": r.date(c.Due), "Week": r.date(c.Week), "Team": mrkdwnEscape(team.Name)}
	if several {
		return r.T("commands.commit_saved_team", data)
	}
	return r.T("commands.commit_saved", data)
}

// lastWorkday is the team's last workday of the week starting Monday week,
// holidays aside; a week with none is due on its Sunday.
func lastWorkday(team *pulse.Team, week pulse.Date) pulse.Date {
	for i := 6; i >= 0; i-- {
		if d := week.AddDays(i); team.IsWorkday(d) {
			return d
		}
	}
	return week.AddDays(6)
}

// commitmentModal asks for the commitment: its text, optionally a team
// metric and a target on it, and the due day.
func commitmentModal(r *Request, team *pulse.Team, week pulse.Date) slack.ModalViewRequest {
	blocks := []slack.Block{
		textInput("text", r.T("commands.commit_text", nil), "", true, false, pulse.MaxTextLen),
	}
	if len(team.Metrics) > 0 {
		var opts []*slack.OptionBlockObject
		for _, m := range team.Metrics {
			opts = append(opts, slack.NewOptionBlockObject(m.Key, plainText(clipText(m.Name, maxOptionText)), nil))
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "metric", opts...)
		in := slack.NewInputBlock("metric", plainText(r.T("commands.commit_metric", nil)), nil, sel)
		in.Optional = true
		blocks = append(blocks, in, textInput("target", r.T("commands.commit_target", nil), "", false, true, 20))
	}
	blocks = append(blocks, dateInput("due", r.T("commands.commit_due", nil), lastWorkday(team, week)))
	return modal(r, ViewCommitment, "commands.commit_title", packValue(team.ID, week.String()), blocks...)
}
