package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// sendBlockerEffect tells a manager, in their own language, that a rep
// raised a blocker, with buttons to take it and to resolve it. The alert
// is made when it is sent, from the blocker as it stands: one taken or
// resolved meanwhile shows who did it.
func (b *Bot) sendBlockerEffect(ctx context.Context, e pulse.Effect) (bool, error) {
	return b.sendMade(ctx, e, func(ctx context.Context) (Message, bool, error) {
		var be pulse.BlockerEffect
		if err := json.Unmarshal(e.Body, &be); err != nil {
			b.log.Warn("blocker alert unreadable; given up", "effect", e.Key.String(), "err", err)
			return Message{}, false, nil
		}
		team, err := b.store.Team(ctx, e.TeamID)
		if pulse.IsNotFound(err) {
			return Message{}, false, nil
		}
		if err != nil {
			return Message{}, false, err
		}
		raised, err := b.store.TeamBlockers(ctx, team.ID, be.Date, be.Date)
		if err != nil {
			return Message{}, false, err
		}
		for i := range raised {
			if bl := &raised[i]; be.Is(bl) {
				p := b.voice(langFor(b.personOf(ctx, e.To), team))
				return blockerMessage(p, team, bl, nil), true, nil
			}
		}
		return Message{}, false, nil // the check-in's write holds it; gone since
	})
}

// blockerMessage is a manager's alert about a blocker in its current
// state: the buttons it still needs and who did what. loc is the zone
// times are shown in; the team's when nil.
func blockerMessage(p voice, team *pulse.Team, bl *pulse.Blocker, zone *time.Location) Message {
	if zone == nil {
		zone = team.Location()
	}
	text := p.T("checkin.blocker_alert", map[string]any{"Rep": mention(bl.UserID), "Team": mrkdwnEscape(team.Name)})
	blocks := []slack.Block{mrkdwnSection(text + "\n" + quoteText(bl.Text, 2500))}
	var state string
	var buttons []slack.BlockElement
	switch bl.Status {
	case pulse.BlockerOpen:
		buttons = append(buttons, slack.NewButtonBlockElement(ActionBlockerOnIt, packValue(bl.ID), plainText(p.T(limit("checkin.blocker_on_it", maxButtonText), nil))))
		fallthrough
	case pulse.BlockerOnIt:
		resolve := slack.NewButtonBlockElement(ActionBlockerResolved, packValue(bl.ID), plainText(p.T(limit("checkin.blocker_resolved", maxButtonText), nil)))
		buttons = append(buttons, resolve.WithStyle(slack.StylePrimary))
		if bl.Status == pulse.BlockerOnIt {
			state = p.T("checkin.blocker_taken", map[string]any{"Manager": mention(bl.TakenBy)})
		}
	case pulse.BlockerResolved:
		state = p.T("checkin.blocker_done", map[string]any{"Manager": mention(bl.ResolvedBy), "Time": p.clock(bl.ResolvedAt, zone)})
	}
	if state != "" {
		blocks = append(blocks, contextBlock(state))
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slack.NewActionBlock("blocker_"+bl.ID, buttons...))
	}
	return Message{Text: text, Blocks: blocks}
}

// blockerButton handles On it and Resolved, on the alert or on any other
// message that carries them. Only the team's managers may press them; the
// change is made in one transaction, so two managers resolving at once
// resolve once, and only the one who changed it tells the rep.
func (b *Bot) blockerButton(to pulse.BlockerStatus) Handler {
	return func(ctx context.Context, r *Request) error {
		parts, ok := unpackValue(r.Action.Value, 1)
		if !ok || parts[0] == "" {
			return pulse.Errorf(pulse.EINVALID, "checkin.bad_request", nil, "blocker button value of the wrong shape")
		}
		bl, err := b.store.Blocker(ctx, parts[0])
		if err != nil {
			return fmt.Errorf("load blocker %s: %w", parts[0], err)
		}
		team, err := b.requestTeam(ctx, r, bl.TeamID)
		if err != nil {
			return err
		}
		if err := pulse.CanLead(r.Actor, team, bl.UserID); err != nil {
			return err
		}
		now := b.clock.Now()
		changed := false
		// The App Homes that show the blocker follow the change from the
		// outbox; a press that changed nothing publishes them once more.
		homes := pulse.WithEffects(ctx, homeEffects(team.ID, append([]string{bl.UserID}, team.Managers...)...)...)
		bl, err = b.store.UpdateBlocker(homes, bl.ID, func(x *pulse.Blocker) error {
			changed = false // the store may run fn again on a retry
			switch {
			case to == pulse.BlockerOnIt && x.Status == pulse.BlockerOpen:
				x.Status, x.TakenBy, x.TakenAt = pulse.BlockerOnIt, r.Actor.UserID, now
				changed = true
			case to == pulse.BlockerResolved && x.Status != pulse.BlockerResolved:
				x.Status, x.ResolvedBy, x.ResolvedAt = pulse.BlockerResolved, r.Actor.UserID, now
				changed = true
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("update blocker %s: %w", parts[0], err)
		}
		m := blockerMessage(r.voice, team, bl, zoneIn(r.Person, team))
		channel, ts := r.Interaction.Container.ChannelID, r.Interaction.Container.MessageTs
		r.Later(func(ctx context.Context) error {
			if err := b.updateOrigin(ctx, r, channel, ts, m); err != nil {
				b.log.Warn("update blocker message", "blocker", bl.ID, "err", err)
			}
			if changed {
				b.tellRep(ctx, team, bl)
			}
			return b.sendSaved(ctx, homes)
		})
		return nil
	}
}

// tellRep tells the rep who raised a blocker that a manager took it, or
// that it was resolved.
func (b *Bot) tellRep(ctx context.Context, team *pulse.Team, bl *pulse.Blocker) {
	p := b.voice(langFor(b.personOf(ctx, bl.UserID), team))
	var text string
	switch bl.Status {
	case pulse.BlockerOnIt:
		text = p.T("checkin.blocker_rep_taken", map[string]any{"Manager": mention(bl.TakenBy)})
	case pulse.BlockerResolved:
		text = p.T("checkin.blocker_rep_resolved", map[string]any{"Manager": mention(bl.ResolvedBy)})
	default:
		return
	}
	m := Message{Text: text, Blocks: []slack.Block{mrkdwnSection(text + "\n" + quoteText(bl.Text, 2500))}}
	if _, _, err := b.api.PostMessageContext(ctx, bl.UserID, msgOptions(m)...); err != nil {
		b.log.Warn("tell rep about blocker", "user", bl.UserID, "blocker", bl.ID, "err", err)
	}
}
