package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/storage"
)

// fanOut is the real bot's notifier and directory in front of the
// stand-in, over a real database holding one team of reps in UTC, with a
// clock at 09:00 UTC on a Tuesday, their check-in time.
type fanOut struct {
	t     *testing.T
	s     *slacktest.Server
	db    *storage.DB
	clock *pulse.ManualClock
	bot   *bot.Bot
	team  *pulse.Team
	day   pulse.Date
}

func newFanOut(t *testing.T, reps int, opts ...slacktest.Option) *fanOut {
	t.Helper()
	clock := pulse.NewManualClock(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	s := slacktest.NewServer(append([]slacktest.Option{slacktest.WithClock(clock)}, opts...)...)
	t.Cleanup(s.Close)
	db, err := storage.Open(filepath.Join(t.TempDir(), "pulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	db.Clock = clock
	ctx := context.Background()

	team := pulse.NewTeam("Storm", "UTC")
	team.Managers = []string{"UBOSS0001"}
	for i := range reps {
		team.Reps = append(team.Reps, fmt.Sprintf("UREP%05d", i))
	}
	for _, id := range append(append([]string(nil), team.Reps...), team.Managers...) {
		s.AddUser(slack.User{ID: id, Name: id, TZ: "UTC", Profile: slack.UserProfile{DisplayName: id}})
		// As the directory caches them after users.info (paced at 100
		// a minute).
		if err := db.SavePerson(ctx, &pulse.Person{ID: id, Name: id, TZ: "UTC", FetchedAt: clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Config{
		BotToken: s.BotToken(), AppToken: s.AppToken(), APIURL: s.APIURL(),
		// DMs go to different channels; only the workspace pace binds.
		PostsPerMinute: 60 * 1000,
	}, db, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	if err != nil {
		t.Fatal(err)
	}
	return &fanOut{t: t, s: s, db: db, clock: clock, bot: b, team: team, day: pulse.DateOf(clock.Now())}
}

// engine starts a cadence engine for owner, delivering through n.
func (f *fanOut) engine(owner string, n pulse.Notifier, opt cadence.Options) *cadence.Engine {
	f.t.Helper()
	e, err := cadence.New(cadence.Config{Clock: f.clock, Store: f.db, Notifier: n, Directory: f.bot, Owner: owner, Options: opt})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { _ = e.Close() })
	return e
}

// tick ticks e and waits for its deliveries.
func (f *fanOut) tick(e *cadence.Engine) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	if err := e.Tick(ctx); err != nil {
		f.t.Fatalf("tick: %v", err)
	}
	if err := e.Drain(ctx); err != nil {
		f.t.Fatalf("drain: %v", err)
	}
}

// checkOnce fails the test unless every rep got exactly one check-in DM
// carrying its job's metadata, and the ledger holds each as sent there.
func (f *fanOut) checkOnce() {
	f.t.Helper()
	got := jobPosts(f.s)
	missing, doubled := 0, 0
	for _, rep := range f.team.Reps {
		key := pulse.CheckInKey(f.team.ID, rep, f.day)
		msgs := 0
		for _, m := range f.s.Messages(rep) {
			if m.Metadata != nil && m.Metadata.EventPayload[pulse.MetadataJobField] == key.String() && !m.Updated && !m.Deleted {
				msgs++
			}
		}
		switch {
		case msgs == 0:
			missing++
		case msgs > 1:
			doubled++
		}
		if got[key.String()] != msgs {
			f.t.Errorf("%s: %d posts in its DM, %d in all", key, msgs, got[key.String()])
		}
		j, err := f.db.Job(context.Background(), key)
		if err != nil || j.State != pulse.JobSent || j.TS == "" {
			f.t.Errorf("ledger: %s is %+v (err %v), want sent with Slack's ts", key, j, err)
		}
	}
	if missing > 0 || doubled > 0 {
		f.t.Errorf("of %d reps, %d got no check-in DM and %d more than one", len(f.team.Reps), missing, doubled)
	}
}

// In a storm of 429s (every third post refused with Retry-After: 1) a
// fan-out to 200 reps through the engine and the bot's notifier waits
// each refusal out: every rep gets exactly one DM.
func TestEngineFanOutThrough429StormSendsEachOnce(t *testing.T) {
	const reps = 200
	f := newFanOut(t, reps)
	f.s.RateLimitEvery("chat.postMessage", 3, time.Second)
	// Each refused post holds its worker for the second Slack asks; more
	// workers than the default keep the test short.
	f.tick(f.engine("run-storm", f.bot, cadence.Options{Workers: 32}))
	f.checkOnce()
	calls := f.s.CallsTo("chat.postMessage")
	limited := 0
	for _, c := range calls {
		if c.Status == 429 {
			limited++
		}
	}
	if limited == 0 {
		t.Errorf("no post was answered 429; the storm did not happen")
	}
	if ok := len(calls) - limited; ok != reps {
		t.Errorf("%d posts went through, want %d", ok, reps)
	}
	t.Logf("%d posts answered 429 and waited out; %d posts went through for %d reps", limited, len(calls)-limited, reps)
}

// postsThenDies is the notifier of a process that dies right after Slack
// accepted its post, before the ledger heard of it.
type postsThenDies struct {
	pulse.Notifier
	dead chan struct{}
}

func (n postsThenDies) Deliver(ctx context.Context, notice pulse.Notice) (pulse.Delivery, error) {
	if _, err := n.Notifier.Deliver(ctx, notice); err != nil {
		return pulse.Delivery{}, err
	}
	select {
	case <-n.dead:
	case <-ctx.Done():
	}
	return pulse.Delivery{}, errors.New("the process is gone")
}

// At a rep's 09:00 a tick posts the check-in DM with its job's metadata;
// when the run that posted it dies before recording it, the next run finds
// the message in Slack's history and marks the job sent without posting
// again.
func TestEngineWithTheBotPostsCheckInAndSettlesADeadRunsPost(t *testing.T) {
	f := newFanOut(t, 1)
	rep := f.team.Reps[0]
	key := pulse.CheckInKey(f.team.ID, rep, f.day)

	dying := postsThenDies{Notifier: f.bot, dead: make(chan struct{})}
	dead := f.engine("run-dead", dying, cadence.Options{})
	t.Cleanup(func() { close(dying.dead) })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := dead.Tick(ctx); err != nil {
		t.Fatalf("tick: %v", err)
	}
	if err := f.s.WaitFor(ctx, func() bool { return len(f.s.Messages(rep)) == 1 }); err != nil {
		t.Fatalf("no check-in DM: %v", err)
	}
	m := f.s.Messages(rep)[0]
	if m.Metadata == nil || m.Metadata.EventType != pulse.MetadataEventType || m.Metadata.EventPayload[pulse.MetadataJobField] != key.String() {
		t.Fatalf("check-in DM metadata %+v, want %s naming %s", m.Metadata, pulse.MetadataEventType, key)
	}
	if len(m.Blocks) == 0 || m.Text == "" {
		t.Errorf("check-in DM has text %q and %d bytes of blocks, want both", m.Text, len(m.Blocks))
	}
	if j, err := f.db.Job(ctx, key); err != nil || j.State != pulse.JobClaimed || j.Owner != "run-dead" {
		t.Fatalf("ledger before the restart: %+v (err %v), want claimed by run-dead", j, err)
	}

	f.clock.Set(f.clock.Now().Add(time.Minute))
	f.tick(f.engine("run-next", f.bot, cadence.Options{}))
	if n := len(f.s.Messages(rep)); n != 1 {
		t.Errorf("%d messages in the rep's DM after the restart, want the 1 posted before", n)
	}
	j, err := f.db.Job(ctx, key)
	if err != nil || j.State != pulse.JobSent || j.TS != m.TS || j.Channel != m.Channel {
		t.Errorf("ledger after the restart: %+v (err %v), want sent in %s at %s", j, err, m.Channel, m.TS)
	}
	if n := len(f.s.CallsTo("conversations.history")); n == 0 {
		t.Errorf("Slack's history was never read")
	}
	f.checkOnce()
}
