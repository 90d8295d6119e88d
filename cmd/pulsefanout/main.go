// Command pulsefanout measures how fast the cadence engine and the bot's
// notifier fan a check-in out to many reps against a Slack that limits
// chat.postMessage to a rate: the Slack stand-in answers 429 beyond -rate
// posts a second, the bot's pacer is set to the same rate, and a clock
// fixed at the reps' check-in time makes one tick claim them all.
//
// It prints the wall time until every DM is recorded, that time divided by
// the ideal reps ÷ rate, the duplicates and lost DMs (both should be 0)
// and the 429s seen:
//
//	go run ./cmd/pulsefanout -reps 10000 -rate 200
//
// With -database-url postgres://… the state is in a new schema of that
// PostgreSQL database (dropped at the end) and -replicas processes' worth
// of stores, bots and engines share it: the one that takes the cadence
// leader's advisory lock ticks, as in pulse run.
//
//	go run ./cmd/pulsefanout -reps 10000 -rate 200 -database-url postgres://… -replicas 3
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/storage"
	"github.com/salespulse/pulse/storage/kv"
)

func main() {
	reps := flag.Int("reps", 10000, "reps to send a check-in DM to, in teams of up to 1,000")
	rate := flag.Int("rate", 200, "chat.postMessage calls a second Slack allows; the bot is paced to it")
	workers := flag.Int("workers", 0, "the engine's delivery workers; 0 for its default")
	verbose := flag.Bool("v", false, "log the engine and the bot to stderr")
	dsn := flag.String("database-url", "", "postgres:// URL: keep the state in a new schema there instead of a bbolt file")
	replicas := flag.Int("replicas", 1, "with -database-url: stores, bots and engines sharing the database; the leader ticks")
	flag.Parse()
	if *reps < 1 || *rate < 1 || *replicas < 1 || (*replicas > 1 && *dsn == "") {
		fmt.Fprintln(os.Stderr, "pulsefanout: -reps, -rate and -replicas must be 1 or more, and more than one replica needs -database-url")
		os.Exit(2)
	}
	r, err := run(context.Background(), *reps, *rate, *workers, *verbose, *dsn, *replicas)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulsefanout:", err)
		os.Exit(1)
	}
	r.print(os.Stdout)
	if r.duplicates > 0 || r.lost > 0 {
		os.Exit(1)
	}
}

// result is what one fan-out measured.
type result struct {
	reps, rate, workers int
	engine              string
	seed, tick, total   time.Duration
	duplicates, lost    int
	limited, posts      int
}

func (r result) print(w io.Writer) {
	ideal := time.Duration(float64(r.reps) / float64(r.rate) * float64(time.Second))
	fmt.Fprintf(w, "reps %d, rate %d/s, engine workers %d, %s\n", r.reps, r.rate, r.workers, r.engine)
	fmt.Fprintf(w, "seeded in %v; the tick took %v\n", r.seed.Round(time.Millisecond), r.tick.Round(time.Millisecond))
	fmt.Fprintf(w, "all DMs recorded after %v; ideal %v; ratio %.3f (target <= 1.10)\n",
		r.total.Round(time.Millisecond), ideal, r.total.Seconds()/ideal.Seconds())
	fmt.Fprintf(w, "duplicates %d, lost %d, 429s %d of %d chat.postMessage calls\n", r.duplicates, r.lost, r.limited, r.posts)
}

