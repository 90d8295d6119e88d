package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// homeOpened publishes the person's App Home when they open it: their own
// pulse and, for a manager, the overview of their teams. It is queued
// ahead of refreshes, since the person is looking at it.
func (b *Bot) homeOpened(_ context.Context, r *Request) error {
	if r.Actor.UserID != "" {
		b.homes.addFirst(r.Actor.UserID)
	}
	return nil
}

// refreshHome queues a person's App Home to be published again after their
// data changed (see userQueue).
func (b *Bot) refreshHome(user string) { b.homes.add(user) }

// homeWorkers is how many Homes are published at once: views.publish's pace
// is the limit, and two keep one slow answer from holding up the rest.
const homeWorkers = 2

// homeLoop publishes the queued Homes until ctx ends. A failure is logged;
// a Home not published is published the next time it is opened.
func (b *Bot) homeLoop(ctx context.Context) {
	b.homes.work(ctx, homeWorkers, func(ctx context.Context, user string) {
		if err := b.publishHome(ctx, user); err != nil && ctx.Err() == nil {
			b.log.Warn("publish App Home", "user", user, "err", err)
		}
	})
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
