package slacktest

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Block Kit limits Slack enforces (FACTS.md, "Block Kit limits"; Slack's
// reference/block-kit pages). They are checked on the decoded JSON, so they
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
}

// checkMessage checks a message's text and blocks (the decoded "blocks"
// value, nil when absent).
func checkMessage(text string, blocks any) []Violation {
	c := &checker{blockIDs: map[string]bool{}}
	c.maxLen("/text", ruleMessageText, text, maxMessageText)
	if list, ok := blocks.([]any); ok {
		c.blocks("/blocks", list, maxMessageBlocks, ruleMessageBlocks)
	}
	return c.vs
}

// checkView checks a modal or Home tab view object.
func checkView(view map[string]any) []Violation {
	c := &checker{blockIDs: map[string]bool{}, modal: view["type"] == "modal"}
	if c.modal {
		if _, ok := view["title"].(map[string]any); !ok {
			c.add("/view/title", ruleModalNeedsTitle, 0, 0, "missing required field: title [json-pointer:/view/title]")
		}
		c.textLen("/view/title", ruleModalTitle, view["title"], maxModalTitle)
		c.textLen("/view/submit", ruleModalSubmit, view["submit"], maxModalTitle)
		c.textLen("/view/close", ruleModalClose, view["close"], maxModalTitle)
	}
	c.maxLen("/view/private_metadata", rulePrivateMetadata, str(view["private_metadata"]), maxPrivateMetadata)
	c.maxLen("/view/callback_id", ruleCallbackID, str(view["callback_id"]), maxID)
	c.maxLen("/view/external_id", ruleExternalID, str(view["external_id"]), maxID)
	list, _ := view["blocks"].([]any)
	c.blocks("/view/blocks", list, maxSurfaceBlocks, ruleSurfaceBlocks)
	return c.vs
}

func (c *checker) add(ptr, rule string, limit, got int, msg string) {
	c.vs = append(c.vs, Violation{Pointer: ptr, Rule: rule, Limit: limit, Got: got, Error: msg})
}

// maxLen flags a string longer than limit characters.
func (c *checker) maxLen(ptr, rule, s string, limit int) {
	if n := utf8.RuneCountInString(s); n > limit {
		c.add(ptr, rule, limit, n, fmt.Sprintf("must be less than %d characters [json-pointer:%s]", limit+1, ptr))
	}
}

// textLen flags a text object whose text is longer than limit.
func (c *checker) textLen(ptr, rule string, obj any, limit int) {
	if m, ok := obj.(map[string]any); ok {
		c.maxLen(ptr+"/text", rule, str(m["text"]), limit)
	}
}

// maxItems flags a list longer than limit.
func (c *checker) maxItems(ptr, rule string, n, limit int) {
	if n > limit {
		c.add(ptr, rule, limit, n, fmt.Sprintf("must be less than %d items [json-pointer:%s]", limit+1, ptr))
	}
}

func (c *checker) blocks(ptr string, list []any, limit int, rule string) {
	c.maxItems(ptr, rule, len(list), limit)
	for i, b := range list {
		if m, ok := b.(map[string]any); ok {
			c.block(ptr+"/"+strconv.Itoa(i), m)
		}
	}
}

func (c *checker) block(ptr string, b map[string]any) {
	if id := str(b["block_id"]); id != "" {
		c.maxLen(ptr+"/block_id", ruleBlockID, id, maxID)
		if c.blockIDs[id] {
			c.add(ptr+"/block_id", ruleDuplicateBlockID, 0, 0, fmt.Sprintf("duplicate block_id %q [json-pointer:%s/block_id]", id, ptr))
		}
		c.blockIDs[id] = true
	}
	switch b["type"] {
	case "section":
		c.textLen(ptr+"/text", ruleSectionText, b["text"], maxSectionText)
		fields, _ := b["fields"].([]any)
		c.maxItems(ptr+"/fields", ruleSectionFields, len(fields), maxSectionFields)
		for i, f := range fields {
			c.textLen(ptr+"/fields/"+strconv.Itoa(i), ruleFieldText, f, maxFieldText)
		}
		c.elementAt(ptr+"/accessory", b["accessory"])
	case "header":
		c.textLen(ptr+"/text", ruleHeaderText, b["text"], maxHeaderText)
	case "context":
		elems, _ := b["elements"].([]any)
		c.maxItems(ptr+"/elements", ruleContextElements, len(elems), maxContextElements)
	case "actions":
		elems, _ := b["elements"].([]any)
		c.maxItems(ptr+"/elements", ruleActionsElements, len(elems), maxActionsElements)
		for i, e := range elems {
			c.elementAt(ptr+"/elements/"+strconv.Itoa(i), e)
		}
	case "input":
		label, _ := b["label"].(map[string]any)
		if c.modal && str(label["text"]) == "" {
			c.add(ptr+"/label", ruleInputLabel, 0, 0, fmt.Sprintf("missing required field: label [json-pointer:%s/label]", ptr))
		}
		c.textLen(ptr+"/label", ruleInputLabel, b["label"], maxLabelText)
		c.textLen(ptr+"/hint", ruleInputHint, b["hint"], maxLabelText)
		c.elementAt(ptr+"/element", b["element"])
	}
}

// elementAt checks an interactive element, if obj is one.
func (c *checker) elementAt(ptr string, obj any) {
	e, ok := obj.(map[string]any)
	if !ok {
		return
	}
	c.maxLen(ptr+"/action_id", ruleActionID, str(e["action_id"]), maxID)
	switch e["type"] {
	case "button":
		c.textLen(ptr+"/text", ruleButtonText, e["text"], maxButtonText)
		c.maxLen(ptr+"/value", ruleButtonValue, str(e["value"]), maxButtonValue)
		c.maxLen(ptr+"/url", ruleButtonURL, str(e["url"]), maxButtonURL)
	case "plain_text_input":
		if n, ok := e["max_length"].(float64); ok && n > maxInputLength {
			c.add(ptr+"/max_length", ruleInputMaxLength, maxInputLength, int(n),
				fmt.Sprintf("must be less than or equal to %d [json-pointer:%s/max_length]", maxInputLength, ptr))
		}
	case "checkboxes", "radio_buttons":
		opts, _ := e["options"].([]any)
		c.maxItems(ptr+"/options", ruleChoiceOptions, len(opts), maxChoiceOptions)
	case "static_select", "multi_static_select":
		opts, _ := e["options"].([]any)
		c.selectOptions(ptr+"/options", opts)
		groups, _ := e["option_groups"].([]any)
		for i, g := range groups {
			gm, _ := g.(map[string]any)
			gopts, _ := gm["options"].([]any)
			c.selectOptions(ptr+"/option_groups/"+strconv.Itoa(i)+"/options", gopts)
		}
	}
}

func (c *checker) selectOptions(ptr string, opts []any) {
	c.maxItems(ptr, ruleSelectOptions, len(opts), maxSelectOptions)
	for i, o := range opts {
		om, ok := o.(map[string]any)
		if !ok {
			continue
		}
		p := ptr + "/" + strconv.Itoa(i)
		c.textLen(p+"/text", ruleOptionText, om["text"], maxOptionText)
		c.maxLen(p+"/value", ruleOptionValue, str(om["value"]), maxOptionValue)
	}
}

// str returns v when it is a string, else "".
func str(v any) string {
	s, _ := v.(string)
	return s
}
