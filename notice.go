package pulse

import (
	"context"
	"strconv"
	"time"
)

// The cadence engine decides what is due and hands each message to a
// Notifier as a Notice: what to say, to whom, in which language, and the
// facts it is built from. The Notifier (the bot) turns a Notice into Slack
// blocks; the engine never sees a Slack type.

// Slack message metadata that marks a scheduled message as the delivery of
// one job, so that after a crash the engine can ask Slack whether the job's
// message already went out (see Notifier.Delivered).
const (
	// MetadataEventType is the metadata event_type of every scheduled message.
	MetadataEventType = "pulse_job"
	// MetadataJobField is the event_payload field that holds JobKey.String().
	MetadataJobField = "job"
)

// Delivery is where a message was posted: the conversation ID and Slack's
// timestamp of the message, which together name it for threads and edits.
type Delivery struct {
	Channel string
	TS      string
}

// Notifier delivers the engine's notices. The bot implements it over Slack's
// Web API; tests use a recorder.
//
// Every message that Deliver posts must carry Slack message metadata with
// event_type MetadataEventType and an event_payload whose MetadataJobField
// is the notice's Key.String(). Without it Delivered cannot find the message
// and a job interrupted by a crash would be sent twice.
type Notifier interface {
	// Deliver posts the notice and returns where it went. An error whose
	// ErrorCode is EINVALID, ENOTFOUND or EFORBIDDEN says the notice can
	// never be delivered (an archived channel, a deactivated user): the
	// engine gives the job up. Any other error is retried.
	Deliver(ctx context.Context, n Notice) (Delivery, error)
	// Delivered reports whether a message for key was posted to the
	// conversation since the given instant, by reading the conversation's
	// history with its metadata (conversations.history with
	// include_all_metadata) and looking for the job's metadata. The
	// conversation is the notice's recipient: a user ID for a direct
	// message (the notifier finds the DM channel) or a channel ID.
	Delivered(ctx context.Context, key JobKey, conversation string, since time.Time) (Delivery, bool, error)
}

// Directory tells who a Slack user is, with the time zone their day runs
// in. The bot implements it with users.info and a cache in the PersonStore.
// A person's own TZOverride wins over Slack's zone (Person.Zone).
type Directory interface {
	// Person returns the user's profile, or an ENOTFOUND error.
	Person(ctx context.Context, userID string) (*Person, error)
	// People returns the profiles of the users among userIDs that Slack
	// knows, by ID, leaving out the ones it does not; asked of many people
	// at once (a new team), it may ask Slack about them in bulk.
	People(ctx context.Context, userIDs []string) (map[string]*Person, error)
}

// Notice is one scheduled message. Key names the job it delivers; Payload
// holds what the message says, one type per kind of job.
type Notice struct {
	Key JobKey
	// Team is the team the message is about. Read it, never change it.
	Team *Team
	// To is a Slack user ID for a direct message, or a channel ID for a
	// post in the team's channel.
	To string
	// Lang is the recipient's language: the person's for a DM, the team's
	// for a channel post.
	Lang Lang
	// Payload is one of the *Notice types below; its Kind equals Key.Kind.
	Payload Payload
}

// Payload is what one kind of notice says. Every job kind has one but
// JobMissed: a missed day is recorded in the store as a CheckIn with status
// missed (once, through the ledger like any job) and nothing is sent.
type Payload interface {
	// Kind names the job kind the payload belongs to.
	Kind() JobKind
}

// CheckInNotice asks a rep for today's check-in, by DM, at the team's
// check-in time in the rep's zone.
type CheckInNotice struct {
	Rep  string
	Date Date   // the rep's local day the check-in is for
	Goal string // the rep's personal goal, to remind them why; may be empty
	// PrevDate and PrevPlan are the rep's last answered check-in in the
	// team within the past two weeks and the plan they made in it; both
	// are empty when there is none.
	PrevDate Date
	PrevPlan string
	Streak   int // workdays in a row checked in before today
	// Pace is the rep's pace on the metric furthest behind its plan, for
	// one line of the message; nil when the rep has no plan.
	Pace *Pace
}

