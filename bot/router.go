package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/socket"
)

// routeKind is what an envelope asks for; with a name, it picks a handler.
type routeKind string

const (
	routeCommand    routeKind = "command"     // name: the word after /pulse
	routeAction     routeKind = "action"      // name: the block action's action_id
	routeView       routeKind = "callback_id" // name: the submitted view's callback_id
	routeViewClosed routeKind = "closed_view" // name: the closed view's callback_id
	routeSuggestion routeKind = "suggestion"  // name: the external select's action_id
	routeEvent      routeKind = "event"       // name: the inner event's type
	routeOther      routeKind = "other"       // nothing Pulse handles: acked and logged
)

// Names of HandleCommand for /pulse on its own and for /pulse followed by
// a mention ("/pulse @maria").
const (
	CommandBare    = ""
	CommandMention = "@"
)

type route struct {
	h        Handler
	readOnly bool
	postKey  string // PostsInPublic's sentence; "" for a route that posts nothing in public
}

// RouteOption changes how a handler's envelopes are run.
type RouteOption func(*route)

// ReadOnly marks a handler that changes nothing, such as help. Its
// envelopes skip the envelope log: a redelivery is answered again in full,
// which is what the person needs when the first answer was lost, and it
// spares a disk write on the way to the ack.
func ReadOnly() RouteOption { return func(r *route) { r.readOnly = true } }

type routes struct {
	mu sync.RWMutex
	m  map[routeKind]map[string]route
}

func (rs *routes) init() { rs.m = make(map[routeKind]map[string]route) }

func (rs *routes) add(kind routeKind, name string, h Handler, opts []RouteOption) {
	if h == nil {
		panic(fmt.Sprintf("bot: nil handler for %s %q", kind, name))
	}
	rt := route{h: h}
	for _, o := range opts {
		o(&rt)
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.m[kind] == nil {
		rs.m[kind] = make(map[string]route)
	}
	rs.m[kind][name] = rt
}

func (rs *routes) get(kind routeKind, name string) (route, bool) {
	rs.mu.RLock()
	defer rs.mu.RUnlock()
	rt, ok := rs.m[kind][name]
	return rt, ok
}

// HandleCommand routes "/pulse <name> …" to h; name is matched without
// regard to case. CommandBare is /pulse alone and CommandMention is /pulse
// followed by a mention. A word with no handler is answered with a clear
// sentence and the help.
func (b *Bot) HandleCommand(name string, h Handler, opts ...RouteOption) {
	b.routes.add(routeCommand, strings.ToLower(name), h, opts)
}

// HandleAction routes a block_actions interaction to h by the action_id
// of the element pressed. Put data in the element's value, not its ID.
func (b *Bot) HandleAction(actionID string, h Handler, opts ...RouteOption) {
	b.routes.add(routeAction, actionID, h, opts)
}

// HandleView routes a modal's view_submission to h by its callback_id.
// Name each input block after the field it sets, so that a
// pulse.FieldError returned by h shows under that input.
func (b *Bot) HandleView(callbackID string, h Handler, opts ...RouteOption) {
	b.routes.add(routeView, callbackID, h, opts)
}

// HandleViewClosed routes a modal's view_closed (sent when the modal was
// opened with notify_on_close) to h by its callback_id.
func (b *Bot) HandleViewClosed(callbackID string, h Handler, opts ...RouteOption) {
	b.routes.add(routeViewClosed, callbackID, h, opts)
}

// HandleSuggestion routes a block_suggestion (an external_select asking
// for the options that match what the person typed) to h by the select's
// action_id. h answers with ReplyOptions; register it ReadOnly.
func (b *Bot) HandleSuggestion(actionID string, h Handler, opts ...RouteOption) {
	b.routes.add(routeSuggestion, actionID, h, opts)
}

// HandleEvent routes an Events API event to h by its inner type, such as
// "app_home_opened". Events without a handler are acked and logged.
func (b *Bot) HandleEvent(eventType string, h Handler, opts ...RouteOption) {
	b.routes.add(routeEvent, eventType, h, opts)
}

// dispatch starts handling an envelope, unless the bot is shutting down:
// then the envelope is left unacknowledged, for Slack to redeliver to the
// process that comes next.
func (b *Bot) dispatch(e socket.Envelope) {
	env := e.Request
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		b.log.Info("envelope left for redelivery: shutting down", "type", env.Type, "envelope_id", env.EnvelopeID)
		return
	}
	b.inflight.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.inflight.Done()
		b.handle(env, e.Received)
	}()
}

