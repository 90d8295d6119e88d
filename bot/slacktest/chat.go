package slacktest

import (
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"
)

// histMsg is a message as conversations.history returns it.
type histMsg struct {
	ts       string
	threadTS string
	user     string
	text     string
	blocks   json.RawMessage
	metadata *slack.SlackMetadata
	edited   bool
}

func (w *webState) appendHistory(channel string, m *histMsg) {
	w.history[channel] = append(w.history[channel], m)
}

func (w *webState) findMessage(channel, ts string) (int, *histMsg) {
	for i, m := range w.history[channel] {
		if m.ts == ts {
			return i, m
		}
	}
	return -1, nil
}

// json renders the message as Slack's message object; metadata only when
// asked for, as conversations.history does without include_all_metadata.
func (m *histMsg) json(withMetadata bool) map[string]any {
	out := map[string]any{
		"type":   "message",
		"user":   m.user,
		"bot_id": DefaultBotID,
		"app_id": DefaultAppID,
		"text":   m.text,
		"ts":     m.ts,
	}
	if m.threadTS != "" {
		out["thread_ts"] = m.threadTS
	}
	if m.blocks != nil {
		out["blocks"] = m.blocks
	}
	if withMetadata && m.metadata != nil {
		out["metadata"] = m.metadata
	}
	if m.edited {
		out["edited"] = map[string]any{"user": m.user, "ts": m.ts}
	}
	return out
}

// resolveChannelLocked maps what the bot passed as channel to where the
// message lands, or "" when Slack would answer channel_not_found. s.mu must
// be held.
func (s *Server) resolveChannelLocked(id string) string {
	switch {
	case id == "":
		return ""
	case strings.HasPrefix(id, "U"), strings.HasPrefix(id, "W"), strings.HasPrefix(id, "D"):
		return dmChannel(id)
	}
	if _, ok := s.channels[id]; ok {
		return id
	}
	return ""
}

// messageContent is the text, blocks and metadata of a chat.* request,
// decoded and checked against Block Kit limits.
type messageContent struct {
	text     string
	blocks   json.RawMessage
	metadata *slack.SlackMetadata
	hasText  bool // a text, blocks or attachments field was given
}

// readMessage decodes a chat.* request's content; it answers the request
// and returns false when Slack would refuse it.
func (s *Server) readMessage(r *request) (messageContent, bool) {
	var c messageContent
	c.text = r.arg("text")
	c.hasText = c.text != "" || r.arg("attachments") != ""
	if raw := r.arg("blocks"); raw != "" {
		blocks := json.RawMessage(raw)
		if !json.Valid(blocks) || jsonKind(blocks) != '[' {
			r.fail("invalid_blocks_format", nil)
			return c, false
		}
		c.blocks = blocks
		c.hasText = true
	}
	if raw := r.arg("metadata"); raw != "" {
		var md slack.SlackMetadata
		if err := json.Unmarshal([]byte(raw), &md); err != nil || md.EventType == "" {
			r.fail("invalid_metadata_format", nil)
			return c, false
		}
		c.metadata = &md
	}
	if vs := checkMessage(c.text, c.blocks); len(vs) > 0 {
		s.refuse(r, vs)
		return c, false
	}
	return c, true
}

// refuse records violations and answers as Slack does: msg_too_long for
// text alone, invalid_blocks with the list of problems otherwise.
func (s *Server) refuse(r *request, vs []Violation) {
	s.mu.Lock()
	s.addViolationsLocked(r.method, vs)
	s.mu.Unlock()
	if len(vs) == 1 && vs[0].Rule == ruleMessageText {
		r.fail("msg_too_long", nil)
		return
	}
	errs := make([]string, len(vs))
	msgs := make([]string, len(vs))
	for i, v := range vs {
		errs[i] = v.Error
		msgs[i] = "[ERROR] " + v.Error
	}
	r.fail("invalid_blocks", map[string]any{
		"errors":            errs,
		"response_metadata": map[string]any{"messages": msgs},
	})
}

func (s *Server) addViolationsLocked(method string, vs []Violation) {
	for _, v := range vs {
		v.Method = method
		s.rec.violations = append(s.rec.violations, v)
	}
	s.notifyLocked()
}

