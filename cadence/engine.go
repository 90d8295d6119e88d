package cadence

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/salespulse/pulse"
)

// ErrClosed is returned by Tick once the engine is closed.
var ErrClosed = errors.New("cadence: engine closed")

// Config is what an Engine is built from. Clock, Store, Notifier and
// Directory are required.
type Config struct {
	Clock     pulse.Clock
	Store     pulse.Store
	Notifier  pulse.Notifier
	Directory pulse.Directory
	// Owner names this run in the job ledger. A job claimed by another
	// owner and never confirmed was left by a run that stopped, and is
	// settled by asking Slack. Default: a random ID, new at every start.
	Owner string
	// Logger receives the engine's logs. Default: discard.
	Logger *slog.Logger
	// Metrics counts jobs by kind and step and follows the queue's depth.
	// Default: discard.
	Metrics pulse.Metrics
	Options Options
	// CRM, when set, pulls teams' numbers from their CRMs beside the
	// ticks, once a minute on its own schedule, so a slow CRM never holds
	// up a check-in.
	CRM *CRMSyncer
}

// Engine sends each due job once. Tick decides and claims; a pool of
// workers builds the notices and delivers them, so a slow Slack slows the
// pool, never the decisions. Its methods are safe for concurrent use.
type Engine struct {
	clock    pulse.Clock
	store    pulse.Store
	notifier pulse.Notifier
	dir      pulse.Directory
	owner    string
	log      *slog.Logger
	metrics  pulse.Metrics
	opt      Options
	crm      *CRMSyncer

	// ctx lives until Close; deliveries run under it, not under the
	// context of the tick that claimed them.
	ctx     context.Context
	cancel  context.CancelFunc
	workers sync.WaitGroup

	// fillMu lets one fill at a time walk the teams and claim (see
	// fanout.go), and guards each walk's position.
	fillMu sync.Mutex

	mu      sync.Mutex
	wake    *sync.Cond // signals work to the pool and the feeder, and idleness to Drain
	ready   []*task    // claimed, waiting for a worker
	waiting []*task    // failed, waiting for their retry time
	busy    int        // being delivered
	closed  bool
	// pending holds the teams whose due jobs are not all walked yet, in
	// the order they fell due (their walks' positions are fillMu's);
	// feeding is set while the feeder fills.
	pending []*fanOut
	feeding bool
	// cleared holds jobs that Recover found missing from Slack and
	// released, so that claiming them again need not ask Slack twice.
	cleared map[pulse.JobKey]bool
	// done holds jobs known to be finished (or never to be sent), until
	// the instant Due stops naming them, to spare the ledger a read per
	// tick. See doneKey.
	done        map[doneKey]int64 // → Until in Unix nanoseconds
	doneSeeds   [2]maphash.Seed
	recoverDue  bool
	lastRecover time.Time
	lastPrune   time.Time
}

// task is one claimed job on its way to the notifier. Its notice is built
// when a worker takes it.
type task struct {
	occ   Occurrence
	team  *pulse.Team
	facts *Facts // as gathered by the walk that claimed it; read only
	// checkFirst asks Slack before delivering, because an earlier
	// attempt may have posted the message before it failed.
	checkFirst bool
	attempts   int       // failed deliveries so far
	next       time.Time // when a failed task may be tried again
}