func run(ctx context.Context, reps, rate, workers int, verbose bool, dsn string, replicas int) (result, error) {
	res := result{reps: reps, rate: rate, workers: workers, engine: "bbolt"}
	dir, err := os.MkdirTemp("", "pulsefanout-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if verbose {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}

	// Tuesday 09:00 UTC: every rep's check-in time.
	clock := pulse.NewManualClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	s := slacktest.NewServer(slacktest.WithClock(clock))
	defer s.Close()
	if dsn != "" {
		schemaURL, drop, err := newSchema(ctx, dsn)
		if err != nil {
			return res, err
		}
		defer drop()
		dsn = schemaURL
		res.engine = fmt.Sprintf("PostgreSQL, %d replicas", replicas)
	}
	db, err := openStore(ctx, dir, dsn, clock)
	if err != nil {
		return res, err
	}
	defer db.Close()

	start := time.Now()
	keys, err := seed(ctx, s, db, clock.Now(), reps)
	if err != nil {
		return res, err
	}
	res.seed = time.Since(start)

	// One store, bot and engine a replica; the first opened the schema.
	dbs := []*storage.DB{db}
	for len(dbs) < replicas {
		other, err := openStore(ctx, dir, dsn, clock)
		if err != nil {
			return res, err
		}
		defer other.Close()
		dbs = append(dbs, other)
	}
	engines, closeEngines, err := startEngines(s, dbs, clock, logger, rate, workers)
	if err != nil {
		return res, err
	}
	defer closeEngines()
	s.PaceLimit("chat.postMessage", rate)

	start = time.Now()
	e, err := tickAsLeader(ctx, dbs, engines)
	if err != nil {
		return res, fmt.Errorf("tick: %w", err)
	}
	res.tick = time.Since(start)
	wait, cancel := context.WithTimeout(ctx, 10*time.Duration(reps/rate+10)*time.Second)
	defer cancel()
	if err := awaitDMs(wait, s, reps, start); err != nil {
		return res, err
	}
	res.total = time.Since(start)
	if err := e.Drain(wait); err != nil {
		return res, fmt.Errorf("drain: %w", err)
	}
	if err := e.Close(); err != nil {
		return res, fmt.Errorf("close: %w", err)
	}
	err = res.count(s, keys)
	return res, err
}

// openStore opens a store in the PostgreSQL schema at dsn, or in a bbolt
// file in dir when dsn is empty, telling time by clock.
func openStore(ctx context.Context, dir, dsn string, clock *pulse.ManualClock) (*storage.DB, error) {
	var db *storage.DB
	var err error
	if dsn != "" {
		db, err = storage.OpenPostgres(ctx, dsn)
	} else {
		db, err = storage.Open(filepath.Join(dir, "pulse.db"))
	}
	if err != nil {
		return nil, err
	}
	db.Clock = clock
	return db, nil
}

// startEngines starts a bot and a cadence engine on each store, the bots
// paced to rate posts a second; closeAll closes the engines.
func startEngines(s *slacktest.Server, dbs []*storage.DB, clock *pulse.ManualClock, logger *slog.Logger, rate, workers int) (engines []*cadence.Engine, closeAll func(), err error) {
	closeAll = func() {
		for i := len(engines) - 1; i >= 0; i-- {
			if engines[i] != nil {
				engines[i].Close()
			}
		}
	}
	engines = make([]*cadence.Engine, len(dbs))
	for i, db := range dbs {
		b, err := bot.New(bot.Config{
			BotToken: s.BotToken(), AppToken: s.AppToken(), APIURL: s.APIURL(),
			PostsPerMinute: rate * 60,
		}, db, logger, clock)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		e, err := cadence.New(cadence.Config{Clock: clock, Store: db, Notifier: b, Directory: b,
			Owner: fmt.Sprintf("fanout-%d", i), Logger: logger, Options: cadence.Options{Workers: workers}})
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		engines[i] = e
	}
	return engines, closeAll, nil
}

// awaitDMs waits until the stand-in holds reps messages, or ctx ends.
func awaitDMs(ctx context.Context, s *slacktest.Server, reps int, start time.Time) error {
	// Messages copies the record under the stand-in's lock; polling it often
	// would slow the stand-in down.
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	for len(s.Messages("")) < reps {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d DMs after %v: %w", len(s.Messages("")), reps, time.Since(start), ctx.Err())
		case <-poll.C:
		}
	}
	return nil
}

