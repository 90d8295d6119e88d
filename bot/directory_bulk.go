package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/webapi"
)

// bulkMin is how many people Slack was never asked about it takes before
// People pages users.list instead of calling users.info for each: below
// it, users.info is as quick.
const bulkMin = 10

// usersPage is how many users one users.list call asks for: Slack's
// recommended page size.
const usersPage = 200

// infoCallsPerPage is how many users.info calls take as long, at their
// tiers' paces, as one users.list page (tier 4 against tier 2: 5).
var infoCallsPerPage = webapi.PerMinute("users.info") / webapi.PerMinute("users.list")

// People returns what Pulse knows of each of the users, by ID, leaving out
// the ones Slack does not know, as Person would one by one. When many were
// never asked of Slack (a new team), they are looked up in bulk: users.list
// 200 to a page, at tier 2, instead of a users.info each at tier 4. A page
// costs as long as five users.info calls, so at most one page per five
// people sought is read (a workspace far larger than the team could
// otherwise take longer than users.info would); whoever is still missing
// after that, or not in the workspace's list at all (someone from another
// organisation), is asked of users.info.
func (b *Bot) People(ctx context.Context, userIDs []string) (map[string]*pulse.Person, error) {
	out := make(map[string]*pulse.Person, len(userIDs))
	var unknown []string
	for _, id := range userIDs {
		if !pulse.ValidUserID(id) {
			continue
		}
		p, err := b.storedPerson(ctx, id)
		switch {
		case err != nil:
			return nil, err
		case p != nil:
			out[id] = p
		default:
			unknown = append(unknown, id)
		}
	}
	if len(unknown) >= bulkMin {
		found, err := b.listPeople(ctx, unknown)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			// users.info can still tell, one by one.
			b.log.Warn("look people up with users.list", "people", len(unknown), "found", len(found), "err", err)
		}
		rest := unknown[:0]
		for _, id := range unknown {
			if p := found[id]; p != nil {
				out[id] = p
			} else {
				rest = append(rest, id)
			}
		}
		unknown = rest
	}
	for _, id := range unknown {
		p, err := b.fetchPerson(ctx, id)
		switch {
		case err == nil:
			out[id] = p
		case !pulse.IsNotFound(err):
			return nil, fmt.Errorf("person %s: %w", id, err)
		}
	}
	return out, nil
}

// listPeople pages users.list (with the locale, as users.info is asked)
// until every one of ids is found, the list ends, or the page budget is
// spent, and stores Slack's part of the profiles of the ones found. The
// rest of the workspace is not stored: Pulse keeps only the people of its
// teams. What it found is returned also with an error from a later page.
func (b *Bot) listPeople(ctx context.Context, ids []string) (map[string]*pulse.Person, error) {
	sought := make(map[string]bool, len(ids))
	for _, id := range ids {
		sought[id] = true
	}
	found := make(map[string]*pulse.Person, len(ids))
	budget := max(1, (len(ids)+infoCallsPerPage-1)/infoCallsPerPage)
	page := b.api.GetUsersPaginated(slack.GetUsersOptionLimit(usersPage), slack.GetUsersOptionIncludeLocale(true))
	for range budget {
		var err error
		if page, err = page.Next(ctx); err != nil {
			if err = page.Failure(err); err != nil {
				return found, fmt.Errorf("users.list: %w", err)
			}
			return found, nil // the list ended
		}
		for i := range page.Users {
			u := &page.Users[i]
			if !sought[u.ID] || found[u.ID] != nil {
				continue
			}
			p, err := b.savePerson(ctx, u)
			if err != nil {
				return found, err
			}
			found[u.ID] = p
		}
		if len(found) == len(sought) || page.Cursor == "" {
			return found, nil
		}
	}
	return found, nil
}
