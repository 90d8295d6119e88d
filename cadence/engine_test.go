package cadence_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/storage"
	"github.com/salespulse/pulse/storage/pgtest"
)

var bg = context.Background()

// slackRecorder stands in for Slack behind the Notifier: it records each
// notice delivered, with the clock's time, and remembers where each job's
// message went, as Slack's history with metadata would. It can fail or
// hold deliveries on demand.
type slackRecorder struct {
	clock *pulse.ManualClock

	mu        sync.Mutex
	sent      []sentNotice
	history   map[string]pulse.Delivery // job key → message, as Slack holds it
	failNext  int                       // fail this many Deliver calls
	failErr   error                     // with this error (default: a transient one)
	postFirst bool                      // a failing Deliver still posts, like a timeout after Slack accepted
	gate      chan struct{}             // when set, Deliver waits for it to close
	delivers  int                       // Deliver calls, failed ones too
	asked     int                       // Delivered calls
}

type sentNotice struct {
	pulse.Notice
	At time.Time
}

func newSlack(clock *pulse.ManualClock) *slackRecorder {
	return &slackRecorder{clock: clock, history: map[string]pulse.Delivery{}}
}

func (s *slackRecorder) Deliver(ctx context.Context, n pulse.Notice) (pulse.Delivery, error) {
	s.mu.Lock()
	gate := s.gate
	s.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return pulse.Delivery{}, ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delivers++
	if n.Payload == nil || n.Payload.Kind() != n.Key.Kind {
		return pulse.Delivery{}, fmt.Errorf("notice %s carries a %T payload", n.Key, n.Payload)
	}
	d := pulse.Delivery{Channel: n.To, TS: fmt.Sprintf("1770000000.%06d", s.delivers)}
	if pulse.ValidUserID(n.To) {
		d.Channel = "D" + n.To
	}
	if s.failNext > 0 {
		s.failNext--
		if s.postFirst {
			s.history[n.Key.String()] = d
		}
		if s.failErr != nil {
			return pulse.Delivery{}, s.failErr
		}
		return pulse.Delivery{}, errors.New("slack: connection reset")
	}
	s.sent = append(s.sent, sentNotice{Notice: n, At: s.clock.Now()})
	s.history[n.Key.String()] = d
	return d, nil
}

func (s *slackRecorder) Delivered(_ context.Context, key pulse.JobKey, _ string, _ time.Time) (pulse.Delivery, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked++
	d, ok := s.history[key.String()]
	return d, ok, nil
}

// notices returns the notices delivered so far of the given kinds (all
// when none is given).
func (s *slackRecorder) notices(kinds ...pulse.JobKind) []sentNotice {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []sentNotice
	for _, n := range s.sent {
		if len(kinds) == 0 || slices.Contains(kinds, n.Key.Kind) {
			out = append(out, n)
		}
	}
	return out
}

// storeDirectory answers who a person is from the store, as the bot's
// directory does once users.info is cached.
type storeDirectory struct{ db *storage.DB }

func (d storeDirectory) Person(ctx context.Context, id string) (*pulse.Person, error) {
	return d.db.Person(ctx, id)
}

func (d storeDirectory) People(ctx context.Context, ids []string) (map[string]*pulse.Person, error) {
	out := make(map[string]*pulse.Person, len(ids))
	for _, id := range ids {
		p, err := d.db.Person(ctx, id)
		switch {
		case err == nil:
			out[id] = p
		case !pulse.IsNotFound(err):
			return nil, err
		}
	}
	return out, nil
}

// fixture is an engine over a real database in a temporary folder, a fake
// clock and a recording Slack.
type fixture struct {
	t      *testing.T
	db     *storage.DB
	clock  *pulse.ManualClock
	slack  *slackRecorder
	engine *cadence.Engine
	team   *pulse.Team
}

// The people of the fixture's team: reps in Oslo, New York and Tokyo, and
// their manager in Oslo.
const (
	oslo    = "UOSLO"
	newYork = "UNYC"
	tokyo   = "UTOKYO"
	boss    = "UBOSS"
	channel = "CTEAM"
)

// newFixture opens a database with the team set up by setup (a team in
// Oslo with the three reps and Pulse's default rhythm when setup is nil),
// created at the given instant, and starts an engine at that instant.
func newFixture(t *testing.T, start time.Time, setup func(*pulse.Team), opt cadence.Options) *fixture {
	t.Helper()
	return newFixtureOn(t, "bolt", start, setup, opt)
}

// storeEngines are the store engines a test runs on: bbolt, and PostgreSQL
// when PULSE_TEST_DATABASE_URL names a test database.
func storeEngines(t *testing.T) []string {
	if pgtest.URL() == "" {
		t.Log(pgtest.SkipMessage)
		return []string{"bolt"}
	}
	return []string{"bolt", "postgres"}
}

