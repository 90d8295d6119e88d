package pulse

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
)

// JobEffect is the ledger kind of an outbox effect: a message a command's
// write committed to send after its ack. It is claimed, sent and marked
// like a scheduled job, so that it goes out once whichever replica sends it.
const JobEffect JobKind = "effect"

// Effect is a slower consequence of a command (a channel post, a DM), kept
// in the outbox from the command's own write until it is sent, so that a
// replica that dies after the ack loses nothing.
type Effect struct {
	// Key names the effect in the job ledger and in the message metadata:
	// kind JobEffect, the team, the recipient user (empty for a channel)
	// and the effect's ID as the occurrence. The store sets it.
	Key    JobKey
	TeamID string
	// Kind says which of the bot's senders sends it: "" posts Body to To;
	// the others name a delivery whose message is made when it is sent
	// (a feedback and its replies, a daily-thread entry, an App Home).
	Kind      string
	To        string // a channel ID, or a user ID for a direct message
	Body      []byte // what to send, as the bot encoded it
	CreatedAt time.Time
}

// The kinds of effect: what the bot's sender does with one.
const (
	EffectPost     = ""         // post Body, the bot's message, to To
	EffectFeedback = "feedback" // deliver a feedback and its replies, each once (Body: FeedbackEffect)
	EffectThread   = "thread"   // share a check-in in its team's daily thread
	EffectHome     = "home"     // publish To's App Home again
	EffectBlocker  = "blocker"  // tell To, a manager, of a blocker raised (Body: BlockerEffect)
)

// FeedbackEffect names the feedback an effect delivers: by its ID, or, for
// feedback saved in the effect's own transaction (whose ID the store gives
// it there), by who gave it to whom and when.
type FeedbackEffect struct {
	ID   string    `json:"id,omitempty"`
	Rep  string    `json:"rep,omitempty"`
	From string    `json:"from,omitempty"`
	At   time.Time `json:"at,omitzero"`
}

// NewFeedbackEffect is the effect of delivering f and its replies; f may
// be about to be saved (no ID yet), its At set.
func NewFeedbackEffect(f *Feedback) (Effect, error) {
	body, err := json.Marshal(FeedbackEffect{ID: f.ID, Rep: f.RepID, From: f.From, At: f.At})
	if err != nil {
		return Effect{}, fmt.Errorf("encode the delivery of feedback to %s: %w", f.RepID, err)
	}
	return Effect{Kind: EffectFeedback, TeamID: f.TeamID, To: f.RepID, Body: body}, nil
}

// BlockerEffect names the blocker a manager is told of. The blocker is
// saved in the effect's own transaction, which gives it its ID, so it is
// named by the rep who raised it, the day and when.
type BlockerEffect struct {
	Rep      string    `json:"rep"`
	Date     Date      `json:"date"`
	RaisedAt time.Time `json:"raised_at"`
}

// NewBlockerEffects are the effects of telling each of the team's managers
// but the rep of the blocker b, about to be saved with its RaisedAt set.
func NewBlockerEffects(team *Team, b *Blocker) ([]Effect, error) {
	if b.RaisedAt.IsZero() {
		return nil, fmt.Errorf("the alert of a blocker of %s names it by the time it was raised, which is not set", b.UserID)
	}
	body, err := json.Marshal(BlockerEffect{Rep: b.UserID, Date: b.Date, RaisedAt: b.RaisedAt})
	if err != nil {
		return nil, fmt.Errorf("encode the alert of a blocker of %s: %w", b.UserID, err)
	}
	var out []Effect
	for _, m := range team.Managers {
		if m != b.UserID {
			out = append(out, Effect{Kind: EffectBlocker, TeamID: team.ID, To: m, Body: body})
		}
	}
	return out, nil
}

// Is reports whether b is the blocker e names.
func (e BlockerEffect) Is(b *Blocker) bool {
	return b.UserID == e.Rep && b.Date == e.Date && b.RaisedAt.Equal(e.RaisedAt)
}

// SettledByOutbox reports whether the ledger entry k is claimed and settled
// by an outbox sender (which asks Slack about a claim only once it is
// stale), so that the cadence engine's recovery leaves it alone: a claim of
// a live replica is not a stopped run's.
func SettledByOutbox(k JobKey) bool {
	switch k.Kind {
	case JobEffect, JobFeedback:
		return true
	case JobDailyThread:
		return strings.Contains(k.Occurrence, "+") // an entry, not the day's thread
	}
	return false
}

// EffectKey names the effect id of a team, to recipient to.
func EffectKey(team, to, id string) JobKey {
	user := ""
	if len(to) > 0 && (to[0] == 'U' || to[0] == 'W') {
		user = to
	}
	return JobKey{Kind: JobEffect, TeamID: team, UserID: user, Occurrence: id}
}

// Outbox holds the effects written but not yet sent.
type Outbox interface {
	// AddEffects writes effects that follow no other write (an event's
	// own), committed before the event is acknowledged.
	// It returns them as stored.
	AddEffects(ctx context.Context, effects ...Effect) ([]Effect, error)
	// PendingEffects returns the effects not yet sent, oldest first.
	PendingEffects(ctx context.Context) ([]Effect, error)
	// ForgetEffect removes a sent (or undeliverable) effect from the outbox.
	ForgetEffect(ctx context.Context, key JobKey) error
	// TakeOverEffect claims for owner an effect still claimed as seen (by
	// a run that stopped before it finished); won is false when the claim
	// changed since it was seen: finished, or taken over by another run,
	// also by the same owner again.
	TakeOverEffect(ctx context.Context, key JobKey, seen Job, owner string, now time.Time) (job Job, won bool, err error)
}

// EffectsMark carries the effects a handler's next store write commits
// with it, in the same transaction.
type EffectsMark struct {
	Effects []Effect
	written atomic.Pointer[[]Effect]
}

// Written reports whether a write has committed the effects.
func (m *EffectsMark) Written() bool { return m.written.Load() != nil }

// SetWritten records that a write committed the effects, as stored (their
// keys set).
func (m *EffectsMark) SetWritten(stored []Effect) { m.written.Store(&stored) }

// Stored returns the effects as a write committed them, or nil before.
func (m *EffectsMark) Stored() []Effect {
	if p := m.written.Load(); p != nil {
		return *p
	}
	return nil
}

type effectsKey struct{}

// WithEffects returns ctx carrying effects for the first store write made
// with it: the write and the effects commit together or not at all.
func WithEffects(ctx context.Context, effects ...Effect) context.Context {
	return context.WithValue(ctx, effectsKey{}, &EffectsMark{Effects: effects})
}

// EffectsOf returns the effects ctx carries, or nil.
func EffectsOf(ctx context.Context) *EffectsMark {
	m, _ := ctx.Value(effectsKey{}).(*EffectsMark)
	return m
}
