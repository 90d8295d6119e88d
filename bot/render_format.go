package bot

// Numbers, dates, times and percentages are written by the catalogue
// (catalog.Number, Date, Clock, Percent, …), which knows each language's
// forms; a voice binds them to one reader's language.

// mention is how a message names a Slack user: Slack shows their name.
func mention(userID string) string { return "<@" + userID + ">" }

// channelRef is how Slack writes a link to a channel in a message.
func channelRef(id string) string { return "<#" + id + ">" }
