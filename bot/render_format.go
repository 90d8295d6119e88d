package bot

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/salespulse/pulse"
)

// Numbers, dates, times and percentages are written through formatNumber,
// formatDate (format.go), formatClockTime and formatPercent
// (status_format.go), which take the reader's language; the short names of
// weekdays come from the catalogue.

// roundTo rounds v to the given number of decimals, for formatNumber.
func roundTo(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

var weekdayKeys = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// weekdayName is a day's short name: "Mon".
func (b *Bot) weekdayName(lang pulse.Lang, w time.Weekday) string {
	return b.cat.T(lang, "notices.weekday."+weekdayKeys[w], nil)
}

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
