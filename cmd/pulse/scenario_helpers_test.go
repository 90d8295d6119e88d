package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot/slacktest"
)

// scenario is one product story played against the real binary: the
// stand-in is Slack, the methods are what people do in it.
type scenario struct {
	e2eSlack
	p      *runningPulse
	dbPath string
	admin  string
	views  int      // views.open seen so far, to wait for the next one
	env    []string // pulse's environment beyond Slack's and the file's
}

// newScenario starts Slack with users and channels and pulse run with
// admin as its administrator.
func newScenario(t *testing.T, admin string, users []slack.User, channels ...string) *scenario {
	t.Helper()
	return newScenarioEnv(t, admin, nil, users, channels...)
}

// newScenarioEnv is newScenario with more of pulse's environment.
func newScenarioEnv(t *testing.T, admin string, env []string, users []slack.User, channels ...string) *scenario {
	t.Helper()
	zones := []string{"UTC", "Europe/Oslo"} // the admin's, and setupTeam's default
	for _, u := range users {
		zones = append(zones, u.TZ)
	}
	waitClearOfMidnight(t, zones...)
	s := slacktest.NewServer()
	t.Cleanup(s.Close)
	for _, u := range users {
		s.AddUser(u)
	}
	// Slash commands and the digest's buttons are used from #general.
	for _, c := range append([]string{"C0GENERAL"}, channels...) {
		s.AddChannel(c, strings.ToLower(c))
	}
	sc := &scenario{e2eSlack: e2eSlack{t: t, s: s}, dbPath: filepath.Join(t.TempDir(), "pulse.db"), admin: admin}
	sc.env = append([]string{"PULSE_ADMINS=" + admin}, env...)
	sc.p = startPulseRun(t, s, sc.dbPath, sc.env...)
	ctx, cancel := sc.ctx()
	defer cancel()
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatalf("pulse never connected: %v\n%s", err, sc.p.stderr.String())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("pulse's log:\n%s", sc.p.stderr.String())
		}
	})
	return sc
}

// restart stops pulse cleanly and starts it again on the same file; the
// engine's first tick runs at once.
func (sc *scenario) restart() {
	sc.t.Helper()
	sc.p.stopCleanly(sc.t)
	opened := sc.s.ConnectionsOpened()
	sc.p = startPulseRun(sc.t, sc.s, sc.dbPath, sc.env...)
	ctx, cancel := sc.ctx()
	defer cancel()
	if err := sc.s.WaitFor(ctx, func() bool { return sc.s.ConnectionsOpened() > opened && sc.s.Connections() > 0 }); err != nil {
		sc.t.Fatalf("pulse never reconnected: %v\n%s", err, sc.p.stderr.String())
	}
}

// nextView waits for the next modal pulse opens.
func (sc *scenario) nextView() slack.View {
	sc.t.Helper()
	sc.views++
	return sc.openedView(sc.views)
}

// field is what a person does to one input: the words they type, the
// option they pick (by its shown text or its value), the people or the
// channel they choose, the time they set.
type field struct {
	Text    string
	Pick    string
	Picks   []string
	Users   []string
	Channel string
	Time    string
}

// fillByLabel answers the view's inputs found by their labels as Slack
// would submit them: the state keyed by each input's block and action ID,
// shaped by its element's type. "Label#n" names the n-th input of a
// label that repeats. A label not in the view fails the test.
func (sc *scenario) fillByLabel(v slack.View, fields map[string]field) map[string]slack.BlockAction {
	sc.t.Helper()
	out := map[string]slack.BlockAction{}
	seen := map[string]bool{}
	nth := map[string]int{}
	for _, bl := range v.Blocks.BlockSet {
		in, ok := bl.(*slack.InputBlock)
		if !ok || in.Label == nil {
			continue
		}
		label := in.Label.Text
		nth[label]++
		key := fmt.Sprintf("%s#%d", label, nth[label])
		f, ok := fields[key]
		if !ok && nth[label] == 1 {
			key = label
			f, ok = fields[key]
		}
		if !ok {
			// Slack sends every input, the untouched ones as shown.
			if a, ok := initialAnswer(in); ok {
				out[in.BlockID] = a
			}
			continue
		}
		seen[key] = true
		out[in.BlockID] = sc.answer(in, f)
	}
	for label := range fields {
		if !seen[label] {
			var labels []string
			for _, bl := range v.Blocks.BlockSet {
				if in, ok := bl.(*slack.InputBlock); ok && in.Label != nil {
					labels = append(labels, in.Label.Text)
				}
			}
			sc.t.Fatalf("the %s modal has no input labelled %q; it has %q", v.CallbackID, label, labels)
		}
	}
	return out
}

