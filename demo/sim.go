package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
)

// actionWait bounds how long the demo waits for the bot to answer one
// thing a person did; the stand-in is in-process, so this is generous.
const actionWait = 5 * time.Second

// quietFor is how long the stand-in must record nothing before a person's
// action counts as fully answered (work the bot leaves for after the ack
// included).
const quietFor = 25 * time.Millisecond

// people acts for the scripted people: it sends Slack's envelopes for
// what they do, through the stand-in, as the Slack client would.
type people struct {
	srv   *slacktest.Server
	clock *pulse.ManualClock
	rec   *recorder
	tr    *Transcript
	sent  []string // envelope IDs, to check every one was acked
}

// state is a conversation's messages as they stand now: the stand-in's
// Messages is a log, in which an update repeats a ts.
func (p *people) state(channel string) (order []string, current map[string]slacktest.Message) {
	current = map[string]slacktest.Message{}
	for _, m := range p.srv.Messages(channel) {
		if m.TS == "" || m.Ephemeral {
			continue
		}
		if m.Deleted {
			delete(current, m.TS)
			continue
		}
		if _, ok := current[m.TS]; !ok {
			order = append(order, m.TS)
		}
		if m.Updated && len(m.Blocks) == 0 {
			prev := current[m.TS]
			m.Blocks = prev.Blocks
		}
		current[m.TS] = m
	}
	return order, current
}

// findButton returns the newest message in channel that now shows a
// button with actionID (and, when match is set, a value match accepts).
func (p *people) findButton(channel, actionID string, match func(value string) bool) (slacktest.Message, *Element, bool) {
	order, current := p.state(channel)
	for i := len(order) - 1; i >= 0; i-- {
		m, ok := current[order[i]]
		if !ok {
			continue
		}
		for _, b := range Buttons(ParseBlocks(m.Blocks)) {
			if b.ActionID == actionID && (match == nil || match(b.Value)) {
				return m, b, true
			}
		}
	}
	return slacktest.Message{}, nil, false
}

// about names what a button is about when its message holds several
// alike (a Kept button per commitment): the text just above it.
func (p *people) about(raw json.RawMessage, btn *Element) string {
	blocks := ParseBlocks(raw)
	same := 0
	for _, b := range Buttons(blocks) {
		if b.Label.Text == btn.Label.Text {
			same++
		}
	}
	if same < 2 {
		return ""
	}
	last := ""
	for i := range blocks {
		b := &blocks[i]
		if b.Type == "section" && b.Text != nil {
			last = mrkdwnPlain(b.Text.Text, p.tr.Name)
		}
		if blockOf(raw, btn.ActionID, btn.Value) == b.BlockID && b.BlockID != "" {
			break
		}
	}
	if r := []rune(last); len(r) > 80 {
		last = string(r[:79]) + "…"
	}
	return last
}

// blockOf returns the block ID of the block that holds the button.
func blockOf(raw json.RawMessage, actionID, value string) string {
	for _, b := range ParseBlocks(raw) {
		if b.Accessory != nil && b.Accessory.ActionID == actionID && b.Accessory.Value == value {
			return b.BlockID
		}
		for _, e := range b.Elements {
			if e.ActionID == actionID && e.Value == value {
				return b.BlockID
			}
		}
	}
	return ""
}

// press presses a button on a message in channel (a DM's D… or a
// channel's C…), as user, and waits for the bot's answer.
func (p *people) press(ctx context.Context, user, channel, actionID string, match func(string) bool, expect func() bool) error {
	m, btn, ok := p.findButton(channel, actionID, match)
	if !ok {
		return fmt.Errorf("no message in %s shows a %s button", p.tr.nameOr(channel), actionID)
	}
	what := p.tr.say("act_presses", map[string]any{"Button": btn.Label.Text})
	if about := p.about(m.Blocks, btn); about != "" {
		what = p.tr.say("act_presses_for", map[string]any{"Button": btn.Label.Text, "About": about})
	}
	p.rec.act(p.clock.Now(), user, what)
	cb := slack.InteractionCallback{
		Type:      slack.InteractionTypeBlockActions,
		User:      slack.User{ID: user, Name: strings.ToLower(p.tr.nameOr(user))},
		Channel:   slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: m.Channel}}},
		Container: slack.Container{Type: "message", ChannelID: m.Channel, MessageTs: m.TS},
		Message:   slack.Message{Msg: slack.Msg{Timestamp: m.TS, Text: m.Text}},
		ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{{
			ActionID: btn.ActionID, BlockID: blockOf(m.Blocks, btn.ActionID, btn.Value), Value: btn.Value,
			Type: "button", Text: slack.TextBlockObject{Type: "plain_text", Text: btn.Label.Text},
			ActionTs: m.TS,
		}}},
	}
	if len(m.Blocks) > 0 {
		var bs slack.Blocks
		if json.Unmarshal(m.Blocks, &bs) == nil {
			cb.Message.Blocks = bs
		}
	}
	return p.send(ctx, user, "", func() (string, error) { return p.srv.SendInteraction(ctx, cb) }, expect)
}

