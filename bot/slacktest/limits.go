package slacktest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
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