// ReminderNotice reminds a rep, by DM, that today's check-in is unanswered.
type ReminderNotice struct {
	Rep     string
	Date    Date
	CheckIn Delivery // the check-in message it follows up, for threading
}

// MeetingNotice prompts the team channel before the weekly meeting.
type MeetingNotice struct {
	Week      Date      // Monday of the meeting's week
	MeetingAt time.Time // when the meeting starts, in the team's zone
	// LastWeek is the Monday of the week whose commitments are reviewed.
	LastWeek Date
	// Reps holds, for every rep of the team in the team's order, the
	// commitments they made for LastWeek (none is a valid answer).
	Reps         []RepCommitments
	OpenBlockers []Blocker // oldest first
	// Focus is the team's latest training within the last 30 days, the
	// skill to keep applying; nil when there is none.
	Focus *Training
}

// RepCommitments is one rep's commitments for a week.
type RepCommitments struct {
	Rep         string
	Commitments []Commitment
}

// NudgeNotice asks a training attendee, by DM, how they applied the skill.
type NudgeNotice struct {
	Rep          string
	TrainingID   string
	Skill        string
	TrainingDate Date
	Day          int  // the scheduled day after the training, e.g. 7
	Date         Date // the rep's local day it was sent on
}

// CoachingNotice tells a manager, by DM, that a rep's 1:1 is due.
type CoachingNotice struct {
	Rep       string
	LastDate  Date // the rep's latest 1:1; zero when they never had one
	DaysSince int  // days since LastDate, or since the team was created
	Cadence   int  // the team's days between 1:1s
}

// SummaryNotice posts the weekly summary to the team channel.
type SummaryNotice struct {
	Summary Summary
	// Leaders holds each metric's top three of the week and who improved
	// most; Attainment the team's month against its reps' plans.
	Leaders    []MetricLeaders
	Attainment []TeamAttainment
}

// BlockerNotice follows up, by DM to the rep and to each manager, a blocker
// that stayed open more than the team's BlockerLimit workdays.
type BlockerNotice struct {
	Blocker      Blocker
	WorkdaysOpen int  // team workdays since the day it was raised
	ToManager    bool // the recipient is a manager (else the rep who raised it)
}

// DailyThreadNotice opens the day's thread in the team channel, under which
// the bot shares each check-in of that day as a reply. It goes out when the
// first rep's check-in for the day is sent. The bot finds the parent of a
// day's replies in the ledger: Job(DailyThreadKey(team, day)) holds its
// Channel and TS once sent.
type DailyThreadNotice struct {
	Date Date
	Reps []string // the reps whose check-in is due that day
}

// DigestNotice brings a manager, by DM at the team's digest time, the
// day's check-ins of the team's reps to answer: the bot reads them from
// the store when it renders the digest, so it shows the latest.
type DigestNotice struct {
	Leader string
	Date   Date // the team's day
}

// LeaderWeekNotice brings a manager their leadership pulse of the week
// (and a director the pulses of the team's managers), by DM on the summary day.
type LeaderWeekNotice struct {
	Leader string
	Week   Date // Monday of the week
}

// Kind returns JobDigest.
func (DigestNotice) Kind() JobKind { return JobDigest }

// Kind returns JobLeaderWeek.
func (LeaderWeekNotice) Kind() JobKind { return JobLeaderWeek }

// DigestKey names a manager's digest of the team's day.
func DigestKey(team, manager string, day Date) JobKey {
	return JobKey{Kind: JobDigest, TeamID: team, UserID: manager, Occurrence: day.String()}
}

// LeaderWeekKey names a leader's weekly DM of the week starting on Monday week.
func LeaderWeekKey(team, leader string, week Date) JobKey {
	return JobKey{Kind: JobLeaderWeek, TeamID: team, UserID: leader, Occurrence: week.String()}
}

// ThreadEntryKey names a rep's check-in shared as a reply in the team's
// daily thread: posted once, whatever retries ask for it. It goes to the
// channel, so it names no recipient; the rep is in the occurrence.
func ThreadEntryKey(team, rep string, day Date) JobKey {
	return JobKey{Kind: JobDailyThread, TeamID: team, Occurrence: day.String() + "+" + rep}
}

