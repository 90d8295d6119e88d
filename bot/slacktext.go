package bot

import (
	"strings"
	"unicode"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// Text in Slack's blocks. What a person typed is escaped for mrkdwn, and
// every section text, field and context element is clipped to Slack's
// limit here, after escaping: escaping makes one character of five ("&"
// becomes "&amp;"), so text clipped before it could still be refused
// (FACTS.md, "Block Kit limits"), and Slack then shows nothing at all.
const (
	maxSectionText = 3000 // a section's text
	maxFieldText   = 2000 // each of a section's fields
	maxFields      = 10   // fields in a section
	maxContextText = 2000 // a context element's text
	maxPlainText   = 2000 // an input's label or hint
	maxEchoChars   = 40   // what a person typed, named back in an answer
)

// mrkdwnEscape escapes the three characters Slack's mrkdwn gives meaning
// to, so that what a person typed (or a catalogue sentence showing <text>)
// reads as written and cannot forge a mention or a link.
func mrkdwnEscape(s string) string {
	return mrkdwnReplacer.Replace(s)
}

var mrkdwnReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// clipText cuts s to at most n characters, ending it with "…" when cut. A
// character is a code point, as Slack counts them, so a character outside
// the Basic Multilingual Plane (an emoji: two UTF-16 units) is kept or
// dropped whole. s may be escaped mrkdwn: the cut never splits an entity
// (&amp;, &lt;, &gt;) or a reference (<@U123>, <#C1>, a link), which would
// show as debris or break the markup; it falls before them instead.
func clipText(s string, n int) string {
	switch {
	case len(s) <= n: // a character is at least a byte
		return s
	case n <= 0:
		return ""
	}
	count, cut := 0, len(s)
	for i := range s {
		if count == n-1 {
			cut = i
		}
		count++
	}
	if count <= n {
		return s
	}
	// A reference opened before the cut and closed after it.
	if open := strings.LastIndexByte(s[:cut], '<'); open >= 0 &&
		strings.IndexByte(s[open:cut], '>') < 0 && strings.IndexByte(s[cut:], '>') >= 0 {
		cut = open
	}
	// An entity begun before the cut.
	if amp := strings.LastIndexByte(s[max(0, cut-len("&amp;")+1):cut], '&'); amp >= 0 {
		amp += max(0, cut-len("&amp;")+1)
		for _, e := range [...]string{"&amp;", "&lt;", "&gt;"} {
			if strings.HasPrefix(s[amp:], e) && amp+len(e) > cut {
				cut = amp
				break
			}
		}
	}
	return strings.TrimRight(s[:cut], " \t\n") + "…"
}

// foldLine folds what a person typed onto one line, for lists.
func foldLine(s string) string {
	if isFolded(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isFolded reports whether s is already on one line, its words one space
// apart: most texts are, and folding each anew for every status was a
// list and a string made for nothing.
func isFolded(s string) bool {
	space := true // as after a space: s may not start with one
	for _, r := range s {
		is := unicode.IsSpace(r)
		if is && (r != ' ' || space) {
			return false
		}
		space = is
	}
	return s == "" || !space
}

// inlineText shows what a person typed inside a sentence: on one line,
// escaped, then clipped to n characters.
func inlineText(s string, n int) string {
	return clipText(mrkdwnEscape(foldLine(s)), n)
}

// listText shows what a person wrote on one line of a list.
func listText(s string) string { return inlineText(s, maxLineChars) }

// quoteText writes what a person typed as a mrkdwn quote of at most n
// characters, escaped, so it can neither forge a mention nor overflow a
// section.
func quoteText(s string, n int) string {
	lines := strings.Split(mrkdwnEscape(strings.TrimSpace(s)), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return clipText(strings.Join(lines, "\n"), n)
}

// echoText is the short piece of what a person typed that an answer may
// name back ("“2026-13-45” is not a date"), on one line. The answer's
// sentence is escaped whole, so the piece is not.
func echoText(s string) string {
	s = foldLine(s)
	if len(s) <= maxEchoChars {
		return s
	}
	return clipText(s, maxEchoChars)
}

// echoData is an answer's placeholders with every text in them cut to an
// echo: the texts an error carries are what a person typed.
func echoData(data map[string]any) map[string]any {
	var out map[string]any
	for k, v := range data {
		s, ok := v.(string)
		if !ok || echoText(s) == s {
			continue
		}
		if out == nil {
			out = make(map[string]any, len(data))
			for k, v := range data {
				out[k] = v
			}
		}
		out[k] = echoText(s)
	}
	if out == nil {
		return data
	}
	return out
}

// mdText is a mrkdwn text object of at most n characters.
func mdText(s string, n int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, clipText(s, n), false, false)
}

// plainText is a plain_text object, as labels, hints, buttons, options and
// titles need; a slot Slack holds shorter (a button, an option, a modal's
// title) is clipped where it is filled, or held by a test (see limit).
func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, clipText(s, maxPlainText), false, false)
}

// mrkdwnSection is a section of escaped mrkdwn text.
func mrkdwnSection(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(mdText(text, maxSectionText), nil, nil)
}

// fieldsSection is a section of at most ten short fields of escaped
// mrkdwn.
func fieldsSection(fields ...string) *slack.SectionBlock {
	objs := make([]*slack.TextBlockObject, 0, min(len(fields), maxFields))
	for _, f := range fields[:min(len(fields), maxFields)] {
		objs = append(objs, mdText(f, maxFieldText))
	}
	return slack.NewSectionBlock(nil, objs, nil)
}

// contextBlock is a line of small escaped mrkdwn text; blockID may be "".
func contextBlock(text string) *slack.ContextBlock {
	return contextBlockID("", text)
}

// contextBlockID is contextBlock with a block ID.
func contextBlockID(blockID, text string) *slack.ContextBlock {
	return slack.NewContextBlock(blockID, mdText(text, maxContextText))
}

// headerBlock is a message's title, clipped to Slack's 150 characters.
func headerBlock(text string) *slack.HeaderBlock {
	return slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, clipText(text, maxHeaderText), true, false))
}

