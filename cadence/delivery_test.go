package cadence_test

import (
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
)

// waitFor waits for cond to hold, failing the test after a few seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// concurrently runs n ticks of e at once at the clock's time.
func (f *fixture) concurrently(e *cadence.Engine, n int) {
	f.t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() { errs <- e.Tick(bg) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			f.t.Fatalf("tick: %v", err)
		}
	}
}

func TestEngineConcurrentTicksSendOnce(t *testing.T) {
	f := newFixture(t, utc("2026-03-09 00:00"), nil, cadence.Options{})
	for now := f.clock.Now(); now.Before(utc("2026-03-09 23:50")); now = now.Add(10 * time.Minute) {
		// Two ticks at once, and a third later in the same minute.
		f.clock.Set(now)
		f.concurrently(f.engine, 2)
		f.clock.Set(now.Add(40 * time.Second))
		f.concurrently(f.engine, 1)
		f.drain(f.engine)
	}
	id, mon := f.team.ID, pulse.MustDate("2026-03-09")
	assertSent(t, f.sentAt(), map[string]string{
		pulse.CheckInKey(id, tokyo, mon).String():    "2026-03-09 00:00",
		pulse.ReminderKey(id, tokyo, mon).String():   "2026-03-09 02:00",
		pulse.CheckInKey(id, oslo, mon).String():     "2026-03-09 08:00",
		pulse.MeetingKey(id, mon).String():           "2026-03-09 08:30",
		pulse.ReminderKey(id, oslo, mon).String():    "2026-03-09 10:00",
		pulse.DigestKey(id, boss, mon).String():      "2026-03-09 10:00", // 11:00 Oslo
		pulse.CheckInKey(id, newYork, mon).String():  "2026-03-09 13:00",
		pulse.ReminderKey(id, newYork, mon).String(): "2026-03-09 15:00",
	})
	if j := f.job(pulse.MissedKey(id, tokyo, mon)); j.State != pulse.JobSent || j.Attempts != 1 {
		t.Errorf("Tokyo's missed Monday is %s after %d claims, want sent after 1", j.State, j.Attempts)
	}
}

func TestEngineRetriesFailedDeliveries(t *testing.T) {
	gone := pulse.Errorf(pulse.ENOTFOUND, "err.user_unknown", nil, "user_not_found")
	tests := []struct {
		name       string
		opt        cadence.Options
		slack      func(*slackRecorder)
		ticks      []string // UTC times; the first is 09:00 Oslo
		delivers   int      // Deliver calls
		sentAt     string   // when the one recorded delivery went out; "" for none
		state      pulse.JobState
		claims     int
		askedSlack bool
	}{
		{
			name:  "fails twice, then succeeds after a doubling wait: one delivery",
			opt:   cadence.Options{RetryBase: time.Minute},
			slack: func(s *slackRecorder) { s.failNext = 2 },
			// 08:00 fails; not before 08:01; 08:01 fails; not before 08:03.
			ticks:    []string{"2026-03-10 08:00", "2026-03-10 08:00", "2026-03-10 08:01", "2026-03-10 08:02", "2026-03-10 08:03", "2026-03-10 08:04"},
			delivers: 3, sentAt: "2026-03-10 08:03", state: pulse.JobSent, claims: 1, askedSlack: true,
		},
		{
			name:     "posted, then failed like a timeout: Slack is asked first and nothing is posted twice",
			opt:      cadence.Options{RetryBase: time.Minute},
			slack:    func(s *slackRecorder) { s.failNext, s.postFirst = 1, true },
			ticks:    []string{"2026-03-10 08:00", "2026-03-10 08:01", "2026-03-10 08:02"},
			delivers: 1, sentAt: "", state: pulse.JobSent, claims: 1, askedSlack: true,
		},
		{
			name:     "cannot be delivered (the user is gone): given up at once",
			opt:      cadence.Options{RetryBase: time.Minute},
			slack:    func(s *slackRecorder) { s.failNext, s.failErr = 1, gone },
			ticks:    []string{"2026-03-10 08:00", "2026-03-10 08:01", "2026-03-10 08:05"},
			delivers: 1, sentAt: "", state: pulse.JobSkipped, claims: 1,
		},
		{
			name:  "fails every try: released after the last, claimed afresh by a later tick, delivered once",
			opt:   cadence.Options{RetryBase: time.Minute, MaxAttempts: 2},
			slack: func(s *slackRecorder) { s.failNext = 2 },
			// 08:00 fails; 08:01 fails and releases; 08:02 claims again.
			ticks:    []string{"2026-03-10 08:00", "2026-03-10 08:01", "2026-03-10 08:02", "2026-03-10 08:03"},
			delivers: 3, sentAt: "2026-03-10 08:02", state: pulse.JobSent, claims: 2, askedSlack: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, utc(tt.ticks[0]), func(team *pulse.Team) { team.Reps = []string{oslo}; team.Channel = "" }, tt.opt)
			tt.slack(f.slack)
			for _, at := range tt.ticks {
				f.tickAt(utc(at))
			}
			key := pulse.CheckInKey(f.team.ID, oslo, pulse.MustDate("2026-03-10"))
			if f.slack.delivers != tt.delivers {
				t.Errorf("Deliver called %d times, want %d", f.slack.delivers, tt.delivers)
			}
			want := map[string]string{}
			if tt.sentAt != "" {
				want[key.String()] = tt.sentAt
			}
			assertSent(t, f.sentAt(pulse.JobCheckIn), want)
			j := f.job(key)
			if j.State != tt.state || j.Attempts != tt.claims {
				t.Errorf("ledger: %s after %d claims, want %s after %d", j.State, j.Attempts, tt.state, tt.claims)
			}
			if j.State == pulse.JobSent && (j.TS != f.slack.history[key.String()].TS || j.TS == "") {
				t.Errorf("ledger holds message %q, Slack %q", j.TS, f.slack.history[key.String()].TS)
			}
			if (f.slack.asked > 0) != tt.askedSlack {
				t.Errorf("asked Slack %d times, want asked=%v", f.slack.asked, tt.askedSlack)
			}
			if n := f.engine.QueueDepth(); n != 0 {
				t.Errorf("queue depth %d at the end, want 0", n)
			}
		})
	}
}