// command types /pulse text in channel as user.
func (p *people) command(ctx context.Context, user, channel, text string, expect func() bool) error {
	// Mentions arrive escaped (<@U…|name>); show them as the person reads them.
	p.rec.act(p.clock.Now(), user, p.tr.say("act_types", map[string]any{"Command": strings.TrimSpace("/pulse " + mrkdwnPlain(text, p.tr.Name))}))
	cmd := slack.SlashCommand{Command: "/pulse", Text: text, UserID: user, UserName: strings.ToLower(p.tr.nameOr(user)), ChannelID: channel}
	return p.send(ctx, user, "", func() (string, error) { return p.srv.SendSlashCommand(ctx, cmd) }, expect)
}

// submit fills in and submits the newest modal with callbackID that the
// bot opened; answers maps each input's block ID to what the person types
// or picks (an option's value for selects and radio buttons).
func (p *people) submit(ctx context.Context, user, callbackID string, answers map[string]string, expect func() bool) error {
	views := p.srv.Views()
	var found *slacktest.View
	for i := len(views) - 1; i >= 0; i-- {
		if v, ok := ParseView(views[i].View); ok && v.CallbackID == callbackID && views[i].Method != "views.publish" {
			found = &views[i]
			break
		}
	}
	if found == nil {
		return fmt.Errorf("the bot opened no %q modal", callbackID)
	}
	var view slack.View
	if err := json.Unmarshal(found.View, &view); err != nil {
		return fmt.Errorf("read the %q modal: %w", callbackID, err)
	}
	view.ID = found.ViewID
	view.State = &slack.ViewState{Values: map[string]map[string]slack.BlockAction{}}
	for _, b := range view.Blocks.BlockSet {
		in, ok := b.(*slack.InputBlock)
		if !ok {
			continue
		}
		answer, given := answers[in.BlockID]
		if !given {
			// Untouched inputs come back holding their initial value, as in Slack.
			answer = initialValue(in)
		}
		act, err := inputValue(in, answer)
		if err != nil {
			return fmt.Errorf("%q modal: %w", callbackID, err)
		}
		view.State.Values[in.BlockID] = map[string]slack.BlockAction{act.ActionID: act}
	}
	title := callbackID
	if view.Title != nil {
		title = view.Title.Text
	}
	p.fillModal(user, callbackID, answers)
	what := p.tr.say("act_submits", map[string]any{"Title": title})
	if view.Submit != nil {
		what = p.tr.say("act_presses_on", map[string]any{"Button": view.Submit.Text, "Title": title})
	}
	p.rec.act(p.clock.Now(), user, what)
	cb := slack.InteractionCallback{
		Type: slack.InteractionTypeViewSubmission,
		User: slack.User{ID: user, Name: strings.ToLower(p.tr.nameOr(user))},
		View: view,
	}
	return p.send(ctx, user, user, func() (string, error) { return p.srv.SendInteraction(ctx, cb) }, expect)
}

// inputValue is the state Slack reports for one input of a submitted modal.
func inputValue(in *slack.InputBlock, answer string) (slack.BlockAction, error) {
	switch el := in.Element.(type) {
	case *slack.PlainTextInputBlockElement:
		return slack.BlockAction{Type: "plain_text_input", ActionID: el.ActionID, Value: answer}, nil
	case *slack.NumberInputBlockElement:
		return slack.BlockAction{Type: "number_input", ActionID: el.ActionID, Value: answer}, nil
	case *slack.RadioButtonsBlockElement:
		a := slack.BlockAction{Type: "radio_buttons", ActionID: el.ActionID}
		for _, o := range el.Options {
			if o.Value == answer {
				a.SelectedOption = *o
			}
		}
		return a, nil
	case *slack.SelectBlockElement:
		a := slack.BlockAction{Type: slack.ActionType(el.Type), ActionID: el.ActionID}
		switch el.Type {
		case "users_select":
			a.SelectedUser = answer
		case "conversations_select", "channels_select":
			a.SelectedConversation = answer
		default:
			for _, o := range el.Options {
				if o.Value == answer {
					a.SelectedOption = *o
				}
			}
		}
		return a, nil
	case *slack.MultiSelectBlockElement:
		a := slack.BlockAction{Type: slack.ActionType(el.Type), ActionID: el.ActionID}
		if answer != "" {
			a.SelectedUsers = strings.Split(answer, ",")
		}
		return a, nil
	case *slack.DatePickerBlockElement:
		return slack.BlockAction{Type: "datepicker", ActionID: el.ActionID, SelectedDate: answer}, nil
	case *slack.TimePickerBlockElement:
		return slack.BlockAction{Type: "timepicker", ActionID: el.ActionID, SelectedTime: answer}, nil
	}
	return slack.BlockAction{}, fmt.Errorf("input %q has an element the demo cannot fill", in.BlockID)
}

