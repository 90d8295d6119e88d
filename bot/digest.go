package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// The daily digest: one leader's view of a team's day, with each rep's
// check-in to answer. The scheduled DM, its updates as late check-ins and
// feedback arrive, and /pulse digest all render it here, from the store.

// How much of a big team a digest shows in full: each entry is a section
// and a row of buttons, and a message holds at most 50 blocks; the rest
// are listed a line each.
const maxDigestEntries = 20

// feedbackLookback is how far back the digest reads feedback to tell how
// long each rep has gone without.
const feedbackLookback = 60

// digestDay is what a digest is made of.
type digestDay struct {
	team    *pulse.Team
	leader  string
	day     pulse.Date
	silent  []pulse.Silence
	entries []pulse.CheckIn             // answered, in the team's order of reps
	given   map[string][]pulse.Feedback // the day's feedback, by rep
	missing []string
	paces   map[string]pulse.Pace // each rep's metric furthest behind its plan
}

// gatherDigest reads the team's day for leader.
func (b *Bot) gatherDigest(ctx context.Context, team *pulse.Team, leader string, day pulse.Date) (*digestDay, error) {
	d := &digestDay{team: team, leader: leader, day: day, given: map[string][]pulse.Feedback{}}
	loc := team.Location()
	cis, err := b.store.TeamCheckIns(ctx, team.ID, day, day)
	if err != nil {
		return nil, fmt.Errorf("check-ins of %s on %s: %w", team.ID, day, err)
	}
	byRep := make(map[string]*pulse.CheckIn, len(cis))
	for i := range cis {
		if cis[i].Answered() {
			byRep[cis[i].UserID] = &cis[i]
		}
	}
	fbs, err := b.store.TeamFeedback(ctx, team.ID, pulse.WallClock(day.AddDays(-feedbackLookback), 0, loc), time.Time{})
	if err != nil {
		return nil, fmt.Errorf("feedback of %s: %w", team.ID, err)
	}
	last := map[string]pulse.Date{}
	for _, f := range fbs {
		if !team.IsLeader(f.From) {
			continue
		}
		on := pulse.DateOf(f.At.In(loc))
		if on.After(day) {
			continue
		}
		if last[f.RepID].Before(on) {
			last[f.RepID] = on
		}
		if f.Date == day {
			d.given[f.RepID] = append(d.given[f.RepID], f)
		}
	}
	roster, err := b.store.Roster(ctx, team.ID, team.Reps)
	if err != nil {
		return nil, fmt.Errorf("roster of %s: %w", team.ID, err)
	}
	if d.paces, err = b.leadPaces(ctx, team, &roster, b.clock.Now()); err != nil {
		return nil, err
	}
	start := pulse.DateOf(team.CreatedAt.In(loc))
	if team.CreatedAt.IsZero() || start.Before(day.AddDays(-feedbackLookback)) {
		start = day.AddDays(-feedbackLookback)
	}
	for _, rep := range team.Reps {
		if rep == leader {
			continue
		}
		if s := pulse.FeedbackSilence(team, rep, roster.People[rep], last[rep], start, day, roster.Away[rep]); s.Silent(team) {
			d.silent = append(d.silent, s)
		}
		switch c := byRep[rep]; {
		case c != nil:
			d.entries = append(d.entries, *c)
		case pulse.CheckInDue(team, team.HolidayPlaceOf(roster.People[rep]), roster.Away[rep], day):
			d.missing = append(d.missing, rep)
		}
	}
	return d, nil
}

// renderDigest writes the digest in the leader's language; loc is the
// leader's zone, for the times feedback was given.
func (b *Bot) renderDigest(d *digestDay, lang pulse.Lang, loc *time.Location) Message {
	return b.renderDigestOf(d, lang, loc, maxDigestEntries)
}

