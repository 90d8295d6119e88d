// Package cadence decides what Pulse sends when, and sends each job once.
//
// It is split the way the rest of Pulse treats time: Due is a pure decision
// ("given now, a team and what is known of its people, which occurrences
// are due or still meaningful right now?"), and the Engine is a thin loop
// around it that claims each occurrence in the job ledger, checks the facts
// again, hands a notice to the Notifier from a bounded pool of workers, and
// records the delivery. A fan-out to a thousand reps is walked a rep at a
// time and claimed in batches as the pool drains, and each notice is built
// when a worker takes it, so what the engine holds is a window of the
// fan-out, not the whole of it. Every job is claimed before it is sent and marked
// sent after, so a crash, a restart or two overlapping ticks never send a
// second copy; a job left claimed by a run that died is settled by asking
// Slack whether its message is there.
package cadence

import "time"

// Options tune the engine. The zero value of each field means its default.
type Options struct {
	// Workers is how many notices are delivered at once. Default 8.
	Workers int
	// SummaryTolerance is how late the weekly summary may still go out
	// after a downtime. Default 6 hours.
	SummaryTolerance time.Duration
	// RetryBase is the wait before the first retry of a failed delivery;
	// each further retry waits twice as long, at most RetryMax. Retries
	// run on the engine's clock, at the next tick after the wait.
	// Default 30 seconds.
	RetryBase time.Duration
	// RetryMax caps the wait between retries. Default 10 minutes.
	RetryMax time.Duration
	// MaxAttempts is how many deliveries of a claimed job are tried
	// before the job is released for a later tick to claim afresh.
	// Default 5.
	MaxAttempts int
	// DeliverTimeout bounds one call to the notifier. Default 30 seconds.
	DeliverTimeout time.Duration
	// KeepJobs is how long finished ledger entries are kept. An entry
	// pruned while its occurrence still means something would let it be
	// sent again, so it is never less than eight days plus
	// SummaryTolerance. Default 30 days.
	KeepJobs time.Duration
	// RecoverEvery is how often jobs left claimed by another run are
	// looked for again. Default 10 minutes.
	RecoverEvery time.Duration
	// ClaimGrace is how old another run's claim must be before Recover
	// settles it: younger, the claim may be a live replica's whose message
	// is on its way to Slack, not yet in the history Recover reads. Set it
	// when several processes share the store, longer than a send takes
	// (DeliverTimeout). Default none: one process holds the store, and
	// every other run's claim is a stopped run's.
	ClaimGrace time.Duration
}

// Lookbacks that bound how far back an occurrence can still be meaningful.
const (
	// missedLookback is how many days back a missed check-in is still
	// recorded after a downtime.
	missedLookback = 7
	// catchUpDays is how many days after a nudge, 1:1 reminder or blocker
	// follow-up fell due its recipient may first be around to get it.
	catchUpDays = 7
	// meetingLeadless is how long a meeting prompt without a lead time
	// stays meaningful after the meeting started.
	meetingLeadless = 15 * time.Minute
	// focusDays is how recent a training must be to be the meeting's focus.
	focusDays = 30
)

func (o Options) withDefaults() Options {
	set := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	set(&o.SummaryTolerance, 6*time.Hour)
	set(&o.RetryBase, 30*time.Second)
	set(&o.RetryMax, 10*time.Minute)
	set(&o.DeliverTimeout, 30*time.Second)
	set(&o.KeepJobs, 30*24*time.Hour)
	o.KeepJobs = max(o.KeepJobs, (missedLookback+1)*24*time.Hour+o.SummaryTolerance)
	set(&o.RecoverEvery, 10*time.Minute)
	return o
}
