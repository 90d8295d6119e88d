package slacktest

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

// maxUsersPage is the most users.list returns at once, however large the
// limit asked for.
const maxUsersPage = 1000

// AddOutsideUser makes users.info answer for u.ID while users.list leaves
// it out, as Slack does for a person from another organisation in a shared
// channel: the workspace's list does not hold them, users.info does.
func (s *Server) AddOutsideUser(u slack.User) {
	s.AddUser(u)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unlisted[u.ID] = true
}

// handleUsersList answers users.list: the workspace's users by ID, a page
// of limit at a time (all at once without a limit, at most maxUsersPage),
// the next page named by response_metadata.next_cursor, which is empty on
// the last page. The locale only comes back with include_locale, as in
// users.info. Slack's rate limit (tier 2) is applied before this, in
// serveAPI.
func (s *Server) handleUsersList(r *request) {
	limit := maxUsersPage
	if v := r.arg("limit"); v != "" && v != "0" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			r.fail("invalid_arguments", nil)
			return
		}
		limit = min(n, maxUsersPage)
	}
	from := ""
	if c := r.arg("cursor"); c != "" {
		raw, err := base64.StdEncoding.DecodeString(c)
		id, ok := strings.CutPrefix(string(raw), "user:")
		if err != nil || !ok || id == "" {
			r.fail("invalid_cursor", nil)
			return
		}
		from = id
	}
	s.mu.Lock()
	ids := make([]string, 0, len(s.users))
	for id := range s.users {
		if !s.unlisted[id] && id >= from {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	next := ""
	if len(ids) > limit {
		// Slack's cursors are opaque; this one names the first user of the
		// next page the way Slack's own look ("user:U…" in base64).
		next = base64.StdEncoding.EncodeToString([]byte("user:" + ids[limit]))
		ids = ids[:limit]
	}
	members := make([]slack.User, len(ids))
	for i, id := range ids {
		members[i] = s.users[id]
		if !r.flag("include_locale") {
			members[i].Locale = ""
		}
	}
	s.mu.Unlock()
	r.ok(map[string]any{
		"members":           members,
		"cache_ts":          s.cfg.clock.Now().Unix(),
		"response_metadata": map[string]any{"next_cursor": next},
	})
}
