package slacktest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/slack-go/slack"
)

// SendSlashCommand delivers a slash command envelope and returns its
// envelope ID. Empty fields Slack always fills are filled: team, app,
// a fresh trigger_id (see NewTriggerID) and a response_url on this server.
func (s *Server) SendSlashCommand(ctx context.Context, cmd slack.SlashCommand) (string, error) {
	s.mu.Lock()
	if cmd.TeamID == "" {
		cmd.TeamID = s.cfg.teamID
	}
	if cmd.TeamDomain == "" {
		cmd.TeamDomain = "pulse-test"
	}
	if cmd.APIAppID == "" {
		cmd.APIAppID = s.cfg.appID
	}
	if cmd.TriggerID == "" {
		cmd.TriggerID = s.newTriggerIDLocked()
	}
	if cmd.ResponseURL == "" {
		cmd.ResponseURL = s.newResponseURLLocked(cmd.ChannelID, cmd.UserID, "")
	}
	id := s.nextEnvelopeIDLocked()
	s.mu.Unlock()

	payload, err := json.Marshal(cmd)
	if err != nil {
		return "", fmt.Errorf("slacktest: marshal slash command %s: %w", cmd.Command, err)
	}
	env := Envelope{Type: "slash_commands", EnvelopeID: id, Payload: payload, AcceptsResponsePayload: true}
	return id, s.SendEnvelope(ctx, env)
}

// SendInteraction delivers an interactive envelope (block_actions,
// view_submission, view_closed, shortcut…) and returns its envelope ID.
// Empty team, app and trigger_id are filled, and block_actions on a message
// get a response_url on this server tied to that message.
func (s *Server) SendInteraction(ctx context.Context, cb slack.InteractionCallback) (string, error) {
	s.mu.Lock()
	if cb.Team.ID == "" {
		cb.Team.ID = s.cfg.teamID
	}
	if cb.APIAppID == "" {
		cb.APIAppID = s.cfg.appID
	}
	if cb.TriggerID == "" && cb.Type != slack.InteractionTypeViewClosed {
		cb.TriggerID = s.newTriggerIDLocked()
	}
	if cb.ResponseURL == "" && (cb.Type == slack.InteractionTypeBlockActions || cb.Type == slack.InteractionTypeMessageAction) && cb.View.ID == "" {
		channel := cb.Channel.ID
		if channel == "" {
			channel = cb.Container.ChannelID
		}
		ts := cb.Container.MessageTs
		if ts == "" {
			ts = cb.Message.Timestamp
		}
		cb.ResponseURL = s.newResponseURLLocked(channel, cb.User.ID, ts)
	}
	id := s.nextEnvelopeIDLocked()
	s.mu.Unlock()

	// MarshalJSON has a pointer receiver: marshal the pointer so block
	// actions' state is encoded the way slack-go decodes it.
	payload, err := json.Marshal(&cb)
	if err != nil {
		return "", fmt.Errorf("slacktest: marshal %s interaction: %w", cb.Type, err)
	}
	accepts := cb.Type == slack.InteractionTypeViewSubmission || cb.Type == slack.InteractionTypeBlockSuggestion
	env := Envelope{Type: "interactive", EnvelopeID: id, Payload: payload, AcceptsResponsePayload: accepts}
	return id, s.SendEnvelope(ctx, env)
}

// SendEvent delivers an events_api envelope wrapping inner (a slackevents
// type such as slackevents.AppHomeOpenedEvent, a map, or raw JSON; it must
// encode to an object with a "type") in an event_callback for teamID, and
// returns the envelope ID.
func (s *Server) SendEvent(ctx context.Context, teamID string, inner any) (string, error) {
	var raw json.RawMessage
	switch v := inner.(type) {
	case json.RawMessage:
		raw = v
	case []byte:
		raw = v
	default:
		b, err := json.Marshal(inner)
		if err != nil {
			return "", fmt.Errorf("slacktest: marshal event: %w", err)
		}
		raw = b
	}
	var probe struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil || probe.Type == "" {
		return "", fmt.Errorf("slacktest: event must be a JSON object with a type: %s", bytes.TrimSpace(raw))
	}
	if teamID == "" {
		teamID = s.cfg.teamID
	}
	s.mu.Lock()
	id := s.nextEnvelopeIDLocked()
	eventID := s.nextIDLocked("Ev")
	now := s.cfg.clock.Now().Unix()
	s.mu.Unlock()

	outer := eventCallback{
		TeamID: teamID, APIAppID: s.cfg.appID, Event: raw, Type: "event_callback",
		EventID: eventID, EventTime: now,
		Authorizations: []eventAuthorization{{TeamID: teamID, UserID: DefaultBotUser, IsBot: true}},
	}
	payload, err := json.Marshal(outer)
	if err != nil {
		return "", fmt.Errorf("slacktest: marshal event callback: %w", err)
	}
	env := Envelope{Type: "events_api", EnvelopeID: id, Payload: payload}
	return id, s.SendEnvelope(ctx, env)
}

