package bot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

// Public standings name this many places at most, ties included.
const contestFrontPlaces = 3

// contestCommand answers /pulse contest (the standings of the person's
// teams' contests), /pulse contest new (a manager's modal) and /pulse
// contest cancel [message] (a manager ends the running contest).
func (b *Bot) contestCommand(ctx context.Context, r *Request) error {
	words, rest := SplitArgs(r.Args, 1)
	switch {
	case len(words) == 0:
		return b.contestStandingsAnswer(ctx, r)
	case words[0] == "new" && rest == "":
		managed := managedTeams(r)
		var team *pulse.Team
		if len(managed) > 0 {
			team = managed[0]
		}
		if err := pulse.CanRunContest(r.Actor, team); err != nil {
			return err
		}
		return openModal(ctx, r, contestModal(r, team, b.today(team.Location())))
	case words[0] == "cancel":
		return b.contestCancel(ctx, r, UnescapeText(rest))
	}
	return pulse.Errorf(pulse.EINVALID, "contest.usage", nil, "contest %q", clipText(r.Args, 40))
}

// contestModal asks for a new contest: "Contest name", "Metric", "Starts",
// "Ends", "Prize", its kind and, for first to a target, the target.
func contestModal(r *Request, team *pulse.Team, today pulse.Date) slack.ModalViewRequest {
	label := func(key string) *slack.TextBlockObject {
		return plainText(r.T(limit("contest.label_"+key, maxViewLabel), nil))
	}
	var metrics []*slack.OptionBlockObject
	for _, m := range team.Metrics {
		metrics = append(metrics, slack.NewOptionBlockObject(m.Key, plainText(clipText(m.Name, maxOptionText)), nil))
	}
	for _, c := range pulse.PulseCounts {
		metrics = append(metrics, slack.NewOptionBlockObject(c, plainText(r.T(limit("contest.count_"+c[len("pulse-"):], maxOptionText), nil)), nil))
	}
	var kinds []*slack.OptionBlockObject
	for _, k := range pulse.ContestKinds {
		kinds = append(kinds, slack.NewOptionBlockObject(string(k), plainText(r.T(limit("contest.kind_"+string(k), maxOptionText), nil)), nil))
	}
	kind := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "kind", kinds...)
	kind.InitialOption = kinds[0]
	end := today.AddDays(4)
	for d := today; !d.After(today.AddDays(6)); d = d.AddDays(1) {
		if team.IsWorkday(d) {
			end = d
		}
		if d.Weekday() == time.Sunday {
			break
		}
	}
	return modal(r, ViewContest, "contest.title", team.ID,
		textInput("name", r.T(limit("contest.label_name", maxViewLabel), nil), "", false, false, pulse.MaxContestNameLen),
		slack.NewInputBlock("metric", label("metric"), nil, slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "metric", metrics...)),
		dateInput("start", r.T(limit("contest.label_start", maxViewLabel), nil), today),
		dateInput("end", r.T(limit("contest.label_end", maxViewLabel), nil), end),
		textInput("prize", r.T(limit("contest.label_prize", maxViewLabel), nil), "", false, true, pulse.MaxContestPrizeLen),
		slack.NewInputBlock("kind", label("kind"), nil, kind),
		textInput("target", r.T(limit("contest.label_target", maxViewLabel), nil), "", false, true, 20),
	)
}

