package bot

// registerCommands registers /pulse setup, commit, training, 1on1, kudos,
// away, goal and lang, and their modals and buttons.
func (b *Bot) registerCommands() {}
