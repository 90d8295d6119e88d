package bot

import "github.com/salespulse/pulse"

// The action IDs of Pulse's buttons and select menus and the callback IDs
// of its modals. A message is rendered in one place and its buttons handled
// in another, so both refer to these names.
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
	ActionOpenQuestions   = "questions.open" // setup modal's result: open the Questions modal

	ActionGiveFeedback  = "feedback.give"  // digest or daily thread: open the feedback modal
	ActionFeedbackAck   = "feedback.ack"   // digest or daily thread: the quick 👍
	ActionFeedbackReply = "feedback.reply" // feedback or a reply: open the reply modal
	ActionAgendaAdd     = "agenda.add"     // digest: add to the rep's 1:1 agenda

	// actionSetupTZ is the time zone select of the setup modal, whose
	// options come from zoneSuggestions as the admin types.
	actionSetupTZ = "tz_search"

	ViewCheckIn        = "checkin"
	ViewSetup          = "setup"
	ViewCommitment     = "commitment"
	ViewTrainingReport = "training_report"
	ViewCoaching       = "coaching"
	ViewAway           = "away"
	ViewFeedback       = "feedback"
	ViewFeedbackReply  = "feedback_reply"
	ViewAgenda         = "agenda"
	ViewQuestions      = "questions"
	ViewPlan           = "plan"
	ViewContest        = "contest" // a manager's new contest
)

// registerRoutes connects every /pulse subcommand, button, modal, option
// load and event Pulse handles to its handler, in one list: the comment
// above each group names the file its handlers live in. Whatever arrives
// that is not here is acked and logged (an unknown /pulse word is answered
// by unknownCommand, in help.go). Envelopes come in through router.go.
func (b *Bot) registerRoutes() {
	// help.go, status.go (/pulse alone, /pulse @rep), home.go (App Home)
	b.HandleCommand("help", b.help, ReadOnly())
	b.HandleCommand(CommandBare, b.statusCommand, ReadOnly())
	b.HandleCommand(CommandMention, b.repCommand, ReadOnly())
	b.HandleEvent("app_home_opened", b.homeOpened, ReadOnly())

	// checkin.go: the check-in modal, from the command or the DM's button.
	b.HandleCommand("checkin", b.checkInCommand)
	b.HandleAction(ActionCheckIn, b.checkInButton)
	b.HandleView(ViewCheckIn, b.checkInSubmit)
	b.HandleAction(ActionAwayToday, b.awayToday)

	// blocker.go: the buttons on a manager's blocker alert.
	b.HandleAction(ActionBlockerOnIt, b.blockerButton(pulse.BlockerOnIt))
	b.HandleAction(ActionBlockerResolved, b.blockerButton(pulse.BlockerResolved))

	// setup.go: a team's settings.
	b.HandleCommand("setup", b.setupCommand)
	b.HandleView(ViewSetup, b.setupSubmit)
	b.HandleSuggestion(actionSetupTZ, b.zoneSuggestions, ReadOnly())

	// questions.go: a team's own check-in questions.
	b.HandleCommand("questions", b.questionsCommand)
	b.HandleView(ViewQuestions, b.questionsSubmit)
	b.HandleAction(ActionOpenQuestions, b.questionsButton)

	// commitment.go, commitment_review.go: the meeting's commitments.
	b.HandleCommand("commit", b.commitCommand)
	b.HandleView(ViewCommitment, b.commitmentSubmit)
	b.HandleAction(ActionAddCommitment, b.addCommitmentButton)
	b.HandleAction(ActionReviewKept, b.reviewButton)
	b.HandleAction(ActionReviewPartly, b.reviewButton)
	b.HandleAction(ActionReviewMissed, b.reviewButton)

	// coaching.go: trainings and 1:1s.
	b.HandleCommand("training", b.trainingCommand)
	b.HandleCommand("1on1", b.coachingCommand)
	b.HandleView(ViewCoaching, b.coachingSubmit)

	// nudge.go: the buttons on the cadence engine's training nudges.
	b.HandleAction(ActionNudgeApplied, b.nudgeApplied)
	b.HandleAction(ActionNudgeNotYet, b.nudgeNotYet)
	b.HandleView(ViewTrainingReport, b.trainingReport)

	// kudos.go, away.go
	b.HandleCommand("kudos", b.kudosCommand, PostsInPublic("commands.kudos_too_many"))
	b.HandleCommand("away", b.awayCommand)
	b.HandleView(ViewAway, b.awaySubmit)

	// profile.go, holidays.go: the person's own settings.
	b.HandleCommand("goal", b.goalCommand)
	b.HandleCommand("lang", b.langCommand)
	b.HandleCommand("holidays", b.holidaysCommand)

	// plan.go, contest.go: targets and contests.
	b.HandleCommand("plan", b.planCommand)
	b.HandleView(ViewPlan, b.planSubmit)
	b.HandleCommand("contest", b.contestCommand)
	b.HandleView(ViewContest, b.contestSubmit)

	// digest.go, feedback.go, agenda.go: the leader's digest, feedback on a
	// check-in and the rep's 1:1 agenda.
	b.HandleCommand("digest", b.digestCommand, ReadOnly())
	b.HandleAction(ActionGiveFeedback, b.giveFeedbackButton)
	b.HandleView(ViewFeedback, b.feedbackSubmit)
	b.HandleAction(ActionFeedbackAck, b.feedbackAck)
	b.HandleAction(ActionFeedbackReply, b.feedbackReplyButton)
	b.HandleView(ViewFeedbackReply, b.feedbackReplySubmit)
	b.HandleAction(ActionAgendaAdd, b.agendaAddButton)
	b.HandleView(ViewAgenda, b.agendaSubmit)

	// export.go, web.go, crm.go
	b.HandleCommand("export", b.exportCSV, ReadOnly())
	b.HandleCommand("web", b.webCommand)
	b.HandleCommand("crm", b.crmCommand)
}
