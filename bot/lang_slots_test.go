package bot_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

// filled is the sentence for key in lang with each placeholder filled by
// a long value of its kind, as long as the bot may put there.
func filled(h *harness, lang pulse.Lang, key string) string {
	cat := h.Bot.Catalog()
	// The longest date of a year in lang, for a date or a range of dates.
	longest := ""
	for d := pulse.MustDate("2026-01-01"); d.Year == 2026; d = d.AddDays(1) {
		if s := cat.Date(lang, d); utf8.RuneCountInString(s) > utf8.RuneCountInString(longest) {
			longest = s
		}
	}
	data := map[string]any{}
	for _, f := range cat.Placeholders(pulse.English, key) {
		switch f {
		case "Team":
			data[f] = longTeamName
		case "Date", "Day", "Week", "From", "To", "Due":
			data[f] = longest
		case "Range":
			data[f] = cat.T(lang, "notices.date_range", map[string]any{"From": longest, "To": longest})
		case "Time":
			data[f] = "23:59"
		case "Rep", "Manager", "By":
			data[f] = "<@U0123456789>"
		default:
			data[f] = strings.Repeat("W", 20)
		}
	}
	return cat.T(lang, key, data)
}

// slotPattern matches what key's sentence in lang may render as, whatever
// its placeholders hold.
func slotPattern(h *harness, lang pulse.Lang, key string) *regexp.Regexp {
	cat := h.Bot.Catalog()
	data := map[string]any{}
	for _, f := range cat.Placeholders(pulse.English, key) {
		data[f] = "\x00"
	}
	parts := strings.Split(cat.T(lang, key, data), "\x00")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, "(?s:.*)") + "$")
}

func TestLangEverySentenceInASlotSlackLimitsFitsInEveryLanguage(t *testing.T) {
	h := start(t)
	renderAll(t, h, pulse.English)
	limited := bot.LimitedKeys()

	// Every title, button and header the bot sent is a sentence noted as
	// limited, so the notes cover what the bot builds.
	seen := map[slotText]bool{}
	for _, s := range slotTexts(t, h) {
		if seen[s] {
			continue
		}
		seen[s] = true
		found := false
		for key := range limited {
			if slotPattern(h, pulse.English, key).MatchString(strings.TrimSuffix(s.text, "…")) {
				found = true
				break
			}
		}
		if !found && !strings.HasSuffix(s.text, "…") {
			t.Errorf("the %s %q is no sentence noted as limited: note its key with limit() where it is built", s.kind, s.text)
		}
	}

	c := h.Bot.Catalog()
	for _, lang := range pulse.Langs {
		for key, max := range limited {
			if !c.Has(lang, key) {
				t.Errorf("%s has no sentence for %s", lang, key)
				continue
			}
			if s := filled(h, lang, key); utf8.RuneCountInString(s) > max {
				t.Errorf("%s %s is %d characters, Slack takes %d there: %q", lang, key, utf8.RuneCountInString(s), max, s)
			}
		}
	}
}
