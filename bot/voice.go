package bot

import (
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// voice is the catalogue in one language, the one way Pulse's words are
// reached: a sentence (T, Plural), and numbers, dates and times written the
// catalogue's way for that language. A handler answers the person who
// asked in the Request's voice (r.T); an alert, a notice or an App Home is
// written for someone else, in theirs (b.voice(lang)).
type voice struct {
	b    *Bot
	lang pulse.Lang
}

// voice returns the catalogue in lang.
func (b *Bot) voice(lang pulse.Lang) voice { return voice{b: b, lang: lang} }

func (t voice) T(key string, data map[string]any) string { return t.b.cat.T(t.lang, key, data) }

// appendT is T appended to dst.
func (t voice) appendT(dst []byte, key string, data map[string]any) []byte {
	return t.b.cat.AppendT(dst, t.lang, key, data)
}

func (t voice) Plural(key string, count int, data map[string]any) string {
	return t.b.cat.Plural(t.lang, key, count, data)
}

func (t voice) date(d pulse.Date) string { return t.b.cat.Date(t.lang, d) }

func (t voice) number(v float64, decimals int) string { return t.b.cat.Number(t.lang, v, decimals) }

func (t voice) percent(fraction float64) string { return t.b.cat.Percent(t.lang, fraction) }

func (t voice) count(n int) string { return t.b.cat.Count(t.lang, n) }

func (t voice) weekday(wd time.Weekday) string { return t.b.cat.Weekday(t.lang, wd) }

// clock is the wall-clock time of at in loc: "09:12".
func (t voice) clock(at time.Time, loc *time.Location) string {
	return t.b.cat.Clock(t.lang, at.In(loc))
}

func (t voice) plainText(key string) *slack.TextBlockObject {
	return plainText(t.T(key, nil))
}