func TestEngineRecoversJobsLeftByAStoppedRun(t *testing.T) {
	tue, mon := pulse.MustDate("2026-03-10"), pulse.MustDate("2026-03-09")
	tests := []struct {
		name string
		// left sets up what the stopped run left behind and returns the
		// job it claimed.
		left     func(f *fixture) pulse.JobKey
		delivers int
		check    func(t *testing.T, f *fixture, key pulse.JobKey)
	}{
		{
			name: "Slack does not hold the check-in: it is sent once",
			left: func(f *fixture) pulse.JobKey {
				return f.claimAs("run-0", pulse.CheckInKey(f.team.ID, oslo, tue))
			},
			delivers: 1,
			check: func(t *testing.T, f *fixture, key pulse.JobKey) {
				if j := f.job(key); j.State != pulse.JobSent || j.Owner != "run-1" || j.Attempts != 2 {
					t.Errorf("ledger: %s by %s after %d claims, want sent by run-1 after 2", j.State, j.Owner, j.Attempts)
				}
			},
		},
		{
			name: "Slack holds the check-in: it is marked sent with Slack's message and not sent again",
			left: func(f *fixture) pulse.JobKey {
				key := f.claimAs("run-0", pulse.CheckInKey(f.team.ID, oslo, tue))
				f.slack.history[key.String()] = pulse.Delivery{Channel: "DUOSLO", TS: "1770000000.000042"}
				return key
			},
			check: func(t *testing.T, f *fixture, key pulse.JobKey) {
				if j := f.job(key); j.State != pulse.JobSent || j.Channel != "DUOSLO" || j.TS != "1770000000.000042" || j.Attempts != 1 {
					t.Errorf("ledger: %s in %s at %s after %d claims, want sent in DUOSLO at 1770000000.000042, never claimed again", j.State, j.Channel, j.TS, j.Attempts)
				}
			},
		},
		{
			name: "Slack holds a nudge: the training's nudge is marked sent too",
			left: func(f *fixture) pulse.JobKey {
				tr := f.training(pulse.MustDate("2026-03-08"), []int{2}, oslo)
				key := f.claimAs("run-0", pulse.NudgeKey(f.team.ID, oslo, tr.ID, 2))
				f.slack.history[key.String()] = pulse.Delivery{Channel: "DUOSLO", TS: "1770000000.000043"}
				return key
			},
			delivers: 1, // the check-in, not the nudge
			check: func(t *testing.T, f *fixture, key pulse.JobKey) {
				n, err := f.db.Nudge(bg, key.Occurrence[:len(key.Occurrence)-2], oslo, 2)
				if err != nil || n.SentAt.IsZero() {
					t.Errorf("nudge %+v (err %v), want it marked sent", n, err)
				}
				if len(f.slack.notices(pulse.JobNudge)) != 0 {
					t.Errorf("nudge sent again")
				}
				if j := f.job(key); j.State != pulse.JobSent || j.Attempts != 1 {
					t.Errorf("ledger: %s after %d claims, want sent, never claimed again", j.State, j.Attempts)
				}
			},
		},
		{
			name: "a missed day the stopped run recorded is confirmed",
			left: func(f *fixture) pulse.JobKey {
				f.sentBy("run-0", pulse.CheckInKey(f.team.ID, oslo, mon))
				f.saveMissed(oslo, mon)
				return f.claimAs("run-0", pulse.MissedKey(f.team.ID, oslo, mon))
			},
			delivers: 1,
			check: func(t *testing.T, f *fixture, key pulse.JobKey) {
				if j := f.job(key); j.State != pulse.JobSent || j.Attempts != 1 {
					t.Errorf("ledger: %s after %d claims, want sent after 1", j.State, j.Attempts)
				}
			},
		},
		{
			name: "a missed day the stopped run did not record is recorded now",
			left: func(f *fixture) pulse.JobKey {
				f.sentBy("run-0", pulse.CheckInKey(f.team.ID, oslo, mon))
				return f.claimAs("run-0", pulse.MissedKey(f.team.ID, oslo, mon))
			},
			delivers: 1,
			check: func(t *testing.T, f *fixture, key pulse.JobKey) {
				c, err := f.db.CheckIn(bg, f.team.ID, oslo, mon)
				if err != nil || c.Status != pulse.CheckInMissed {
					t.Errorf("Monday's check-in %+v (err %v), want missed", c, err)
				}
				if j := f.job(key); j.State != pulse.JobSent || j.Owner != "run-1" {
					t.Errorf("ledger: %s by %s, want sent by run-1", j.State, j.Owner)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, utc("2026-03-10 08:00"), func(team *pulse.Team) { team.Reps = []string{oslo}; team.Channel = "" }, cadence.Options{})
			key := tt.left(f)
			f.tickAt(utc("2026-03-10 08:05"))
			f.tickAt(utc("2026-03-10 08:10"))
			if f.slack.delivers != tt.delivers {
				t.Errorf("Deliver called %d times, want %d", f.slack.delivers, tt.delivers)
			}
			f.sentAt() // fails on a double delivery
			tt.check(t, f, key)
		})
	}
}

