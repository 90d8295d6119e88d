package pulse

import (
	"context"
	"time"
)

// The stores below are what the bot and the cadence engine need of the
// database. Each method that finds nothing returns an error whose code is
// ENOTFOUND. Ranges of dates include both ends. Lists come sorted by time,
// oldest first, then by user ID. A store may also be a Scanner (scanner.go)
// for callers that only count.

// TeamStore holds teams.
type TeamStore interface {
	// CreateTeam stores a new team, assigning its ID and CreatedAt. A name
	// already taken (case-insensitively) is an ECONFLICT error.
	CreateTeam(ctx context.Context, t *Team) error
	// UpdateTeam replaces a stored team's settings.
	UpdateTeam(ctx context.Context, t *Team) error
	Team(ctx context.Context, id string) (*Team, error)
	TeamByName(ctx context.Context, name string) (*Team, error)
	Teams(ctx context.Context) ([]*Team, error)
	// TeamsOf returns the teams that user manages, directs or checks in with.
	TeamsOf(ctx context.Context, user string) ([]*Team, error)
}

// PersonStore holds what Pulse knows of each Slack user.
type PersonStore interface {
	SavePerson(ctx context.Context, p *Person) error
	Person(ctx context.Context, id string) (*Person, error)
	// UpdatePerson applies fn to the stored person (a new one with only
	// the ID when none is stored) and saves the result, in one
	// transaction, so a refresh from Slack never undoes a choice the
	// person made meanwhile.
	UpdatePerson(ctx context.Context, id string, fn func(*Person) error) (*Person, error)
	// AddAway stores an away period, assigning its ID.
	AddAway(ctx context.Context, a *AwayPeriod) error
	AwayPeriods(ctx context.Context, user string) ([]AwayPeriod, error)
}

// CheckInStore holds check-ins, one per team, rep and day.
type CheckInStore interface {
	// SaveCheckIn stores the check-in, replacing the rep's earlier one for
	// the same team and day.
	SaveCheckIn(ctx context.Context, c *CheckIn) error
	// SaveCheckInRaising is SaveCheckIn that also stores raised, the
	// blocker the check-in raises (when not nil), in the same transaction:
	// neither is saved without the other. raised gets its ID.
	SaveCheckInRaising(ctx context.Context, c *CheckIn, raised *Blocker) error
	CheckIn(ctx context.Context, team, user string, day Date) (*CheckIn, error)
	// TeamCheckIns returns a team's check-ins from one day to another.
	TeamCheckIns(ctx context.Context, team string, from, to Date) ([]CheckIn, error)
	// RepCheckIns returns one rep's check-ins, in all teams, from one day to another.
	RepCheckIns(ctx context.Context, user string, from, to Date) ([]CheckIn, error)
}

// CommitmentStore holds weekly commitments.
type CommitmentStore interface {
	// SaveCommitment stores c, assigning an ID to a new one.
	SaveCommitment(ctx context.Context, c *Commitment) error
	Commitment(ctx context.Context, id string) (*Commitment, error)
	// UpdateCommitment applies fn to the stored commitment in one transaction.
	UpdateCommitment(ctx context.Context, id string, fn func(*Commitment) error) (*Commitment, error)
	// TeamCommitments returns the commitments for the weeks starting fromWeek to toWeek.
	TeamCommitments(ctx context.Context, team string, fromWeek, toWeek Date) ([]Commitment, error)
	RepCommitments(ctx context.Context, user string, fromWeek, toWeek Date) ([]Commitment, error)
}

// TrainingStore holds trainings and the nudges that reinforce them.
type TrainingStore interface {
	// SaveTraining stores t, assigning an ID to a new one.
	SaveTraining(ctx context.Context, t *Training) error
	Training(ctx context.Context, id string) (*Training, error)
	// TeamTrainings returns trainings held from one day to another.
	TeamTrainings(ctx context.Context, team string, from, to Date) ([]Training, error)
	SaveNudge(ctx context.Context, n *Nudge) error
	Nudge(ctx context.Context, training, user string, day int) (*Nudge, error)
	TrainingNudges(ctx context.Context, training string) ([]Nudge, error)
	RepNudges(ctx context.Context, user string) ([]Nudge, error)
}

// CoachingStore holds 1:1s.
type CoachingStore interface {
	// SaveSession stores s, assigning an ID to a new one.
	SaveSession(ctx context.Context, s *CoachingSession) error
	RepSessions(ctx context.Context, team, rep string) ([]CoachingSession, error)
	// RepSessionsFrom returns the rep's 1:1s in team dated from day from
	// on, oldest first, and the day of the latest before it (zero: none).
	RepSessionsFrom(ctx context.Context, team, rep string, from Date) (before Date, sessions []CoachingSession, err error)
	// LastSession returns the rep's latest 1:1 in the team.
	LastSession(ctx context.Context, team, rep string) (*CoachingSession, error)
}

// KudosStore holds recognition.
type KudosStore interface {
	// SaveKudos stores k, assigning an ID.
	SaveKudos(ctx context.Context, k *Kudos) error
	// TeamKudos returns kudos given in the team from one instant (included) to another (excluded).
	TeamKudos(ctx context.Context, team string, from, to time.Time) ([]Kudos, error)
	RepKudos(ctx context.Context, user string, from, to time.Time) ([]Kudos, error)
}