// renderDigestOf is renderDigest with at most entries entries in full.
func (b *Bot) renderDigestOf(d *digestDay, lang pulse.Lang, loc *time.Location, entries int) Message {
	p := b.voice(lang)
	title := p.T("leader.digest_title", map[string]any{"Team": mrkdwnEscape(d.team.Name), "Day": p.date(d.day)})
	blocks := []slack.Block{mrkdwnSection(title)}
	if len(d.silent) > 0 {
		lines := make([]string, 0, len(d.silent))
		for _, s := range d.silent {
			if s.Since.IsZero() {
				lines = append(lines, p.Plural("leader.silent_never", s.Workdays, map[string]any{"Rep": mention(s.Rep)}))
				continue
			}
			lines = append(lines, p.Plural("leader.silent_since", s.Workdays, map[string]any{"Rep": mention(s.Rep), "Day": p.weekdayOrDate(s.Since, d.day)}))
		}
		blocks = append(blocks, mrkdwnSection(capLines(p, append([]string{p.T("leader.silent_heading", nil)}, lines...), 60, maxSectionChars)))
	}
	if len(d.entries) == 0 {
		blocks = append(blocks, contextBlock(p.T("leader.digest_none", nil)))
	}
	for i, c := range d.entries {
		if i == entries {
			rest := make([]string, 0, len(d.entries)-i)
			for _, c := range d.entries[i:] {
				rest = append(rest, p.T("leader.digest_line", map[string]any{"Rep": mention(c.UserID), "Energy": c.Energy, "Plan": listText(c.Plan)}))
			}
			blocks = append(blocks, mrkdwnSection(capLines(p, rest, len(rest), maxSectionChars)),
				contextBlock(p.T("leader.digest_more", nil)))
			break
		}
		blocks = append(blocks, b.digestEntry(p, d, &c, loc)...)
	}
	if len(d.missing) > 0 {
		blocks = append(blocks, contextBlock(p.T("leader.digest_missing", map[string]any{"Reps": mentionList(p, d.missing, 30)})))
	}
	return Message{Text: title, Blocks: blocks}
}

// digestEntry is one rep's check-in with its buttons: a section and an
// action row.
func (b *Bot) digestEntry(p voice, d *digestDay, c *pulse.CheckIn, loc *time.Location) []slack.Block {
	lines := checkInLines(p, c)
	var nums []string
	for _, m := range d.team.Metrics {
		if v, ok := c.Metrics[m.Key]; ok {
			nums = append(nums, mrkdwnEscape(m.Name)+" "+p.number(v, 0))
		}
	}
	if len(nums) > 0 {
		lines = append(lines, strings.Join(nums, " · "))
	}
	if pace, ok := d.paces[c.UserID]; ok {
		lines = append(lines, paceLine(p, d.team, pace))
	}
	for _, f := range d.given[c.UserID] {
		if f.From == d.leader {
			lines = append(lines, p.T("leader.sent_to", map[string]any{"Rep": mention(f.RepID), "Time": p.clock(f.At, loc)}))
		} else {
			lines = append(lines, p.T("leader.sent_by", map[string]any{"By": mention(f.From), "Time": p.clock(f.At, loc)}))
		}
	}
	value := packValue(d.team.ID, c.UserID, c.Date.String())
	return []slack.Block{
		mrkdwnSection(strings.Join(lines, "\n")),
		slack.NewActionBlock("digest_"+c.UserID,
			slack.NewButtonBlockElement(ActionGiveFeedback, value, plainText(p.T(limit("leader.button_feedback", maxButtonText), nil))).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(ActionFeedbackAck, value, plainText(p.T(limit("leader.button_ack", maxButtonText), nil))),
			slack.NewButtonBlockElement(ActionAgendaAdd, value, plainText(p.T(limit("leader.button_agenda", maxButtonText), nil))),
		),
	}
}

// weekdayOrDate names a day within the last week by its weekday, else by its date.
func (t voice) weekdayOrDate(d, today pulse.Date) string {
	if n := d.DaysUntil(today); n > 0 && n < 7 {
		return t.weekday(d.Weekday())
	}
	return t.date(d)
}