// goTracked runs fn as work Run waits for at shutdown, until Run's drain
// is over; after that it reports false and does not run fn.
func (b *Bot) goTracked(fn func()) bool {
	b.mu.Lock()
	if b.drained {
		b.mu.Unlock()
		return false
	}
	b.inflight.Add(1)
	b.mu.Unlock()
	go func() {
		defer b.inflight.Done()
		fn()
	}()
	return true
}

// handle takes one envelope from arrival to ack, and starts what runs
// after it.
//
// Once and only once: an envelope whose handler writes is marked in the
// store's envelope log before the handler runs, and a redelivery found
// there is acknowledged without running it again. A crash between the mark
// and the ack loses that one envelope, where the other order would apply it
// twice. Losing it is the lesser harm: Slack only redelivers envelopes that
// were never acknowledged, so the person saw no answer — no "saved" — and
// Slack shows them the command failed; they try again. Applying it twice
// would post a second kudos or log a second 1:1 that nobody asked for.
// Read-only handlers (ReadOnly) skip the log and simply answer again.
//
// With several replicas an event whose replica died before acknowledging
// it comes again to another. Its mark stays "taken" until the first write
// of its handler commits, in the same transaction, so the redelivery runs
// the handler unless that write happened; of two replicas running it at
// once, the second one's write fails with pulse.ErrEnvelopeApplied and it
// counts as a duplicate.
func (b *Bot) handle(env *socketmode.Request, received time.Time) {
	// One deadline for everything before the ack: the envelope log, the
	// person lookup and the handler.
	ctx, cancel := context.WithDeadline(b.work, received.Add(b.cfg.AckTimeout))
	defer cancel()
	line := &envelopeLine{env: env, received: received, outcome: "ok"}

	r, tg, err := b.parse(env)
	line.target = tg
	if err != nil {
		line.outcome, line.err = "bad_payload", err
		b.ackAndLog(line, nil)
		return
	}
	line.user = r.Actor.UserID
	rt, ok := b.routes.get(tg.kind, tg.name)
	if !ok && tg.kind == routeCommand {
		rt, ok = route{h: b.unknownCommand, readOnly: true}, true
		line.target.name = "unknown" // the word is what the person typed: not logged
		line.outcome = "unknown_command"
	}
	if !ok {
		line.outcome = "unhandled"
		b.ackAndLog(line, nil)
		return
	}
	if tg.kind == routeEvent {
		ev, err := slackevents.ParseEvent(env.Payload, slackevents.OptionNoVerifyToken())
		if err != nil {
			line.outcome, line.err = "bad_payload", err
			b.ackAndLog(line, nil)
			return
		}
		r.Event = &ev
	}

	fl, err := b.flight.take(r.Actor.UserID)
	if err != nil {
		// Beyond the bounds: answered at once, and left out of the
		// envelope log, so that a redelivery is handled in full.
		b.identify(ctx, r)
		b.runHandler(ctx, r, busy(err), line, nil)
		return
	}
	r.flight = fl
	defer fl.done()

	var res *envelopeResult
	if !rt.readOnly {
		var first bool
		if res, first = b.recent.begin(env.EnvelopeID, time.Now()); !first {
			b.ackRedelivery(ctx, line, res)
			return
		}
		first, err := b.store.MarkEnvelope(ctx, env.EnvelopeID, b.clock.Now())
		if err == nil && !first && env.RetryAttempt > 0 {
			// Delivered again, maybe to this replica after another died
			// holding it: run it unless a write of its handler committed.
			first, err = b.store.RetakeEnvelope(ctx, env.EnvelopeID)
		}
		if err == nil && first {
			ctx = pulse.WithEnvelope(ctx, env.EnvelopeID)
		}
		switch {
		case err != nil:
			// Without the log a redelivery might run twice; without the
			// handler the person's request is lost for sure.
			b.log.Warn("envelope log unavailable; handling the envelope anyway", "envelope_id", env.EnvelopeID, "err", err)
		case !first:
			line.outcome = "duplicate"
			b.ackAndLog(line, nil)
			res.finish(nil)
			return
		}
	}

	b.identify(ctx, r)
	h := rt.h
	if rt.postKey != "" {
		h = b.allowPosts(rt.postKey, h)
	}
	b.runHandler(ctx, r, h, line, res)
}

