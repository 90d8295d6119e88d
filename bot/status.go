package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// How far back the status answers look.
const (
	statusTrainingDays = 60  // trainings whose implementation and reports count
	statusStreakDays   = 366 // check-ins a streak counts back over
	statusKudosDays    = 30  // kudos received that count
)

// loadTeamStatusAnd loads what a team's status needs with range queries
// over the team's keys (this week and last, its open blockers, recent
// trainings) and one lookup per rep, and computes it, with each rep's lead pace
// against their plan: one scan of the check-ins feeds both. It also calls
// also, when not nil, in the same read of the store with the team's
// roster, for what is shown beside the status (a leader's pulse) to read
// no roster of its own.
//
// What it reads into is sc's, and so are the leads it returns: they are
// the caller's until it puts sc back.
func (b *Bot) loadTeamStatusAnd(ctx context.Context, sc *statusScratch, team *pulse.Team, now time.Time, also func(ctx context.Context, roster *pulse.Roster) error) (pulse.TeamStatus, []repLead, error) {
	today := pulse.DateOf(now.In(team.Location()))
	sc.tally.Reset(team, today)
	in := pulse.TeamStatusInput{Now: now, Tally: &sc.tally}
	sc.pace.Reset(team, today)
	pace := paceRead{tally: &sc.pace}
	// In one read of the store, one query after the other: read side by
	// side on a second goroutine, they measured no faster once reading a
	// team took a tenth of a millisecond.
	err := b.store.ReadTogether(ctx, func(ctx context.Context) error {
		var err error
		if pace.plans, err = b.planOf(ctx, team, today, ""); err != nil {
			return err
		}
		if err := b.loadTeamRecords(ctx, team, today, &in, &pace); err != nil {
			return err
		}
		if err := b.loadRepRecords(ctx, team, sc, &in); err != nil {
			return err
		}
		if also != nil {
			return also(ctx, &sc.roster)
		}
		return nil
	})
	if err != nil {
		return pulse.TeamStatus{}, nil, err
	}
	sc.leads = pace.leads(team, &sc.roster, now, sc.leads[:0])
	return pulse.ComputeTeamStatus(team, in), sc.leads, nil
}

// statusScratch is what computing a team's status reads into and lets go
// of once the status is shown: the roster's maps, the reps' zones, the
// tallies and the reps' lead paces. Kept between statuses, as made afresh
// they were a quarter of what a manager's /pulse allocated; a status keeps
// nothing of them.
type statusScratch struct {
	roster pulse.Roster
	zones  map[string]*time.Location
	tally  pulse.TeamTally
	pace   pulse.PaceTally
	leads  []repLead
}

var statusScratches = sync.Pool{New: func() any { return new(statusScratch) }}

