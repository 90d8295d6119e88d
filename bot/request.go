package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/webapi"
)

// Handler answers one request from Slack. Its context ends AckTimeout after
// the envelope arrived: what it passes to Reply by then travels in the
// envelope's ack, which is how a slash command's answer or a modal's inline
// errors reach the person fastest. Work that may take longer goes to Later.
//
// A returned error is answered for the handler: a *pulse.Error's catalogue
// sentence in the person's language (inline under the field in a modal),
// anything else as err.internal, with the details logged. A handler that
// writes must commit before it Replies "saved".
type Handler func(ctx context.Context, r *Request) error

// Request is one envelope from Slack, as a handler sees it.
type Request struct {
	EnvelopeID   string
	RetryAttempt int // 0 for the first delivery

	Actor   pulse.Actor   // who asked
	Person  *pulse.Person // what Pulse knows of them; nil when nothing yet
	Teams   []*pulse.Team // the teams they manage or check in with
	Team    string        // the Slack workspace ID
	Channel string        // where they asked, when Slack says

	// voice is the catalogue in the language to answer them in: r.T,
	// r.Plural, r.date…; r.lang is the language.
	voice

	// Exactly one of these is set, after the envelope's type.
	Command     *slack.SlashCommand
	Interaction *slack.InteractionCallback
	Event       *slackevents.EventsAPIEvent

	// Args is a slash command's text after its first word, trimmed; for
	// CommandMention, the whole text, the mention included.
	Args string
	// Action is the block action that fired, for block_actions.
	Action *slack.BlockAction

	bot         *Bot
	flight      *flight // holds the envelope's place in the bounds; nil when answered "busy"
	responseURL string
	ans         answer
}

// answer is what the router will acknowledge with, and what runs after.
type answer struct {
	mu      sync.Mutex
	acked   bool // the ack is written (or being written): Reply is too late
	payload any
	later   []laterFn
}

// Message is an answer to a person: Text (also the notification's
// fallback) and optional Block Kit blocks. It is seen by that person only,
// unless InChannel.
type Message struct {
	Text            string
	Blocks          []slack.Block
	InChannel       bool
	ReplaceOriginal bool // for an answer to a button on a message: replace the message

	raw []byte // the message already encoded, for answers the bot reuses
}

// wireMessage is Message as Slack reads a slash command's reply. Blocks
// is the block list itself rather than slack.Blocks, whose MarshalJSON
// marshals the list apart, for the encoder to copy and re-scan.
type wireMessage struct {
	Text            string        `json:"text"`
	ResponseType    string        `json:"response_type"`
	Blocks          []slack.Block `json:"blocks,omitempty"`
	ReplaceOriginal bool          `json:"replace_original,omitempty"`
}

// wire returns what encodes m as Slack reads a slash command's reply.
func (m Message) wire() any {
	if m.raw != nil {
		return json.RawMessage(m.raw)
	}
	w := wireMessage{Text: m.Text, ResponseType: slack.ResponseTypeEphemeral, ReplaceOriginal: m.ReplaceOriginal, Blocks: m.Blocks}
	if m.InChannel {
		w.ResponseType = slack.ResponseTypeInChannel
	}
	return w
}

// MarshalJSON writes the message as Slack reads a slash command's reply.
func (m Message) MarshalJSON() ([]byte, error) {
	if m.raw != nil {
		return m.raw, nil
	}
	return json.Marshal(m.wire())
}

// Store is Pulse's state, for a handler registered from outside the
// package (HandleCommand and the like); Pulse's own handlers are methods
// of Bot and reach it as b.store.
func (r *Request) Store() pulse.Store { return r.bot.store }

// API is the Web API client, for views.open with the trigger ID and the
// like, for a handler registered from outside the package; Pulse's own
// handlers reach it as b.api.
func (r *Request) API() *slack.Client { return r.bot.api }

// Reply sets the message the ack carries: a slash command's answer. Called
// after the ack has gone (the handler overran AckTimeout), the message is
// delivered with Respond instead.
func (r *Request) Reply(m Message) {
	if !r.setPayload(m) {
		r.bot.runLater(r, []laterFn{r.respondFn(m)})
	}
}