// runHandler runs h and acks its envelope exactly once: when h returns,
// or at the ack deadline if h is still running then. A handler that
// overruns goes on without holding the ack; its reply, if any, is
// delivered with Respond when it comes.
//
// The handler runs on the envelope's own goroutine and a timer stands
// guard, rather than the other way round, so the usual fast answer costs
// no goroutine hand-off on its way to the ack.
func (b *Bot) runHandler(ctx context.Context, r *Request, h Handler, line *envelopeLine, res *envelopeResult) {
	const (
		running = iota
		returned
		overran
	)
	var state atomic.Int32
	acked := make(chan struct{})
	deadline, _ := ctx.Deadline()
	guard := time.AfterFunc(time.Until(deadline), func() {
		if state.CompareAndSwap(running, overran) {
			line.outcome = "slow"
			b.complete(r, line, res)
			close(acked)
		}
	})
	err := safeCall(ctx, r, h)
	if errors.Is(err, pulse.ErrEnvelopeApplied) {
		// Another replica applied this envelope first: a duplicate.
		line.outcome, err = "duplicate", nil
	}
	guard.Stop()
	if state.CompareAndSwap(running, returned) {
		b.answerError(r, err, line)
		b.complete(r, line, res)
		return
	}
	<-acked // the guard acked; let it finish with line first
	late := envelopeLine{target: line.target}
	b.answerError(r, err, &late)
	if late.outcome != "" {
		b.log.Warn("slow handler failed after the ack", "envelope_id", r.EnvelopeID,
			"outcome", late.outcome, "key", late.key, "err", errOrEmpty(late.err))
	}
}

func errOrEmpty(err error) string {
	if err == nil {
		return ""
	}
	return errForLog(err)
}

// complete acks a handled envelope with what its handler replied, starts
// its later work and writes its log line.
func (b *Bot) complete(r *Request, line *envelopeLine, res *envelopeResult) {
	r.ans.mu.Lock()
	r.ans.acked = true
	payload, later := r.ans.payload, r.ans.later
	r.ans.later = nil
	r.ans.mu.Unlock()
	if m, ok := payload.(Message); ok && r.Command == nil {
		// Only a slash command's ack shows a message; answer the others
		// through their response_url or the channel.
		payload = nil
		later = append(later, r.respondFn(m))
	}
	sent := b.sendAck(line, payload)
	if res != nil {
		res.finish(payload)
	}
	if m, ok := payload.(Message); ok && !sent && line.ackErr == nil {
		// Too big for an ack: deliver it the other way.
		later = append(later, r.respondFn(m))
	}
	b.runLater(r, later)
	b.logEnvelope(line)
}

// ackRedelivery acks an envelope this process is handling or has handled
// with the first delivery's payload, waiting for it up to the ack deadline.
func (b *Bot) ackRedelivery(ctx context.Context, line *envelopeLine, res *envelopeResult) {
	line.outcome = "duplicate"
	var payload any
	select {
	case <-res.done:
		payload = res.payload
	case <-ctx.Done():
	}
	b.ackAndLog(line, payload)
}

// ackAndLog acks an envelope no handler ran for, and logs it.
func (b *Bot) ackAndLog(line *envelopeLine, payload any) {
	b.sendAck(line, payload)
	b.logEnvelope(line)
}

