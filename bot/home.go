package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// homeOpened publishes the person's App Home when they open it: their own
// pulse and, for a manager, the overview of their teams. The publish is an
// outbox effect, written before the event is acknowledged, so that it
// follows even if this replica stops right after the ack; an event never
// acknowledged comes again, maybe to another replica. It stays ReadOnly
// (no envelope log): a redelivery's second effect publishes the same Home
// again, which changes nothing, and each opening saves the log's write.
func (b *Bot) homeOpened(ctx context.Context, r *Request) error {
	if r.Actor.UserID == "" {
		return nil
	}
	stored, err := b.store.AddEffects(ctx, homeEffect(r.Team, r.Actor.UserID))
	if err != nil {
		return fmt.Errorf("queue the App Home of %s: %w", r.Actor.UserID, err)
	}
	r.Later(func(ctx context.Context) error { return b.sendEffects(ctx, stored) })
	return nil
}

// homeEffect is the effect of publishing user's App Home again after a
// write of team (or of the Slack workspace) changed what it shows.
func homeEffect(team, user string) pulse.Effect {
	if team == "" {
		team = "workspace"
	}
	return pulse.Effect{Kind: pulse.EffectHome, TeamID: team, To: user}
}

// homeEffects are the effects of publishing again the App Homes of users,
// each once.
func homeEffects(team string, users ...string) []pulse.Effect {
	var out []pulse.Effect
	seen := map[string]bool{}
	for _, u := range users {
		if u != "" && !seen[u] {
			seen[u] = true
			out = append(out, homeEffect(team, u))
		}
	}
	return out
}

// sendHomeEffect publishes the App Home the effect names, unless this pass
// published it already, coalesced with the other passes' (homeFlights).
// views.publish replaces the whole Home, so a second publish does no harm:
// a stale claim is taken over without asking Slack.
func (b *Bot) sendHomeEffect(ctx context.Context, pass *effectPass, e pulse.Effect) (bool, error) {
	claiming := time.Now()
	job, send, err := b.claimDelivery(ctx, e.Key, e.To, false)
	if err != nil || !send {
		return finished(job), err
	}
	if !pass.published[e.To] {
		pctx, cancel := b.postWindow(ctx, claiming)
		err := b.outbox.homes.publish(pctx, e.To, pass.since, func(ctx context.Context) error { return b.publishHome(ctx, e.To) })
		cancel()
		if err != nil {
			err = deliveryError("views.publish", e.Key, err)
			if undeliverable(err) {
				b.log.Warn("App Home cannot be published; given up", "user", e.To, "err", err)
				return true, b.store.MarkSkipped(ctx, e.Key, b.clock.Now())
			}
			return false, errors.Join(err, b.store.Release(ctx, e.Key))
		}
		pass.published[e.To] = true
	}
	return true, b.store.MarkSent(ctx, e.Key, "", "", b.clock.Now())
}

// publishHome builds and publishes user's App Home.
func (b *Bot) publishHome(ctx context.Context, user string) error {
	person := b.personOf(ctx, user)
	teams, err := b.store.TeamsOf(ctx, user)
	if err != nil {
		return fmt.Errorf("load teams of %s: %w", user, err)
	}
	var teamLang pulse.Lang
	if len(teams) > 0 {
		teamLang = byName(teams)[0].Lang
	}
	p := b.voice(person.Language(teamLang))
	blocks := []slack.Block{headerBlock(p.T(limit("status.home_title", maxHeaderText), nil))}
	if len(teams) == 0 {
		blocks = append(blocks, mrkdwnSection(mrkdwnEscape(p.T("status.no_team", nil))))
	} else {
		more, err := b.pulseBlocks(ctx, p, user, person, teams, maxViewBlocks-len(blocks))
		if err != nil {
			return err
		}
		blocks = append(blocks, more...)
	}
	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
	if _, err := b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view}); err != nil {
		return fmt.Errorf("views.publish for %s: %w", user, err)
	}
	return nil
}