// contestSubmit saves a new contest and announces it in the team channel.
func (b *Bot) contestSubmit(ctx context.Context, r *Request) error {
	team, err := b.store.Team(ctx, r.Interaction.View.PrivateMetadata)
	if err != nil {
		return err
	}
	if err := pulse.CanRunContest(r.Actor, team); err != nil {
		return err
	}
	c := &pulse.Contest{TeamID: team.ID, Name: stateText(r, "name"), Prize: stateText(r, "prize"),
		CreatedBy: r.Actor.UserID, CreatedAt: b.clock.Now(), Channel: team.Channel}
	if v := stateValue(r, "metric"); v != nil {
		c.Metric = v.SelectedOption.Value
	}
	if v := stateValue(r, "kind"); v != nil {
		c.Kind = pulse.ContestKind(v.SelectedOption.Value)
	}
	var errs pulse.ValidationErrors
	if s := stateText(r, "target"); s != "" {
		n, ok := catalog.ParseNumber(s)
		if !ok {
			errs = append(errs, pulse.FieldError("target", "err.number", map[string]any{"Value": clipText(s, 20)}, "target %q", s))
		}
		c.Target = n
	}
	var derr *pulse.Error
	if c.Start, derr = stateDate(r, "start"); derr != nil {
		errs = append(errs, derr)
	}
	if c.End, derr = stateDate(r, "end"); derr != nil {
		errs = append(errs, derr)
	}
	if err := c.Validate(team, b.today(team.Location())); err != nil {
		if errs, err = errs.Merge(err); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return errs
	}
	// The channel's announcement is written to the outbox with the
	// contest, so that it goes out once even if this run stops.
	saved := ctx
	if team.Channel != "" {
		news, err := newEffect(team.ID, team.Channel, Message{Text: contestAnnouncement(b.voice(team.Lang), team, c)})
		if err != nil {
			return err
		}
		saved = pulse.WithEffects(ctx, news)
	}
	if err := b.store.SaveContest(saved, c); err != nil {
		return fmt.Errorf("save contest of team %s: %w", team.ID, err)
	}
	if team.Channel == "" {
		r.Reply(Message{Text: r.T("contest.saved_no_channel", map[string]any{"Name": mrkdwnEscape(c.Name)})})
		return nil
	}
	r.Reply(Message{Text: r.T("contest.saved", map[string]any{"Name": mrkdwnEscape(c.Name), "Channel": channelRef(team.Channel)})})
	b.sendEffectsLater(r, saved)
	return nil
}

// contestAnnouncement is the channel's news of a new contest.
func contestAnnouncement(t voice, team *pulse.Team, c *pulse.Contest) string {
	text := t.T("contest.announce_"+string(c.Kind), map[string]any{
		"Name": mrkdwnEscape(c.Name), "Metric": contestMetricName(t, team, c.Metric),
		"Start": t.date(c.Start), "End": t.date(c.End), "Target": t.number(c.Target, 0),
	})
	if c.Prize != "" {
		text += "\n" + t.T("contest.prize", map[string]any{"Prize": mrkdwnEscape(c.Prize)})
	}
	return clipText(text, maxSectionChars)
}

// contestMetricName is what people read for a contest's metric.
func contestMetricName(t voice, team *pulse.Team, key string) string {
	if m, ok := team.Metric(key); ok {
		return inlineText(m.Name, pulse.MaxMetricNameLen)
	}
	if slices.Contains(pulse.PulseCounts, key) {
		return t.T("contest.count_"+key[len("pulse-"):], nil)
	}
	return inlineText(key, 40)
}

// contestCancel ends the running contests of the teams the person manages,
// with their message to the channel.
func (b *Bot) contestCancel(ctx context.Context, r *Request, note string) error {
	note, err := pulse.ValidCancelNote(note)
	if err != nil {
		return err
	}
	managed := managedTeams(r)
	if len(managed) == 0 {
		var team *pulse.Team
		if len(r.Teams) > 0 {
			team = r.Teams[0]
		}
		return pulse.CanRunContest(r.Actor, team)
	}
	var cancelled []pulse.Contest
	for _, team := range managed {
		today := b.today(team.Location())
		list, err := b.store.TeamContests(ctx, team.ID, today)
		if err != nil {
			return err
		}
		for _, c := range list {
			if c.Cancelled {
				continue
			}
			// The channel is told through the outbox, written with the
			// cancel, so that it is told once even if this run stops.
			saved := ctx
			if team.Channel != "" {
				text := b.voice(team.Lang).T("contest.cancelled", map[string]any{"Name": mrkdwnEscape(c.Name), "Manager": mention(r.Actor.UserID)})
				if note != "" {
					text += "\n>" + inlineText(note, 500)
				}
				told, err := newEffect(team.ID, team.Channel, Message{Text: text})
				if err != nil {
					return err
				}
				saved = pulse.WithEffects(ctx, told)
			}
			up, err := b.store.UpdateContest(saved, c.ID, func(c *pulse.Contest) error {
				if err := pulse.CanRunContest(r.Actor, team); err != nil {
					return err
				}
				return c.Cancel(r.Actor.UserID, note)
			})
			if pulse.ErrorCode(err) == pulse.ECONFLICT {
				continue // cancelled meanwhile by another manager
			}
			if err != nil {
				return err
			}
			cancelled = append(cancelled, *up)
			b.sendEffectsLater(r, saved)
		}
	}
	if len(cancelled) == 0 {
		r.Reply(Message{Text: r.T("contest.none", nil)})
		return nil
	}
	r.Reply(Message{Text: r.Plural("contest.cancel_done", len(cancelled), map[string]any{"Count": r.count(len(cancelled))})})
	return nil
}

