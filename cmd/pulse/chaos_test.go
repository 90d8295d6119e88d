package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/storage"
	"github.com/salespulse/pulse/storage/pgtest"
)

// leading reports whether the replica's log says it leads the cadence now:
// its last "cadence leadership" line says leading.
func (p *runningPulse) leading() bool {
	lead := false
	for _, line := range strings.Split(p.stderr.String(), "\n") {
		var rec struct {
			Msg     string `json:"msg"`
			Leading *bool  `json:"leading"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "cadence leadership" && rec.Leading != nil {
			lead = *rec.Leading
		}
	}
	return lead
}

// Three replicas of the real binary on one PostgreSQL database, 1,000 reps
// due at once: the leader is killed with SIGKILL in the middle of the
// fan-out; another replica takes the lead within 70 s, settles what the
// dead one had claimed by reading Slack's history, and sends the rest.
// Every rep gets exactly one check-in and the ledger holds each as sent.
func TestReplicasLeaderKilledMidFanOutSendsEachCheckInOnce(t *testing.T) {
	const reps, rate = 1000, 150
	dsn := pgtest.Schema(t)
	waitClearOfMidnight(t, "UTC") // the check-ins' day must not end during the test
	now := time.Now().UTC()
	s := slacktest.NewServer()
	defer s.Close()
	s.PaceLimit("chat.postMessage", rate)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	db, err := storage.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	keys := crashTeamIn(t, s, db, reps, now)
	db.Close()

	posted := func() int { return postedOf(s, keys) }
	// Slower than Slack allows, so the kill finds jobs claimed and waiting
	// as well as jobs posted and not yet recorded.
	slow := fmt.Sprintf("PULSE_SLACK_POSTS_PER_MINUTE=%d", rate*60/3)
	replicas := make([]*runningPulse, 3)
	for i := range replicas {
		replicas[i] = startPulseWith(t, s, t.TempDir()+"/unused.db", "PULSE_DATABASE_URL="+dsn, slow)
	}
	leader := -1
	if err := s.WaitFor(ctx, func() bool {
		for i, p := range replicas {
			if p.leading() {
				leader = i
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no replica leads: %v\n%s", err, replicas[0].stderr.String())
	}
	if err := s.WaitFor(ctx, func() bool { return posted() >= reps/10 }); err != nil {
		t.Fatalf("the leader posted %d check-ins: %v\n%s", posted(), err, replicas[leader].stderr.String())
	}
	for i, p := range replicas {
		if i != leader && p.leading() {
			t.Errorf("replica %d leads beside replica %d", i, leader)
		}
	}
	replicas[leader].stop(t, syscall.SIGKILL)
	killed := time.Now()
	atKill := posted()
	t.Logf("SIGKILL to the leader (replica %d) with %d of %d check-ins posted", leader, atKill, reps)

	next := -1
	if err := s.WaitFor(ctx, func() bool {
		for i, p := range replicas {
			if i != leader && p.leading() {
				next = i
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no replica took the lead after the kill: %v", err)
	}
	took := time.Since(killed)
	t.Logf("replica %d leads %v after the kill", next, took.Round(time.Millisecond))
	if took > 70*time.Second {
		t.Errorf("another replica led %v after the kill, want within 70 s", took)
	}
	if err := s.WaitFor(ctx, func() bool { return posted() == reps }); err != nil {
		t.Fatalf("%d of %d reps have a check-in: %v\n%s", posted(), reps, err, replicas[next].stderr.String())
	}
	// Stopping cleanly waits for deliveries under way, so anything sent
	// twice is in the record before it is read.
	for i, p := range replicas {
		if i != leader {
			p.stop(t, syscall.SIGTERM)
		}
	}
	found := replicas[next].logCount("found delivered by an earlier run")
	released := replicas[next].logCount("not delivered by an earlier run; released")
	t.Logf("the new leader found %d jobs of the dead one in Slack's history and released %d to send again", found, released)

	eachPostedOnce(t, s, keys)
	db, err = storage.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, k := range keys {
		if j, err := db.Job(ctx, k); err != nil || j.State != pulse.JobSent {
			t.Errorf("ledger: %s is %s (err %v), want sent", k, j.State, err)
		}
	}
}
