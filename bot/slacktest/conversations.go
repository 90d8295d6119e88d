package slacktest

import (
	"strconv"
	"strings"
)

// handleUsersInfo answers users.info from the users added with AddUser; the
// locale only comes back with include_locale, as in Slack.
func (s *Server) handleUsersInfo(r *request) {
	s.mu.Lock()
	u, ok := s.users[r.arg("user")]
	s.mu.Unlock()
	if !ok {
		r.fail("user_not_found", nil)
		return
	}
	if !r.flag("include_locale") {
		u.Locale = ""
	}
	r.ok(map[string]any{"user": u})
}

// handleConversationsOpen answers conversations.open for a DM with one
// user: the D… channel dmChannel gives, the same one chat.postMessage to
// the user ID uses.
func (s *Server) handleConversationsOpen(r *request) {
	users := strings.Split(r.arg("users"), ",")
	if ch := r.arg("channel"); ch != "" && r.arg("users") == "" {
		users = []string{ch}
	}
	if len(users) != 1 || users[0] == "" {
		// Group DMs are not something Pulse uses; refuse rather than pretend.
		r.fail("invalid_arguments", nil)
		return
	}
	// Like chat.postMessage, any user ID opens a DM: users need not be added.
	id := dmChannel(users[0])
	ch := map[string]any{"id": id}
	if r.flag("return_im") {
		ch["is_im"] = true
		ch["user"] = users[0]
	}
	r.ok(map[string]any{"channel": ch, "no_op": false, "already_open": false})
}

// handleConversationsHistory answers conversations.history newest first,
// between oldest and latest (exclusive unless inclusive), limit per page
// (default 100), with each message's metadata when include_all_metadata is
// set. The cursor is the ts of the last message on the previous page.
func (s *Server) handleConversationsHistory(r *request) {
	s.mu.Lock()
	channel := s.resolveChannelLocked(r.arg("channel"))
	if channel == "" {
		s.mu.Unlock()
		r.fail("channel_not_found", nil)
		return
	}
	limit := 100
	if n, err := strconv.Atoi(r.arg("limit")); err == nil && n > 0 {
		limit = min(n, 999)
	}
	oldest, latest, cursor := tsValue(r.arg("oldest")), tsValue(r.arg("latest")), tsValue(r.arg("cursor"))
	inclusive := r.flag("inclusive")
	withMetadata := r.flag("include_all_metadata")

	all := s.web.history[channel]
	var page []map[string]any
	more := false
	for i := len(all) - 1; i >= 0; i-- {
		m := all[i]
		t := tsValue(m.ts)
		if cursor > 0 && t >= cursor {
			continue
		}
		if latest > 0 && (t > latest || (!inclusive && t == latest)) {
			continue
		}
		if oldest > 0 && (t < oldest || (!inclusive && t == oldest)) {
			continue
		}
		if len(page) == limit {
			more = true
			break
		}
		page = append(page, m.json(withMetadata))
	}
	s.mu.Unlock()
	next := ""
	if more {
		next = page[len(page)-1]["ts"].(string)
	}
	if page == nil {
		page = []map[string]any{}
	}
	r.ok(map[string]any{
		"messages":          page,
		"has_more":          more,
		"pin_count":         0,
		"response_metadata": map[string]any{"next_cursor": next},
	})
}

// tsValue turns a message ts into microseconds for comparison; 0 when empty
// or malformed.
func tsValue(ts string) int64 {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return 0
	}
	frac = (frac + "000000")[:6]
	us, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0
	}
	return s*1_000_000 + us
}

// handleConversationsReplies answers conversations.replies: the thread's
// parent and its replies, oldest first, in one page, with each message's
// metadata when include_all_metadata is set. A ts that names no message of
// the channel is thread_not_found.
func (s *Server) handleConversationsReplies(r *request) {
	s.mu.Lock()
	channel := s.resolveChannelLocked(r.arg("channel"))
	if channel == "" {
		s.mu.Unlock()
		r.fail("channel_not_found", nil)
		return
	}
	ts := r.arg("ts")
	if _, parent := s.web.findMessage(channel, ts); parent == nil {
		s.mu.Unlock()
		r.fail("thread_not_found", nil)
		return
	}
	withMetadata := r.flag("include_all_metadata")
	page := []map[string]any{}
	for _, m := range s.web.history[channel] {
		if m.ts == ts || m.threadTS == ts {
			page = append(page, m.json(withMetadata))
		}
	}
	s.mu.Unlock()
	r.ok(map[string]any{
		"messages":          page,
		"has_more":          false,
		"response_metadata": map[string]any{"next_cursor": ""},
	})
}
