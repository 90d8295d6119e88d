package slacktest

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds what the server reads from one request.
const maxBody = 32 << 20

// webState is the Web API half of the server, guarded by Server.mu.
type webState struct {
	history      map[string][]*histMsg // channel -> messages, oldest first
	views        map[string]*storedView
	externalIDs  map[string]string // external_id -> view ID
	triggers     map[string]*trigger
	responseURLs map[string]*responseURL
	uploads      map[string]*upload
}

func (w *webState) init() {
	w.history = map[string][]*histMsg{}
	w.views = map[string]*storedView{}
	w.externalIDs = map[string]string{}
	w.triggers = map[string]*trigger{}
	w.responseURLs = map[string]*responseURL{}
	w.uploads = map[string]*upload{}
}

// tokenKind says which token a method takes.
type tokenKind int

const (
	botToken tokenKind = iota
	appToken
)

type method struct {
	token  tokenKind
	handle func(*Server, *request)
}

// methods is every Web API method the server implements; anything else is
// answered unknown_method so a bot calling something new fails visibly.
var methods = map[string]method{
	"apps.connections.open":        {appToken, (*Server).handleConnectionsOpen},
	"auth.test":                    {botToken, (*Server).handleAuthTest},
	"chat.postMessage":             {botToken, (*Server).handlePostMessage},
	"chat.postEphemeral":           {botToken, (*Server).handlePostEphemeral},
	"chat.update":                  {botToken, (*Server).handleUpdate},
	"chat.delete":                  {botToken, (*Server).handleDelete},
	"conversations.open":           {botToken, (*Server).handleConversationsOpen},
	"conversations.history":        {botToken, (*Server).handleConversationsHistory},
	"conversations.replies":        {botToken, (*Server).handleConversationsReplies},
	"users.info":                   {botToken, (*Server).handleUsersInfo},
	"users.list":                   {botToken, (*Server).handleUsersList},
	"views.open":                   {botToken, (*Server).handleViewsOpen},
	"views.update":                 {botToken, (*Server).handleViewsUpdate},
	"views.push":                   {botToken, (*Server).handleViewsOpen},
	"views.publish":                {botToken, (*Server).handleViewsPublish},
	"files.getUploadURLExternal":   {botToken, (*Server).handleGetUploadURL},
	"files.completeUploadExternal": {botToken, (*Server).handleCompleteUpload},
}

// request is one Web API call being answered.
type request struct {
	w        http.ResponseWriter
	method   string
	token    string
	form     url.Values
	json     json.RawMessage
	obj      map[string]any // the JSON body decoded, when it is an object
	status   int
	slackErr string
}

// arg returns a string argument from the form or the JSON body.
func (r *request) arg(name string) string {
	if v := r.form.Get(name); v != "" {
		return v
	}
	switch v := r.obj[name].(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// flag reports whether a boolean argument is set ("true" or "1").
func (r *request) flag(name string) bool {
	v := r.arg(name)
	return v == "true" || v == "1"
}

// ok answers {"ok":true, …fields}.
func (r *request) ok(fields map[string]any) {
	out := map[string]any{"ok": true}
	for k, v := range fields {
		out[k] = v
	}
	r.write(http.StatusOK, out)
}

// fail answers {"ok":false,"error":code, …extra}.
func (r *request) fail(code string, extra map[string]any) {
	out := map[string]any{"ok": false, "error": code}
	for k, v := range extra {
		out[k] = v
	}
	r.slackErr = code
	r.write(http.StatusOK, out)
}

func (r *request) write(status int, body any) {
	r.status = status
	r.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	r.w.WriteHeader(status)
	_ = json.NewEncoder(r.w).Encode(body)
}

// serveAPI answers /api/<method>: a held method waits first, then rate
// limits, then injected errors, then the token, then the method.
func (s *Server) serveAPI(w http.ResponseWriter, hr *http.Request) {
	r := &request{w: w, method: strings.TrimPrefix(hr.URL.Path, "/api/")}
	if err := readRequest(hr, r); err != nil {
		r.fail("invalid_form_data", nil)
		s.recordCall(r)
		return
	}
	defer s.recordCall(r)

	for _, held := range s.faults.holds(r.method, r.arg("user_id")) {
		select {
		case <-held:
		case <-hr.Context().Done():
			return
		}
	}
	if wait, limited := s.faults.take(r.method); limited {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		r.slackErr = "ratelimited"
		r.write(http.StatusTooManyRequests, map[string]any{"ok": false, "error": "ratelimited"})
		return
	}
	if code := s.faults.fail(r.method); code != "" {
		r.fail(code, nil)
		return
	}
	m, known := methods[r.method]
	if !known {
		r.fail("unknown_method", nil)
		return
	}
	if code := s.checkToken(r.token, m.token); code != "" {
		r.fail(code, nil)
		return
	}
	m.handle(s, r)
}

// readRequest takes the token and arguments from a form, query or JSON body.
func readRequest(hr *http.Request, r *request) error {
	if auth := hr.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		r.token = strings.TrimPrefix(auth, "Bearer ")
	}
	ctype, _, _ := mime.ParseMediaType(hr.Header.Get("Content-Type"))
	r.form = url.Values{}
	if ctype == "application/json" {
		body, err := io.ReadAll(io.LimitReader(hr.Body, maxBody))
		if err != nil {
			return err
		}
		if len(body) > 0 {
			r.json = body
			_ = json.Unmarshal(body, &r.obj) // a non-object body leaves obj nil
		}
		for k, vs := range hr.URL.Query() {
			r.form[k] = vs
		}
	} else {
		hr.Body = http.MaxBytesReader(nil, hr.Body, maxBody)
		if err := hr.ParseForm(); err != nil {
			return err
		}
		for k, vs := range hr.Form {
			r.form[k] = vs
		}
	}
	if r.token == "" {
		r.token = r.form.Get("token")
	}
	r.form.Del("token")
	return nil
}

// checkToken returns the error Slack would answer for this token, or "".
func (s *Server) checkToken(token string, want tokenKind) string {
	if token == "" {
		return "not_authed"
	}
	if code := s.faults.revokedError(token); code != "" {
		return code
	}
	expected, other := s.cfg.botToken, s.cfg.appToken
	if want == appToken {
		expected, other = other, expected
	}
	switch token {
	case expected:
		return ""
	case other:
		return "not_allowed_token_type"
	}
	return "invalid_auth"
}

func (s *Server) recordCall(r *request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rec.calls = append(s.rec.calls, Call{
		Method:     r.method,
		Token:      r.token,
		Form:       r.form,
		JSON:       r.json,
		Status:     r.status,
		SlackError: r.slackErr,
		At:         time.Now(),
	})
	s.notifyLocked()
}

// handleAuthTest answers auth.test for the bot token.
func (s *Server) handleAuthTest(r *request) {
	r.ok(map[string]any{
		"url":     "https://pulse-test.slack.com/",
		"team":    s.cfg.teamName,
		"user":    "pulse",
		"team_id": s.cfg.teamID,
		"user_id": DefaultBotUser,
		"bot_id":  DefaultBotID,
	})
}