// newFixtureOn is newFixture on the given store engine: "bolt", or
// "postgres" in a schema of its own.
func newFixtureOn(t *testing.T, engine string, start time.Time, setup func(*pulse.Team), opt cadence.Options) *fixture {
	t.Helper()
	var db *storage.DB
	var err error
	if engine == "postgres" {
		db, err = storage.OpenPostgres(bg, pgtest.Schema(t))
	} else {
		db, err = storage.Open(filepath.Join(t.TempDir(), "pulse.db"))
	}
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	clock := pulse.NewManualClock(start)
	db.Clock = clock
	f := &fixture{t: t, db: db, clock: clock, slack: newSlack(clock)}

	for _, p := range []*pulse.Person{
		{ID: oslo, Name: "Ola", TZ: "Europe/Oslo", Lang: pulse.Norwegian, Goal: "Buy a boat"},
		{ID: newYork, Name: "Nia", TZ: "America/New_York"},
		{ID: tokyo, Name: "Taro", TZ: "Europe/Oslo", TZOverride: "Asia/Tokyo"},
		{ID: boss, Name: "Bo", TZ: "Europe/Oslo"},
	} {
		if err := db.SavePerson(bg, p); err != nil {
			t.Fatalf("save person %s: %v", p.ID, err)
		}
	}
	team := pulse.NewTeam("Nordic", "Europe/Oslo")
	team.Managers = []string{boss}
	team.Reps = []string{oslo, newYork, tokyo}
	team.Channel = channel
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 40}}
	if setup != nil {
		setup(team)
	}
	if err := db.CreateTeam(bg, team); err != nil {
		t.Fatalf("create team: %v", err)
	}
	f.team = team
	f.engine = f.newEngine("run-1", opt)
	return f
}

// newEngine starts another engine on the fixture's database and Slack,
// closed when the test ends.
func (f *fixture) newEngine(owner string, opt cadence.Options) *cadence.Engine {
	f.t.Helper()
	e, err := cadence.New(cadence.Config{Clock: f.clock, Store: f.db, Notifier: f.slack, Directory: storeDirectory{f.db}, Owner: owner, Options: opt})
	if err != nil {
		f.t.Fatalf("new engine: %v", err)
	}
	f.t.Cleanup(func() { _ = e.Close() })
	return e
}

// tickAt moves the clock to now, ticks, and waits for the deliveries.
func (f *fixture) tickAt(now time.Time) {
	f.t.Helper()
	f.clock.Set(now)
	if err := f.engine.Tick(bg); err != nil {
		f.t.Fatalf("tick at %s: %v", now.UTC(), err)
	}
	f.drain(f.engine)
}

func (f *fixture) drain(e *cadence.Engine) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(bg, 10*time.Second)
	defer cancel()
	if err := e.Drain(ctx); err != nil {
		f.t.Fatalf("drain: %v", err)
	}
}

// walk ticks from the clock's time (excluded) to the given instant
// (included) in steps; at is called before each tick, to act as people do.
func (f *fixture) walk(to time.Time, step time.Duration, at func(now time.Time)) {
	f.t.Helper()
	for now := f.clock.Now().Add(step); !now.After(to); now = now.Add(step) {
		if at != nil {
			f.clock.Set(now)
			at(now)
		}
		f.tickAt(now)
	}
}

// checkIn stores rep's answer for day, submitted at the clock's time, with
// the status whoever saves a check-in gives it.
func (f *fixture) checkIn(rep string, day pulse.Date, energy int, plan string) {
	f.t.Helper()
	now := f.clock.Now()
	p, err := f.db.Person(bg, rep)
	if err != nil {
		f.t.Fatalf("person %s: %v", rep, err)
	}
	c := &pulse.CheckIn{
		TeamID: f.team.ID, UserID: rep, Date: day, Plan: plan, Energy: energy,
		Status: pulse.CheckInStatusAt(f.team, p, day, now), SubmittedAt: now, UpdatedAt: now,
		Metrics: map[string]float64{"calls": 10},
	}
	if err := f.db.SaveCheckIn(bg, c); err != nil {
		f.t.Fatalf("save check-in: %v", err)
	}
}

// job returns the ledger's entry for key.
func (f *fixture) job(key pulse.JobKey) pulse.Job {
	f.t.Helper()
	j, err := f.db.Job(bg, key)
	if err != nil {
		f.t.Fatalf("job %s: %v", key, err)
	}
	return j
}

// sentAt returns key → UTC time of delivery for the notices of the kinds.
func (f *fixture) sentAt(kinds ...pulse.JobKind) map[string]string {
	f.t.Helper()
	out := map[string]string{}
	for _, n := range f.slack.notices(kinds...) {
		k := n.Key.String()
		if _, dup := out[k]; dup {
			f.t.Errorf("%s delivered twice", k)
		}
		out[k] = n.At.UTC().Format("2006-01-02 15:04")
	}
	return out
}

func assertSent(t *testing.T, got, want map[string]string) {
	t.Helper()
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s delivered at %q, want %q", k, got[k], w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s delivered at %s, want it not delivered", k, g)
		}
	}
}
