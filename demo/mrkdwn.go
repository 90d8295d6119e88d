package demo

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

// Slack's mrkdwn arrives with &, < and > escaped as entities, and with
// mentions, channels and links between angle brackets. The renderers split
// it into plain runs and those references, so what a person typed is never
// read as markup.

// ref is a <…> reference in mrkdwn.
type ref struct {
	kind  byte   // '@' user, '#' channel, '!' special, 'l' link
	id    string // user or channel ID, special word, or URL
	label string // text after '|', entity-escaped as Slack sent it
}

// segment is either a plain run (ref nil) or a reference.
type segment struct {
	text string
	ref  *ref
}

func splitMrkdwn(s string) []segment {
	var out []segment
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			out = append(out, segment{text: s})
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			out = append(out, segment{text: s})
			break
		}
		if i > 0 {
			out = append(out, segment{text: s[:i]})
		}
		inner := s[i+1 : i+j]
		s = s[i+j+1:]
		target, label, _ := strings.Cut(inner, "|")
		r := &ref{label: label}
		switch {
		case strings.HasPrefix(target, "@"):
			r.kind, r.id = '@', target[1:]
		case strings.HasPrefix(target, "#"):
			r.kind, r.id = '#', target[1:]
		case strings.HasPrefix(target, "!"):
			r.kind, r.id = '!', target[1:]
		default:
			r.kind, r.id = 'l', target
		}
		out = append(out, segment{ref: r})
	}
	return out
}

// emoji shows the shortcodes Pulse writes as the characters Slack draws.
var emoji = strings.NewReplacer(":tada:", "🎉", ":white_check_mark:", "✅", ":wave:", "👋", ":fire:", "🔥",
	":dart:", "🎯", ":construction:", "🚧", ":bar_chart:", "📊", ":palm_tree:", "🌴", ":clap:", "👏", ":star:", "⭐")

// unentity undoes Slack's three entities, and no others.
var unentity = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

func refText(r *ref, names func(string) string) string {
	switch r.kind {
	case '@':
		if n := names(r.id); n != "" {
			return "@" + n
		}
		if r.label != "" {
			return "@" + unentity.Replace(r.label)
		}
		return "@" + r.id
	case '#':
		if r.label != "" {
			return "#" + unentity.Replace(r.label)
		}
		if n := names(r.id); n != "" {
			return "#" + n
		}
		return "#" + r.id
	case '!':
		w, _, _ := strings.Cut(r.id, "^")
		if r.label != "" {
			return unentity.Replace(r.label)
		}
		return "@" + w
	}
	if r.label != "" {
		return unentity.Replace(r.label)
	}
	return unentity.Replace(r.id)
}

// mrkdwnPlain renders mrkdwn as plain text: references become @Name,
// #channel or the link's label, entities are undone, styling stays as typed.
func mrkdwnPlain(s string, names func(string) string) string {
	var sb strings.Builder
	for _, seg := range splitMrkdwn(s) {
		if seg.ref == nil {
			sb.WriteString(emoji.Replace(unentity.Replace(seg.text)))
			continue
		}
		sb.WriteString(refText(seg.ref, names))
	}
	return sb.String()
}

var (
	preRe    = regexp.MustCompile("(?s)```(.+?)```")
	codeRe   = regexp.MustCompile("`([^`\n]+)`")
	boldRe   = regexp.MustCompile(`(^|[\s(>])\*([^*\n]+)\*`)
	italicRe = regexp.MustCompile(`(^|[\s(>])_([^_\n]+)_`)
	strikeRe = regexp.MustCompile(`(^|[\s(>])~([^~\n]+)~`)
	quoteRe  = regexp.MustCompile(`(?m)^&gt; ?(.*)$`)
)

// mrkdwnHTML renders mrkdwn as HTML the way Slack shows it: bold, italic,
// strikethrough, code, quotes, links, mentions as @Name and line breaks.
// Every character of text is escaped before any tag is added.
func mrkdwnHTML(s string, names func(string) string) string {
	var sb strings.Builder
	var refs []string
	for _, seg := range splitMrkdwn(s) {
		if seg.ref == nil {
			sb.WriteString(html.EscapeString(emoji.Replace(unentity.Replace(seg.text))))
			continue
		}
		// A placeholder keeps references out of the styling below; \x00
		// cannot occur in escaped text.
		sb.WriteString(placeholder(len(refs)))
		refs = append(refs, refHTML(seg.ref, names))
	}
	out := sb.String()
	out = preRe.ReplaceAllString(out, "<pre>$1</pre>")
	out = codeRe.ReplaceAllString(out, "<code>$1</code>")
	out = boldRe.ReplaceAllString(out, "$1<b>$2</b>")
	out = italicRe.ReplaceAllString(out, "$1<i>$2</i>")
	out = strikeRe.ReplaceAllString(out, "$1<s>$2</s>")
	out = quoteRe.ReplaceAllString(out, "<blockquote>$1</blockquote>")
	out = strings.ReplaceAll(out, "\n", "<br>")
	for i := len(refs) - 1; i >= 0; i-- {
		out = strings.Replace(out, placeholder(i), refs[i], 1)
	}
	return out
}

func placeholder(i int) string { return "\x00" + strconv.Itoa(i) + "\x00" }

func refHTML(r *ref, names func(string) string) string {
	text := html.EscapeString(refText(r, names))
	switch r.kind {
	case '@', '!':
		return `<span class="mention">` + text + `</span>`
	case '#':
		return `<span class="mention">` + text + `</span>`
	}
	url := unentity.Replace(r.id)
	if !safeURL(url) {
		return text
	}
	return `<a href="` + html.EscapeString(url) + `">` + text + `</a>`
}

// safeURL admits the schemes a transcript may link to.
func safeURL(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "mailto:")
}