// eventCallback is the events_api envelope's payload, as Slack writes it.
type eventCallback struct {
	Token          string               `json:"token"`
	TeamID         string               `json:"team_id"`
	APIAppID       string               `json:"api_app_id"`
	Event          json.RawMessage      `json:"event"`
	Type           string               `json:"type"`
	EventID        string               `json:"event_id"`
	EventTime      int64                `json:"event_time"`
	Authorizations []eventAuthorization `json:"authorizations"`
}

type eventAuthorization struct {
	TeamID string `json:"team_id"`
	UserID string `json:"user_id"`
	IsBot  bool   `json:"is_bot"`
}

// applyAckPayloadLocked records what an ack's payload does: a slash
// command's reply appears in its channel, a view_submission's update or push
// replaces or stacks a modal. s.mu must be held.
func (s *Server) applyAckPayloadLocked(env Envelope, payload json.RawMessage) {
	switch env.Type {
	case "slash_commands":
		var cmd struct { // of the command, what places its reply
			ChannelID string `json:"channel_id"`
			UserID    string `json:"user_id"`
		}
		if json.Unmarshal(env.Payload, &cmd) != nil {
			return
		}
		if !objectOrNull(payload) {
			return
		}
		var reply struct {
			Text         string          `json:"text"`
			ResponseType string          `json:"response_type"`
			Blocks       json.RawMessage `json:"blocks"`
		}
		decodeLenient(payload, &reply)
		if string(reply.Blocks) == "null" {
			reply.Blocks = nil
		}
		if vs := checkMessage(reply.Text, reply.Blocks); len(vs) > 0 {
			s.addViolationsLocked("ack", vs)
			return
		}
		m := Message{
			Channel: dmChannel(cmd.ChannelID),
			User:    cmd.UserID,
			Text:    reply.Text,
			Blocks:  reply.Blocks,
			ViaAck:  true,
		}
		if reply.ResponseType == slack.ResponseTypeInChannel {
			m.TS = s.nextTSLocked()
			s.web.appendHistory(m.Channel, &histMsg{ts: m.TS, text: m.Text, blocks: m.Blocks, user: DefaultBotUser})
		} else {
			m.Ephemeral = true
		}
		s.rec.messages = append(s.rec.messages, m)
	case "interactive":
		var cb slack.InteractionCallback
		if json.Unmarshal(env.Payload, &cb) != nil || cb.Type != slack.InteractionTypeViewSubmission {
			return
		}
		var resp struct {
			ResponseAction string          `json:"response_action"`
			View           json.RawMessage `json:"view"`
		}
		if json.Unmarshal(payload, &resp) != nil {
			return
		}
		if resp.ResponseAction != "update" && resp.ResponseAction != "push" {
			return
		}
		if !objectOrNull(resp.View) {
			return
		}
		if vs := checkView(resp.View); len(vs) > 0 {
			s.addViolationsLocked("ack", vs)
			return
		}
		viewID := cb.View.ID
		if resp.ResponseAction == "push" {
			viewID = s.nextIDLocked("V")
		}
		s.web.views[viewID] = &storedView{raw: resp.View, hash: s.nextIDLocked("h.")}
		s.rec.views = append(s.rec.views, View{Method: "response_action." + resp.ResponseAction, ViewID: viewID, View: resp.View})
	}
}

// objectOrNull reports whether raw is a JSON object or null, the values an
// ack's reply or view may take (null reads as an empty one); anything else
// is not applied.
func objectOrNull(raw json.RawMessage) bool {
	k := jsonKind(raw)
	return k == '{' || k == 'n'
}

// NewTriggerID issues a trigger ID that views.open or views.push accepts
// once within 3 seconds of the server's clock.
func (s *Server) NewTriggerID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newTriggerIDLocked()
}

func (s *Server) newTriggerIDLocked() string {
	s.seq++
	id := strconv.Itoa(s.seq) + ".1234567890.slacktest"
	s.web.triggers[id] = &trigger{issued: s.cfg.clock.Now()}
	return id
}
