package slacktest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// responseURL is a response_url handed out in a slash command or block
// action: good for responseURLUses posts within responseURLLifetime.
type responseURL struct {
	created   time.Time
	uses      int
	channel   string
	user      string
	messageTS string // the message a block action came from, for replace/delete_original
}

// NewResponseURL issues a response_url as Slack puts in a slash command or
// a button press: answers posted to it are recorded as messages to user in
// channel, replacing the message at messageTS when they say so. It is for
// callers that build envelopes themselves and send them with SendEnvelope.
func (s *Server) NewResponseURL(channel, user, messageTS string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newResponseURLLocked(channel, user, messageTS)
}

func (s *Server) newResponseURLLocked(channel, user, messageTS string) string {
	id := s.nextIDLocked("R")
	s.web.responseURLs[id] = &responseURL{created: s.cfg.clock.Now(), channel: dmChannel(channel), user: user, messageTS: messageTS}
	return s.http.URL + "/response/" + id
}

// serveResponseURL takes a post to a response_url. Refusals use HTTP error
// statuses so both slack.PostWebhook and chat's MsgOptionResponseURL report
// them.
func (s *Server) serveResponseURL(w http.ResponseWriter, hr *http.Request) {
	id := strings.TrimPrefix(hr.URL.Path, "/response/")
	body, _ := io.ReadAll(io.LimitReader(hr.Body, maxBody))
	r := &request{w: w, method: "response_url", json: body}
	defer s.recordCall(r)

	var msg responseMessage
	if err := json.Unmarshal(body, &msg); err != nil {
		r.slackErr = "invalid_payload"
		r.write(http.StatusBadRequest, map[string]any{"ok": false, "error": r.slackErr})
		return
	}
	if string(msg.Blocks) == "null" {
		msg.Blocks = nil
	}
	if msg.Metadata != nil && msg.Metadata.EventType == "" {
		msg.Metadata = nil
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.web.responseURLs[id]
	if code := s.refuseResponseURLLocked(u); code != "" {
		r.slackErr = code
		r.write(http.StatusNotFound, map[string]any{"ok": false, "error": code})
		return
	}
	if vs := checkMessage(msg.Text, msg.Blocks); len(vs) > 0 {
		s.addViolationsLocked(r.method, vs)
		errs := make([]string, len(vs))
		for i, v := range vs {
			errs[i] = v.Error
		}
		r.slackErr = "invalid_blocks"
		r.write(http.StatusBadRequest, map[string]any{"ok": false, "error": r.slackErr, "errors": errs})
		return
	}
	u.uses++
	s.rec.messages = append(s.rec.messages, s.answerLocked(u, &msg))
	s.notifyLocked()
	r.write(http.StatusOK, map[string]any{"ok": true})
}

// responseMessage is what an app posts to a response_url.
type responseMessage struct {
	Text            string               `json:"text"`
	Blocks          json.RawMessage      `json:"blocks"`
	ResponseType    string               `json:"response_type"`
	ReplaceOriginal bool                 `json:"replace_original"`
	DeleteOriginal  bool                 `json:"delete_original"`
	ThreadTS        string               `json:"thread_ts"`
	Metadata        *slack.SlackMetadata `json:"metadata"`
}

// refuseResponseURLLocked returns Slack's error for a response_url that is
// unknown, expired or used up, or "" for one that takes a post.
func (s *Server) refuseResponseURLLocked(u *responseURL) string {
	switch {
	case u == nil:
		return "no_such_url"
	case s.cfg.clock.Now().Sub(u.created) > responseURLLifetime:
		return "expired_url"
	case u.uses >= responseURLUses:
		return "used_url"
	}
	return ""
}

// answerLocked applies a post to u (deleting or replacing the original
// message, posting in the channel, or answering only the user) and returns
// the message to record.
func (s *Server) answerLocked(u *responseURL, msg *responseMessage) Message {
	m := Message{
		Channel: u.channel, User: u.user, ThreadTS: msg.ThreadTS, Text: msg.Text, Blocks: msg.Blocks,
		Metadata: msg.Metadata, ViaResponseURL: true,
	}
	_, orig := s.web.findMessage(u.channel, u.messageTS)
	switch {
	case msg.DeleteOriginal:
		m = Message{Channel: u.channel, User: u.user, TS: u.messageTS, Deleted: true, ViaResponseURL: true, Ephemeral: orig == nil}
		if i, _ := s.web.findMessage(u.channel, u.messageTS); i >= 0 {
			h := s.web.history[u.channel]
			s.web.history[u.channel] = append(h[:i], h[i+1:]...)
		}
	case msg.ReplaceOriginal:
		m.Updated, m.TS = true, u.messageTS
		if orig != nil {
			orig.text, orig.blocks, orig.edited = msg.Text, msg.Blocks, true
			if msg.Metadata != nil {
				orig.metadata = msg.Metadata
			}
		} else {
			m.Ephemeral = true
		}
	case msg.ResponseType == slack.ResponseTypeInChannel:
		m.TS, m.User = s.nextTSLocked(), ""
		s.web.appendHistory(u.channel, &histMsg{ts: m.TS, threadTS: msg.ThreadTS, user: DefaultBotUser, text: msg.Text, blocks: msg.Blocks, metadata: msg.Metadata})
	default:
		m.Ephemeral = true
	}
	return m
}
