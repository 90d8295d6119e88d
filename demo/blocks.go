package demo

import (
	"encoding/json"
	"strings"
)

// Block is one Block Kit block, decoded loosely: the demo only reads what
// the bot sent, so every field of every block type sits in one struct and
// unknown ones are ignored.
type Block struct {
	Type      string     `json:"type"`
	BlockID   string     `json:"block_id,omitempty"`
	Text      *Text      `json:"text,omitempty"`
	Fields    []Text     `json:"fields,omitempty"`
	Accessory *Element   `json:"accessory,omitempty"`
	Elements  []*Element `json:"elements,omitempty"`
	ImageURL  string     `json:"image_url,omitempty"`
	AltText   string     `json:"alt_text,omitempty"`
	Title     *Text      `json:"title,omitempty"`
	Label     *Text      `json:"label,omitempty"`
	Element   *Element   `json:"element,omitempty"`
	Hint      *Text      `json:"hint,omitempty"`
	Optional  bool       `json:"optional,omitempty"`
	SlackFile *struct {
		ID  string `json:"id,omitempty"`
		URL string `json:"url,omitempty"`
	} `json:"slack_file,omitempty"`
}

// Text is a Block Kit text object.
type Text struct {
	Type string `json:"type"` // plain_text or mrkdwn
	Text string `json:"text"`
}

// Element is a block element (a button, an input, an image, a context
// text); a context's text objects decode as elements whose Text is their
// own string.
type Element struct {
	Type         string     `json:"type"`
	ActionID     string     `json:"action_id,omitempty"`
	Value        string     `json:"value,omitempty"`
	Style        string     `json:"style,omitempty"`
	URL          string     `json:"url,omitempty"`
	ImageURL     string     `json:"image_url,omitempty"`
	AltText      string     `json:"alt_text,omitempty"`
	Placeholder  *Text      `json:"placeholder,omitempty"`
	InitialValue string     `json:"initial_value,omitempty"`
	Multiline    bool       `json:"multiline,omitempty"`
	Options      []*Option  `json:"options,omitempty"`
	Initial      *Option    `json:"initial_option,omitempty"`
	InitialUsers []string   `json:"initial_users,omitempty"`
	InitialDate  string     `json:"initial_date,omitempty"`
	InitialTime  string     `json:"initial_time,omitempty"`
	Elements     []*Element `json:"elements,omitempty"` // rich text
	// Label is the element's own text: a button's label, or the string of
	// a context text object.
	Label Text `json:"-"`
}

// Option is one choice of a select, radio or checkbox group.
type Option struct {
	Text  Text   `json:"text"`
	Value string `json:"value"`
}

// UnmarshalJSON reads "text" as either a text object (buttons) or a plain
// string (context texts, whose type is the text's own).
func (e *Element) UnmarshalJSON(b []byte) error {
	type plain Element
	var aux struct {
		*plain
		Text json.RawMessage `json:"text"`
	}
	aux.plain = (*plain)(e)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if len(aux.Text) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(aux.Text, &s) == nil {
		e.Label = Text{Type: e.Type, Text: s}
		return nil
	}
	return json.Unmarshal(aux.Text, &e.Label)
}

// ParseBlocks decodes a blocks array; anything unreadable yields nil, since
// a transcript shows the message's text then.
func ParseBlocks(raw json.RawMessage) []Block {
	if len(raw) == 0 {
		return nil
	}
	var out []Block
	if json.Unmarshal(raw, &out) != nil {
		return nil
	}
	return out
}

// View is the part of a modal or Home tab a transcript shows.
type View struct {
	Type       string  `json:"type"`
	CallbackID string  `json:"callback_id"`
	Title      *Text   `json:"title"`
	Submit     *Text   `json:"submit"`
	Close      *Text   `json:"close"`
	Blocks     []Block `json:"blocks"`
	// PrivateMetadata is what the bot keeps in the view for its handler.
	PrivateMetadata string `json:"private_metadata"`
}

// ParseView decodes a view; ok is false for anything unreadable.
func ParseView(raw json.RawMessage) (View, bool) {
	var v View
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return View{}, false
	}
	return v, true
}

// Buttons returns the buttons of blocks in order, for transcripts and for
// the scripted people who press them.
func Buttons(blocks []Block) []*Element {
	var out []*Element
	for i := range blocks {
		b := &blocks[i]
		if b.Accessory != nil && b.Accessory.Type == "button" {
			out = append(out, b.Accessory)
		}
		if b.Type == "actions" {
			for _, e := range b.Elements {
				if e.Type == "button" {
					out = append(out, e)
				}
			}
		}
	}
	return out
}

// plainOf returns what blocks say as plain lines, without buttons.
func plainOf(blocks []Block, names func(string) string) []string {
	var lines []string
	add := func(t *Text) {
		if t == nil || strings.TrimSpace(t.Text) == "" {
			return
		}
		s := t.Text
		if t.Type == "mrkdwn" {
			s = mrkdwnPlain(s, names)
		}
		lines = append(lines, strings.Split(s, "\n")...)
	}
	for i := range blocks {
		b := &blocks[i]
		switch b.Type {
		case "header", "section":
			add(b.Text)
			for j := range b.Fields {
				add(&b.Fields[j])
			}
			if b.Accessory != nil && b.Accessory.Type == "button" {
				lines = append(lines, "["+b.Accessory.Label.Text+"]")
			}
		case "actions":
			var buttons []string
			for _, e := range b.Elements {
				if e.Type == "button" {
					buttons = append(buttons, "["+e.Label.Text+"]")
				}
			}
			if len(buttons) > 0 {
				lines = append(lines, strings.Join(buttons, " "))
			}
		case "context":
			var parts []string
			for _, e := range b.Elements {
				if e.Type == "image" {
					continue
				}
				s := e.Label.Text
				if e.Label.Type == "mrkdwn" {
					s = mrkdwnPlain(s, names)
				}
				parts = append(parts, s)
			}
			if len(parts) > 0 {
				lines = append(lines, strings.Join(parts, " · "))
			}
		case "image":
			alt := b.AltText
			if b.Title != nil {
				alt = b.Title.Text
			}
			lines = append(lines, "[image: "+alt+"]")
		case "divider":
			lines = append(lines, "───")
		case "input":
			label := ""
			if b.Label != nil {
				label = b.Label.Text
			}
			v := ""
			if b.Element != nil {
				v = b.Element.InitialValue
				if b.Element.Initial != nil {
					v = b.Element.Initial.Text.Text
				}
			}
			if v != "" {
				lines = append(lines, "▸ "+label+": "+v)
			} else {
				lines = append(lines, "▸ "+label)
			}
		case "rich_text":
			lines = append(lines, richPlain(b.Elements))
		}
	}
	return lines
}

// richPlain flattens rich text elements into one string.
func richPlain(els []*Element) string {
	var sb strings.Builder
	for _, e := range els {
		if e.Type == "text" {
			sb.WriteString(e.Label.Text)
		}
		sb.WriteString(richPlain(e.Elements))
	}
	return sb.String()
}