// sendAck acks the line's envelope and records when; it reports whether
// the payload went with it.
func (b *Bot) sendAck(line *envelopeLine, payload any) bool {
	if m, ok := payload.(Message); ok {
		payload = m.wire() // encoded once, straight into the frame
	}
	sent, err := b.socket.Ack(line.env.EnvelopeID, payload)
	line.acked = time.Now()
	line.ackErr = err
	return sent
}

// answerError tells the person about a handler's error and notes it in the
// envelope's log line; internal errors and panics are logged in detail.
func (b *Bot) answerError(r *Request, err error, line *envelopeLine) {
	if err == nil {
		return
	}
	key, internal := r.errorAnswer(err)
	line.key = key
	var pe *panicError
	switch {
	case asPanic(err, &pe):
		line.outcome = "panic"
		b.log.Error("handler panicked", "envelope_id", r.EnvelopeID, string(line.target.kind), line.target.name,
			"panic", fmt.Sprint(pe.value), "stack", string(pe.stack))
	case internal:
		line.outcome = "error"
		line.err = err
	default:
		line.outcome = "refused" // the person's input or permissions: answered, nothing to fix
	}
}

// laterFn is work to run after the ack; answer says whether its error is
// told to the person (not for work that is itself an answer).
type laterFn struct {
	fn     func(context.Context) error
	answer bool
}

func (r *Request) respondFn(m Message) laterFn {
	return laterFn{fn: func(ctx context.Context) error { return r.Respond(ctx, m) }}
}

// runLater starts each piece of later work, tracked for the drain.
func (b *Bot) runLater(r *Request, fns []laterFn) {
	for _, lf := range fns {
		r.flight.hold()
		ok := b.goTracked(func() {
			defer r.flight.done()
			ctx, cancel := context.WithTimeout(b.work, b.cfg.LaterTimeout)
			defer cancel()
			err := safeCall(ctx, r, func(ctx context.Context, _ *Request) error { return lf.fn(ctx) })
			if err == nil {
				return
			}
			key, data := pulse.ErrorKey(err)
			b.log.Warn("work after the ack failed", "envelope_id", r.EnvelopeID, "key", key, "err", errForLog(err))
			if lf.answer {
				m := Message{Text: r.errorSentence(key, data)}
				if err := r.Respond(ctx, m); err != nil {
					b.log.Warn("could not tell the person", "envelope_id", r.EnvelopeID, "err", err)
				}
			}
		})
		if !ok {
			r.flight.done()
			b.log.Warn("work after the ack dropped: the bot has stopped", "envelope_id", r.EnvelopeID)
		}
	}
}

// errForLog is err as the log may show it: the operator's message of a
// *pulse.Error can quote what a person typed, so only its code and key go
// in; other errors in full.
func errForLog(err error) string {
	if c := pulse.ErrorCode(err); c != pulse.EINTERNAL {
		key, _ := pulse.ErrorKey(err)
		return c + " " + key
	}
	return err.Error()
}

// panicError is a handler's panic, recovered.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("handler panicked: %v", e.value) }

func asPanic(err error, target **panicError) bool {
	pe, ok := err.(*panicError)
	if ok {
		*target = pe
	}
	return ok
}

// safeCall runs h, turning a panic into a *panicError.
func safeCall(ctx context.Context, r *Request, h Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &panicError{value: p, stack: debug.Stack()}
		}
	}()
	return h(ctx, r)
}

// target is where an envelope goes, in words safe to log.
type target struct {
	kind routeKind
	name string
}

