package bot

import (
	"strings"
	"unicode"

	"github.com/salespulse/pulse"
)

// Slack escapes what a person types in a slash command before it reaches
// the bot (the app's "Escape channels, users, and links" setting is on), so
// a mention arrives as <@U123|maria> or <@U123> and a channel as
// <#C123|sales>. These functions read those forms and nothing looser: a
// plain "@maria" means Slack did not resolve the name to a person.

// ParseMention reads one escaped user mention, <@U123> or <@U123|name>,
// and returns the user ID. Anything else, including surrounding text, is
// not a mention.
func ParseMention(s string) (userID string, ok bool) {
	inner, ok := escaped(s, "@")
	if !ok {
		return "", false
	}
	if id, _, found := strings.Cut(inner, "|"); found {
		inner = id
	}
	if !pulse.ValidUserID(inner) {
		return "", false
	}
	return inner, true
}

// ParseChannel reads one escaped channel reference, <#C123> or
// <#C123|name>, and returns the conversation ID.
func ParseChannel(s string) (id string, ok bool) {
	inner, ok := escaped(s, "#")
	if !ok {
		return "", false
	}
	if cid, _, found := strings.Cut(inner, "|"); found {
		inner = cid
	}
	if !pulse.ValidChannelID(inner) {
		return "", false
	}
	return inner, true
}

// escaped returns what lies between "<"+sigil and ">" when s is exactly one
// such escape.
func escaped(s, sigil string) (string, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "<"+sigil) || !strings.HasSuffix(s, ">") {
		return "", false
	}
	inner := s[len(sigil)+1 : len(s)-1]
	if inner == "" || strings.ContainsAny(inner, "<> \t\n") {
		return "", false
	}
	return inner, true
}

// MentionArg reads a word that should name a person and says, as a
// *pulse.Error a person can read, why it does not: a plain @name that Slack
// did not turn into a mention, or anything that is not a mention at all.
func MentionArg(word string) (string, error) {
	if id, ok := ParseMention(word); ok {
		return id, nil
	}
	w := strings.TrimSpace(word)
	// Named as typed: Slack sends "@R&D" as "@R&amp;D".
	data := map[string]any{"Value": UnescapeText(w)}
	switch {
	case w == "":
		return "", pulse.Errorf(pulse.EINVALID, "commands.mention_missing", nil, "no mention given")
	case strings.HasPrefix(w, "@"):
		return "", pulse.Errorf(pulse.EINVALID, "commands.mention_plain", data, "plain-text mention %q", w)
	}
	return "", pulse.Errorf(pulse.EINVALID, "err.user_unknown", data, "not a mention: %q", w)
}

// IsMentionLike reports whether a word looks like an attempt to name a
// person: an escaped mention, well formed or not, or a plain @name.
func IsMentionLike(word string) bool {
	return strings.HasPrefix(word, "<@") || strings.HasPrefix(word, "@")
}

// ParseDate reads a date written YYYY-MM-DD, rejecting days that do not
// exist; its error is the root's err.date, ready to show.
func ParseDate(s string) (pulse.Date, error) {
	return pulse.ParseDate(s)
}

// UnescapeText turns a slash command's free text back into what the person
// typed: Slack sends &, < and > as &amp;, &lt; and &gt;, and Pulse stores
// text as typed (the way a modal sends it), escaping it again wherever it
// is shown. Slack's own mentions (<@U123|maria>) are left as they came.
func UnescapeText(s string) string {
	return textUnescaper.Replace(s)
}

var textUnescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// SplitArgs takes the first n words of s and returns them with the rest of
// s as free text, trimmed, its inner spacing and line breaks kept as typed.
// When s has fewer than n words, words holds only those there are.
func SplitArgs(s string, n int) (words []string, rest string) {
	rest = strings.TrimSpace(s)
	for len(words) < n && rest != "" {
		end := strings.IndexFunc(rest, unicode.IsSpace)
		if end < 0 {
			words = append(words, rest)
			rest = ""
			break
		}
		words = append(words, rest[:end])
		rest = strings.TrimSpace(rest[end:])
	}
	return words, rest
}

// SplitMentions reads "text @a @b…": free text followed by one or more
// mentions, as in "/pulse training Objection handling @maria @li". It
// returns the text and the user IDs in order, without repeats. A word that
// tries to name a person but is not a well-formed mention is an error that
// names it; so is a list with no mention at all (commands.mention_missing).
func SplitMentions(s string) (text string, users []string, err error) {
	words := strings.Fields(s)
	first := len(words)
	for i, w := range words {
		if IsMentionLike(w) {
			first = i
			break
		}
	}
	seen := map[string]bool{}
	for _, w := range words[first:] {
		id, err := MentionArg(w)
		if err != nil {
			return "", nil, err
		}
		if !seen[id] {
			seen[id] = true
			users = append(users, id)
		}
	}
	if len(users) == 0 {
		return "", nil, pulse.Errorf(pulse.EINVALID, "commands.mention_missing", nil, "no mention given")
	}
	return strings.Join(words[:first], " "), users, nil
}
