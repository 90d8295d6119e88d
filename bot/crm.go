package bot

import (
	"context"
	"strings"

	"github.com/salespulse/pulse"
)

// maxUnmatchedListed bounds the reps named in one unmatched line.
const maxUnmatchedListed = 30

// crmCommand answers /pulse crm: to each team's managers, where its
// numbers come from, when they were last fetched, whether the last pull
// failed, and which reps are not matched to a CRM user. /pulse crm match
// @rep <owner ID> matches a rep by hand.
func (b *Bot) crmCommand(ctx context.Context, r *Request) error {
	words, _ := SplitArgs(r.Args, 3)
	if len(words) > 0 && strings.EqualFold(words[0], "match") {
		return b.crmMatch(ctx, r, words[1:])
	}
	managed := managedTeams(r)
	if len(managed) == 0 {
		return pulse.CanSeeTeam(r.Actor, nil)
	}
	p := r.voice
	var lines []string
	for _, team := range managed {
		lines = append(lines, b.crmStatus(ctx, p, team)...)
	}
	r.Reply(Message{Text: clipText(strings.Join(lines, "\n"), maxSectionChars)})
	return nil
}

// crmStatus is the team's lines of /pulse crm.
func (b *Bot) crmStatus(ctx context.Context, p voice, team *pulse.Team) []string {
	name := mrkdwnEscape(team.Name)
	if team.NumbersFrom == pulse.CRMTyped {
		return []string{p.T("crm.typed", map[string]any{"Team": name})}
	}
	kind := team.NumbersFrom.Title()
	health, err := b.store.CRMHealth(ctx, team.ID)
	if err != nil {
		if !pulse.IsNotFound(err) {
			b.log.Warn("read CRM health", "team", team.ID, "err", err)
		}
		health = &pulse.CRMHealth{}
	}
	lines := []string{p.T("crm.status", map[string]any{"Team": name, "CRM": kind, "Fetched": p.fetched(health.LastOK, team.Location())})}
	if health.Failing != "" && health.Kind == team.NumbersFrom {
		reason := health.Failing
		if health.Failing == pulse.EUNAUTHORIZED {
			reason = p.T("err.crm_unauthorized", map[string]any{"CRM": kind})
		}
		lines = append(lines, p.T("crm.failing", map[string]any{"Reason": reason}))
	}
	matches, err := b.store.CRMMatches(ctx, team.ID)
	if err != nil {
		b.log.Warn("read CRM matches", "team", team.ID, "err", err)
		return lines
	}
	var unmatched []string
	for _, rep := range team.Reps {
		if m, ok := matches[rep]; !ok || m.Kind != team.NumbersFrom {
			unmatched = append(unmatched, rep)
		}
	}
	if len(unmatched) == 0 {
		return append(lines, p.T("crm.all_matched", nil))
	}
	return append(lines, p.T("crm.unmatched", map[string]any{"CRM": kind, "Reps": mentionList(p, unmatched, maxUnmatchedListed)}))
}

// crmMatch ties a rep to a CRM user by hand, in the first team (by name)
// the person manages that the rep checks in with.
func (b *Bot) crmMatch(ctx context.Context, r *Request, args []string) error {
	if len(args) != 2 {
		return pulse.Errorf(pulse.EINVALID, "crm.match_usage", nil, "crm match needs a rep and an owner ID")
	}
	rep, err := MentionArg(args[0])
	if err != nil {
		return err
	}
	owner := strings.TrimSpace(args[1])
	if !pulse.ValidCRMOwnerID(owner) {
		return pulse.Errorf(pulse.EINVALID, "err.crm_owner", map[string]any{"Value": clipText(owner, 40)}, "bad CRM owner ID")
	}
	var team *pulse.Team
	for _, t := range managedTeams(r) {
		if pulse.CanMatchCRM(r.Actor, t, rep) == nil {
			team = t
			break
		}
	}
	if team == nil {
		return pulse.CanMatchCRM(r.Actor, nil, rep)
	}
	if team.NumbersFrom == pulse.CRMTyped {
		r.Reply(Message{Text: r.T("crm.typed", map[string]any{"Team": mrkdwnEscape(team.Name)})})
		return nil
	}
	m := pulse.CRMMatch{TeamID: team.ID, Rep: rep, Kind: team.NumbersFrom, OwnerID: owner, By: pulse.CRMMatchHand, At: b.clock.Now()}
	if err := b.store.SaveCRMMatch(ctx, &m); err != nil {
		return err
	}
	r.Reply(Message{Text: r.T("crm.matched", map[string]any{"Rep": mention(rep), "CRM": team.NumbersFrom.Title(), "Owner": "`" + owner + "`"})})
	return nil
}