// count tallies the check-in DMs the stand-in holds against the jobs'
// keys, and the chat.postMessage calls Slack limited.
func (r *result) count(s *slacktest.Server, keys []pulse.JobKey) error {
	count := map[string]int{}
	for _, m := range s.Messages("") {
		if m.Metadata == nil || m.Metadata.EventType != pulse.MetadataEventType {
			continue
		}
		if k, ok := m.Metadata.EventPayload[pulse.MetadataJobField].(string); ok {
			count[k]++
		}
	}
	for _, k := range keys {
		switch n := count[k.String()]; {
		case n == 0:
			r.lost++
		case n > 1:
			r.duplicates += n - 1
		}
	}
	for _, c := range s.CallsTo("chat.postMessage") {
		r.posts++
		if c.Status == 429 {
			r.limited++
		}
	}
	if len(count) != len(keys) {
		return errors.New("DMs were posted for jobs other than the check-ins")
	}
	return nil
}

// seed stores teams of up to 1,000 reps in UTC whose check-in is at now,
// with their profiles cached as the bot's directory keeps them, and
// returns today's check-in keys.
func seed(ctx context.Context, s *slacktest.Server, db *storage.DB, now time.Time, reps int) ([]pulse.JobKey, error) {
	var keys []pulse.JobKey
	day := pulse.DateOf(now)
	for first := 0; first < reps; first += pulse.MaxTeamReps {
		team := pulse.NewTeam(fmt.Sprintf("Fan-out %d", first/pulse.MaxTeamReps+1), "UTC")
		team.CheckInTime = pulse.TimeOfDay(now.Hour()*60 + now.Minute())
		team.Managers = []string{fmt.Sprintf("UBOSS%05d", first/pulse.MaxTeamReps)}
		for i := first; i < min(reps, first+pulse.MaxTeamReps); i++ {
			team.Reps = append(team.Reps, fmt.Sprintf("UREP%05d", i))
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(team.Reps)+1)
		for _, id := range append(append([]string(nil), team.Reps...), team.Managers...) {
			s.AddUser(slack.User{ID: id, Name: id, TZ: "UTC", Profile: slack.UserProfile{DisplayName: id}})
			// Concurrent saves share commits.
			wg.Go(func() {
				errs <- db.SavePerson(ctx, &pulse.Person{ID: id, Name: id, TZ: "UTC", FetchedAt: now})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				return nil, fmt.Errorf("save person: %w", err)
			}
		}
		if err := db.CreateTeam(ctx, team); err != nil {
			return nil, fmt.Errorf("create team: %w", err)
		}
		for _, rep := range team.Reps {
			keys = append(keys, pulse.CheckInKey(team.ID, rep, day))
		}
	}
	return keys, nil
}

// tickAsLeader ticks the engine of the replica that takes the cadence
// leader's lock, as pulse run does, and returns that engine; on bbolt the
// one engine ticks.
func tickAsLeader(ctx context.Context, dbs []*storage.DB, engines []*cadence.Engine) (*cadence.Engine, error) {
	if dbs[0].Postgres() == nil {
		return engines[0], engines[0].Tick(ctx)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type ticked struct {
		e   *cadence.Engine
		err error
	}
	done := make(chan ticked, len(dbs))
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Go(func() {
			db.Postgres().Lead(ctx, "pulse cadence leader", kv.Leading{Retry: time.Second, Check: time.Second},
				func(ctx context.Context) error {
					done <- ticked{engines[i], engines[i].Tick(ctx)}
					<-ctx.Done()
					return nil
				})
		})
	}
	t := <-done
	cancel()
	wg.Wait()
	return t.e, t.err
}

// newSchema creates a schema with a random name in the database at dsn and
// returns a URL whose connections use it, and a function that drops it.
func newSchema(ctx context.Context, dsn string) (string, func(), error) {
	schema := fmt.Sprintf("fanout_%x", rand.Uint64())
	exec := func(sql string) error {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec("CREATE SCHEMA " + schema); err != nil {
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() { _ = exec("DROP SCHEMA " + schema + " CASCADE") }, nil
}