// contestStandingsAnswer shows the standings of each running contest of
// the person's teams: the front to a rep, everyone to the team's managers.
func (b *Bot) contestStandingsAnswer(ctx context.Context, r *Request) error {
	ph := r.voice
	out := newBlockBudget(maxStatusBlocks)
	found := false
	for _, team := range byName(r.Teams) {
		if pulse.CanSeeStandings(r.Actor, team) != nil {
			continue
		}
		today := b.today(team.Location())
		list, err := b.store.TeamContests(ctx, team.ID, today)
		if err != nil {
			return err
		}
		for i := range list {
			c := &list[i]
			if !c.Running(today) && !(c.Start.After(today) && !c.Cancelled) {
				continue
			}
			st, err := b.contestStandings(ctx, team, c, today)
			if err != nil {
				return err
			}
			found = true
			private := pulse.CanRunContest(r.Actor, team) == nil
			if !out.add(standingsBlocks(ph, team, c, st, today, private)) {
				out.more(ph, 1)
				break
			}
		}
	}
	if !found {
		return pulse.Errorf(pulse.ENOTFOUND, "contest.none", nil, "no running contest")
	}
	r.Reply(Message{Text: r.T("contest.standings_title", nil), Blocks: out.blocks})
	return nil
}

// contestStandings ranks the reps of the team's contest through the
// team's day through.
func (b *Bot) contestStandings(ctx context.Context, team *pulse.Team, c *pulse.Contest, through pulse.Date) ([]pulse.Standing, error) {
	return pulse.ReadStandings(ctx, b.store, team, c, through)
}

// standingsBlocks shows a contest's standings: in public (private false)
// only the front, each with their score; to its managers every rep.
func standingsBlocks(t voice, team *pulse.Team, c *pulse.Contest, st []pulse.Standing, today pulse.Date, private bool) []slack.Block {
	head := t.T("contest.standings_head", map[string]any{
		"Name": inlineText(c.Name, pulse.MaxContestNameLen), "Metric": contestMetricName(t, team, c.Metric),
		"Start": t.date(c.Start), "End": t.date(c.End),
	})
	if c.Prize != "" {
		head += "\n" + t.T("contest.prize", map[string]any{"Prize": inlineText(c.Prize, pulse.MaxContestPrizeLen)})
	}
	blocks := []slack.Block{mrkdwnSection(head)}
	shown := pulse.Front(c.Kind, st, contestFrontPlaces)
	if private {
		shown = st
	}
	var lines []string
	for _, s := range shown {
		lines = append(lines, standingLine(t, c, s))
	}
	if len(lines) == 0 {
		lines = append(lines, t.T("contest.no_scores", nil))
	}
	blocks = append(blocks, packLines(t, lines, 4)...)
	if private && len(st) > 0 {
		blocks = append(blocks, contextBlock(t.T("contest.private_note", nil)))
	}
	return blocks
}

// standingLine is one rep's place: "1. @anna — 12".
func standingLine(t voice, c *pulse.Contest, s pulse.Standing) string {
	score := t.number(s.Score, 0)
	if c.Kind == pulse.ContestPerWorkday {
		score = t.number(s.Score, 1)
	}
	key := "contest.line"
	if c.Kind == pulse.ContestFirstTo && !s.Reached.IsZero() {
		key = "contest.line_reached"
	}
	return t.T(key, map[string]any{"Rank": t.count(s.Rank), "Rep": mention(s.Rep), "Score": score, "Day": t.date(s.Reached)})
}
