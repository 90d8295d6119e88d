package slacktest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/slack-go/slack"
)

// Call is one Web API request as the server saw it, including the ones it
// refused.
type Call struct {
	Method     string          // e.g. "chat.postMessage"; "response_url" for response URL posts
	Token      string          // the token presented, from the Authorization header or the token field
	Form       url.Values      // form or query fields (the token field removed)
	JSON       json.RawMessage // the body of a JSON request
	Status     int             // HTTP status answered: 200 or 429
	SlackError string          // the "error" answered when ok was false
	At         time.Time       // wall-clock time the request arrived
}

// Message is something that appeared (or changed) in a conversation: a post,
// an ephemeral, an update, a deletion, a reply through a response URL or a
// slash command's ack.
type Message struct {
	Channel        string // where it went; DMs are recorded under the D… channel (see dmChannel)
	TS             string // the message's ts; for an update or deletion, the message changed
	ThreadTS       string
	User           string // who sees an ephemeral message
	Text           string
	Blocks         json.RawMessage // the blocks as sent, nil when none
	Metadata       *slack.SlackMetadata
	Ephemeral      bool
	Updated        bool // chat.update or replace_original
	Deleted        bool // chat.delete or delete_original
	ViaResponseURL bool
	ViaAck         bool // the reply carried in a slash command's ack
}

// View is a modal or Home tab the app opened, updated, pushed or published.
type View struct {
	Method    string // views.open, views.update, views.push, views.publish, or response_action.update / response_action.push for a view_submission ack
	UserID    string // views.publish only
	ViewID    string
	TriggerID string
	View      json.RawMessage // the view as sent
}

// File is an upload the app completed with files.completeUploadExternal.
type File struct {
	ID             string
	Name           string
	Title          string
	Channel        string
	ThreadTS       string
	InitialComment string
	Bytes          []byte
}

// Ack is the app's acknowledgement of an envelope.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // nil when the ack carried none
	SentAt     time.Time       // when the envelope frame was written (zero if the server never sent that ID)
	AckedAt    time.Time       // when the ack was read
	Latency    time.Duration   // AckedAt - SentAt
}

// Violation is a Block Kit limit the app broke; the call was answered
// invalid_blocks (or msg_too_long for message text).
type Violation struct {
	Method  string // the Web API method, "response_url" or "ack"
	Pointer string // JSON pointer to the offending value, e.g. "/blocks/3/text/text"
	Rule    string // which limit, e.g. "section text"
	Limit   int
	Got     int    // the length or count found (0 for rules without one)
	Error   string // the message Slack-style, as answered in "errors"
}

type record struct {
	calls      []Call
	messages   []Message
	views      []View
	files      []File
	acks       []Ack
	acksByID   map[string][]int // envelope ID → its acks' places in acks
	violations []Violation
}

// Calls returns every Web API request so far, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rec.calls)
}

// CallsTo returns the requests to one method, oldest first.
func (s *Server) CallsTo(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.rec.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Messages returns what appeared in a channel, oldest first. For a direct
// message either the user ID or the D… channel ID may be given. An empty
// channel returns every message.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.rec.messages {
		if channel == "" || m.Channel == dmChannel(channel) {
			out = append(out, m)
		}
	}
	return out
}

// Views returns every view the app sent, oldest first.
func (s *Server) Views() []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rec.views)
}

// Files returns the completed uploads, oldest first.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rec.files)
}

// Acks returns every ack read so far, oldest first.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rec.acks)
}

// AcksFor returns the acks for one envelope ID: more than one when the
// envelope was redelivered and acked again.
func (s *Server) AcksFor(envelopeID string) []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Through the index: a benchmark waits on thousands of envelopes, and a
	// scan of every ack so far, under the lock acks are recorded with,
	// slowed the very acks it timed.
	var out []Ack
	for _, i := range s.rec.acksByID[envelopeID] {
		out = append(out, s.rec.acks[i])
	}
	return out
}

// WaitAck waits for the first ack of an envelope.
func (s *Server) WaitAck(ctx context.Context, envelopeID string) (Ack, error) {
	var got Ack
	err := s.WaitFor(ctx, func() bool {
		acks := s.AcksFor(envelopeID)
		if len(acks) == 0 {
			return false
		}
		got = acks[0]
		return true
	})
	if err != nil {
		return Ack{}, fmt.Errorf("slacktest: ack of %s: %w", envelopeID, err)
	}
	return got, nil
}

// Violations returns the Block Kit limits broken so far, oldest first.
func (s *Server) Violations() []Violation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rec.violations)
}
