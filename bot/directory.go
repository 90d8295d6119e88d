package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// personMaxAge is how long what Slack said of a person is trusted before
// users.info is asked again: names and zones change rarely, and the engine
// asks about every member of every team at each tick.
const personMaxAge = 24 * time.Hour

// Person returns what Pulse knows of a Slack user, asking Slack's
// users.info (with the locale) when the stored profile is missing or older
// than a day, and storing the answer with its FetchedAt. The person's own
// choices (TZOverride, Lang, Goal) are kept. When Slack cannot be reached
// a stored profile, however old, is returned rather than an error; a user
// Slack does not know is an ENOTFOUND error.
//
// It is the one place that calls users.info; every part of the bot that
// needs a person's name or zone goes through it.
func (b *Bot) Person(ctx context.Context, userID string) (*pulse.Person, error) {
	if !pulse.ValidUserID(userID) {
		return nil, pulse.Errorf(pulse.ENOTFOUND, "err.user_unknown", map[string]any{"Value": userID}, "person %q: not a user ID", userID)
	}
	stored, err := b.store.Person(ctx, userID)
	switch {
	case err == nil:
		if b.clock.Now().Sub(stored.FetchedAt) < personMaxAge {
			return stored, nil
		}
	case pulse.IsNotFound(err):
		stored = nil
	default:
		return nil, fmt.Errorf("person %s: %w", userID, err)
	}

	u, err := b.api.GetUserInfoContext(ctx, userID, slack.GetUserInfoOptionIncludeLocale(true))
	if err != nil {
		var se slack.SlackErrorResponse
		switch {
		case errors.As(err, &se) && (se.Err == "user_not_found" || se.Err == "users_not_found"):
			return nil, pulse.Errorf(pulse.ENOTFOUND, "err.user_unknown", map[string]any{"Value": userID}, "users.info %s: %s", userID, se.Err)
		case stored != nil && authError(BotTokenVar, err) == nil:
			b.log.Warn("users.info failed; using the stored profile", "user", userID, "err", err)
			return stored, nil
		}
		return nil, fmt.Errorf("users.info %s: %w", userID, err)
	}

	// Read again just before writing: the person may have changed their
	// own settings while Slack was being asked.
	p, err := b.store.Person(ctx, userID)
	switch {
	case pulse.IsNotFound(err):
		p = &pulse.Person{ID: userID}
	case err != nil:
		return nil, fmt.Errorf("person %s: %w", userID, err)
	}
	p.Name = displayName(u)
	p.TZ = u.TZ
	p.Locale = u.Locale
	p.IsAdmin = u.IsAdmin || u.IsOwner
	p.FetchedAt = b.clock.Now()
	if err := b.store.SavePerson(ctx, p); err != nil {
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
