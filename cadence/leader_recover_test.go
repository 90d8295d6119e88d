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