// handlePostMessage answers chat.postMessage. A user ID as channel posts to
// the DM with that user, recorded under the D… channel.
func (s *Server) handlePostMessage(r *request) {
	c, ok := s.readMessage(r)
	if !ok {
		return
	}
	if !c.hasText {
		r.fail("no_text", nil)
		return
	}
	s.mu.Lock()
	channel := s.resolveChannelLocked(r.arg("channel"))
	if channel == "" {
		s.mu.Unlock()
		r.fail("channel_not_found", nil)
		return
	}
	m := &histMsg{ts: s.nextTSLocked(), threadTS: r.arg("thread_ts"), user: DefaultBotUser, text: c.text, blocks: c.blocks, metadata: c.metadata}
	s.web.appendHistory(channel, m)
	s.rec.messages = append(s.rec.messages, Message{
		Channel: channel, TS: m.ts, ThreadTS: m.threadTS, Text: c.text, Blocks: c.blocks, Metadata: c.metadata,
	})
	s.notifyLocked()
	s.mu.Unlock()
	r.ok(map[string]any{"channel": channel, "ts": m.ts, "message": m.json(true)})
}

// handlePostEphemeral answers chat.postEphemeral: a message only user sees,
// not kept in history.
func (s *Server) handlePostEphemeral(r *request) {
	c, ok := s.readMessage(r)
	if !ok {
		return
	}
	if !c.hasText {
		r.fail("no_text", nil)
		return
	}
	user := r.arg("user")
	if user == "" {
		r.fail("user_not_in_channel", nil)
		return
	}
	s.mu.Lock()
	channel := s.resolveChannelLocked(r.arg("channel"))
	if channel == "" {
		s.mu.Unlock()
		r.fail("channel_not_found", nil)
		return
	}
	ts := s.nextTSLocked()
	s.rec.messages = append(s.rec.messages, Message{
		Channel: channel, TS: ts, ThreadTS: r.arg("thread_ts"), User: user, Text: c.text, Blocks: c.blocks, Ephemeral: true,
	})
	s.notifyLocked()
	s.mu.Unlock()
	r.ok(map[string]any{"message_ts": ts})
}

// handleUpdate answers chat.update for a message the bot posted.
func (s *Server) handleUpdate(r *request) {
	c, ok := s.readMessage(r)
	if !ok {
		return
	}
	s.mu.Lock()
	channel := s.resolveChannelLocked(r.arg("channel"))
	ts := r.arg("ts")
	_, m := s.web.findMessage(channel, ts)
	if m == nil {
		s.mu.Unlock()
		r.fail("message_not_found", nil)
		return
	}
	m.text = c.text
	if c.blocks != nil || r.arg("blocks") != "" {
		m.blocks = c.blocks
	}
	if c.metadata != nil {
		m.metadata = c.metadata
	}
	m.edited = true
	s.rec.messages = append(s.rec.messages, Message{
		Channel: channel, TS: ts, ThreadTS: m.threadTS, Text: m.text, Blocks: m.blocks, Metadata: m.metadata, Updated: true,
	})
	s.notifyLocked()
	out := map[string]any{"channel": channel, "ts": ts, "text": m.text, "message": m.json(true)}
	s.mu.Unlock()
	r.ok(out)
}

// handleDelete answers chat.delete for a message the bot posted.
func (s *Server) handleDelete(r *request) {
	s.mu.Lock()
	channel := s.resolveChannelLocked(r.arg("channel"))
	ts := r.arg("ts")
	i, m := s.web.findMessage(channel, ts)
	if m == nil {
		s.mu.Unlock()
		r.fail("message_not_found", nil)
		return
	}
	s.web.history[channel] = append(s.web.history[channel][:i], s.web.history[channel][i+1:]...)
	s.rec.messages = append(s.rec.messages, Message{Channel: channel, TS: ts, ThreadTS: m.threadTS, Deleted: true})
	s.notifyLocked()
	s.mu.Unlock()
	r.ok(map[string]any{"channel": channel, "ts": ts})
}
