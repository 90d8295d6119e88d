package pulse

import (
	"strconv"
	"strings"
	"time"
)

// The defaults of a team's feedback rhythm, as the seeds put it: feedback
// daily, and no rep left without it for more than a few workdays.
const (
	DefaultFeedbackInterval = 3 // workdays
	DefaultFeedbackTarget   = 2 // per rep per week
	MaxFeedbackReplies      = 50
)

// Digest returns the time of the managers' daily digest in the team's
// zone: DigestTime, or two hours after the check-in time when unset.
func (t *Team) Digest() TimeOfDay {
	if t.DigestTime != 0 {
		return t.DigestTime
	}
	return min(t.CheckInTime+120, 24*60-1)
}

// Interval returns how many workdays a rep may go without feedback.
func (t *Team) Interval() int {
	if t.FeedbackInterval > 0 {
		return t.FeedbackInterval
	}
	return DefaultFeedbackInterval
}

// Target returns how many times a week each rep should be given feedback.
func (t *Team) Target() int {
	if t.FeedbackTarget > 0 {
		return t.FeedbackTarget
	}
	return DefaultFeedbackTarget
}

// FeedbackKind says what a piece of feedback is.
type FeedbackKind string

// The kinds of feedback a leader gives. An acknowledgement is the quick 👍
// on a check-in: it counts as feedback, in the catalogue's words.
const (
	FeedbackPraise   FeedbackKind = "praise"
	FeedbackCoaching FeedbackKind = "coaching"
	FeedbackQuestion FeedbackKind = "question"
	FeedbackAck      FeedbackKind = "ack"
)

// FeedbackKinds lists the kinds a leader picks from in the modal.
var FeedbackKinds = []FeedbackKind{FeedbackPraise, FeedbackCoaching, FeedbackQuestion}

// ParseFeedbackKind accepts a kind Pulse knows.
func ParseFeedbackKind(s string) (FeedbackKind, bool) {
	switch k := FeedbackKind(s); k {
	case FeedbackPraise, FeedbackCoaching, FeedbackQuestion, FeedbackAck:
		return k, true
	}
	return "", false
}

// FeedbackReply is one answer in a feedback's thread, by the rep or a leader.
type FeedbackReply struct {
	From string
	Text string
	At   time.Time
	TS   string // Slack's ts of its delivery to the other side; empty until delivered
}

// Feedback is what a team's manager or director said about one rep's
// check-in. The rep reads it in the thread of their check-in DM; it is
// private to the rep and the team's leaders.
type Feedback struct {
	ID     string
	TeamID string
	RepID  string
	Date   Date // the check-in day it answers
	From   string
	Kind   FeedbackKind
	Text   string // empty for an acknowledgement
	At     time.Time

	// Where the rep received it, once delivered: their check-in DM's thread.
	// A TS is the feedback's delivered mark.
	Channel string
	TS      string
	// Where the leader's copy of the rep's replies go: the thread of the
	// leader's digest, or their DM when there is none.
	LeaderChannel string
	LeaderTS      string

	Replies []FeedbackReply
}

// Validate checks the feedback and trims its text.
func (f *Feedback) Validate() error {
	var errs ValidationErrors
	var err *Error
	if _, ok := ParseFeedbackKind(string(f.Kind)); !ok {
		errs = append(errs, FieldError("kind", "err.feedback_kind", map[string]any{"Value": string(f.Kind)}, "feedback kind %q", f.Kind))
	}
	if f.Text, err = cleanText("feedback", f.Text, MaxTextLen, f.Kind != FeedbackAck); err != nil {
		errs = append(errs, err)
	}
	if !ValidUserID(f.RepID) {
		errs = append(errs, FieldError("rep", "err.user_unknown", map[string]any{"Value": f.RepID}, "bad rep id %q", f.RepID))
	}
	if !ValidUserID(f.From) {
		errs = append(errs, FieldError("from", "err.user_unknown", map[string]any{"Value": f.From}, "bad author id %q", f.From))
	}
	if f.From == f.RepID {
		errs = append(errs, FieldError("rep", "err.feedback_self", nil, "feedback to oneself"))
	}
	if f.Date.IsZero() {
		errs = append(errs, FieldError("date", "err.date", map[string]any{"Value": ""}, "feedback without a day"))
	}
	if len(f.Replies) > MaxFeedbackReplies {
		errs = append(errs, FieldError("reply", "err.too_many", map[string]any{"Max": MaxFeedbackReplies}, "more than %d replies", MaxFeedbackReplies))
	}
	for i := range f.Replies {
		if f.Replies[i].Text, err = cleanText("reply", f.Replies[i].Text, MaxTextLen, true); err != nil {
			errs = append(errs, err)
			break
		}
	}
	return errs.OrNil()
}

// Silence is how long a rep has gone without feedback, as the digest warns.
type Silence struct {
	Rep      string
	Since    Date // the day of the last feedback; zero when never
	Workdays int  // the rep's workdays after Since, today included
}

// FeedbackSilence counts the rep's workdays (days that are no day off for
// them by DayOff: their own public holidays, p nil keeps the team's) after the day of their last
// feedback, up to and including today; with no feedback ever, from the
// day before start (the team's creation). The digest warns when the count
// reaches the team's interval, so a manager reads the warning on the day
// the interval runs out, in time to act on it that day.
func FeedbackSilence(team *Team, rep string, p *Person, last Date, start Date, today Date, away []AwayPeriod) Silence {
	s := Silence{Rep: rep, Since: last}
	from := last
	if from.IsZero() {
		from = start.AddDays(-1)
	}
	// Bounded: beyond a year the count says nothing more.
	for d := from.AddDays(1); !d.After(today) && from.DaysUntil(d) <= 366; d = d.AddDays(1) {
		if !DayOff(team, p, away, d) {
			s.Workdays++
		}
	}
	return s
}

// Silent reports whether the silence has lasted the team's interval.
func (s Silence) Silent(team *Team) bool { return s.Workdays >= team.Interval() }

// FeedbackKey names one delivery of a feedback to its reader `to`: the
// feedback itself (reply 0) or its nth reply (from 1), so that each is
// posted once, whatever retry, restart or sweep asks for it.
func FeedbackKey(team, to, feedbackID string, reply int) JobKey {
	occ := feedbackID
	if reply > 0 {
		occ += "+" + strconv.Itoa(reply)
	}
	return JobKey{Kind: JobFeedback, TeamID: team, UserID: to, Occurrence: occ}
}

// ParseFeedbackOccurrence reads a FeedbackKey's occurrence back into the
// feedback's ID and the reply's number (0 for the feedback itself).
func ParseFeedbackOccurrence(occ string) (id string, reply int, ok bool) {
	id, n, found := strings.Cut(occ, "+")
	if id == "" {
		return "", 0, false
	}
	if !found {
		return id, 0, true
	}
	reply, err := strconv.Atoi(n)
	if err != nil || reply < 1 {
		return "", 0, false
	}
	return id, reply, true
}

// Undelivered reports whether the feedback or one of its replies is saved
// but not yet delivered to its reader.
func (f *Feedback) Undelivered() bool {
	if f.TS == "" {
		return true
	}
	for _, r := range f.Replies {
		if r.TS == "" {
			return true
		}
	}
	return false
}