// claimAs claims key in the ledger as another run, as if it stopped right
// after, and returns the key.
func (f *fixture) claimAs(owner string, key pulse.JobKey) pulse.JobKey {
	f.t.Helper()
	if _, won, err := f.db.Claim(bg, key, owner, f.clock.Now()); err != nil || !won {
		f.t.Fatalf("claim %s as %s: won=%v err=%v", key, owner, won, err)
	}
	return key
}

// sentBy records key as sent by another run.
func (f *fixture) sentBy(owner string, key pulse.JobKey) {
	f.t.Helper()
	f.claimAs(owner, key)
	if err := f.db.MarkSent(bg, key, "D"+key.UserID, "1770000000.000001", f.clock.Now()); err != nil {
		f.t.Fatalf("mark %s sent: %v", key, err)
	}
}

func (f *fixture) saveMissed(rep string, day pulse.Date) {
	f.t.Helper()
	if err := f.db.SaveCheckIn(bg, &pulse.CheckIn{TeamID: f.team.ID, UserID: rep, Date: day, Status: pulse.CheckInMissed}); err != nil {
		f.t.Fatalf("save missed day: %v", err)
	}
}

// training stores a training of the fixture's team.
func (f *fixture) training(day pulse.Date, schedule []int, attendees ...string) *pulse.Training {
	f.t.Helper()
	tr := &pulse.Training{TeamID: f.team.ID, Skill: "Objection handling", Date: day, Attendees: attendees, Schedule: schedule, CreatedBy: boss}
	if err := f.db.SaveTraining(bg, tr); err != nil {
		f.t.Fatalf("save training: %v", err)
	}
	return tr
}

