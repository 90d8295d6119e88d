package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// checkInTeam picks the team /pulse checkin is for: the first by name the
// person checks in with.
func checkInTeam(r *Request) (*pulse.Team, error) {
	for _, t := range byName(r.Teams) {
		if t.IsRep(r.Actor.UserID) {
			return t, nil
		}
	}
	return nil, pulse.CanCheckIn(r.Actor, nil)
}

// checkInCommand opens today's check-in for /pulse checkin.
func (b *Bot) checkInCommand(ctx context.Context, r *Request) error {
	team, err := checkInTeam(r)
	if err != nil {
		return err
	}
	day := b.today(zoneIn(r.Person, team))
	return b.openCheckIn(ctx, r, team, checkInMeta{team: team.ID, day: day})
}

// checkInButton opens the check-in modal from the DM's Check in button.
func (b *Bot) checkInButton(ctx context.Context, r *Request) error {
	teamID, day, err := teamAndDay(r.Action.Value)
	if err != nil {
		return err
	}
	team, err := b.requestTeam(ctx, r, teamID)
	if err != nil {
		return err
	}
	if err := pulse.CanCheckIn(r.Actor, team); err != nil {
		return err
	}
	return b.openCheckIn(ctx, r, team, checkInMeta{team: team.ID, day: day})
}

// openCheckIn opens the modal for meta's day, filled with what the rep
// already answered that day. A day that has ended in the rep's zone is
// refused: its check-in can no longer change.
func (b *Bot) openCheckIn(ctx context.Context, r *Request, team *pulse.Team, meta checkInMeta) error {
	if err := b.checkDayOpen(r, team, meta.day); err != nil {
		return err
	}
	prev, err := b.store.CheckIn(ctx, team.ID, r.Actor.UserID, meta.day)
	switch {
	case pulse.IsNotFound(err):
		prev = nil
	case err != nil:
		return fmt.Errorf("load check-in %s/%s: %w", r.Actor.UserID, meta.day, err)
	}
	if prev != nil && !prev.Answered() {
		prev = nil
	}
	view := checkInView(r.voice, team, meta, prev, b.skillInFocus(ctx, r.Actor.UserID, team), b.crmShown(ctx, r, team, meta.day))
	return openModal(ctx, r, view)
}

// checkDayOpen refuses a check-in for a day that is not the rep's today:
// one that has ended, or (from a forged value) one that has not begun.
func (b *Bot) checkDayOpen(r *Request, team *pulse.Team, day pulse.Date) error {
	today := b.today(zoneIn(r.Person, team))
	if day != today {
		return pulse.Errorf(pulse.EINVALID, "checkin.day_over", map[string]any{"Day": r.date(day)},
			"check-in for %s asked on %s", day, today)
	}
	return nil
}

// skillInFocus returns the skill of the rep's latest training in the team
// with a nudge still waiting for an answer; "" when none.
func (b *Bot) skillInFocus(ctx context.Context, rep string, team *pulse.Team) string {
	nudges, err := b.store.RepNudges(ctx, rep)
	if err != nil {
		b.log.Warn("load nudges", "user", rep, "err", err)
		return ""
	}
	var latest *pulse.Nudge
	for i := range nudges {
		n := &nudges[i]
		if n.TeamID != team.ID || n.SentAt.IsZero() || n.Response == pulse.NudgeApplied {
			continue
		}
		if latest == nil || n.SentAt.After(latest.SentAt) {
			latest = n
		}
	}
	if latest == nil {
		return ""
	}
	t, err := b.store.Training(ctx, latest.TrainingID)
	if err != nil {
		b.log.Warn("load training", "training", latest.TrainingID, "err", err)
		return ""
	}
	return t.Skill
}

