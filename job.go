package pulse

import (
	"context"
	"strings"
	"time"
)

// JobKind names a kind of scheduled message.
type JobKind string

// The jobs the cadence engine schedules.
const (
	JobCheckIn         JobKind = "checkin"
	JobReminder        JobKind = "reminder"
	JobMissed          JobKind = "missed"
	JobMeetingPrompt   JobKind = "meeting"
	JobNudge           JobKind = "nudge"
	JobCoachingDue     JobKind = "coaching"
	JobSummary         JobKind = "summary"
	JobBlockerFollowUp JobKind = "blocker"
	JobDailyThread     JobKind = "thread"
	JobDigest          JobKind = "digest"      // a manager's daily digest of check-ins
	JobLeaderWeek      JobKind = "leader_week" // a leader's weekly "Your week as a leader"
	JobFeedback        JobKind = "feedback"    // a feedback, or a reply to it, delivered to its reader
)

// JobKey identifies one occurrence of a job, so that it is sent once: the
// check-in of rep U1 in team T1 on 2026-11-23 has one key whatever process,
// tick or retry asks for it.
type JobKey struct {
	Kind       JobKind
	TeamID     string
	UserID     string // empty for jobs that go to a channel
	Occurrence string // the local date, or another tag that names one occurrence
}

// String formats the key as kind/team/user/occurrence; the parts never hold
// a slash, so the form is also the key's identity in storage and metadata.
func (k JobKey) String() string {
	return string(k.Kind) + "/" + k.TeamID + "/" + k.UserID + "/" + k.Occurrence
}

// ParseJobKey reads a key written by String.
func ParseJobKey(s string) (JobKey, bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 4 || parts[0] == "" || parts[1] == "" || parts[3] == "" {
		return JobKey{}, false
	}
	return JobKey{Kind: JobKind(parts[0]), TeamID: parts[1], UserID: parts[2], Occurrence: parts[3]}, true
}

// Valid reports whether the key has every part it needs and no slash inside one.
func (k JobKey) Valid() bool {
	parsed, ok := ParseJobKey(k.String())
	return ok && parsed == k
}

// JobState is where a job stands in the ledger.
type JobState string

// A job is claimed by one sender, then sent, or released so that it can be
// claimed again, or skipped when there is nothing to send.
const (
	JobClaimed  JobState = "claimed"
	JobSent     JobState = "sent"
	JobReleased JobState = "released"
	JobSkipped  JobState = "skipped"
)

// Job is a ledger entry: who claimed the occurrence, and what became of it.
type Job struct {
	Key       JobKey
	State     JobState
	Owner     string // the claiming process's run ID; a job claimed by another run is ambiguous
	Attempts  int    // claims so far
	ClaimedAt time.Time
	DoneAt    time.Time // when it was sent or skipped
	Channel   string    // where it was posted, once sent
	TS        string    // Slack's message timestamp, once sent
}

// JobLedger records scheduled jobs so that each is sent once.
type JobLedger interface {
	// Claim takes the job for owner. Exactly one of any number of
	// concurrent callers wins a key that is new or released; it gets
	// won=true and the claimed job. Everyone else gets won=false and the
	// job as it stands.
	Claim(ctx context.Context, key JobKey, owner string, now time.Time) (job Job, won bool, err error)
	// ClaimBatch claims each of keys for owner as Claim does, all in one
	// transaction: on an error none of them is claimed. It returns one
	// result per key, in the order of keys; of a key given twice, the
	// first is won at most.
	ClaimBatch(ctx context.Context, keys []JobKey, owner string, now time.Time) ([]Claimed, error)
	// MarkSent records where the claimed job was delivered.
	MarkSent(ctx context.Context, key JobKey, channel, ts string, now time.Time) error
	// MarkSkipped records that the job was due but had nothing to send.
	MarkSkipped(ctx context.Context, key JobKey, now time.Time) error
	// Release gives a claimed job back, so that it can be claimed again.
	Release(ctx context.Context, key JobKey) error
	// Job returns the ledger entry for key, or an ENOTFOUND error.
	Job(ctx context.Context, key JobKey) (Job, error)
	// Unconfirmed returns the jobs claimed but neither sent nor released:
	// after a crash, Slack may or may not hold their messages.
	Unconfirmed(ctx context.Context) ([]Job, error)
	// PruneJobs deletes entries that were finished before the given time.
	PruneJobs(ctx context.Context, before time.Time) (int, error)
}

// Claimed is what ClaimBatch did with one key: won says whether the caller
// now holds the job; Job is the job as it stands after the claim.
type Claimed struct {
	Job Job
	Won bool
}

// EnvelopeLog remembers which Socket Mode envelopes were handled, so that a
// redelivery, also to a restarted process, is applied once.
type EnvelopeLog interface {
	// MarkEnvelope records id and reports whether this is its first sighting.
	MarkEnvelope(ctx context.Context, id string, now time.Time) (first bool, err error)
	// RetakeEnvelope reports whether a redelivered envelope that was marked
	// but never applied (its process died before its handler's first write)
	// may be handled here. Writes made under WithEnvelope record it applied.
	RetakeEnvelope(ctx context.Context, id string) (bool, error)
	// PruneEnvelopes forgets envelopes first seen before the given time.
	PruneEnvelopes(ctx context.Context, before time.Time) (int, error)
}

// The jobs of numbers pulled from a team's CRM: a pull, claimed once per
// sync point, and the word to a manager or admin that the team's CRM
// credential was refused, claimed once per person until a pull works again.
const (
	JobCRMSync    JobKind = "crmsync"
	JobCRMRefused JobKind = "crmrefused"
)
