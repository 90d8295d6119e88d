package bot

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// The leader's pulse: what each manager did of what was due in a week,
// shown to the manager and the team's directors only.

// leaderBlockers is how far back blockers are read for the ones resolved
// in a week: a blocker raised earlier and still open counts when resolved.
const leaderBlockerDays = 120

// loadLeaderPulses counts the week of week (any day of it) for each of
// managers in team, from one read of the store; roster, when not nil, is
// the team's, read already.
func (b *Bot) loadLeaderPulses(ctx context.Context, team *pulse.Team, managers []string, week pulse.Date, roster *pulse.Roster) ([]pulse.LeaderPulse, error) {
	week = week.WeekStart()
	loc := team.Location()
	start, end := pulse.WallClock(week, 0, loc), pulse.WallClock(week.AddDays(7), 0, loc)
	lastMet := lastMetMaps.Get().(map[string]pulse.Date)
	defer func() {
		clear(lastMet)
		lastMetMaps.Put(lastMet)
	}()
	in := pulse.LeaderPulseInput{Week: week, LastOneOnOne: lastMet}
	err := b.store.ReadTogether(ctx, func(ctx context.Context) error {
		var err error
		if in.Feedback, err = b.store.TeamFeedback(ctx, team.ID, start, end); err != nil {
			return fmt.Errorf("feedback: %w", err)
		}
		if in.Kudos, err = b.store.TeamKudos(ctx, team.ID, start, end); err != nil {
			return fmt.Errorf("kudos: %w", err)
		}
		if in.Commitments, err = b.store.TeamCommitments(ctx, team.ID, week.AddDays(-7), week.AddDays(-7)); err != nil {
			return fmt.Errorf("commitments: %w", err)
		}
		// Of months of blockers, only those resolved since the week began
		// can count, and none by its text.
		err = pulse.ScanTeamBlockers(ctx, b.store, team.ID, week.AddDays(-leaderBlockerDays), week.AddDays(6), func(bl *pulse.Blocker) error {
			if !bl.ResolvedAt.Before(start) {
				in.Blockers = append(in.Blockers, *bl)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("blockers: %w", err)
		}
		err = pulse.ScanTeamNudges(ctx, b.store, team.ID, week.AddDays(-statusTrainingDays), week.AddDays(6), func(n *pulse.Nudge) error {
			if n.Response != pulse.NudgePending && !n.AnsweredAt.Before(start) && n.AnsweredAt.Before(end) {
				in.Nudges = append(in.Nudges, *n)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("nudges: %w", err)
		}
		if roster == nil {
			r, err := b.store.Roster(ctx, team.ID, team.Reps)
			if err != nil {
				return fmt.Errorf("roster: %w", err)
			}
			roster = &r
		}
		in.Away, in.People = roster.Away, roster.People
		// The roster has each rep's latest 1:1; for the few met this week
		// (or since), the 1:1s themselves tell who met them and the one before.
		for rep, last := range roster.LastOneOnOne {
			if last.Before(week) {
				in.LastOneOnOne[rep] = last
				continue
			}
			before, sessions, err := b.store.RepSessionsFrom(ctx, team.ID, rep, week)
			if err != nil {
				return fmt.Errorf("1:1s of %s: %w", rep, err)
			}
			if !before.IsZero() {
				in.LastOneOnOne[rep] = before
			}
			for _, s := range sessions {
				if !s.Date.After(week.AddDays(6)) {
					in.Sessions = append(in.Sessions, s)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("leadership pulse of team %s: %w", team.ID, err)
	}
	out := make([]pulse.LeaderPulse, 0, len(managers))
	for _, m := range managers {
		out = append(out, pulse.ComputeLeaderPulse(team, m, in))
	}
	return out, nil
}

// lastMetMaps hold each rep's last 1:1 while the leader's pulse is counted,
// which keeps nothing of it: a map of fifty reps made for each /pulse was
// a twentieth of what it allocated.
var lastMetMaps = sync.Pool{New: func() any { return make(map[string]pulse.Date) }}

// leaderPulseLines writes one manager's pulse, a line a figure.
func leaderPulseLines(p voice, lp pulse.LeaderPulse) string {
	return p.T("leader.pulse_feedback", map[string]any{"Done": lp.RepsOnTarget, "Due": lp.Reps, "Target": lp.Target, "Given": lp.Feedback}) + "\n" +
		p.T("leader.pulse_oneonones", map[string]any{"Done": lp.OneOnOnesHeld, "Due": lp.OneOnOnesDue}) + "\n" +
		p.T("leader.pulse_commitments", map[string]any{"Done": lp.CommitmentsReviewed, "Due": lp.CommitmentsDue}) + "\n" +
		p.T("leader.pulse_trainings", map[string]any{"Done": lp.ReportsFollowed, "Due": lp.ReportsDue}) + "\n" +
		p.T("leader.pulse_kudos", map[string]any{"Count": lp.Kudos}) + "\n" +
		p.T("leader.pulse_blockers", map[string]any{"Done": lp.BlockersInLimit, "Due": lp.BlockersResolved})
}

// leaderPulseBlocks is the pulse of user in team as /pulse and App Home
// show it: a manager's own, or for a director each manager's side by side.
func (b *Bot) leaderPulseBlocks(ctx context.Context, p voice, team *pulse.Team, user string, now time.Time, roster *pulse.Roster) ([]slack.Block, error) {
	today := pulse.DateOf(now.In(team.Location()))
	var managers []string
	for _, m := range team.Managers {
		if pulse.CanSeeLeaderPulse(pulse.Actor{UserID: user}, team, m) == nil {
			managers = append(managers, m)
		}
	}
	if len(managers) == 0 {
		return nil, nil
	}
	pulses, err := b.loadLeaderPulses(ctx, team, managers, today, roster)
	if err != nil {
		return nil, err
	}
	if team.IsManager(user) {
		for _, lp := range pulses {
			if lp.Manager == user {
				return []slack.Block{mrkdwnSection(p.T("leader.pulse_title", map[string]any{"Team": mrkdwnEscape(team.Name)}) + "\n" + leaderPulseLines(p, lp))}, nil
			}
		}
	}
	blocks := []slack.Block{mrkdwnSection(p.T("leader.directed_title", map[string]any{"Team": mrkdwnEscape(team.Name)}))}
	var fields []string
	for _, lp := range pulses {
		fields = append(fields, mention(lp.Manager)+"\n"+leaderPulseLines(p, lp))
	}
	for i := 0; i < len(fields); i += 10 {
		blocks = append(blocks, fieldsSection(fields[i:min(i+10, len(fields))]...))
	}
	return blocks, nil
}

// leaderWeek gathers "Your week as a leader": the pulses of the managers
// the leader may see, this week's and last week's.
func (b *Bot) leaderWeek(ctx context.Context, team *pulse.Team, lw pulse.LeaderWeekNotice) (this, last []pulse.LeaderPulse, err error) {
	var managers []string
	for _, m := range team.Managers {
		if pulse.CanSeeLeaderPulse(pulse.Actor{UserID: lw.Leader}, team, m) == nil {
			managers = append(managers, m)
		}
	}
	if this, err = b.loadLeaderPulses(ctx, team, managers, lw.Week, nil); err != nil {
		return nil, nil, err
	}
	if last, err = b.loadLeaderPulses(ctx, team, managers, lw.Week.AddDays(-7), nil); err != nil {
		return nil, nil, err
	}
	return this, last, nil
}

// renderLeaderWeek is "Your week as a leader": a manager's pulse of the
// week with last week's beside it; to a director, each manager's.
func renderLeaderWeek(p voice, team *pulse.Team, lw pulse.LeaderWeekNotice, this, last []pulse.LeaderPulse) outgoing {
	title := p.T("leader.week_title", map[string]any{"Team": mrkdwnEscape(team.Name), "Week": p.date(lw.Week)})
	blocks := []slack.Block{mrkdwnSection(title)}
	for i, lp := range this {
		if len(blocks) >= maxMessageBlocks-1 {
			break
		}
		head := ""
		if lp.Manager != lw.Leader {
			head = mention(lp.Manager) + "\n"
		}
		blocks = append(blocks, fieldsSection(
			head+p.T("leader.week_this", nil)+"\n"+leaderPulseLines(p, lp),
			p.T("leader.week_last", nil)+"\n"+leaderPulseLines(p, last[i]),
		))
	}
	return outgoing{text: title, blocks: blocks}
}