// crmShown reads the rep's CRM figure for day; a team whose numbers are
// typed needs none. A figure that cannot be read shows as not fetched.
func (b *Bot) crmShown(ctx context.Context, r *Request, team *pulse.Team, day pulse.Date) crmShown {
	out := crmShown{kind: team.NumbersFrom, loc: zoneIn(r.Person, team)}
	if team.NumbersFrom == pulse.CRMTyped {
		return out
	}
	fig, err := b.store.CRMFigure(ctx, team.ID, r.Actor.UserID, day)
	switch {
	case err == nil && fig.Source == team.NumbersFrom:
		out.fig = fig
	case err != nil && !pulse.IsNotFound(err):
		b.log.Warn("read CRM figure", "team", team.ID, "user", r.Actor.UserID, "err", err)
	}
	return out
}

// checkInSubmit saves the check-in and closes the modal; the DM, the App
// Homes and any blocker alert follow after the ack.
func (b *Bot) checkInSubmit(ctx context.Context, r *Request) error {
	meta, err := parseCheckInMeta(r.Interaction.View.PrivateMetadata)
	if err != nil {
		return err
	}
	team, err := b.requestTeam(ctx, r, meta.team)
	if err != nil {
		return err
	}
	if err := pulse.CanCheckIn(r.Actor, team); err != nil {
		return err
	}
	if err := b.checkDayOpen(r, team, meta.day); err != nil {
		return err
	}
	c, parseErrs := checkInFromState(r)
	team.DropUntypable(c.Metrics)
	answers, answerErrs := answersFromState(r, team, c.Metrics)
	c.Answers, parseErrs = answers, append(parseErrs, answerErrs...)
	c.TeamID, c.UserID, c.Date = team.ID, r.Actor.UserID, meta.day

	prev, err := b.store.CheckIn(ctx, team.ID, r.Actor.UserID, meta.day)
	switch {
	case pulse.IsNotFound(err):
		prev = nil
	case err != nil:
		return fmt.Errorf("load check-in %s/%s: %w", r.Actor.UserID, meta.day, err)
	}
	raised, err := pulse.AmendCheckIn(team, r.Person, prev, &c, b.clock.Now())
	if err != nil || len(parseErrs) > 0 {
		var ve pulse.ValidationErrors
		if err != nil {
			ve, _ = err.(pulse.ValidationErrors)
			if ve == nil {
				return err
			}
		}
		return append(parseErrs, ve...)
	}
	// The managers' alert of a blocker raised, the share in the daily
	// thread and the App Homes are written to the outbox with the check-in
	// and its blocker, so that they follow it even if this replica stops
	// right after the ack.
	var effects []pulse.Effect
	if raised != nil {
		if effects, err = pulse.NewBlockerEffects(team, raised); err != nil {
			return err
		}
	}
	if share, ok, err := newThreadEffect(team, &c); err != nil {
		return err
	} else if ok {
		effects = append(effects, share)
	}
	effects = append(effects, homeEffects(team.ID, append([]string{c.UserID}, team.Managers...)...)...)
	saved := pulse.WithEffects(ctx, effects...)
	if err := b.store.SaveCheckInRaising(saved, &c, raised); err != nil {
		return fmt.Errorf("save check-in %s/%s: %w", c.UserID, c.Date, err)
	}

	r.Later(func(ctx context.Context) error {
		b.afterCheckIn(ctx, r, team, &c, saved)
		return nil
	})
	return nil
}

