package bot

import (
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/salespulse/pulse"
)

// formatDate writes a day the way a person reading lang expects. Until the
// other languages have their catalogues, every language reads the ISO form,
// which is also how people type dates to /pulse, so what Pulse shows can be
// typed back.
func formatDate(lang pulse.Lang, d pulse.Date) string {
	_ = lang
	return d.String()
}

// formatNumber writes a number with the digit grouping and decimal mark of
// lang, and without a fraction when it has none: 1,250 in English, 1 250
// in Norwegian.
func formatNumber(lang pulse.Lang, f float64) string {
	tag, err := language.Parse(string(lang))
	if err != nil {
		tag = language.English
	}
	p := message.NewPrinter(tag)
	if f == float64(int64(f)) {
		return p.Sprintf("%d", int64(f))
	}
	return p.Sprintf("%.2f", f)
}

// parseNumber reads a number a person typed, accepting a decimal comma as
// well as a point, and refuses negatives, NaN and infinities.
func parseNumber(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f != f || f > 1e12 {
		return 0, false
	}
	return f, true
}
