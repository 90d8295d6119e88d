package cadence_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
)

// A digest claimed by a run killed before it recorded the delivery is
// sent once: marked sent when Slack holds it, else sent by the next run.
func TestEngineSettlesADigestLeftByAKilledRun(t *testing.T) {
	tue := pulse.MustDate("2026-03-10")
	for _, held := range []bool{true, false} {
		f := newFixture(t, utc("2026-03-10 10:00"), func(team *pulse.Team) { team.Reps = []string{oslo}; team.Channel = "" }, cadence.Options{})
		key := f.claimAs("run-0", pulse.DigestKey(f.team.ID, boss, tue))
		if held {
			f.slack.history[key.String()] = pulse.Delivery{Channel: "DUBOSS", TS: "1770000000.000044"}
		}
		f.tickAt(utc("2026-03-10 10:05"))
		f.tickAt(utc("2026-03-10 10:10"))
		ts := ""
		if held {
			ts = "1770000000.000044"
		}
		f.digestOnce(key, ts)
	}
}

// digestOnce checks that the digest of key went out once: as Slack holds
// it at ts when ts is set, else sent by run-1.
func (f *fixture) digestOnce(key pulse.JobKey, ts string) {
	f.t.Helper()
	f.sentAt() // fails on a double delivery
	sent := len(f.slack.notices(pulse.JobDigest))
	j := f.job(key)
	switch {
	case ts != "" && (sent != 0 || j.State != pulse.JobSent || j.TS != ts):
		f.t.Errorf("Slack held the digest: sent again %d times, ledger %s at %s", sent, j.State, j.TS)
	case ts == "" && (sent != 1 || j.State != pulse.JobSent || j.Owner != "run-1"):
		f.t.Errorf("Slack did not hold the digest: sent %d times, ledger %s by %s; want once by run-1", sent, j.State, j.Owner)
	}
}

// Two replicas on one store, with ClaimGrace set as for several
// processes: a job the other replica claimed a moment ago is left to it by
// this one's settle pass, since its message may be on its way to Slack; it
// is settled only once the claim is older than ClaimGrace. The live replica's delivery is then the only one; a replica
// that died with the claim has its job sent once by the survivor.
func TestRecoverLeavesYoungClaimsOfAnotherReplica(t *testing.T) {
	tue := pulse.MustDate("2026-03-10")
	for _, engine := range storeEngines(t) {
		for _, alive := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/other alive %v", engine, alive), func(t *testing.T) {
				f := newFixtureOn(t, engine, utc("2026-03-10 10:04"), func(team *pulse.Team) { team.Reps = []string{oslo}; team.Channel = "" }, cadence.Options{ClaimGrace: time.Minute})
				f.newEngine("run-2", cadence.Options{}) // the other replica, alive
				key := f.claimAs("run-2", pulse.DigestKey(f.team.ID, boss, tue))

				// This replica's first tick settles what others left, 10
				// seconds after run-2 claimed the digest.
				f.tickAt(utc("2026-03-10 10:04").Add(10 * time.Second))
				if j := f.job(key); j.State != pulse.JobClaimed || j.Owner != "run-2" || len(f.slack.notices(pulse.JobDigest)) != 0 {
					t.Fatalf("a claim 10 s old was settled: ledger %s by %s, %d digests sent", j.State, j.Owner, len(f.slack.notices(pulse.JobDigest)))
				}
				ts := ""
				if alive {
					// run-2 delivers it and records the delivery.
					ts = "1770000000.000077"
					f.slack.history[key.String()] = pulse.Delivery{Channel: "DUBOSS", TS: ts}
					if err := f.db.MarkSent(bg, key, "DUBOSS", ts, f.clock.Now()); err != nil {
						t.Fatal(err)
					}
				}
				f.tickAt(utc("2026-03-10 10:06"))
				f.tickAt(utc("2026-03-10 10:07"))
				f.digestOnce(key, ts)
			})
		}
	}
}

// A new leader's recovery leaves alone the claims of the outbox (a kudos
// post, a feedback, a daily-thread entry): another replica may be posting
// them right now, and the outbox's senders settle them once they are stale.
func TestEngineLeavesTheOutboxsClaimsToTheOutbox(t *testing.T) {
	tue := pulse.MustDate("2026-03-10")
	f := newFixture(t, utc("2026-03-10 10:00"), func(team *pulse.Team) { team.Reps = []string{oslo}; team.Channel = "" }, cadence.Options{})
	keys := []pulse.JobKey{
		pulse.EffectKey(f.team.ID, "C0SALES", "e0000000001"),
		pulse.FeedbackKey(f.team.ID, oslo, "f0000000001", 0),
		pulse.ThreadEntryKey(f.team.ID, oslo, tue),
	}
	for _, k := range keys {
		f.claimAs("bot-live", k)
	}
	f.tickAt(utc("2026-03-10 10:05"))
	for _, k := range keys {
		if j := f.job(k); j.State != pulse.JobClaimed || j.Owner != "bot-live" {
			t.Errorf("%s is %s by %s after the tick, want left claimed by bot-live", k, j.State, j.Owner)
		}
	}
	if !pulse.SettledByOutbox(keys[2]) || pulse.SettledByOutbox(pulse.DailyThreadKey(f.team.ID, tue)) {
		t.Error("a daily-thread entry is the outbox's, the day's thread the engine's")
	}
}