// BlockerStore holds blockers.
type BlockerStore interface {
	// SaveBlocker stores b, assigning an ID to a new one.
	SaveBlocker(ctx context.Context, b *Blocker) error
	Blocker(ctx context.Context, id string) (*Blocker, error)
	// UpdateBlocker applies fn to the stored blocker in one transaction, so
	// two managers pressing "Resolved" at once resolve it once.
	UpdateBlocker(ctx context.Context, id string, fn func(*Blocker) error) (*Blocker, error)
	OpenBlockers(ctx context.Context, team string) ([]Blocker, error)
	// TeamBlockers returns blockers raised from one day to another.
	TeamBlockers(ctx context.Context, team string, from, to Date) ([]Blocker, error)
}

// PlanStore holds reps' plans.
type PlanStore interface {
	// SavePlans validates every plan against the team and stores them all
	// in one transaction, replacing each rep's plan for the same metric,
	// period and start; one bad plan stores none. Each plan's SetBy and
	// UpdatedAt are kept as given.
	SavePlans(ctx context.Context, team string, plans []Plan) error
	// TeamPlans returns the team's plans for periods starting from one day
	// to another, by rep, period, start and metric.
	TeamPlans(ctx context.Context, team string, from, to Date) ([]Plan, error)
}

// ContestStore holds sales contests.
type ContestStore interface {
	// SaveContest stores a new contest, assigning its ID.
	SaveContest(ctx context.Context, c *Contest) error
	Contest(ctx context.Context, id string) (*Contest, error)
	// UpdateContest applies fn to the stored contest in one transaction.
	UpdateContest(ctx context.Context, id string, fn func(*Contest) error) (*Contest, error)
	// TeamContests returns the team's contests that end on or after a day,
	// by end day.
	TeamContests(ctx context.Context, team string, endingFrom Date) ([]Contest, error)
}

// FeedbackStore holds what leaders answered to check-ins.
type FeedbackStore interface {
	// SaveFeedback stores f, assigning an ID to a new one.
	SaveFeedback(ctx context.Context, f *Feedback) error
	Feedback(ctx context.Context, id string) (*Feedback, error)
	// UpdateFeedback applies fn to the stored feedback in one transaction,
	// so two replies at once both stay.
	UpdateFeedback(ctx context.Context, id string, fn func(*Feedback) error) (*Feedback, error)
	// TeamFeedback returns the feedback given in the team from one instant
	// (included) to another (excluded).
	TeamFeedback(ctx context.Context, team string, from, to time.Time) ([]Feedback, error)
}

// AgendaStore holds the reps' 1:1 agendas.
type AgendaStore interface {
	// AddAgendaItem stores a new item, assigning its ID and At. An item
	// whose Ref the rep's agenda in the team already holds (open or
	// closed) is not stored again: added is false.
	AddAgendaItem(ctx context.Context, a *AgendaItem) (added bool, err error)
	// RepAgenda returns the rep's open items in the team, oldest first.
	RepAgenda(ctx context.Context, team, rep string) ([]AgendaItem, error)
	// CloseAgenda closes the rep's open items in the team but those in
	// keep, naming the 1:1 that closed them, and returns how many it closed.
	CloseAgenda(ctx context.Context, team, rep string, keep []string, session string, at time.Time) (int, error)
}

// Roster is what is stored about each rep of a team, read in one go so a
// status answer for a big team costs one transaction, not three per rep.
type Roster struct {
	People       map[string]*Person      // reps Pulse has a profile of; read-only, shared with the store
	Away         map[string][]AwayPeriod // each rep's away periods
	LastOneOnOne map[string]Date         // the day of each rep's latest 1:1 in the team, if any
}

// RosterStore reads a team's reps together.
type RosterStore interface {
	// Roster returns the profiles, away periods and latest 1:1s in team of
	// the given reps. A rep with none of a kind is simply absent from that map.
	Roster(ctx context.Context, team string, reps []string) (Roster, error)
}

// CRMStore holds reps' matches to CRM users and the numbers pulled from
// the CRM, per rep per local day.
type CRMStore interface {
	// SaveCRMMatch stores the rep's match, replacing an earlier one.
	SaveCRMMatch(ctx context.Context, m *CRMMatch) error
	// CRMMatches returns a team's matches by rep.
	CRMMatches(ctx context.Context, team string) (map[string]CRMMatch, error)
	// SaveCRMFigures stores one pull's figures together.
	SaveCRMFigures(ctx context.Context, figs []CRMFigure) error
	CRMFigure(ctx context.Context, team, rep string, day Date) (*CRMFigure, error)
	// TeamCRMFigures returns a team's figures from one day to another.
	TeamCRMFigures(ctx context.Context, team string, from, to Date) ([]CRMFigure, error)
	SaveCRMHealth(ctx context.Context, h *CRMHealth) error
	CRMHealth(ctx context.Context, team string) (*CRMHealth, error)
}

// Store is all of Pulse's state, as the bot and the engine use it.
type Store interface {
	RosterStore
	TeamStore
	PersonStore
	CheckInStore
	CommitmentStore
	TrainingStore
	CoachingStore
	KudosStore
	BlockerStore
	PlanStore
	ContestStore
	FeedbackStore
	AgendaStore
	CRMStore
	JobLedger
	EnvelopeLog
	SignInStore
	Outbox

	// ReadTogether calls fn with a context under which every read of the
	// store sees one state of it, read in one go. fn must not write.
	ReadTogether(ctx context.Context, fn func(ctx context.Context) error) error
}
