package bot

import (
	"fmt"
	"strings"
	"sync"
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
