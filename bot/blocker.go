package bot

import (
	"context"
	"encoding/json"
	"errors"
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
		// The rep's notice and the App Homes that show the blocker follow
		// the change from the outbox, written with it: a press that
		// changes nothing writes nothing, so the rep is told once.
		rep := b.voice(langFor(b.personOf(ctx, bl.UserID), team))
		told, err := newEffect(team.ID, bl.UserID, repBlockerMessage(rep, to, r.Actor.UserID, bl.Text))
		if err != nil {
			return err
		}
		saved := pulse.WithEffects(ctx, append(homeEffects(team.ID, append([]string{bl.UserID}, team.Managers...)...), told)...)
		after, err := b.store.UpdateBlocker(saved, bl.ID, func(x *pulse.Blocker) error {
			if !x.Move(to, r.Actor.UserID, now) {
				return errBlockerUnchanged
			}
			return nil
		})
		if errors.Is(err, errBlockerUnchanged) {
			after, err = b.store.Blocker(ctx, bl.ID) // nothing written: saved holds no effect to send
		}
		if err != nil {
			return fmt.Errorf("update blocker %s: %w", parts[0], err)
		}
		m := blockerMessage(r.voice, team, after, zoneIn(r.Person, team))
		channel, ts := r.Interaction.Container.ChannelID, r.Interaction.Container.MessageTs
		r.Later(func(ctx context.Context) error {
			if err := b.updateOrigin(ctx, r, channel, ts, m); err != nil {
				b.log.Warn("update blocker message", "blocker", after.ID, "err", err)
			}
			return b.sendSaved(ctx, saved)
		})
		return nil
	}
}

// errBlockerUnchanged ends a blocker's update that would change nothing:
// taken already, or resolved already.
var errBlockerUnchanged = errors.New("blocker unchanged")

// repBlockerMessage tells the rep who raised a blocker that manager took
// it (to is on it), or resolved it.
func repBlockerMessage(p voice, to pulse.BlockerStatus, manager, blocker string) Message {
	key := "checkin.blocker_rep_taken"
	if to == pulse.BlockerResolved {
		key = "checkin.blocker_rep_resolved"
	}
	text := p.T(key, map[string]any{"Manager": mention(manager)})
	return Message{Text: text, Blocks: []slack.Block{mrkdwnSection(text + "\n" + quoteText(blocker, 2500))}}
}
