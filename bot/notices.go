package bot

// registerNotices registers the buttons on the cadence engine's messages
// (training nudges) and their modals.
func (b *Bot) registerNotices() {}
