package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/storage"
)

// startPulseWith starts the built binary's `pulse run` against the
// stand-in, with a database at dbPath and the extra variables given.
func startPulseWith(t *testing.T, s *slacktest.Server, dbPath string, extra ...string) *runningPulse {
	t.Helper()
	cmd := exec.Command(pulseBinary(t), "run")
	cmd.Env = append([]string{
		"PULSE_SLACK_BOT_TOKEN=" + s.BotToken(),
		"PULSE_SLACK_APP_TOKEN=" + s.AppToken(),
		"PULSE_SLACK_API_URL=" + s.APIURL(),
		"PULSE_DB_PATH=" + dbPath,
		"PULSE_HTTP_ADDR=127.0.0.1:0",
		"PULSE_LOG_LEVEL=info",
	}, extra...)
	p := &runningPulse{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan error, 1)}
	cmd.Stderr, cmd.Stdout = p.stderr, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.done
		}
		removeControlDirs(cmd.Env, dbPath)
	})
	return p
}

// stop sends sig and waits for the process to end.
func (p *runningPulse) stop(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %v: %v", sig, err)
	}
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("pulse did not end within 30 s of %v\n%s", sig, p.stderr.String())
	}
}

// logCount counts the process's JSON log lines with the given message.
func (p *runningPulse) logCount(msg string) int {
	n := 0
	for _, line := range strings.Split(p.stderr.String(), "\n") {
		var rec struct {
			Msg string `json:"msg"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == msg {
			n++
		}
	}
	return n
}

// jobPosts counts, per job key, the messages posted (not ephemeral, not
// edits) whose metadata names the job.
func jobPosts(s *slacktest.Server) map[string]int {
	out := map[string]int{}
	for _, m := range s.Messages("") {
		if m.Ephemeral || m.Updated || m.Deleted || m.Metadata == nil || m.Metadata.EventType != pulse.MetadataEventType {
			continue
		}
		if key, ok := m.Metadata.EventPayload[pulse.MetadataJobField].(string); ok {
			out[key]++
		}
	}
	return out
}

// postedOf counts the jobs of keys that have a post in Slack.
func postedOf(s *slacktest.Server, keys []pulse.JobKey) int {
	got := jobPosts(s)
	n := 0
	for _, k := range keys {
		if got[k.String()] > 0 {
			n++
		}
	}
	return n
}

// eachPostedOnce fails unless each job of keys has exactly one post in
// Slack, naming each posted more than once.
func eachPostedOnce(t *testing.T, s *slacktest.Server, keys []pulse.JobKey) {
	t.Helper()
	got := jobPosts(s)
	missing, doubled := 0, 0
	for _, k := range keys {
		switch n := got[k.String()]; {
		case n == 0:
			missing++
		case n > 1:
			doubled++
			t.Errorf("%s posted %d times", k, n)
		}
	}
	if missing > 0 || doubled > 0 {
		t.Errorf("%d reps got no check-in and %d got more than one", missing, doubled)
	}
}

// crashTeam seeds dbPath with one team of n reps in UTC whose check-in is
// due now, known to the stand-in's users.info and cached in the store as
// the bot's directory keeps them, and returns the check-in keys of today.
func crashTeam(t *testing.T, s *slacktest.Server, dbPath string, n int, now time.Time) []pulse.JobKey {
	t.Helper()
	db, err := storage.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return crashTeamIn(t, s, db, n, now)
}

// crashTeamIn is crashTeam on an open database.
func crashTeamIn(t *testing.T, s *slacktest.Server, db *storage.DB, n int, now time.Time) []pulse.JobKey {
	t.Helper()
	ctx := context.Background()
	team := pulse.NewTeam("Fan-out", "UTC")
	team.Managers = []string{"UBOSS0001"}
	team.Workdays = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	team.CheckInTime = pulse.TimeOfDay(now.Hour()*60 + now.Minute())
	// Nothing else falls due today: no channel for the weekly posts, a
	// reminder hours away.
	team.Channel = ""
	for i := range n {
		team.Reps = append(team.Reps, fmt.Sprintf("UREP%05d", i))
	}
	seedPeople(t, s, db, team, now)
	if err := db.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	day := pulse.DateOf(now)
	keys := make([]pulse.JobKey, n)
	for i, rep := range team.Reps {
		keys[i] = pulse.CheckInKey(team.ID, rep, day)
	}
	return keys
}

// seedPeople makes the team's members users of the stand-in in UTC, and
// cached in the store as the bot's directory keeps them: users.info is
// paced at 100 a minute, and the directory trusts a profile fetched within
// a day, so a thousand people are seeded as fetched rather than asked one
// by one for ten minutes.
func seedPeople(t *testing.T, s *slacktest.Server, db *storage.DB, team *pulse.Team, now time.Time) {
	t.Helper()
	for _, id := range append(append([]string(nil), team.Reps...), team.Managers...) {
		s.AddUser(slack.User{ID: id, Name: strings.ToLower(id), TZ: "UTC", Profile: slack.UserProfile{DisplayName: id}})
		if err := db.SavePerson(context.Background(), &pulse.Person{ID: id, Name: id, TZ: "UTC", FetchedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
}

// interruption is what one interrupted fan-out measured.
type interruption struct {
	atStop   int // check-ins posted when the first run ended
	inFlight int // jobs claimed and unconfirmed when it ended
	found    int // of those, the ones the second run found in Slack
	released int // and the ones it released to send again
}

// interruptFanOut seeds a team of reps whose check-in is due now, starts
// pulse run, stops it with sig once 10% of the check-ins are out, starts
// it again on the same database, waits until every rep has a check-in, and
// fails the test unless each got exactly one and the ledger holds each as
// sent.
func interruptFanOut(t *testing.T, reps int, sig syscall.Signal) interruption {
	t.Helper()
	const rate = 150
	now := time.Now().UTC()
	if end := now.Truncate(24 * time.Hour).Add(24 * time.Hour); end.Sub(now) < 3*time.Minute {
		t.Skip("too close to midnight UTC: the check-ins' day would end during the test")
	}
	s := slacktest.NewServer()
	defer s.Close()
	s.PaceLimit("chat.postMessage", rate)
	dbPath := filepath.Join(t.TempDir(), "pulse.db")
	keys := crashTeam(t, s, dbPath, reps, now)
	pace := fmt.Sprintf("PULSE_SLACK_POSTS_PER_MINUTE=%d", rate*60)
	// The first run posts slower than Slack allows, so that the stop finds
	// jobs claimed and waiting for their turn as well as jobs posted and
	// not yet recorded.
	slow := fmt.Sprintf("PULSE_SLACK_POSTS_PER_MINUTE=%d", rate*60/3)

	posted := func() int { return postedOf(s, keys) }
	// Built before the time starts: a build after a change takes long on
	// a busy machine, and would eat into the runs' time.
	pulseBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()

	var r interruption
	start := time.Now()
	first := startPulseWith(t, s, dbPath, slow)
	if err := s.WaitFor(ctx, func() bool { return posted() >= reps/10 }); err != nil {
		t.Fatalf("the first run posted %d check-ins: %v\n%s", posted(), err, first.stderr.String())
	}
	first.stop(t, sig)
	r.atStop = posted()
	if r.atStop >= reps*9/10 {
		t.Fatalf("%d of %d check-ins were out before the %v landed; the fan-out is too fast to interrupt", r.atStop, reps, sig)
	}
	db, err := storage.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	left, err := db.Unconfirmed(ctx)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	r.inFlight = len(left)
	t.Logf("%v with %d of %d check-ins posted and %d jobs claimed but unconfirmed", sig, r.atStop, reps, r.inFlight)

	stopped := time.Now()
	second := startPulseWith(t, s, dbPath, pace)
	if err := s.WaitFor(ctx, func() bool { return posted() == reps }); err != nil {
		t.Fatalf("after the restart %d of %d reps have a check-in: %v\n%s", posted(), reps, err, second.stderr.String())
	}
	t.Logf("the first run posted for %v; the second took %v to post the rest", stopped.Sub(start).Round(time.Millisecond), time.Since(stopped).Round(time.Millisecond))
	// Stopping cleanly waits for the deliveries under way, so anything
	// sent twice is in the record before it is read.
	second.stop(t, syscall.SIGTERM)
	r.found, r.released = second.logCount("found delivered by an earlier run"), second.logCount("not delivered by an earlier run; released")
	t.Logf("the restarted run found %d of them in Slack's history and released %d to send again", r.found, r.released)
	if r.found+r.released != r.inFlight {
		t.Errorf("the restarted run settled %d+%d jobs, want the %d left unconfirmed", r.found, r.released, r.inFlight)
	}

	eachPostedOnce(t, s, keys)
	db, err = storage.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, k := range keys {
		if j, err := db.Job(ctx, k); err != nil || j.State != pulse.JobSent {
			t.Errorf("ledger: %s is %s (err %v), want sent", k, j.State, err)
		}
	}
	limited := 0
	for _, c := range s.CallsTo("chat.postMessage") {
		if c.Status == 429 {
			limited++
		}
	}
	t.Logf("%d check-ins posted in all, once each; %d posts answered 429 and waited out", len(jobPosts(s)), limited)
	return r
}

// A process killed with SIGKILL in the middle of a fan-out to 1,000 reps
// and started again on the same database sends every rep exactly one
// check-in: the jobs it had claimed are settled by reading Slack's history,
// the rest are claimed afresh.
func TestPulseRunKilledMidFanOutSendsEachCheckInOnce(t *testing.T) {
	r := interruptFanOut(t, 1000, syscall.SIGKILL)
	if r.inFlight == 0 {
		t.Errorf("no job was in flight at the kill; the test did not interrupt a fan-out")
	}
}

// A process stopped with SIGTERM in the middle of a fan-out finishes the
// deliveries under way and gives back the jobs it claimed and never tried,
// so the next run has nothing to ask Slack about and sends the rest once.
func TestPulseRunStoppedMidFanOutLeavesNothingToSettle(t *testing.T) {
	r := interruptFanOut(t, 300, syscall.SIGTERM)
	if r.inFlight != 0 {
		t.Errorf("%d jobs left claimed and unconfirmed after SIGTERM, want none", r.inFlight)
	}
}
