package cadence_test

import (
	"testing"

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
		f.sentAt() // fails on a double delivery
		sent := len(f.slack.notices(pulse.JobDigest))
		j := f.job(key)
		switch {
		case held && (sent != 0 || j.State != pulse.JobSent || j.TS != "1770000000.000044"):
			t.Errorf("Slack held the digest: sent again %d times, ledger %s at %s", sent, j.State, j.TS)
		case !held && (sent != 1 || j.State != pulse.JobSent || j.Owner != "run-1"):
			t.Errorf("Slack did not hold the digest: sent %d times, ledger %s by %s; want once by run-1", sent, j.State, j.Owner)
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
