package slacktest

import (
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The checks decode Block Kit JSON into the types of this file, which hold only
// the fields a rule reads, and of most strings only their length: the
// stand-in runs in the same process as the bot a benchmark measures, so the
// garbage it makes per message is the bot's too. A value of another shape
// than a check reads is left empty (json.Unmarshal goes on past a type
// mismatch), so that check skips it and the rest are still made.

// view is a modal or Home tab view object.
type view struct {
	Type string `json:"type"`
	// Title is kept raw because a modal's title must be an object, and a
	// textObject does not record whether it was one.
	Title           json.RawMessage `json:"title"`
	Submit          textObject      `json:"submit"`
	Close           textObject      `json:"close"`
	PrivateMetadata runeCount       `json:"private_metadata"`
	CallbackID      runeCount       `json:"callback_id"`
	ExternalID      runeCount       `json:"external_id"`
	Blocks          []block         `json:"blocks"`
}

// block is a layout block; which fields a check reads depends on its type.
type block struct {
	Type      string       `json:"type"`
	BlockID   string       `json:"block_id"`
	Text      textObject   `json:"text"`      // section, header
	Fields    []textObject `json:"fields"`    // section
	Accessory *element     `json:"accessory"` // section
	Elements  []element    `json:"elements"`  // context, actions
	Label     textObject   `json:"label"`     // input
	Hint      textObject   `json:"hint"`      // input
	Element   *element     `json:"element"`   // input
}

// element is an element of a context or actions block, a section's
// accessory or an input's element. A context block's image and text
// elements decode into it too (a text element's "text" is a bare string,
// which leaves Text empty), and are only counted.
type element struct {
	Type         string        `json:"type"`
	ActionID     runeCount     `json:"action_id"`
	Text         textObject    `json:"text"` // button
	Value        runeCount     `json:"value"`
	URL          runeCount     `json:"url"`
	MaxLength    float64       `json:"max_length"` // plain_text_input
	Options      []option      `json:"options"`
	OptionGroups []optionGroup `json:"option_groups"`
}

type option struct {
	Text  textObject `json:"text"`
	Value runeCount  `json:"value"`
}

type optionGroup struct {
	Options []option `json:"options"`
}

// textObject is a composition text object, {"type": "plain_text", "text":
// "…"}. Anything but an object leaves it empty, as does an object without
// a string "text".
type textObject struct {
	Text runeCount `json:"text"`
}

// runeCount is the length in characters of a JSON string, counted on the
// JSON text so that the string is never allocated. Any other JSON value
// counts 0: it holds no text.
type runeCount int

func (n *runeCount) UnmarshalJSON(b []byte) error {
	*n = 0
	if len(b) >= 2 && b[0] == '"' {
		*n = runeCount(countRunes(b[1 : len(b)-1]))
	}
	return nil
}

// countRunes counts the characters the body of a valid JSON string literal
// decodes to, as encoding/json decodes it: an escape is one character, a
// valid surrogate pair (\ud83d\ude00) one together, and each byte of
// invalid UTF-8 one (it becomes U+FFFD). It steps through runes itself:
// utf8.RuneCount copies non-ASCII text into a string.
func countRunes(s []byte) int {
	n := 0
	for i := 0; i < len(s); n++ {
		switch c := s[i]; {
		case c == '\\' && s[i+1] == 'u':
			r := hex4(s[i+2:])
			i += 6
			if utf16.IsSurrogate(r) && i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' &&
				utf16.DecodeRune(r, hex4(s[i+2:])) != unicode.ReplacementChar {
				i += 6
			}
		case c == '\\':
			i += 2
		case c < utf8.RuneSelf:
			i++
		default:
			_, size := utf8.DecodeRune(s[i:])
			i += size
		}
	}
	return n
}

// hex4 decodes the four hex digits that follow \u in valid JSON, or returns
// -1 when they are not hex digits.
func hex4(s []byte) rune {
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// decodeLenient decodes raw, valid JSON, into v. A value of the wrong type
// only leaves its field empty; the error Unmarshal then reports is of no
// interest here.
func decodeLenient(raw []byte, v any) {
	_ = json.Unmarshal(raw, v)
}

// jsonKind returns the first byte of a JSON value ('{' for an object, '['
// for an array, 'n' for null…), 0 when there is none.
func jsonKind(raw []byte) byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\r', '\n':
		default:
			return c
		}
	}
	return 0
}

func (c *checker) block(b *block) {
	if id := b.BlockID; id != "" {
		c.maxLen("/block_id", ruleBlockID, utf8.RuneCountInString(id), maxID)
		if c.blockIDs[id] {
			ptr := c.ptr("/block_id")
			c.add(ptr, ruleDuplicateBlockID, 0, 0, fmt.Sprintf("duplicate block_id %q [json-pointer:%s]", id, ptr))
		}
		c.blockIDs[id] = true
	}
	switch b.Type {
	case "section":
		c.textLen("/text", ruleSectionText, b.Text, maxSectionText)
		c.maxItems("/fields", ruleSectionFields, len(b.Fields), maxSectionFields)
		for i, f := range b.Fields {
			mark := c.enterItem("/fields", i)
			c.textLen("", ruleFieldText, f, maxFieldText)
			c.leave(mark)
		}
		c.element("/accessory", b.Accessory)
	case "header":
		c.textLen("/text", ruleHeaderText, b.Text, maxHeaderText)
	case "context":
		c.maxItems("/elements", ruleContextElements, len(b.Elements), maxContextElements)
	case "actions":
		c.maxItems("/elements", ruleActionsElements, len(b.Elements), maxActionsElements)
		for i := range b.Elements {
			mark := c.enterItem("/elements", i)
			c.element("", &b.Elements[i])
			c.leave(mark)
		}
	case "input":
		if c.modal && b.Label.Text == 0 {
			ptr := c.ptr("/label")
			c.add(ptr, ruleInputLabel, 0, 0, fmt.Sprintf("missing required field: label [json-pointer:%s]", ptr))
		}
		c.textLen("/label", ruleInputLabel, b.Label, maxLabelText)
		c.textLen("/hint", ruleInputHint, b.Hint, maxLabelText)
		c.element("/element", b.Element)
	}
}

// element checks the interactive element in field, if there is one.
func (c *checker) element(field string, e *element) {
	if e == nil {
		return
	}
	mark := c.enter(field)
	defer c.leave(mark)
	c.maxLen("/action_id", ruleActionID, int(e.ActionID), maxID)
	switch e.Type {
	case "button":
		c.textLen("/text", ruleButtonText, e.Text, maxButtonText)
		c.maxLen("/value", ruleButtonValue, int(e.Value), maxButtonValue)
		c.maxLen("/url", ruleButtonURL, int(e.URL), maxButtonURL)
	case "plain_text_input":
		if e.MaxLength > maxInputLength {
			ptr := c.ptr("/max_length")
			c.add(ptr, ruleInputMaxLength, maxInputLength, int(e.MaxLength),
				fmt.Sprintf("must be less than or equal to %d [json-pointer:%s]", maxInputLength, ptr))
		}
	case "checkboxes", "radio_buttons":
		c.maxItems("/options", ruleChoiceOptions, len(e.Options), maxChoiceOptions)
	case "static_select", "multi_static_select":
		c.selectOptions("/options", e.Options)
		for i, g := range e.OptionGroups {
			mark := c.enterItem("/option_groups", i)
			c.selectOptions("/options", g.Options)
			c.leave(mark)
		}
	}
}