// parse reads an envelope's payload into a Request and finds its target.
// A payload of the wrong shape is an error; a type Pulse does not handle is
// not.
func (b *Bot) parse(env *socketmode.Request) (*Request, target, error) {
	r := &Request{bot: b, EnvelopeID: env.EnvelopeID, RetryAttempt: env.RetryAttempt}
	switch env.Type {
	case socketmode.RequestTypeSlashCommands:
		var cmd slack.SlashCommand
		if err := json.Unmarshal(env.Payload, &cmd); err != nil {
			return nil, target{kind: routeCommand}, fmt.Errorf("slash command payload: %w", err)
		}
		r.Command = &cmd
		r.Actor.UserID, r.Channel, r.Team, r.responseURL = cmd.UserID, cmd.ChannelID, cmd.TeamID, cmd.ResponseURL
		text := strings.TrimSpace(cmd.Text)
		word, rest, _ := strings.Cut(text, " ")
		name := strings.ToLower(word)
		r.Args = strings.TrimSpace(rest)
		if strings.HasPrefix(word, "<@") {
			name, r.Args = CommandMention, text
		}
		return r, target{kind: routeCommand, name: name}, nil

	case socketmode.RequestTypeInteractive:
		var cb slack.InteractionCallback
		if err := json.Unmarshal(env.Payload, &cb); err != nil {
			return nil, target{kind: routeOther, name: "interactive"}, fmt.Errorf("interaction payload: %w", err)
		}
		r.Interaction = &cb
		r.Actor.UserID, r.Team, r.responseURL = cb.User.ID, cb.Team.ID, cb.ResponseURL
		r.Channel = cb.Channel.ID
		if r.Channel == "" {
			r.Channel = cb.Container.ChannelID
		}
		switch cb.Type {
		case slack.InteractionTypeBlockActions:
			if len(cb.ActionCallback.BlockActions) == 0 {
				return nil, target{kind: routeAction}, fmt.Errorf("block_actions without an action")
			}
			r.Action = cb.ActionCallback.BlockActions[0]
			return r, target{kind: routeAction, name: logName(r.Action.ActionID)}, nil
		case slack.InteractionTypeViewSubmission:
			return r, target{kind: routeView, name: logName(cb.View.CallbackID)}, nil
		case slack.InteractionTypeViewClosed:
			return r, target{kind: routeViewClosed, name: logName(cb.View.CallbackID)}, nil
		case slack.InteractionTypeBlockSuggestion:
			return r, target{kind: routeSuggestion, name: logName(cb.ActionID)}, nil
		}
		return r, target{kind: routeOther, name: logName(string(cb.Type))}, nil

	case socketmode.RequestTypeEventsAPI:
		var outer struct {
			Type   string `json:"type"`
			TeamID string `json:"team_id"`
			Event  struct {
				Type string          `json:"type"`
				User json.RawMessage `json:"user"` // an ID in most events, an object in a few
			} `json:"event"`
		}
		if err := json.Unmarshal(env.Payload, &outer); err != nil {
			return nil, target{kind: routeEvent}, fmt.Errorf("events_api payload: %w", err)
		}
		r.Team = outer.TeamID
		_ = json.Unmarshal(outer.Event.User, &r.Actor.UserID)
		if outer.Type != slackevents.CallbackEvent {
			return r, target{kind: routeOther, name: logName(outer.Type)}, nil
		}
		return r, target{kind: routeEvent, name: logName(outer.Event.Type)}, nil
	}
	return r, target{kind: routeOther, name: logName(env.Type)}, nil
}

// logName bounds a name from a payload before it is used as a key or
// logged: names are ours (action IDs, callback IDs) or Slack's, but a
// payload could carry anything.
func logName(s string) string {
	const max = 64
	if len(s) > max {
		return s[:max]
	}
	return s
}

// identify fills in who is asking: what Pulse knows of them, their teams,
// their language and whether they are an admin. A store that fails here
// leaves defaults (English, no teams) rather than no answer.
func (b *Bot) identify(ctx context.Context, r *Request) {
	user := r.Actor.UserID
	r.Lang = pulse.English
	if user == "" {
		return
	}
	p, err := b.store.Person(ctx, user)
	if err != nil {
		p = nil
		if !pulse.IsNotFound(err) {
			b.log.Warn("look up person", "user", user, "err", err)
		}
	}
	teams, err := b.store.TeamsOf(ctx, user)
	if err != nil {
		b.log.Warn("look up teams", "user", user, "err", err)
	}
	var teamLang pulse.Lang
	if len(teams) > 0 {
		teamLang = teams[0].Lang
	}
	r.Person, r.Teams = p, teams
	r.Lang = p.Language(teamLang)
	r.Actor.Admin = b.isAdmin(user, p)
}
