package bot

import (
	"strings"
	"unicode/utf8"
)

// Numbers, dates, times and percentages are written by the catalogue
// (catalog.Number, Date, Clock, Percent, …), which knows each language's
// forms; a voice binds them to one reader's language.

// clipRunes puts what a person wrote on one line of at most n characters,
// so that one long answer cannot push a message past Slack's limits.
func clipRunes(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// mention is how a message names a Slack user: Slack shows their name.
func mention(userID string) string { return "<@" + userID + ">" }