func TestEngineSlowSlackSlowsThePoolNotTheTick(t *testing.T) {
	f := newFixture(t, utc("2026-03-10 13:00"), func(team *pulse.Team) {
		team.Channel = ""
		team.DigestTime = pulse.MustTime("23:00") // only the three check-ins are due at 13:00 UTC
	}, cadence.Options{Workers: 1})
	gate := make(chan struct{})
	f.slack.gate = gate

	// Tokyo's, Oslo's and New York's check-ins are all due at 13:00 UTC.
	ticked := make(chan error, 2)
	go func() { ticked <- f.engine.Tick(bg) }()
	select {
	case err := <-ticked:
		if err != nil {
			t.Fatalf("tick: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("tick blocked on a slow Slack")
	}
	waitFor(t, "one delivery under way and two queued", func() bool { return f.engine.QueueDepth() == 2 })
	// Another tick while Slack is stuck neither blocks nor queues again.
	go func() { ticked <- f.engine.Tick(bg) }()
	select {
	case err := <-ticked:
		if err != nil {
			t.Fatalf("tick: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("second tick blocked on a slow Slack")
	}
	if n := f.engine.QueueDepth(); n != 2 {
		t.Errorf("queue depth %d after a second tick, want 2", n)
	}
	close(gate)
	f.drain(f.engine)
	if n := len(f.slack.notices(pulse.JobCheckIn)); n != 3 {
		t.Errorf("%d check-ins delivered, want 3", n)
	}
	if n := f.engine.QueueDepth(); n != 0 {
		t.Errorf("queue depth %d once Slack is back, want 0", n)
	}
}

func TestEngineCloseReleasesJobsNotYetTried(t *testing.T) {
	f := newFixture(t, utc("2026-03-10 13:00"), func(team *pulse.Team) {
		team.Channel = ""
		team.DigestTime = pulse.MustTime("23:00") // only the three check-ins are due at 13:00 UTC
	}, cadence.Options{Workers: 1})
	gate := make(chan struct{})
	f.slack.gate = gate
	if err := f.engine.Tick(bg); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "one delivery under way and two queued", func() bool { return f.engine.QueueDepth() == 2 })
	closed := make(chan error, 1)
	go func() { closed <- f.engine.Close() }()
	waitFor(t, "the queue handed back", func() bool { return f.engine.QueueDepth() == 0 })
	close(gate) // the delivery under way finishes
	if err := <-closed; err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := f.engine.Tick(bg); err != cadence.ErrClosed {
		t.Errorf("tick after close = %v, want ErrClosed", err)
	}
	states := map[pulse.JobState]int{}
	for _, rep := range []string{oslo, newYork, tokyo} {
		states[f.job(pulse.CheckInKey(f.team.ID, rep, pulse.MustDate("2026-03-10"))).State]++
	}
	if states[pulse.JobSent] != 1 || states[pulse.JobReleased] != 2 {
		t.Fatalf("ledger states %v, want 1 sent and 2 released", states)
	}

	// The next run sends the two released ones, and nothing twice.
	next := f.newEngine("run-2", cadence.Options{})
	f.clock.Set(utc("2026-03-10 13:01"))
	if err := next.Tick(bg); err != nil {
		t.Fatal(err)
	}
	f.drain(next)
	if n := len(f.slack.notices(pulse.JobCheckIn)); n != 3 {
		t.Errorf("%d check-ins delivered in all, want 3", n)
	}
	f.sentAt()
}

func TestEnginePrunesOldLedgerEntriesDaily(t *testing.T) {
	f := newFixture(t, utc("2026-03-10 05:00"), func(team *pulse.Team) { team.Reps = []string{oslo}; team.Channel = "" }, cadence.Options{})
	old := pulse.CheckInKey(f.team.ID, oslo, pulse.MustDate("2026-01-28"))
	recent := pulse.CheckInKey(f.team.ID, oslo, pulse.MustDate("2026-03-02"))
	for _, k := range []struct {
		key pulse.JobKey
		at  string
	}{{old, "2026-01-28 08:00"}, {recent, "2026-03-02 08:00"}} {
		f.clock.Set(utc(k.at))
		f.sentBy("run-0", k.key)
	}
	f.tickAt(utc("2026-03-10 05:00"))
	if _, err := f.db.Job(bg, old); !pulse.IsNotFound(err) {
		t.Errorf("a job sent 41 days ago is still in the ledger (err %v), want it pruned", err)
	}
	f.job(recent) // kept: eight days old
}
