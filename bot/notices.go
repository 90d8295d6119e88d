package bot

// registerNotices registers the buttons on the cadence engine's messages
// (training nudges) and their modals. The check-in, blocker and meeting
// buttons those messages carry are handled with the check-in and the
// commands.
func (b *Bot) registerNotices() {
	b.HandleAction(ActionNudgeApplied, b.nudgeApplied)
	b.HandleAction(ActionNudgeNotYet, b.nudgeNotYet)
	b.HandleView(ViewTrainingReport, b.trainingReport)
}