// ReplyView sets a view_submission's response: nil closes the modal;
// otherwise errors under inputs, update, push or clear.
func (r *Request) ReplyView(resp *slack.ViewSubmissionResponse) {
	if !r.setPayload(resp) {
		r.bot.log.Warn("view response came after the ack; the modal closed without it", "envelope_id", r.EnvelopeID)
	}
}

// MaxSuggestions is how many options Slack shows in answer to a
// block_suggestion; it ignores the rest.
const MaxSuggestions = 100

// ReplyOptions sets a block_suggestion's answer: the options an external
// select offers for what the person typed, at most MaxSuggestions.
func (r *Request) ReplyOptions(opts []*slack.OptionBlockObject) {
	if len(opts) > MaxSuggestions {
		opts = opts[:MaxSuggestions]
	}
	if opts == nil {
		opts = []*slack.OptionBlockObject{}
	}
	if !r.setPayload(suggestions{Options: opts}) {
		r.bot.log.Warn("suggestions came after the ack; the select shows none", "envelope_id", r.EnvelopeID)
	}
}

// suggestions is a block_suggestion's answer. Unlike slack.OptionsResponse
// it writes "options": [] when nothing matches, which Slack reads as "no
// match" rather than a malformed answer.
type suggestions struct {
	Options []*slack.OptionBlockObject `json:"options"`
}

func (r *Request) setPayload(p any) bool {
	r.ans.mu.Lock()
	defer r.ans.mu.Unlock()
	if r.ans.acked {
		return false
	}
	r.ans.payload = p
	return true
}

// Later runs fn after the envelope is acknowledged, with a context that
// ends after LaterTimeout or at shutdown. Answer from it with Respond or
// the Web API (views.update, chat.postMessage). An error it returns is
// answered like a handler's, with Respond.
func (r *Request) Later(fn func(ctx context.Context) error) {
	r.later(laterFn{fn: fn, answer: true})
}

func (r *Request) later(lf laterFn) {
	r.ans.mu.Lock()
	acked := r.ans.acked
	if !acked {
		r.ans.later = append(r.ans.later, lf)
	}
	r.ans.mu.Unlock()
	if acked {
		// Already acked: the router has started the queue, so start it now.
		r.bot.runLater(r, []laterFn{lf})
	}
}

// Respond answers the person after the ack: through the interaction's
// response_url when there is one (a slash command, a button on a message),
// else as an ephemeral message in the channel, else as a direct message.
func (r *Request) Respond(ctx context.Context, m Message) error {
	user := r.Actor.UserID
	switch {
	case r.responseURL != "":
		return r.bot.postResponseURL(ctx, r.responseURL, m)
	case m.InChannel && r.Channel != "":
		_, _, err := r.bot.api.PostMessageContext(ctx, r.Channel, msgOptions(m)...)
		return wrapAPI("chat.postMessage", err)
	case r.Channel != "" && user != "":
		_, err := r.bot.api.PostEphemeralContext(ctx, r.Channel, user, msgOptions(m)...)
		return wrapAPI("chat.postEphemeral", err)
	case user != "":
		_, _, err := r.bot.api.PostMessageContext(ctx, user, msgOptions(m)...)
		return wrapAPI("chat.postMessage", err)
	}
	return errors.New("respond: no response_url, channel or user to answer")
}

func msgOptions(m Message) []slack.MsgOption {
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false)}
	if len(m.Blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(m.Blocks...))
	}
	return opts
}

func wrapAPI(method string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	return nil
}

