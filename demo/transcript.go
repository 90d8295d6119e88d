package demo

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
)

// Kind says what a transcript entry is.
type Kind string

// The kinds of entry: what the bot made appear, and what people did.
const (
	KindDM        Kind = "dm"        // a direct message from the bot
	KindChannel   Kind = "channel"   // a post in a channel
	KindEphemeral Kind = "ephemeral" // an answer only one person sees
	KindUpdate    Kind = "update"    // a message the bot changed
	KindDelete    Kind = "delete"    // a message the bot removed
	KindModal     Kind = "modal"     // a modal opened, updated or pushed
	KindHome      Kind = "home"      // an App Home tab published
	KindFile      Kind = "file"      // an upload shared in a conversation
	KindErrors    Kind = "errors"    // inline errors under a modal's inputs
	KindAction    Kind = "action"    // something a person did
)

// Person is someone in the simulated workspace.
type Person struct {
	ID   string
	Name string
	TZ   string // IANA zone
}

// City names the person's zone the way people say it ("New York").
func (p Person) City() string {
	_, city, _ := strings.Cut(p.TZ, "/")
	if i := strings.LastIndexByte(city, '/'); i >= 0 {
		city = city[i+1:]
	}
	return strings.ReplaceAll(city, "_", " ")
}

// File is an upload shown in a transcript.
type File struct {
	Name  string
	Title string
	Bytes []byte
	Path  string // where the demo wrote it, relative to the transcript
}

// Entry is one thing that happened, with the simulated time it happened at.
type Entry struct {
	At      time.Time
	Kind    Kind
	Channel string // conversation ID: C… or D…
	TS      string
	// To is the user who saw it: the DM's recipient, the ephemeral's
	// viewer, the modal's user, the person who acted. Empty for a channel.
	To     string
	Text   string
	Blocks []Block
	View   *View
	File   *File
	// Errors are a modal's inline errors by block ID.
	Errors map[string]string
	// Action is what a person did, in words, for KindAction.
	Action string
	// Job is the cadence job a scheduled message delivered, read from
	// its message metadata; empty for everything else.
	Job pulse.JobKind
}

// Transcript is a simulated week as the people in it saw it.
type Transcript struct {
	Zone     *time.Location // the team's zone: the one day headers follow
	People   map[string]Person
	Channels map[string]string // channel ID → name
	Entries  []Entry
	// Lang is the language the transcript narrates in: its headers, times
	// and day names. English when empty.
	Lang pulse.Lang
	// Dashboard is the web dashboard's team page, relative to the
	// transcript's folder, linked from its header; empty when none.
	Dashboard string
}

// Name returns a user's name, or "" for an unknown ID.
func (t *Transcript) Name(id string) string {
	if p, ok := t.People[id]; ok {
		return p.Name
	}
	if n, ok := t.Channels[id]; ok {
		return n
	}
	return ""
}

// nameOr returns the user's name, else the ID itself.
func (t *Transcript) nameOr(id string) string {
	if n := t.Name(id); n != "" {
		return n
	}
	return id
}

// userOfDM returns the user whose DM channel D… is, as the stand-in names
// them (D123 is the DM with U123).
func userOfDM(channel string) string {
	if strings.HasPrefix(channel, "D") {
		return "U" + channel[1:]
	}
	return ""
}

// Where says where an entry appeared and who saw it, as a header reads:
// "DM to Ingrid Berg (Oslo 09:00)", "#sales-nordics", "only Ola sees".
func (t *Transcript) Where(e *Entry) string {
	local := func(user string) string {
		p, ok := t.People[user]
		if !ok {
			return ""
		}
		loc, err := time.LoadLocation(p.TZ)
		if err != nil {
			return ""
		}
		clock := t.clock(e.At.In(loc))
		if key, ok := localKeys[p.TZ]; ok {
			return " " + t.say(key, map[string]any{"Time": clock})
		}
		return fmt.Sprintf(" (%s %s)", p.City(), clock)
	}
	name := func(user string) map[string]any { return map[string]any{"Name": t.nameOr(user)} }
	conv := func() string {
		if u := userOfDM(e.Channel); u != "" {
			return t.say("where_dm", name(u)) + local(u)
		}
		return "#" + t.nameOr(e.Channel)
	}
	where := func() map[string]any { return map[string]any{"Where": conv()} }
	switch e.Kind {
	case KindDM:
		return conv()
	case KindChannel:
		return conv()
	case KindEphemeral:
		return t.say("where_only", name(e.To)) + local(e.To)
	case KindUpdate:
		return t.say("where_edited", where())
	case KindDelete:
		return t.say("where_removed", where())
	case KindModal:
		return t.say("where_modal", name(e.To))
	case KindHome:
		return t.say("where_home", name(e.To))
	case KindFile:
		if e.TS != "" {
			return t.say("where_file_thread", where())
		}
		return t.say("where_file", where())
	case KindErrors:
		return t.say("where_refused", name(e.To))
	case KindAction:
		return t.nameOr(e.To) + local(e.To)
	}
	return string(e.Kind)
}

