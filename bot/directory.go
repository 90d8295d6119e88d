package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// personMaxAge is how long what Slack said of a person is trusted before
// users.info is asked again: names and zones change rarely, and the engine
// asks about every member of every team at each tick.
const personMaxAge = 24 * time.Hour

// Person returns what Pulse knows of a Slack user. A user Slack was never
// asked about is looked up with Slack's users.info (with the locale) at
// once; a stored profile older than a day is returned as it is while a
// fresh one is fetched in the background, so the engine's tick never waits
// on a day's worth of users.info calls at Slack's pace. The person's own
// choices (TZOverride, Lang, Goal) are kept. A user Slack does not know is
// an ENOTFOUND error.
//
// It is the one place that calls users.info; every part of the bot that
// needs a person's name or zone goes through it.
func (b *Bot) Person(ctx context.Context, userID string) (*pulse.Person, error) {
	if !pulse.ValidUserID(userID) {
		return nil, pulse.Errorf(pulse.ENOTFOUND, "err.user_unknown", map[string]any{"Value": userID}, "person %q: not a user ID", userID)
	}
	stored, err := b.storedPerson(ctx, userID)
	if err != nil || stored != nil {
		return stored, err
	}
	// Never asked of Slack yet (unknown, or only their own choices stored):
	// their zone and name are needed now.
	return b.fetchPerson(ctx, userID)
}

// storedPerson returns the stored profile, queuing a refresh when it is
// stale, or nil when Slack was never asked about the user.
func (b *Bot) storedPerson(ctx context.Context, userID string) (*pulse.Person, error) {
	stored, err := b.store.Person(ctx, userID)
	switch {
	case err == nil && !stored.FetchedAt.IsZero():
		if b.clock.Now().Sub(stored.FetchedAt) >= personMaxAge {
			b.refreshPerson(userID)
		}
		return stored, nil
	case err != nil && !pulse.IsNotFound(err):
		return nil, fmt.Errorf("person %s: %w", userID, err)
	}
	return nil, nil
}

// refreshPerson queues the user's profile to be fetched from Slack after
// the caller has moved on, once however often it is asked for meanwhile
// (see userQueue): on the day every profile goes stale, a team's worth of
// users.info calls waits on Slack's pace.
func (b *Bot) refreshPerson(userID string) { b.stale.add(userID) }

// refreshLoop fetches the queued profiles, one at a time at users.info's
// pace, until ctx ends. A failure is logged; the stored profile stays until
// the next try.
func (b *Bot) refreshLoop(ctx context.Context) {
	b.stale.work(ctx, 1, func(ctx context.Context, userID string) {
		ctx, cancel := context.WithTimeout(ctx, b.cfg.LaterTimeout)
		defer cancel()
		if _, err := b.fetchPerson(ctx, userID); err != nil && ctx.Err() == nil {
			b.log.Warn("refresh a person from users.info", "user", userID, "err", err)
		}
	})
}

// fetchPerson asks users.info and stores Slack's part of the profile,
// keeping the person's own choices.
func (b *Bot) fetchPerson(ctx context.Context, userID string) (*pulse.Person, error) {
	u, err := b.api.GetUserInfoContext(ctx, userID, slack.GetUserInfoOptionIncludeLocale(true))
	if err != nil {
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && (se.Err == "user_not_found" || se.Err == "users_not_found") {
			return nil, pulse.Errorf(pulse.ENOTFOUND, "err.user_unknown", map[string]any{"Value": userID}, "users.info %s: %s", userID, se.Err)
		}
		return nil, fmt.Errorf("users.info %s: %w", userID, err)
	}
	return b.savePerson(ctx, u)
}

// savePerson stores Slack's part of the user's profile (from users.info or
// users.list, which give the same user object), keeping the person's own
// choices.
func (b *Bot) savePerson(ctx context.Context, u *slack.User) (*pulse.Person, error) {
	userID := u.ID
	now := b.clock.Now()
	p, err := b.store.UpdatePerson(ctx, userID, func(p *pulse.Person) error {
		p.Name = displayName(u)
		p.TZ = u.TZ
		p.Locale = u.Locale
		p.IsAdmin = u.IsAdmin || u.IsOwner
		p.Email = strings.ToLower(strings.TrimSpace(u.Profile.Email))
		p.FetchedAt = now
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save person %s: %w", userID, err)
	}
	return p, nil
}

// displayName is the name Slack shows for the user.
func displayName(u *slack.User) string {
	for _, n := range []string{u.Profile.DisplayName, u.Profile.RealName, u.RealName, u.Name} {
		if n != "" {
			return n
		}
	}
	return u.ID
}