// awayToday marks the rep away for the day of the DM's button.
func (b *Bot) awayToday(ctx context.Context, r *Request) error {
	teamID, day, err := teamAndDay(r.Action.Value)
	if err != nil {
		return err
	}
	team, err := b.requestTeam(ctx, r, teamID)
	if err != nil {
		return err
	}
	if err := pulse.CanCheckIn(r.Actor, team); err != nil {
		return err
	}
	if err := b.checkDayOpen(r, team, day); err != nil {
		return err
	}
	periods, err := b.store.AwayPeriods(ctx, r.Actor.UserID)
	if err != nil {
		return fmt.Errorf("load away periods of %s: %w", r.Actor.UserID, err)
	}
	// A second press (or Slack's retry) finds the day already covered.
	saved := pulse.WithEffects(ctx, homeEffects(r.Team, r.Actor.UserID)...)
	if !pulse.IsAway(periods, day) {
		a := &pulse.AwayPeriod{UserID: r.Actor.UserID, From: day, To: day}
		if err := a.Validate(); err != nil {
			return err
		}
		if err := b.store.AddAway(saved, a); err != nil {
			return fmt.Errorf("mark %s away on %s: %w", r.Actor.UserID, day, err)
		}
	}
	text := r.T("checkin.away_marked", map[string]any{"Day": r.date(day)})
	m := Message{Text: text, Blocks: []slack.Block{mrkdwnSection(mrkdwnEscape(text))}}
	channel, ts := r.Interaction.Container.ChannelID, r.Interaction.Container.MessageTs
	r.Later(func(ctx context.Context) error {
		if err := b.updateOrigin(ctx, r, channel, ts, m); err != nil {
			return err
		}
		return b.sendSaved(ctx, saved)
	})
	return nil
}

// checkInMeta is what the check-in modal carries in private_metadata: the
// team and day it is for. Which messages to update once it is saved is not
// in it: a submission is input like any other, and could name any message
// the bot posted; the day's check-in messages are in the job ledger.
type checkInMeta struct {
	team string
	day  pulse.Date
}

func (m checkInMeta) String() string {
	return packValue(m.team, m.day.String())
}

func parseCheckInMeta(s string) (checkInMeta, error) {
	parts, ok := unpackValue(s, 2)
	if !ok {
		// A modal opened before the ledger was asked also carried the
		// channel and ts of its DM, which are not read.
		parts, ok = unpackValue(s, 4)
	}
	if !ok {
		return checkInMeta{}, pulse.Errorf(pulse.EINVALID, "checkin.bad_request", nil, "check-in metadata of the wrong shape")
	}
	day, err := pulse.ParseDate(parts[1])
	if err != nil {
		return checkInMeta{}, pulse.Errorf(pulse.EINVALID, "checkin.bad_request", nil, "check-in metadata: %v", err)
	}
	return checkInMeta{team: parts[0], day: day}, nil
}

// checkInFromState reads the submitted modal into a check-in. Values that
// do not parse become FieldErrors under their input; range checks are
// Validate's.
func checkInFromState(r *Request) (pulse.CheckIn, pulse.ValidationErrors) {
	c := pulse.CheckIn{
		Results: stateText(r, "results"),
		Plan:    stateText(r, "plan"),
		Blocker: stateText(r, "blocker"),
		Skill:   stateText(r, "skill"),
		Metrics: map[string]float64{},
	}
	var errs pulse.ValidationErrors
	if v := stateValue(r, "energy"); v != nil {
		raw := v.SelectedOption.Value
		if raw == "" {
			raw = v.Value
		}
		if raw != "" {
			n, err := strconv.Atoi(strings.TrimSpace(raw))
			if err != nil {
				errs = append(errs, pulse.FieldError("energy", "err.energy", map[string]any{"Value": raw}, "energy %q", raw))
			}
			c.Energy = n
		}
	}
	if r.Interaction.View.State != nil {
		for block := range r.Interaction.View.State.Values {
			key, ok := strings.CutPrefix(block, "metric_")
			if !ok {
				continue
			}
			raw := stateText(r, block)
			if raw == "" {
				continue
			}
			f, err := strconv.ParseFloat(strings.ReplaceAll(raw, ",", "."), 64)
			if err != nil {
				errs = append(errs, pulse.FieldError(block, "err.number", map[string]any{"Value": raw}, "metric %q: %q", key, raw))
				continue
			}
			c.Metrics[key] = f
		}
	}
	return c, errs
}
