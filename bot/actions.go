package bot

import (
	"strings"
)

// The action IDs of Pulse's buttons and the callback IDs of its modals. A
// message is rendered in one place and its buttons handled in another, so
// both refer to these names.
const (
	ActionCheckIn         = "checkin.open"       // DM: open today's check-in modal
	ActionAwayToday       = "checkin.away_today" // DM: mark the rep away today
	ActionBlockerOnIt     = "blocker.on_it"      // manager's alert: take the blocker
	ActionBlockerResolved = "blocker.resolved"   // manager's alert: resolve it
	ActionNudgeApplied    = "nudge.applied"      // training nudge: open the report modal
	ActionNudgeNotYet     = "nudge.not_yet"      // training nudge: not applied yet
	ActionAddCommitment   = "commitment.add"     // meeting prompt: open the commitment modal
	ActionReviewKept      = "commitment.kept"    // review of last week's commitment
	ActionReviewPartly    = "commitment.partly"
	ActionReviewMissed    = "commitment.missed"

	ActionGiveFeedback  = "feedback.give"  // digest or daily thread: open the feedback modal
	ActionFeedbackAck   = "feedback.ack"   // digest or daily thread: the quick 👍
	ActionFeedbackReply = "feedback.reply" // feedback or a reply: open the reply modal
	ActionAgendaAdd     = "agenda.add"     // digest: add to the rep's 1:1 agenda

	ViewCheckIn        = "checkin"
	ViewSetup          = "setup"
	ViewCommitment     = "commitment"
	ViewTrainingReport = "training_report"
	ViewCoaching       = "coaching"
	ViewAway           = "away"
	ViewFeedback       = "feedback"
	ViewFeedbackReply  = "feedback_reply"
	ViewAgenda         = "agenda"
)

// packValue joins the parts a button or a modal carries back (a team ID, a
// date, a training ID) into one value. No part holds a '|'.
func packValue(parts ...string) string { return strings.Join(parts, "|") }

// unpackValue splits a value made by packValue into exactly n parts, and
// reports false for anything else: a value comes from Slack and is checked
// like any other input.
func unpackValue(v string, n int) ([]string, bool) {
	parts := strings.Split(v, "|")
	if len(parts) != n {
		return nil, false
	}
	return parts, true
}

// registerSurface registers the handlers of every /pulse subcommand,
// button and modal beyond help.
func (b *Bot) registerSurface() {
	b.registerCommands()
	b.registerCheckIn()
	b.registerNotices()
	b.registerPlans()
	b.registerFeedback()
}