// recorder turns what the stand-in recorded into entries: at each step of
// the week it takes the records that are new since the last step and stamps
// them with the simulated time.
type recorder struct {
	srv *slacktest.Server
	tr  *Transcript

	messages, views, files, acks int
	// pending names the person behind each view_submission sent, so
	// inline errors in its ack are shown under their modal.
	pending map[string]string // envelope ID → user
}

func newRecorder(srv *slacktest.Server, tr *Transcript) *recorder {
	return &recorder{srv: srv, tr: tr, pending: map[string]string{}}
}

// act records what a person did.
func (r *recorder) act(at time.Time, user, what string) {
	r.tr.Entries = append(r.tr.Entries, Entry{At: at, Kind: KindAction, To: user, Action: what})
}

// collect appends the records new since the last call. actor is who
// caused them (the person who pressed, typed or submitted), for the modals
// they saw; empty for the engine's own sends.
func (r *recorder) collect(at time.Time, actor string) {
	views := r.srv.Views()
	for _, v := range views[min(r.views, len(views)):] {
		e := Entry{At: at, Kind: KindModal, To: actor}
		if v.Method == "views.publish" {
			e.Kind, e.To = KindHome, v.UserID
		}
		if pv, ok := ParseView(v.View); ok {
			e.View = &pv
			e.Blocks = pv.Blocks
		}
		r.tr.Entries = append(r.tr.Entries, e)
	}
	r.views = len(views)

	msgs := r.srv.Messages("")
	for _, m := range msgs[min(r.messages, len(msgs)):] {
		e := Entry{At: at, Channel: m.Channel, TS: m.TS, Text: m.Text, Blocks: ParseBlocks(m.Blocks)}
		switch {
		case m.Deleted:
			e.Kind = KindDelete
		case m.Updated:
			e.Kind = KindUpdate
		case m.Ephemeral:
			e.Kind, e.To = KindEphemeral, m.User
		case userOfDM(m.Channel) != "":
			e.Kind, e.To = KindDM, userOfDM(m.Channel)
		default:
			e.Kind = KindChannel
		}
		if e.To == "" {
			e.To = userOfDM(m.Channel)
		}
		if md := m.Metadata; md != nil && md.EventType == pulse.MetadataEventType {
			if s, ok := md.EventPayload[pulse.MetadataJobField].(string); ok {
				if k, ok := pulse.ParseJobKey(s); ok {
					e.Job = k.Kind
				}
			}
		}
		r.tr.Entries = append(r.tr.Entries, e)
	}
	r.messages = len(msgs)

	files := r.srv.Files()
	for _, f := range files[min(r.files, len(files)):] {
		e := Entry{At: at, Kind: KindFile, Channel: f.Channel, TS: f.ThreadTS, Text: f.InitialComment,
			File: &File{Name: f.Name, Title: f.Title, Bytes: f.Bytes}}
		r.tr.Entries = append(r.tr.Entries, e)
	}
	r.files = len(files)

	acks := r.srv.Acks()
	for _, a := range acks[min(r.acks, len(acks)):] {
		user, ok := r.pending[a.EnvelopeID]
		if !ok || len(a.Payload) == 0 {
			continue
		}
		delete(r.pending, a.EnvelopeID)
		var resp struct {
			ResponseAction string            `json:"response_action"`
			Errors         map[string]string `json:"errors"`
		}
		if json.Unmarshal(a.Payload, &resp) == nil && resp.ResponseAction == "errors" {
			r.tr.Entries = append(r.tr.Entries, Entry{At: at, Kind: KindErrors, To: user, Errors: resp.Errors})
		}
	}
	r.acks = len(acks)
}