// loadTeamRecords counts the team's check-ins of this week and last, this
// week's commitments and its recent trainings' nudges, and reads its open
// blockers.
func (b *Bot) loadTeamRecords(ctx context.Context, team *pulse.Team, today pulse.Date, in *pulse.TeamStatusInput, pace *paceRead) error {
	week := today.WeekStart()
	// The check-ins and nudges are counted as the store reads them, none
	// held; the scan reaches back as far as the plans' periods need.
	from, to := in.Tally.Range()
	pf, pt := pulse.PaceRange(today, pace.plans)
	start := pulse.PacePeriodsStart(pf)
	if start.Before(from) {
		from = start
	}
	if pt.After(to) {
		to = pt
	}
	err := pulse.ScanTeamCheckIns(ctx, b.store, team.ID, from, to, func(f *pulse.CheckInFigures) error {
		in.Tally.AddFigures(f)
		pace.tally.AddFigures(f)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load check-ins of team %s: %w", team.ID, err)
	}
	// The week before the plans' periods tells only who joined in them; it
	// is read when a rep's records do not tell already, which on a Monday
	// saves a third of the scan.
	if pf.Before(from) && !pace.tally.JoinsKnown(team.Reps, start) {
		err := pulse.ScanTeamCheckIns(ctx, b.store, team.ID, pf, from.AddDays(-1), func(f *pulse.CheckInFigures) error {
			pace.tally.AddFigures(f)
			return nil
		})
		if err != nil {
			return fmt.Errorf("load check-ins of team %s: %w", team.ID, err)
		}
	}
	if pf.Before(from) {
		from = pf
	}
	err = pulse.ReadCRMFigures(ctx, b.store, team, from, to, func(f *pulse.CRMFigure) {
		in.Tally.AddCRMFigure(f)
		pace.tally.AddCRMFigure(f)
	})
	if err != nil {
		return fmt.Errorf("load team status: %w", err)
	}
	if in.Blockers, err = b.store.OpenBlockers(ctx, team.ID); err != nil {
		return fmt.Errorf("load blockers of team %s: %w", team.ID, err)
	}
	err = pulse.ScanTeamCommitments(ctx, b.store, team.ID, week, week, func(c *pulse.Commitment) error {
		in.Tally.AddCommitment(c)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load commitments of team %s: %w", team.ID, err)
	}
	err = pulse.ScanTeamNudges(ctx, b.store, team.ID, today.AddDays(-statusTrainingDays), today, func(n *pulse.Nudge) error {
		in.Tally.AddNudge(n)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load nudges of team %s: %w", team.ID, err)
	}
	return nil
}

// loadRepRecords reads each rep's zone, away periods and last 1:1, all in
// one read of the store, into sc.
func (b *Bot) loadRepRecords(ctx context.Context, team *pulse.Team, sc *statusScratch, in *pulse.TeamStatusInput) error {
	if err := pulse.ReadRoster(ctx, b.store, team.ID, team.Reps, &sc.roster); err != nil {
		return fmt.Errorf("load the reps of team %s: %w", team.ID, err)
	}
	if sc.zones == nil {
		sc.zones = make(map[string]*time.Location, len(team.Reps))
	}
	clear(sc.zones)
	for _, rep := range team.Reps {
		sc.zones[rep] = zoneIn(sc.roster.People[rep], team)
	}
	in.Zones, in.Away, in.LastOneOnOne = sc.zones, sc.roster.Away, sc.roster.LastOneOnOne
	in.Places = pulse.RepPlaces(team, sc.roster.People)
	return nil
}

// repRecords is what Pulse holds about one rep in one team, loaded for
// their status and for /pulse @rep. Every list holds the team's records
// only: a rep may be in several teams, and a manager of one of them sees
// none of the others' (loadRepStatus keeps to that, so no renderer has to).
type repRecords struct {
	status   pulse.RepStatus
	checkIns []pulse.CheckIn // oldest first
	nudges   []pulse.Nudge
	sessions []pulse.CoachingSession
	kudos    []pulse.Kudos
	skills   map[string]string // training ID → skill
}

// loadRepStatus loads one rep's records in the team and computes their
// status. p is what Pulse knows of the rep; nil when nothing. The records
// read by rep (check-ins, commitments, nudges, kudos) come from all of the
// rep's teams and are cut to this one as they are read.
func (b *Bot) loadRepStatus(ctx context.Context, team *pulse.Team, rep string, p *pulse.Person, now time.Time) (repRecords, error) {
	var rr repRecords
	zone := zoneIn(p, team)
	today := pulse.DateOf(now.In(zone))
	in := pulse.RepStatusInput{Now: now, Zone: zone, Place: team.HolidayPlaceOf(p)}
	if p != nil {
		in.Goal = p.Goal
	}
	var err error
	if in.CheckIns, err = b.store.RepCheckIns(ctx, rep, today.AddDays(-statusStreakDays), today); err != nil {
		return rr, fmt.Errorf("load check-ins of %s: %w", rep, err)
	}
	in.CheckIns = slices.DeleteFunc(in.CheckIns, func(c pulse.CheckIn) bool { return c.TeamID != team.ID })
	if in.Away, err = b.store.AwayPeriods(ctx, rep); err != nil {
		return rr, fmt.Errorf("load away periods of %s: %w", rep, err)
	}
	week := today.WeekStart()
	if in.Commitments, err = b.store.RepCommitments(ctx, rep, week.AddDays(-7), week); err != nil {
		return rr, fmt.Errorf("load commitments of %s: %w", rep, err)
	}
	in.Commitments = slices.DeleteFunc(in.Commitments, func(c pulse.Commitment) bool { return c.TeamID != team.ID })
	if in.Trainings, err = b.store.TeamTrainings(ctx, team.ID, today.AddDays(-statusTrainingDays), today); err != nil {
		return rr, fmt.Errorf("load trainings of team %s: %w", team.ID, err)
	}
	if in.Nudges, err = b.store.RepNudges(ctx, rep); err != nil {
		return rr, fmt.Errorf("load nudges of %s: %w", rep, err)
	}
	in.Nudges = slices.DeleteFunc(in.Nudges, func(n pulse.Nudge) bool { return n.TeamID != team.ID })
	if rr.sessions, err = b.store.RepSessions(ctx, team.ID, rep); err != nil && !pulse.IsNotFound(err) {
		return rr, fmt.Errorf("load 1:1s of %s: %w", rep, err)
	}
	for _, s := range rr.sessions {
		if s.Date.After(in.LastOneOnOne) {
			in.LastOneOnOne = s.Date
		}
	}
	if in.Kudos, err = b.store.RepKudos(ctx, rep, now.AddDate(0, 0, -statusKudosDays), now.Add(time.Second)); err != nil {
		return rr, fmt.Errorf("load kudos of %s: %w", rep, err)
	}
	in.Kudos = slices.DeleteFunc(in.Kudos, func(k pulse.Kudos) bool { return k.TeamID != team.ID })
	rr.status = pulse.ComputeRepStatus(team, rep, in)
	rr.checkIns, rr.nudges, rr.kudos = in.CheckIns, in.Nudges, in.Kudos
	rr.skills = make(map[string]string, len(in.Trainings))
	for _, t := range in.Trainings {
		rr.skills[t.ID] = t.Skill
	}
	return rr, nil
}

// statusCommand answers /pulse: each team the person manages at a
// glance, and their own pulse in each team they check in with.
func (b *Bot) statusCommand(ctx context.Context, r *Request) error {
	if len(r.Teams) == 0 {
		text := r.T("status.no_team", nil)
		r.Reply(Message{Text: text, Blocks: []slack.Block{mrkdwnSection(mrkdwnEscape(text))}})
		return nil
	}
	answer := func(ctx context.Context) (Message, error) {
		blocks, err := b.pulseBlocks(ctx, r.voice, r.Actor.UserID, r.Person, r.Teams, maxStatusBlocks)
		return Message{Text: r.T("status.title", nil), Blocks: blocks}, err
	}
	if managedReps(r) <= statusInlineReps {
		m, err := answer(ctx)
		if err != nil {
			return err
		}
		r.Reply(m)
		return nil
	}
	// Many reps to look up: answer after the ack, through the response_url.
	r.Later(func(ctx context.Context) error {
		m, err := answer(ctx)
		if err != nil {
			return err
		}
		return r.Respond(ctx, m)
	})
	return nil
}

// statusInlineReps is how many reps a manager's teams may hold for /pulse
// to be answered in the ack; beyond it, loading each rep's records could
// take longer than Slack waits for an ack.
const statusInlineReps = 200

// managedReps counts the reps of the teams the person manages or directs.
func managedReps(r *Request) int {
	n := 0
	for _, t := range r.Teams {
		if t.IsLeader(r.Actor.UserID) {
			n += len(t.Reps)
		}
	}
	return n
}

// repCommand answers /pulse @rep: one rep's recent pulse, for the rep
// themself and for the managers of a team they check in with.
func (b *Bot) repCommand(ctx context.Context, r *Request) error {
	word, _, _ := strings.Cut(r.Args, " ")
	rep, err := MentionArg(word)
	if err != nil {
		return err
	}
	// Only the person's own teams can allow it; anyone else is refused
	// with the same sentence whether or not the rep exists.
	var teams []*pulse.Team
	for _, t := range byName(r.Teams) {
		if t.IsRep(rep) && pulse.CanSeeRep(r.Actor, t, rep) == nil {
			teams = append(teams, t)
		}
	}
	if len(teams) == 0 {
		return pulse.CanSeeRep(r.Actor, nil, rep)
	}
	p := r.Person
	if rep != r.Actor.UserID {
		p = b.personOf(ctx, rep)
	}
	now := b.clock.Now()
	ph := r.voice
	out := newBlockBudget(maxStatusBlocks)
	for i, t := range teams {
		rr, err := b.loadRepStatus(ctx, t, rep, p, now)
		if err != nil {
			return err
		}
		if !out.add(repDetailBlocks(ph, t, rr, zoneIn(p, t))) {
			out.more(ph, len(teams)-i)
			break
		}
	}
	r.Reply(Message{Text: r.T("status.rep_title", map[string]any{"Rep": mention(rep)}), Blocks: out.blocks})
	return nil
}

// pulseBlocks is a person's pulse: the overview of each team they manage,
// then their own pulse in each team they check in with, within max blocks.
func (b *Bot) pulseBlocks(ctx context.Context, p voice, user string, person *pulse.Person, teams []*pulse.Team, max int) ([]slack.Block, error) {
	now := b.clock.Now()
	teams = byName(teams)
	var managed, member []*pulse.Team
	for _, t := range teams {
		if t.IsLeader(user) {
			managed = append(managed, t)
		}
		if t.IsRep(user) {
			member = append(member, t)
		}
	}
	out := newBlockBudget(max)
	total := len(managed) + len(member)
	done := 0
	sc := statusScratches.Get().(*statusScratch)
	defer statusScratches.Put(sc)
	for _, t := range managed {
		// The leader's own pulse (a director's: the managers'), private to
		// them, goes with the team's and its reps' paces, read with it.
		var lead []slack.Block
		s, paces, err := b.loadTeamStatusAnd(ctx, sc, t, now, func(ctx context.Context, roster *pulse.Roster) error {
			var err error
			lead, err = b.leaderPulseBlocks(ctx, p, t, user, now, roster)
			return err
		})
		if err != nil {
			return nil, err
		}
		if !out.add(slices.Concat(teamStatusBlocks(p, t, s), teamPaceBlocks(p, t, paces), lead)) {
			out.more(p, total-done)
			return out.blocks, nil
		}
		done++
	}
	for _, t := range member {
		rr, err := b.loadRepStatus(ctx, t, user, person, now)
		if err != nil {
			return nil, err
		}
		paces, err := b.repPaces(ctx, t, user, person, now)
		if err != nil {
			return nil, err
		}
		if !out.add(append(repStatusBlocks(p, t, rr.status, zoneIn(person, t)), repPaceBlock(p, t, paces)...)) {
			out.more(p, total-done)
			return out.blocks, nil
		}
		done++
	}
	if len(out.blocks) == 0 {
		out.add([]slack.Block{mrkdwnSection(mrkdwnEscape(p.T("status.no_team", nil)))})
	}
	return out.blocks, nil
}