// refreshDigests rewrites the day's digests already sent to the team's
// managers, so a late check-in or new feedback shows in the message each
// manager reads rather than being lost below it.
func (b *Bot) refreshDigests(ctx context.Context, team *pulse.Team, day pulse.Date) {
	for _, m := range team.Managers {
		sent, ok := b.sentMessage(ctx, pulse.DigestKey(team.ID, m, day))
		if !ok {
			continue
		}
		if err := b.refreshDigest(ctx, team, m, day, sent); err != nil {
			b.log.Warn("update a digest", "team", team.ID, "user", m, "err", err)
		}
	}
}

func (b *Bot) refreshDigest(ctx context.Context, team *pulse.Team, leader string, day pulse.Date, at pulse.Delivery) error {
	d, err := b.gatherDigest(ctx, team, leader, day)
	if err != nil {
		return err
	}
	person := b.personOf(ctx, leader)
	m := b.renderDigest(d, langFor(person, team), zoneIn(person, team))
	return b.updateOrigin(ctx, nil, at.Channel, at.TS, m)
}

// digestCommand answers /pulse digest [team]: today's digest of the
// first team (by name, or the one named) the person leads, seen by them only.
func (b *Bot) digestCommand(ctx context.Context, r *Request) error {
	teams := digestTeams(r, strings.TrimSpace(r.Args))
	if len(teams) == 0 {
		return pulse.CanSeeDigest(r.Actor, nil)
	}
	m, err := b.digestAnswer(ctx, teams, r.Actor.UserID, r.lang, r.Person)
	if err != nil {
		return err
	}
	r.Reply(m)
	return nil
}

// digestTeams returns, by name, the teams whose digest the actor may read:
// every one they manage or direct, or only the one named.
func digestTeams(r *Request, name string) []*pulse.Team {
	var out []*pulse.Team
	for _, t := range byName(r.Teams) {
		if pulse.CanSeeDigest(r.Actor, t) == nil && (name == "" || strings.EqualFold(t.Name, name)) {
			out = append(out, t)
		}
	}
	return out
}

// maxDigestTeams is how many teams' sections one answer holds: each keeps
// at least one entry in full inside Slack's 50 blocks. The others are
// named, for /pulse digest <team>.
const maxDigestTeams = 6

// digestAnswer is /pulse digest's answer: today's digest of each team, in
// each team's zone, a section per team. With several teams each gets an
// equal share of the message's blocks: its entries beyond the share are
// listed in brief, as a long digest's are.
func (b *Bot) digestAnswer(ctx context.Context, teams []*pulse.Team, leader string, lang pulse.Lang, person *pulse.Person) (Message, error) {
	shown := teams[:min(len(teams), maxDigestTeams)]
	// A team's section: a divider, the title, the silent, its entries (two
	// blocks each), the rest in brief and its note, the missing.
	entries := maxDigestEntries
	if len(shown) > 1 {
		entries = ((maxMessageBlocks-1)/len(shown) - 6) / 2
	}
	var out Message
	var titles []string
	for i, team := range shown {
		d, err := b.gatherDigest(ctx, team, leader, b.today(team.Location()))
		if err != nil {
			return Message{}, err
		}
		m := b.renderDigestOf(d, lang, zoneIn(person, team), entries)
		if i > 0 {
			out.Blocks = append(out.Blocks, slack.NewDividerBlock())
		}
		out.Blocks = append(out.Blocks, m.Blocks...)
		titles = append(titles, m.Text)
	}
	if rest := teams[len(shown):]; len(rest) > 0 {
		names := make([]string, len(rest))
		for i, t := range rest {
			names[i] = mrkdwnEscape(t.Name)
		}
		out.Blocks = append(out.Blocks, contextBlock(b.voice(lang).Plural("leader.digest_more_teams", len(rest), map[string]any{"Teams": strings.Join(names, ", ")})))
	}
	out.Text = strings.Join(titles, "\n")
	return out, nil
}