// postResponseURL posts m to a response_url, waiting out a 429.
func (b *Bot) postResponseURL(ctx context.Context, url string, m Message) error {
	msg := &slack.WebhookMessage{Text: m.Text, ResponseType: slack.ResponseTypeEphemeral, ReplaceOriginal: m.ReplaceOriginal}
	if m.InChannel {
		msg.ResponseType = slack.ResponseTypeInChannel
	}
	if len(m.Blocks) > 0 {
		msg.Blocks = &slack.Blocks{BlockSet: m.Blocks}
	}
	for {
		err := slack.PostWebhookCustomHTTPContext(ctx, url, b.cfg.HTTPClient, msg)
		var rl *slack.RateLimitedError
		if !errors.As(err, &rl) {
			if err != nil {
				// The URL is a capability; keep it out of the error.
				return fmt.Errorf("post to response_url: %w", webapi.HideURL(err, url))
			}
			return nil
		}
		t := time.NewTimer(max(rl.RetryAfter, time.Second))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// errorAnswer turns a handler's error into what the person is told, and
// says how to log it: the catalogue key, and whether it is internal.
func (r *Request) errorAnswer(err error) (key string, internal bool) {
	key, data := pulse.ErrorKey(err)
	internal = pulse.ErrorCode(err) == pulse.EINTERNAL
	text := r.errorSentence(key, data)

	if r.Interaction != nil && r.Interaction.Type == slack.InteractionTypeViewSubmission {
		if errs := r.fieldErrors(err); len(errs) > 0 {
			r.ReplyView(&slack.ViewSubmissionResponse{ResponseAction: slack.RAErrors, Errors: errs})
			return key, internal
		}
		if first := firstInputBlock(&r.Interaction.View); first != "" {
			// Keep the modal, and what the person typed, open with the
			// sentence under its first input.
			r.ReplyView(&slack.ViewSubmissionResponse{ResponseAction: slack.RAErrors, Errors: map[string]string{first: text}})
			return key, internal
		}
	}
	if r.Command != nil {
		r.Reply(Message{Text: text})
		return key, internal
	}
	if r.Event != nil {
		return key, internal // nobody asked; the log says it
	}
	r.later(r.respondFn(Message{Text: text}))
	return key, internal
}

// errorSentence is what a person is told of an error, in their language:
// the texts it names are what they typed, of which only a short piece is
// named back.
func (r *Request) errorSentence(key string, data map[string]any) string {
	return mrkdwnEscape(r.T(key, echoData(data)))
}

// fieldErrors maps each invalid field of a view submission to its sentence,
// keyed by block ID: a modal names the input block of a field after it
// ("name", "tz", …). Fields with no such block go under the first input.
func (r *Request) fieldErrors(err error) map[string]string {
	var fields []*pulse.Error
	var ve pulse.ValidationErrors
	var pe *pulse.Error
	switch {
	case errors.As(err, &ve):
		fields = ve
	case errors.As(err, &pe) && pe.Field != "":
		fields = []*pulse.Error{pe}
	}
	if len(fields) == 0 {
		return nil
	}
	blocks := inputBlocks(&r.Interaction.View)
	first := firstInputBlock(&r.Interaction.View)
	out := map[string]string{}
	for _, f := range fields {
		id := f.Field
		if !blocks[id] {
			id = first
		}
		if id == "" {
			continue
		}
		text := r.errorSentence(f.Key, f.Data)
		if prev, ok := out[id]; ok && prev != text {
			text = prev + " " + text
		}
		out[id] = text
	}
	return out
}

func inputBlocks(v *slack.View) map[string]bool {
	ids := map[string]bool{}
	for _, bl := range v.Blocks.BlockSet {
		if in, ok := bl.(*slack.InputBlock); ok && in.BlockID != "" {
			ids[in.BlockID] = true
		}
	}
	return ids
}

func firstInputBlock(v *slack.View) string {
	for _, bl := range v.Blocks.BlockSet {
		if in, ok := bl.(*slack.InputBlock); ok && in.BlockID != "" {
			return in.BlockID
		}
	}
	return ""
}

// openModal opens view with the request's trigger_id. Call it before any
// slow work: the trigger is good for 3 seconds from the person's click.
func openModal(ctx context.Context, r *Request, view slack.ModalViewRequest) error {
	trigger := ""
	switch {
	case r.Command != nil:
		trigger = r.Command.TriggerID
	case r.Interaction != nil:
		trigger = r.Interaction.TriggerID
	}
	if _, err := r.bot.api.OpenViewContext(ctx, trigger, view); err != nil {
		return fmt.Errorf("views.open %s: %w", view.CallbackID, err)
	}
	return nil
}

func (r *Request) respondFn(m Message) laterFn {
	return laterFn{fn: func(ctx context.Context) error { return r.Respond(ctx, m) }}
}
