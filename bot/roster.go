package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// rosterMaxMentions is how many people one line of a roster change names
// before "…and N more": four full lines stay well inside a section.
const rosterMaxMentions = 40

// recordRosterChange logs who by added to or removed from the team's
// managers and reps (user IDs only) and tells the team's managers, each in
// their language, after the ack. before is nil for a team just created.
func (b *Bot) recordRosterChange(r *Request, before, after *pulse.Team) {
	c := pulse.ChangeOfRoster(before, after)
	if c.IsEmpty() {
		return
	}
	by := r.Actor.UserID
	b.log.Info("team roster changed", "team", after.ID, "by", by, "created", before == nil,
		"managers_added", c.ManagersAdded, "managers_removed", c.ManagersRemoved,
		"reps_added", c.RepsAdded, "reps_removed", c.RepsRemoved)
	told := pulse.ToldOfRosterChange(before, after, by)
	if len(told) == 0 {
		return
	}
	team := after.Clone()
	r.Later(func(ctx context.Context) error {
		for _, user := range told {
			m := rosterChangeMessage(b.voice(langFor(b.personOf(ctx, user), team)), team, by, c, before == nil)
			if _, err := b.PostMessage(ctx, user, m); err != nil {
				b.log.Warn("tell a manager of a roster change", "team", team.ID, "user", user, "err", err)
			}
		}
		return nil
	})
}

// rosterChangeMessage tells a manager who by added to or removed from the
// team, and what a new manager may now read.
func rosterChangeMessage(p voice, team *pulse.Team, by string, c pulse.RosterChange, created bool) Message {
	key := "setup.roster_changed"
	if created {
		key = "setup.roster_created"
	}
	head := p.T(key, map[string]any{"By": mention(by), "Team": mrkdwnEscape(team.Name)})
	lines := []string{head}
	for _, l := range []struct {
		key   string
		users []string
	}{
		{"setup.roster_managers_added", c.ManagersAdded},
		{"setup.roster_managers_removed", c.ManagersRemoved},
		{"setup.roster_reps_added", c.RepsAdded},
		{"setup.roster_reps_removed", c.RepsRemoved},
	} {
		if len(l.users) > 0 {
			lines = append(lines, p.T(l.key, map[string]any{"People": mentionList(p, l.users, rosterMaxMentions)}))
		}
	}
	if len(c.ManagersAdded) > 0 {
		lines = append(lines, p.T("setup.roster_managers_note", map[string]any{"By": mention(by)}))
	}
	return Message{Text: head, Blocks: []slack.Block{mrkdwnSection(strings.Join(lines, "\n"))}}
}