// initialValue is what an input holds before the person touches it.
func initialValue(in *slack.InputBlock) string {
	switch el := in.Element.(type) {
	case *slack.PlainTextInputBlockElement:
		return el.InitialValue
	case *slack.NumberInputBlockElement:
		return el.InitialValue
	case *slack.RadioButtonsBlockElement:
		if el.InitialOption != nil {
			return el.InitialOption.Value
		}
	case *slack.SelectBlockElement:
		switch {
		case el.InitialOption != nil:
			return el.InitialOption.Value
		case el.InitialUser != "":
			return el.InitialUser
		case el.InitialConversation != "":
			return el.InitialConversation
		case el.InitialChannel != "":
			return el.InitialChannel
		}
	case *slack.MultiSelectBlockElement:
		return strings.Join(el.InitialUsers, ",")
	case *slack.DatePickerBlockElement:
		return el.InitialDate
	case *slack.TimePickerBlockElement:
		return el.InitialTime
	}
	return ""
}

// fillModal shows in the transcript's newest copy of the modal what the
// person typed and picked before they submitted it.
func (p *people) fillModal(user, callbackID string, answers map[string]string) {
	for i := len(p.tr.Entries) - 1; i >= 0; i-- {
		e := &p.tr.Entries[i]
		if e.Kind != KindModal || e.To != user || e.View == nil || e.View.CallbackID != callbackID {
			continue
		}
		for j := range e.Blocks {
			b := &e.Blocks[j]
			answer, ok := answers[b.BlockID]
			if b.Type != "input" || b.Element == nil || !ok {
				continue
			}
			el := b.Element
			switch el.Type {
			case "radio_buttons", "static_select":
				for _, o := range el.Options {
					if o.Value == answer {
						el.Initial = o
					}
				}
			case "datepicker":
				el.InitialDate = answer
			default:
				el.InitialValue = answer
			}
		}
		return
	}
}

// send delivers one envelope and waits until it is acked, expect holds
// (when given) and the stand-in has gone quiet: the bot's later work done.
func (p *people) send(ctx context.Context, actor, pendingUser string, fn func() (string, error), expect func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, actionWait)
	defer cancel()
	id, err := fn()
	if err != nil {
		return err
	}
	p.sent = append(p.sent, id)
	if pendingUser != "" {
		p.rec.pending[id] = pendingUser
	}
	if _, err := p.srv.WaitAck(ctx, id); err != nil {
		return fmt.Errorf("the bot did not acknowledge: %w", err)
	}
	if expect != nil {
		if err := p.srv.WaitFor(ctx, expect); err != nil {
			return errors.New("the bot did not answer as expected")
		}
	}
	if err := p.quiet(ctx); err != nil {
		return err
	}
	p.rec.collect(p.clock.Now(), actor)
	return nil
}

// quiet waits until the stand-in records nothing new for quietFor.
func (p *people) quiet(ctx context.Context) error {
	count := func() int { return len(p.srv.Calls()) + len(p.srv.Messages("")) + len(p.srv.Acks()) }
	for {
		n := count()
		wctx, cancel := context.WithTimeout(ctx, quietFor)
		err := p.srv.WaitFor(wctx, func() bool { return count() != n })
		cancel()
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("the bot kept working: %w", ctx.Err())
		case err != nil:
			return nil // nothing new for quietFor
		}
	}
}

// unacked returns the envelopes the bot never acknowledged.
func (p *people) unacked() []string {
	var out []string
	for _, id := range p.sent {
		if len(p.srv.AcksFor(id)) == 0 {
			out = append(out, id)
		}
	}
	return out
}