// New returns an engine with its worker pool started. Close stops it.
func New(cfg Config) (*Engine, error) {
	if cfg.Clock == nil || cfg.Store == nil || cfg.Notifier == nil || cfg.Directory == nil {
		return nil, errors.New("cadence: clock, store, notifier and directory are required")
	}
	if cfg.Owner == "" {
		cfg.Owner = newOwner()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Metrics == nil {
		cfg.Metrics = pulse.NopMetrics{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Engine{
		clock: cfg.Clock, store: cfg.Store, notifier: cfg.Notifier, dir: cfg.Directory,
		owner: cfg.Owner, log: cfg.Logger.With("owner", cfg.Owner), opt: cfg.Options.withDefaults(),
		ctx: ctx, cancel: cancel, done: map[doneKey]int64{}, doneSeeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, recoverDue: true,
		cleared: map[pulse.JobKey]bool{},
		metrics: cfg.Metrics, crm: cfg.CRM,
	}
	e.wake = sync.NewCond(&e.mu)
	for range e.opt.Workers {
		e.workers.Add(1)
		go e.work()
	}
	e.workers.Add(1)
	go e.feed()
	return e, nil
}

// newOwner returns a random run ID, new at every start.
func newOwner() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "run-" + hex.EncodeToString(b)
}

// Owner returns the run ID the engine claims jobs under.
func (e *Engine) Owner() string { return e.owner }

// Run ticks at the start of every minute until ctx ends, after a first
// tick at once so that jobs that fell due while the process was down go
// out now. A tick still running when the next is due makes that one wait
// its turn out. Run does not close the engine.
func (e *Engine) Run(ctx context.Context) error {
	clog := cronLogger{e.log}
	tick := func() {
		if err := e.Tick(ctx); err != nil && ctx.Err() == nil {
			e.log.Error("cadence tick", "err", err)
		}
	}
	c := cron.New(cron.WithLogger(clog), cron.WithChain(cron.Recover(clog), cron.SkipIfStillRunning(clog)))
	if _, err := c.AddFunc("* * * * *", tick); err != nil {
		return fmt.Errorf("schedule the cadence tick: %w", err)
	}
	if e.crm != nil {
		crmTick := func() {
			if err := e.crm.Tick(ctx); err != nil && ctx.Err() == nil {
				e.log.Error("crm sync tick", "err", err)
			}
		}
		if _, err := c.AddFunc("* * * * *", crmTick); err != nil {
			return fmt.Errorf("schedule the CRM sync: %w", err)
		}
	}
	tick()
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// Tick does one round: it settles jobs left claimed by a run that stopped
// (at the first tick and every RecoverEvery), sets every team's due jobs to
// be walked afresh, claims as many as the pool has room for (see
// claimAhead) and hands them to it, and moves failed deliveries whose wait
// is over back to the pool. The rest is claimed as the pool drains, in
// batches, by the engine's feeder. Tick returns once what fits is claimed,
// not delivered (see Drain). Concurrent ticks are safe: the ledger lets one
// claim win.
func (e *Engine) Tick(ctx context.Context) error {
	now := e.clock.Now()
	e.mu.Lock()
	closed := e.closed
	settle := e.recoverDue || now.Sub(e.lastRecover) >= e.opt.RecoverEvery
	if settle {
		e.recoverDue, e.lastRecover = false, now
	}
	e.mu.Unlock()
	if closed {
		return ErrClosed
	}

	var errs []error
	if settle {
		if err := e.Recover(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	teams, err := e.store.Teams(ctx)
	if err != nil {
		errs = append(errs, fmt.Errorf("tick: list teams: %w", err))
	}
	e.fillMu.Lock()
	if err == nil {
		e.plan(teams, now)
	}
	if err := e.fill(ctx); err != nil {
		errs = append(errs, fmt.Errorf("tick: %w", err))
	}
	e.fillMu.Unlock()
	// Retries go back to the pool after the claims, so that a job released
	// by its last failed retry is claimed afresh by a later tick, not at
	// once by this one.
	e.promote(now)
	e.forget(now)
	if err := e.prune(ctx, now); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// gather reads what Due needs to know of the team.
func (e *Engine) gather(ctx context.Context, team *pulse.Team, now time.Time) (*Facts, error) {
	members := slices.Concat(team.Reps, team.Managers)
	slices.Sort(members)
	members = slices.Compact(members) // a manager may also check in
	// Away days and the last 1:1s of every member in one read; profiles
	// through the directory, which asks Slack about the ones it lacks.
	roster, err := e.store.Roster(ctx, team.ID, members)
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	// All at once, so that a new team's members are asked of Slack in bulk.
	people, err := e.dir.People(ctx, members)
	if err != nil {
		return nil, fmt.Errorf("people: %w", err)
	}
	f := &Facts{
		People:       people,
		Away:         roster.Away,
		LastOneOnOne: roster.LastOneOnOne,
	}
	// Nudges run up to 365 days after a training, and a week later for a
	// rep who was away; a day ahead covers reps east of the team.
	today := pulse.DateOf(now.In(team.Location()))
	if f.Trainings, err = e.store.TeamTrainings(ctx, team.ID, today.AddDays(-365-catchUpDays-1), today.AddDays(1)); err != nil {
		return nil, fmt.Errorf("trainings: %w", err)
	}
	if f.OpenBlockers, err = e.store.OpenBlockers(ctx, team.ID); err != nil {
		return nil, fmt.Errorf("open blockers: %w", err)
	}
	if f.Contests, err = e.store.TeamContests(ctx, team.ID, today.AddDays(-3)); err != nil {
		return nil, fmt.Errorf("contests: %w", err)
	}
	return f, nil
}

// readiness says whether an occurrence may be claimed now.
type readiness int

const (
	goAhead readiness = iota
	later             // not yet: ask again at the next tick
	never             // there will be nothing to send
)

// consider decides whether the walk of f claims occurrence o now, and if
// so returns its task, not yet claimed: not when it is finished, in
// someone's hands, or its facts say it is not needed (yet).
func (e *Engine) consider(ctx context.Context, f *fanOut, o Occurrence, now time.Time) (*task, error) {
	if e.known(o.Key) {
		return nil, nil
	}
	if !o.Key.Valid() {
		e.log.Warn("job key not valid; not sent", "job", o.Key.String())
		e.remember(o.Key, o.Until)
		return nil, nil
	}
	j, err := e.store.Job(ctx, o.Key)
	switch {
	case pulse.IsNotFound(err):
	case err != nil:
		return nil, fmt.Errorf("read job %s: %w", o.Key, err)
	case j.State == pulse.JobSent || j.State == pulse.JobSkipped:
		e.remember(o.Key, o.Until)
		return nil, nil
	case j.State == pulse.JobClaimed:
		// Being delivered here, or left by a stopped run for Recover.
		return nil, nil
	}
	r, err := e.readiness(ctx, f.team, o, now)
	switch {
	case err != nil:
		return nil, fmt.Errorf("job %s: %w", o.Key, err)
	case r == never:
		e.remember(o.Key, o.Until)
		return nil, nil
	case r == later:
		return nil, nil
	}
	return &task{occ: o, team: f.team, facts: f.facts}, nil
}

// readiness checks, without writing, the facts that decide whether a reminder
// or a missed day may be claimed yet, so that the ledger records only
// occurrences with something to do.
func (e *Engine) readiness(ctx context.Context, team *pulse.Team, o Occurrence, now time.Time) (readiness, error) {
	switch o.Key.Kind {
	case pulse.JobReminder:
		answered, err := e.answered(ctx, team.ID, o.Rep, o.Day)
		if err != nil || answered {
			return never, err
		}
		// The reminder follows the check-in by the team's delay from when
		// it actually went out, also after a downtime.
		j, err := e.store.Job(ctx, pulse.CheckInKey(team.ID, o.Rep, o.Day))
		switch {
		case pulse.IsNotFound(err):
			return later, nil
		case err != nil:
			return later, err
		case j.State == pulse.JobSkipped:
			return never, nil
		case j.State != pulse.JobSent || now.Before(j.DoneAt.Add(team.ReminderDelay)):
			return later, nil
		}
	case pulse.JobMissed:
		// A day is missed only if the check-in was asked for.
		j, err := e.store.Job(ctx, pulse.CheckInKey(team.ID, o.Rep, o.Day))
		switch {
		case pulse.IsNotFound(err):
			return never, nil
		case err != nil:
			return later, err
		case j.State == pulse.JobClaimed:
			return later, nil
		case j.State != pulse.JobSent:
			return never, nil
		}
		_, err = e.store.CheckIn(ctx, team.ID, o.Rep, o.Day)
		switch {
		case err == nil:
			return never, nil
		case !pulse.IsNotFound(err):
			return later, err
		}
	}
	return goAhead, nil
}

// answered reports whether the rep answered the day's check-in.
func (e *Engine) answered(ctx context.Context, team, rep string, day pulse.Date) (bool, error) {
	c, err := e.store.CheckIn(ctx, team, rep, day)
	switch {
	case pulse.IsNotFound(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("check-in of %s on %s: %w", rep, day, err)
	}
	return c.Answered(), nil
}

// doneKey is a job key as done holds it: 128 bits of hash rather than the
// key's four strings. A day's finished jobs number ten or so per rep, and at
// ten thousand reps the keys themselves were a dozen megabytes of a heap of
// thirty; two independent 64-bit hashes make two keys meeting less likely
// than anything else going wrong (about 1 in 10^26 for a million keys).
type doneKey [2]uint64

func (e *Engine) doneKeyOf(k pulse.JobKey) doneKey {
	var out doneKey
	for i, seed := range e.doneSeeds {
		var h maphash.Hash
		h.SetSeed(seed)
		for _, part := range [...]string{string(k.Kind), k.TeamID, k.UserID, k.Occurrence} {
			h.WriteString(part)
			h.WriteByte(0) // no part holds a NUL, so parts cannot run together
		}
		out[i] = h.Sum64()
	}
	return out
}

func (e *Engine) known(k pulse.JobKey) bool {
	dk := e.doneKeyOf(k)
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.done[dk]
	return ok
}

func (e *Engine) remember(k pulse.JobKey, until time.Time) {
	dk := e.doneKeyOf(k)
	e.mu.Lock()
	e.done[dk] = until.UnixNano()
	e.mu.Unlock()
}

// forget drops finished jobs that Due no longer names.
func (e *Engine) forget(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := now.UnixNano()
	for k, until := range e.done {
		if t >= until {
			delete(e.done, k)
		}
	}
}

// prune deletes finished ledger entries older than KeepJobs, once a day.
func (e *Engine) prune(ctx context.Context, now time.Time) error {
	e.mu.Lock()
	due := now.Sub(e.lastPrune) >= 24*time.Hour
	if due {
		e.lastPrune = now
	}
	e.mu.Unlock()
	if !due {
		return nil
	}
	n, err := e.store.PruneJobs(ctx, now.Add(-e.opt.KeepJobs))
	if err != nil {
		return fmt.Errorf("prune job ledger: %w", err)
	}
	if n > 0 {
		e.log.Info("pruned job ledger", "jobs", n)
	}
	return nil
}

// cronLogger passes cron's own messages to slog, its chatter at debug.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