// textInput is an input block with a plain_text_input, its block ID the
// field it sets.
func textInput(blockID, label, initial string, multiline, optional bool, maxLen int) *slack.InputBlock {
	el := slack.NewPlainTextInputBlockElement(nil, blockID)
	el.Multiline = multiline
	el.InitialValue = initial
	if maxLen > 0 {
		el.MaxLength = maxLen
	}
	in := slack.NewInputBlock(blockID, plainText(label), nil, el)
	in.Optional = optional
	return in
}

// dateInput is an input block with a datepicker set to initial.
func dateInput(blockID, label string, initial pulse.Date) *slack.InputBlock {
	el := slack.NewDatePickerBlockElement(blockID)
	if !initial.IsZero() {
		el.InitialDate = initial.String()
	}
	return slack.NewInputBlock(blockID, plainText(label), nil, el)
}

// modal is a modal view with Pulse's title and buttons in the person's
// language.
func modal(r *Request, callbackID, titleKey, metadata string, blocks ...slack.Block) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackID,
		Title:           plainText(r.T(limit(titleKey, maxViewLabel), nil)),
		Submit:          plainText(r.T(limit("commands.modal_save", maxViewLabel), nil)),
		Close:           plainText(r.T(limit("commands.modal_cancel", maxViewLabel), nil)),
		PrivateMetadata: metadata,
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// noticeButton is a button carrying value, in the given style.
func noticeButton(actionID, value string, text *slack.TextBlockObject, style slack.Style) *slack.ButtonBlockElement {
	bt := slack.NewButtonBlockElement(actionID, value, text)
	bt.Style = style
	return bt
}