func (sc *scenario) answer(in *slack.InputBlock, f field) slack.BlockAction {
	sc.t.Helper()
	pick := func(opts []*slack.OptionBlockObject, want string) slack.OptionBlockObject {
		for _, o := range opts {
			if o.Value == want || (o.Text != nil && o.Text.Text == want) {
				return slack.OptionBlockObject{Value: o.Value, Text: o.Text}
			}
		}
		sc.t.Fatalf("input %q has no option %q", in.Label.Text, want)
		return slack.OptionBlockObject{}
	}
	switch el := in.Element.(type) {
	case *slack.PlainTextInputBlockElement:
		return slack.BlockAction{ActionID: el.ActionID, Type: "plain_text_input", Value: f.Text}
	case *slack.NumberInputBlockElement:
		return slack.BlockAction{ActionID: el.ActionID, Type: "number_input", Value: f.Text}
	case *slack.RadioButtonsBlockElement:
		return slack.BlockAction{ActionID: el.ActionID, Type: "radio_buttons", SelectedOption: pick(el.Options, f.Pick)}
	case *slack.CheckboxGroupsBlockElement:
		a := slack.BlockAction{ActionID: el.ActionID, Type: "checkboxes"}
		for _, p := range f.Picks {
			a.SelectedOptions = append(a.SelectedOptions, pick(el.Options, p))
		}
		return a
	case *slack.TimePickerBlockElement:
		return slack.BlockAction{ActionID: el.ActionID, Type: "timepicker", SelectedTime: f.Time}
	case *slack.SelectBlockElement:
		a := slack.BlockAction{ActionID: el.ActionID, Type: slack.ActionType(el.Type)}
		switch el.Type {
		case slack.OptTypeConversations, slack.OptTypeChannels:
			a.SelectedConversation = f.Channel
		case slack.OptTypeExternal:
			a.SelectedOption = slack.OptionBlockObject{Value: f.Pick}
		default:
			opts := el.Options
			for _, g := range el.OptionGroups {
				opts = append(opts, g.Options...)
			}
			a.SelectedOption = pick(opts, f.Pick)
		}
		return a
	case *slack.MultiSelectBlockElement:
		a := slack.BlockAction{ActionID: el.ActionID, Type: slack.ActionType(el.Type)}
		switch el.Type {
		case slack.MultiOptTypeUser:
			a.SelectedUsers = f.Users
		default:
			for _, p := range f.Picks {
				a.SelectedOptions = append(a.SelectedOptions, pick(el.Options, p))
			}
		}
		return a
	}
	sc.t.Fatalf("input %q has an element of type %T the scenario cannot fill", in.Label.Text, in.Element)
	return slack.BlockAction{}
}

// submitByLabel fills the view by its labels and submits it as user,
// returning the ack's payload.
func (sc *scenario) submitByLabel(user string, v slack.View, fields map[string]field) string {
	sc.t.Helper()
	return sc.submit(user, v, sc.fillByLabel(v, fields))
}

// closed fails unless a submission's ack closed the modal (no errors, no
// update).
func (sc *scenario) closed(ack, what string) {
	sc.t.Helper()
	if ack != "" && ack != "null" && ack != "{}" {
		sc.t.Fatalf("%s answered %s; a good submission closes the modal", what, ack)
	}
}

// messagesWith returns every message to channel whose text or blocks hold
// want, updates included.
func (sc *scenario) messagesWith(channel, want string) []slacktest.Message {
	var out []slacktest.Message
	for _, m := range sc.s.Messages(channel) {
		if strings.Contains(m.Text, want) || strings.Contains(readable(string(m.Blocks)), want) {
			out = append(out, m)
		}
	}
	return out
}

// ackMessage turns an ephemeral slash command reply into a message whose
// buttons can be pressed.
func ackMessage(t *testing.T, ack string) slacktest.Message {
	t.Helper()
	var reply struct {
		Text   string          `json:"text"`
		Blocks json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(ack), &reply); err != nil {
		t.Fatalf("the reply is not JSON: %v\n%s", err, ack)
	}
	return slacktest.Message{Channel: "C0GENERAL", Text: reply.Text, Blocks: reply.Blocks}
}

