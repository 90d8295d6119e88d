package pulse

import (
	"context"
	"fmt"
	"time"
)

// The jobs of a contest: its standings, posted once and then updated at
// most daily at the team's summary time, and its end, when the winners
// are announced.
const (
	JobContestStandings JobKind = "contest"
	JobContestEnd       JobKind = "contest_end"
)

// ContestStandingsKey names the standings of a contest on the team's day:
// the first posts the message, the later ones update it.
func ContestStandingsKey(team, contest string, day Date) JobKey {
	return JobKey{Kind: JobContestStandings, TeamID: team, Occurrence: contest + "+" + day.String()}
}

// ContestEndKey names the announcement of a contest's winners.
func ContestEndKey(team, contest string) JobKey {
	return JobKey{Kind: JobContestEnd, TeamID: team, Occurrence: contest}
}

// ContestNotice shows a contest's standings in the team channel. Message
// is where the standings were posted first; when set, the notice updates
// that message instead of posting a new one, so the channel holds one.
type ContestNotice struct {
	Contest   Contest
	Standings []Standing
	Day       Date // the team's day they stand on
	Message   Delivery
}

// ContestEndNotice announces the winners of a contest (none when nobody
// scored), with its prize; each winner was given kudos.
type ContestEndNotice struct {
	Contest Contest
	Winners []Standing
}

// Kind returns JobContestStandings.
func (ContestNotice) Kind() JobKind { return JobContestStandings }

// Kind returns JobContestEnd.
func (ContestEndNotice) Kind() JobKind { return JobContestEnd }

// ContestSource is what reading a contest's points takes of the store.
type ContestSource interface {
	CheckInStore
	TrainingStore
	TeamKudos(ctx context.Context, team string, from, to time.Time) ([]Kudos, error)
	Roster(ctx context.Context, team string, reps []string) (Roster, error)
	CRMFigureSource
}

// ReadStandings reads what the contest counts in the team through the
// team's day through, as it is stored now, and ranks the reps: the bot's
// /pulse contest and the engine's daily standings read them the same way.
func ReadStandings(ctx context.Context, src ContestSource, team *Team, c *Contest, through Date) ([]Standing, error) {
	last := c.End
	if through.Before(last) {
		last = through
	}
	var points []ContestPoint
	loc := team.Location()
	switch c.Metric {
	case CountKudos:
		ks, err := src.TeamKudos(ctx, team.ID, c.Start.In(loc), last.AddDays(1).In(loc))
		if err != nil {
			return nil, fmt.Errorf("kudos of team %s: %w", team.ID, err)
		}
		for _, k := range ks {
			points = append(points, ContestPoint{Rep: k.To, Day: DateOf(k.CreatedAt.In(loc)), Value: 1})
		}
	case CountSkills:
		// A report counts on the day it was given, for a nudge of any
		// training up to a year before.
		err := ScanTeamNudges(ctx, src, team.ID, c.Start.AddDays(-400), last, func(n *Nudge) error {
			if n.Response == NudgeApplied && !n.AnsweredAt.IsZero() {
				points = append(points, ContestPoint{Rep: n.UserID, Day: DateOf(n.AnsweredAt.In(loc)), Value: 1})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("nudges of team %s: %w", team.ID, err)
		}
	default:
		err := ScanTeamCheckIns(ctx, src, team.ID, c.Start, last, func(f *CheckInFigures) error {
			if p, ok := c.PointOf(team, f); ok {
				points = append(points, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("check-ins of team %s: %w", team.ID, err)
		}
		if c.Metric == CountCheckIns {
			break
		}
		err = ReadCRMFigures(ctx, src, team, c.Start, last, func(f *CRMFigure) {
			if p, ok := c.CRMPointOf(team, f); ok {
				points = append(points, p)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	roster, err := src.Roster(ctx, team.ID, team.Reps)
	if err != nil {
		return nil, fmt.Errorf("reps of team %s: %w", team.ID, err)
	}
	return ComputeStandings(c, team, roster.Away, roster.People, points, last), nil
}

// WinnerKudos is the kudos a winner of the contest is given, from the
// manager who started it, once.
func WinnerKudos(c *Contest, winner string, at time.Time) Kudos {
	return Kudos{TeamID: c.TeamID, From: c.CreatedBy, To: winner, Text: "🏆 " + c.Name, CreatedAt: at}
}

// HasWinnerKudos reports whether kudos holds the winner's kudos for the
// contest already, so a retried announcement gives none twice.
func HasWinnerKudos(kudos []Kudos, c *Contest, winner string) bool {
	want := WinnerKudos(c, winner, time.Time{})
	for _, k := range kudos {
		if k.TeamID == want.TeamID && k.From == want.From && k.To == want.To && k.Text == want.Text {
			return true
		}
	}
	return false
}
