package slacktest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Block Kit limits Slack enforces (FACTS.md, "Block Kit limits"; Slack's
// reference/block-kit pages). They are checked on the JSON as sent, so they
// apply to whatever the bot sends, however it built it.
const (
	maxMessageBlocks   = 50
	maxSurfaceBlocks   = 100 // modal or Home tab
	maxSectionText     = 3000
	maxSectionFields   = 10
	maxFieldText       = 2000
	maxHeaderText      = 150
	maxButtonText      = 75
	maxButtonValue     = 2000
	maxButtonURL       = 3000
	maxID              = 255 // action_id, block_id, callback_id, external_id
	maxModalTitle      = 24  // title, submit, close
	maxPrivateMetadata = 3000
	maxInputLength     = 3000 // plain_text_input max_length
	maxChoiceOptions   = 10   // checkboxes, radio_buttons
	maxSelectOptions   = 100  // static_select
	maxOptionText      = 75
	maxOptionValue     = 150
	maxContextElements = 10
	maxActionsElements = 25
	maxLabelText       = 2000 // input label and hint
	maxMessageText     = 40000
)

// Rule names, as reported in Violation.Rule.
const (
	ruleMessageText      = "message text"
	ruleMessageBlocks    = "blocks in a message"
	ruleSurfaceBlocks    = "blocks in a modal or Home tab"
	ruleSectionText      = "section text"
	ruleSectionFields    = "section fields"
	ruleFieldText        = "section field text"
	ruleHeaderText       = "header text"
	ruleButtonText       = "button text"
	ruleButtonValue      = "button value"
	ruleButtonURL        = "button url"
	ruleActionID         = "action_id"
	ruleBlockID          = "block_id"
	ruleDuplicateBlockID = "duplicate block_id"
	ruleCallbackID       = "callback_id"
	ruleExternalID       = "external_id"
	ruleModalTitle       = "modal title"
	ruleModalSubmit      = "modal submit"
	ruleModalClose       = "modal close"
	rulePrivateMetadata  = "private_metadata"
	ruleInputMaxLength   = "plain_text_input max_length"
	ruleChoiceOptions    = "checkboxes/radio options"
	ruleSelectOptions    = "static_select options"
	ruleOptionText       = "option text"
	ruleOptionValue      = "option value"
	ruleContextElements  = "context elements"
	ruleActionsElements  = "actions elements"
	ruleInputLabel       = "input label"
	ruleInputHint        = "input hint"
	ruleModalNeedsTitle  = "modal title required"
)

// The checks decode Block Kit JSON into the types below, which hold only
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

// checker collects the violations in one message or view.
type checker struct {
	vs       []Violation
	blockIDs map[string]bool
	modal    bool

	// at is the JSON pointer of the value being checked. A check adds its
	// field to it only when it reports, so a valid message builds no
	// pointer strings.
	at []byte

	// list is the room the blocks decode into, kept with the checker
	// because it is the largest thing a message needs.
	list []block
}

// checkers keeps checkers between messages: a bot under benchmark sends
// thousands, and each would otherwise allocate its list and map afresh.
var checkers = sync.Pool{New: func() any {
	return &checker{blockIDs: map[string]bool{}, at: make([]byte, 0, 64)}
}}

// done returns the violations found and puts c back in checkers, holding
// nothing of the message it checked.
func (c *checker) done() []Violation {
	vs := c.vs
	clear(c.list[:cap(c.list)]) // json.Unmarshal reuses elements without zeroing them
	clear(c.blockIDs)
	*c = checker{blockIDs: c.blockIDs, at: c.at[:0], list: c.list[:0]}
	checkers.Put(c)
	return vs
}

// checkMessage checks a message's text and blocks (the raw "blocks" value,
// nil when absent; anything but an array is not checked).
func checkMessage(text string, blocks json.RawMessage) []Violation {
	c := checkers.Get().(*checker)
	c.maxLen("/text", ruleMessageText, utf8.RuneCountInString(text), maxMessageText)
	if jsonKind(blocks) == '[' {
		decodeLenient(blocks, &c.list)
		c.blocks("/blocks", c.list, maxMessageBlocks, ruleMessageBlocks)
	}
	return c.done()
}

// checkView checks a modal or Home tab view object, given as valid JSON.
func checkView(raw json.RawMessage) []Violation {
	c := checkers.Get().(*checker)
	v := view{Blocks: c.list}
	decodeLenient(raw, &v)
	if cap(v.Blocks) > cap(c.list) {
		c.list = v.Blocks
	}
	c.modal = v.Type == "modal"
	if c.modal {
		var title textObject
		if jsonKind(v.Title) == '{' {
			decodeLenient(v.Title, &title)
		} else {
			c.add("/view/title", ruleModalNeedsTitle, 0, 0, "missing required field: title [json-pointer:/view/title]")
		}
		c.textLen("/view/title", ruleModalTitle, title, maxModalTitle)
		c.textLen("/view/submit", ruleModalSubmit, v.Submit, maxModalTitle)
		c.textLen("/view/close", ruleModalClose, v.Close, maxModalTitle)
	}
	c.maxLen("/view/private_metadata", rulePrivateMetadata, int(v.PrivateMetadata), maxPrivateMetadata)
	c.maxLen("/view/callback_id", ruleCallbackID, int(v.CallbackID), maxID)
	c.maxLen("/view/external_id", ruleExternalID, int(v.ExternalID), maxID)
	c.blocks("/view/blocks", v.Blocks, maxSurfaceBlocks, ruleSurfaceBlocks)
	return c.done()
}

// enter moves the pointer into field, returning where to leave it.
func (c *checker) enter(field string) int {
	mark := len(c.at)
	c.at = append(c.at, field...)
	return mark
}

// enterItem moves the pointer into item i of the list in field.
func (c *checker) enterItem(field string, i int) int {
	mark := c.enter(field)
	c.at = append(c.at, '/')
	c.at = strconv.AppendInt(c.at, int64(i), 10)
	return mark
}

func (c *checker) leave(mark int) {
	c.at = c.at[:mark]
}

// ptr is the JSON pointer to field of the value being checked.
func (c *checker) ptr(field string) string {
	return string(c.at) + field
}

func (c *checker) add(ptr, rule string, limit, got int, msg string) {
	c.vs = append(c.vs, Violation{Pointer: ptr, Rule: rule, Limit: limit, Got: got, Error: msg})
}

// maxLen flags a string in field, n characters long, longer than limit.
func (c *checker) maxLen(field, rule string, n, limit int) {
	if n > limit {
		ptr := c.ptr(field)
		c.add(ptr, rule, limit, n, fmt.Sprintf("must be less than %d characters [json-pointer:%s]", limit+1, ptr))
	}
}

// textLen flags a text object in field whose text is longer than limit.
func (c *checker) textLen(field, rule string, t textObject, limit int) {
	if n := int(t.Text); n > limit {
		c.maxLen(field+"/text", rule, n, limit)
	}
}

// maxItems flags a list in field longer than limit.
func (c *checker) maxItems(field, rule string, n, limit int) {
	if n > limit {
		ptr := c.ptr(field)
		c.add(ptr, rule, limit, n, fmt.Sprintf("must be less than %d items [json-pointer:%s]", limit+1, ptr))
	}
}

func (c *checker) blocks(field string, list []block, limit int, rule string) {
	c.maxItems(field, rule, len(list), limit)
	for i := range list {
		mark := c.enterItem(field, i)
		c.block(&list[i])
		c.leave(mark)
	}
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

func (c *checker) selectOptions(field string, opts []option) {
	c.maxItems(field, ruleSelectOptions, len(opts), maxSelectOptions)
	for i, o := range opts {
		mark := c.enterItem(field, i)
		c.textLen("/text", ruleOptionText, o.Text, maxOptionText)
		c.maxLen("/value", ruleOptionValue, int(o.Value), maxOptionValue)
		c.leave(mark)
	}
}

// CheckMessage reports what Slack would refuse in a message of text and
// blocks (the JSON of the block list), by the rules the stand-in applies to
// what it is sent: for tests that build messages without sending them.
func CheckMessage(text string, blocks []byte) []Violation {
	return checkMessage(text, blocks)
}

// CheckView is CheckMessage for a modal or Home tab view object.
func CheckView(view []byte) []Violation {
	return checkView(view)
}