// settle waits until the stand-in has seen no new call for a moment, so
// that what pulse does in the background has been done.
func (sc *scenario) settle() {
	sc.t.Helper()
	n := len(sc.s.Calls())
	for range 50 {
		time.Sleep(200 * time.Millisecond)
		m := len(sc.s.Calls())
		if m == n {
			return
		}
		n = m
	}
}

// slackWouldShowAll fails when Slack refused a message or view for its
// Block Kit limits, or when a new message was posted twice.
func (sc *scenario) slackWouldShowAll() {
	sc.t.Helper()
	sc.settle()
	for _, v := range sc.s.Violations() {
		sc.t.Errorf("Slack refused a %s: %s (%s: %d > %d)", v.Method, v.Error, v.Pointer, v.Got, v.Limit)
	}
	for _, c := range sc.s.Calls() {
		if c.SlackError != "" && c.SlackError != "ratelimited" {
			sc.t.Errorf("Slack answered %s with %s", c.Method, c.SlackError)
		}
	}
	posted := map[string]int{}
	for _, m := range sc.s.Messages("") {
		if m.Updated || m.Deleted || m.Ephemeral || m.ViaAck {
			continue
		}
		posted[fmt.Sprintf("%s|%s|%s|%s", m.Channel, m.ThreadTS, m.Text, m.Blocks)]++
	}
	for k, n := range posted {
		if n > 1 {
			sc.t.Errorf("posted %d times: %.300s", n, k)
		}
	}
}

// hasNone fails when text holds any of the words: English left in a
// message meant for another language, for one.
func hasNone(t *testing.T, what, text string, words ...string) {
	t.Helper()
	for _, w := range words {
		if strings.Contains(text, w) {
			t.Errorf("%s holds %q:\n%s", what, w, text)
		}
	}
}

// readable undoes JSON's HTML-safe escapes, so a payload reads as the
// mrkdwn Slack renders.
func readable(s string) string {
	return strings.NewReplacer(`\u0026`, "&", `\u003c`, "<", `\u003e`, ">").Replace(s)
}

// initialAnswer is an untouched input's state as Slack submits it: its
// initial value, option, people or channel.
func initialAnswer(in *slack.InputBlock) (slack.BlockAction, bool) {
	opt := func(o *slack.OptionBlockObject) slack.OptionBlockObject {
		if o == nil {
			return slack.OptionBlockObject{}
		}
		return slack.OptionBlockObject{Value: o.Value, Text: o.Text}
	}
	switch el := in.Element.(type) {
	case *slack.PlainTextInputBlockElement:
		return slack.BlockAction{ActionID: el.ActionID, Type: "plain_text_input", Value: el.InitialValue}, true
	case *slack.NumberInputBlockElement:
		return slack.BlockAction{ActionID: el.ActionID, Type: "number_input", Value: el.InitialValue}, true
	case *slack.RadioButtonsBlockElement:
		return slack.BlockAction{ActionID: el.ActionID, Type: "radio_buttons", SelectedOption: opt(el.InitialOption)}, true
	case *slack.CheckboxGroupsBlockElement:
		a := slack.BlockAction{ActionID: el.ActionID, Type: "checkboxes"}
		for _, o := range el.InitialOptions {
			a.SelectedOptions = append(a.SelectedOptions, opt(o))
		}
		return a, true
	case *slack.TimePickerBlockElement:
		return slack.BlockAction{ActionID: el.ActionID, Type: "timepicker", SelectedTime: el.InitialTime}, true
	case *slack.SelectBlockElement:
		return slack.BlockAction{ActionID: el.ActionID, Type: slack.ActionType(el.Type), SelectedOption: opt(el.InitialOption), SelectedConversation: el.InitialConversation}, true
	case *slack.MultiSelectBlockElement:
		return slack.BlockAction{ActionID: el.ActionID, Type: slack.ActionType(el.Type), SelectedUsers: el.InitialUsers}, true
	}
	return slack.BlockAction{}, false
}

// exportedFile waits for the first file pulse uploads and returns it.
func (sc *scenario) exportedFile() string {
	sc.t.Helper()
	ctx, cancel := sc.ctx()
	defer cancel()
	if err := sc.s.WaitFor(ctx, func() bool { return len(sc.s.Files()) > 0 }); err != nil {
		sc.t.Fatalf("no file was uploaded: %v", err)
	}
	return string(sc.s.Files()[0].Bytes)
}

// opened counts the modals opened so far.
func (sc *scenario) opened() int {
	n := 0
	for _, v := range sc.s.Views() {
		if v.Method == "views.open" {
			n++
		}
	}
	return n
}
