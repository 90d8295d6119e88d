package slacktest

import (
	"encoding/json"
	"maps"
	"time"
)

// storedView is the latest version of a modal or Home tab.
type storedView struct {
	raw    json.RawMessage
	hash   string
	userID string // the Home tab's owner
}

// trigger is an issued trigger_id: good once, for triggerLifetime.
type trigger struct {
	issued time.Time
	used   bool
}

// useTriggerLocked consumes a trigger ID, returning the Slack error when it
// cannot be used. s.mu must be held.
func (s *Server) useTriggerLocked(id string) string {
	t := s.web.triggers[id]
	switch {
	case id == "" || t == nil:
		return "invalid_trigger_id"
	case t.used, s.cfg.clock.Now().Sub(t.issued) > triggerLifetime:
		return "expired_trigger_id"
	}
	t.used = true
	return ""
}

// readView checks the request's view and returns it raw and decoded (from
// the body readRequest decoded already); it answers the request and returns
// false when Slack would refuse it.
func (s *Server) readView(r *request) (json.RawMessage, map[string]any, bool) {
	raw := rawField(r.json, "view")
	view, isObject := r.obj["view"].(map[string]any)
	if raw == nil || !isObject {
		r.fail("invalid_arguments", nil)
		return nil, nil, false
	}
	if vs := checkView(raw); len(vs) > 0 {
		s.refuse(r, vs)
		return nil, nil, false
	}
	return raw, view, true
}

// rawField returns one top-level field of a JSON object, nil when absent or
// null.
func rawField(obj json.RawMessage, name string) json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return nil
	}
	v := m[name]
	if len(v) == 0 || string(v) == "null" {
		return nil
	}
	return v
}

// viewJSON is the view object Slack answers with: what the app sent plus
// the fields Slack adds.
func (s *Server) viewJSON(id string, view map[string]any, hash, rootID, previousID string) map[string]any {
	out := maps.Clone(view)
	out["id"] = id
	out["team_id"] = s.cfg.teamID
	out["app_id"] = s.cfg.appID
	out["bot_id"] = DefaultBotID
	out["app_installed_team_id"] = s.cfg.teamID
	out["hash"] = hash
	out["state"] = map[string]any{"values": map[string]any{}}
	out["root_view_id"] = rootID
	if previousID != "" {
		out["previous_view_id"] = previousID
	}
	for _, k := range []string{"private_metadata", "callback_id", "external_id"} {
		if _, ok := out[k]; !ok {
			out[k] = ""
		}
	}
	return out
}

// storeViewLocked keeps a new version of a view and records the call.
// s.mu must be held.
func (s *Server) storeViewLocked(method, id, userID, triggerID string, raw json.RawMessage, view map[string]any) string {
	hash := s.nextIDLocked("hash.")
	s.web.views[id] = &storedView{raw: raw, hash: hash, userID: userID}
	if ext, _ := view["external_id"].(string); ext != "" {
		s.web.externalIDs[ext] = id
	}
	s.rec.views = append(s.rec.views, View{Method: method, UserID: userID, ViewID: id, TriggerID: triggerID, View: raw})
	s.notifyLocked()
	return hash
}

// handleViewsOpen answers views.open (a modal) and views.push (another
// modal on the stack): both need a fresh trigger_id and are recorded
// under their own method.
func (s *Server) handleViewsOpen(r *request) {
	raw, view, ok := s.readView(r)
	if !ok {
		return
	}
	trig := r.arg("trigger_id")
	s.mu.Lock()
	if code := s.useTriggerLocked(trig); code != "" {
		s.mu.Unlock()
		r.fail(code, nil)
		return
	}
	id := s.nextIDLocked("V")
	hash := s.storeViewLocked(r.method, id, "", trig, raw, view)
	s.mu.Unlock()
	r.ok(map[string]any{"view": s.viewJSON(id, view, hash, id, "")})
}

// handleViewsUpdate answers views.update by view_id or external_id; a hash
// that is not the view's latest is a conflict, as in Slack.
func (s *Server) handleViewsUpdate(r *request) {
	raw, view, ok := s.readView(r)
	if !ok {
		return
	}
	s.mu.Lock()
	id := r.arg("view_id")
	if id == "" {
		id = s.web.externalIDs[r.arg("external_id")]
	}
	cur := s.web.views[id]
	if id == "" || cur == nil {
		s.mu.Unlock()
		r.fail("not_found", nil)
		return
	}
	if h := r.arg("hash"); h != "" && h != cur.hash {
		s.mu.Unlock()
		r.fail("hash_conflict", nil)
		return
	}
	hash := s.storeViewLocked(r.method, id, cur.userID, "", raw, view)
	s.mu.Unlock()
	r.ok(map[string]any{"view": s.viewJSON(id, view, hash, id, "")})
}

// handleViewsPublish answers views.publish: the user's Home tab, which keeps
// one view ID per user.
func (s *Server) handleViewsPublish(r *request) {
	raw, view, ok := s.readView(r)
	if !ok {
		return
	}
	user := r.arg("user_id")
	if user == "" {
		r.fail("invalid_arguments", nil)
		return
	}
	if view["type"] != "home" {
		r.fail("invalid_arguments", map[string]any{
			"response_metadata": map[string]any{"messages": []string{"[ERROR] must be home [json-pointer:/view/type]"}},
		})
		return
	}
	s.mu.Lock()
	id := ""
	for vid, v := range s.web.views {
		if v.userID == user {
			id = vid
			break
		}
	}
	if id != "" {
		if h := r.arg("hash"); h != "" && h != s.web.views[id].hash {
			s.mu.Unlock()
			r.fail("hash_conflict", nil)
			return
		}
	} else {
		id = s.nextIDLocked("V")
	}
	hash := s.storeViewLocked(r.method, id, user, "", raw, view)
	s.mu.Unlock()
	r.ok(map[string]any{"view": s.viewJSON(id, view, hash, "", "")})
}
