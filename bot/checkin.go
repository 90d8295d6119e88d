package bot

// registerCheckIn registers the check-in modal and buttons, blocker alerts,
// the /pulse status answers and App Home.
func (b *Bot) registerCheckIn() {}
