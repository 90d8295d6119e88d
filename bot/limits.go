package bot

import "sync"

// Slack's limits on the short texts a translator writes (FACTS.md): a
// modal's title and its submit and close labels, a button, an option of a
// select or radio group, a header block.
const (
	maxViewLabel  = 24
	maxButtonText = 75
	maxOptionText = 75
	maxHeaderText = 150
)

// limitedKeys records, as the bot builds its views and messages, which
// catalogue keys fill a slot that Slack limits, and to how many characters.
// The bot itself clips what would not fit; tests read the record to hold
// every language's sentence to the limit, so that no translation is cut.
var limitedKeys sync.Map // key → max characters

// limit notes that key's sentence fills a slot of at most max characters,
// and returns key, so a call reads p.T(limit("x.title", maxViewLabel), nil).
// A key noted already is only read, which costs nothing: every status
// notes its header. A key that fills two slots keeps the smaller limit.
func limit(key string, max int) string {
	if v, ok := limitedKeys.Load(key); !ok || v.(int) > max {
		limitedKeys.Store(key, max)
	}
	return key
}