// Kind returns JobCheckIn.
func (CheckInNotice) Kind() JobKind { return JobCheckIn }

// Kind returns JobReminder.
func (ReminderNotice) Kind() JobKind { return JobReminder }

// Kind returns JobMeetingPrompt.
func (MeetingNotice) Kind() JobKind { return JobMeetingPrompt }

// Kind returns JobNudge.
func (NudgeNotice) Kind() JobKind { return JobNudge }

// Kind returns JobCoachingDue.
func (CoachingNotice) Kind() JobKind { return JobCoachingDue }

// Kind returns JobSummary.
func (SummaryNotice) Kind() JobKind { return JobSummary }

// Kind returns JobBlockerFollowUp.
func (BlockerNotice) Kind() JobKind { return JobBlockerFollowUp }

// Kind returns JobDailyThread.
func (DailyThreadNotice) Kind() JobKind { return JobDailyThread }

// The keys of each kind of job. A daily job's occurrence is the local date,
// a weekly one's the Monday of its week; a nudge's names the training and
// its day, a 1:1 reminder's the rep and the day they became due, and a
// blocker follow-up's the blocker and its workdays open. The user is the
// recipient, or empty for channel posts.

// CheckInKey names a rep's check-in DM for a local day.
func CheckInKey(team, rep string, day Date) JobKey {
	return JobKey{Kind: JobCheckIn, TeamID: team, UserID: rep, Occurrence: day.String()}
}

// ReminderKey names a rep's check-in reminder for a local day.
func ReminderKey(team, rep string, day Date) JobKey {
	return JobKey{Kind: JobReminder, TeamID: team, UserID: rep, Occurrence: day.String()}
}

// MissedKey names the recording of a rep's missed check-in for a local day.
func MissedKey(team, rep string, day Date) JobKey {
	return JobKey{Kind: JobMissed, TeamID: team, UserID: rep, Occurrence: day.String()}
}

// MeetingKey names the meeting prompt of the week starting on Monday week.
func MeetingKey(team string, week Date) JobKey {
	return JobKey{Kind: JobMeetingPrompt, TeamID: team, Occurrence: week.String()}
}

// SummaryKey names the summary posted in the week starting on Monday week.
func SummaryKey(team string, week Date) JobKey {
	return JobKey{Kind: JobSummary, TeamID: team, Occurrence: week.String()}
}

// DailyThreadKey names the parent message of a day's check-in thread.
func DailyThreadKey(team string, day Date) JobKey {
	return JobKey{Kind: JobDailyThread, TeamID: team, Occurrence: day.String()}
}

// NudgeKey names the nudge of an attendee on a training's given day.
func NudgeKey(team, rep, training string, day int) JobKey {
	return JobKey{Kind: JobNudge, TeamID: team, UserID: rep, Occurrence: training + "+" + strconv.Itoa(day)}
}

// CoachingKey names the reminder to a manager that rep's 1:1 fell due on day.
func CoachingKey(team, manager, rep string, due Date) JobKey {
	return JobKey{Kind: JobCoachingDue, TeamID: team, UserID: manager, Occurrence: rep + "+" + due.String()}
}

// BlockerKey names the follow-up of a blocker, to one recipient, after it
// stayed open the given number of workdays.
func BlockerKey(team, recipient, blocker string, workdays int) JobKey {
	return JobKey{Kind: JobBlockerFollowUp, TeamID: team, UserID: recipient, Occurrence: blocker + "+" + strconv.Itoa(workdays)}
}

// CRMRefusedNotice tells a team's manager, or an admin, by DM, that the
// team's CRM refused Pulse's credential: the numbers stay as last fetched
// until someone fixes the credential. It is sent once per person per
// outage.
type CRMRefusedNotice struct {
	CRM    CRMKind
	LastOK time.Time // when a pull last worked; zero when none ever did
}

// Kind returns JobCRMRefused.
func (CRMRefusedNotice) Kind() JobKind { return JobCRMRefused }
