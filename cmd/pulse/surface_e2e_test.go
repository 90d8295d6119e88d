package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

const (
	e2eAdmin   = "U0ADMIN01"
	e2eManager = "U0MANAGER"
	e2eRep     = "U0REPONE1"
)

// e2eSlack drives the stand-in the way people in Slack would.
type e2eSlack struct {
	t *testing.T
	s *slacktest.Server
}

func (e e2eSlack) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 15*time.Second)
}

// command sends /pulse text from user and returns the ack's payload.
func (e e2eSlack) command(user, text string) string {
	e.t.Helper()
	ctx, cancel := e.ctx()
	defer cancel()
	id, err := e.s.SendSlashCommand(ctx, slack.SlashCommand{Command: "/pulse", Text: text, UserID: user, ChannelID: "C0GENERAL"})
	if err != nil {
		e.t.Fatal(err)
	}
	a, err := e.s.WaitAck(ctx, id)
	if err != nil {
		e.t.Fatalf("/pulse %s: %v", text, err)
	}
	return string(a.Payload)
}

// openedView waits for the n-th views.open and returns the view.
func (e e2eSlack) openedView(n int) slack.View {
	e.t.Helper()
	ctx, cancel := e.ctx()
	defer cancel()
	var raw json.RawMessage
	err := e.s.WaitFor(ctx, func() bool {
		seen := 0
		for _, v := range e.s.Views() {
			if v.Method == "views.open" {
				if seen++; seen == n {
					raw = v.View
					return true
				}
			}
		}
		return false
	})
	if err != nil {
		e.t.Fatalf("views.open #%d never came: %v", n, err)
	}
	var v slack.View
	if err := json.Unmarshal(raw, &v); err != nil {
		e.t.Fatal(err)
	}
	return v
}

// submit sends the view as submitted by user with the given values (block
// ID → the element's value) and returns the ack's payload.
func (e e2eSlack) submit(user string, v slack.View, values map[string]slack.BlockAction) string {
	e.t.Helper()
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{}}
	for block, val := range values {
		if val.ActionID == "" {
			val.ActionID = block
		}
		st.Values[block] = map[string]slack.BlockAction{val.ActionID: val}
	}
	v.State = st
	ctx, cancel := e.ctx()
	defer cancel()
	id, err := e.s.SendInteraction(ctx, slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: user}, View: v})
	if err != nil {
		e.t.Fatal(err)
	}
	a, err := e.s.WaitAck(ctx, id)
	if err != nil {
		e.t.Fatalf("submit %s: %v", v.CallbackID, err)
	}
	return string(a.Payload)
}

// messageWith waits for a message to channel (a user ID for a DM) whose
// text or blocks contain want.
func (e e2eSlack) messageWith(channel, want string) slacktest.Message {
	e.t.Helper()
	ctx, cancel := e.ctx()
	defer cancel()
	var found slacktest.Message
	err := e.s.WaitFor(ctx, func() bool {
		for _, m := range e.s.Messages(channel) {
			if strings.Contains(m.Text, want) || strings.Contains(readable(string(m.Blocks)), want) {
				found = m
				return true
			}
		}
		return false
	})
	if err != nil {
		e.t.Fatalf("no message to %s with %q: %v", channel, want, err)
	}
	return found
}

// press clicks the button actionID on message m as user.
func (e e2eSlack) press(user, actionID string, m slacktest.Message) {
	e.t.Helper()
	var blocks slack.Blocks
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		e.t.Fatal(err)
	}
	var action *slack.BlockAction
	for _, bl := range blocks.BlockSet {
		if ab, ok := bl.(*slack.ActionBlock); ok {
			for _, el := range ab.Elements.ElementSet {
				if bt, ok := el.(*slack.ButtonBlockElement); ok && bt.ActionID == actionID {
					action = &slack.BlockAction{ActionID: actionID, BlockID: ab.BlockID, Value: bt.Value, Type: "button"}
				}
			}
		}
	}
	if action == nil {
		e.t.Fatalf("message %s has no %s button", m.TS, actionID)
	}
	msg := slack.Message{Msg: slack.Msg{Channel: m.Channel, Timestamp: m.TS, Text: m.Text, Blocks: blocks}}
	ctx, cancel := e.ctx()
	defer cancel()
	id, err := e.s.SendInteraction(ctx, slack.InteractionCallback{
		Type:           slack.InteractionTypeBlockActions,
		User:           slack.User{ID: user},
		Channel:        slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: m.Channel}}},
		Container:      slack.Container{Type: "message", ChannelID: m.Channel, MessageTs: m.TS},
		Message:        msg,
		ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{action}},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.s.WaitAck(ctx, id); err != nil {
		e.t.Fatalf("press %s: %v", actionID, err)
	}
}

// stopCleanly sends SIGTERM and expects a clean exit.
func (p *runningPulse) stopCleanly(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("pulse exited with %v after SIGTERM\n%s", err, p.stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("pulse did not stop after SIGTERM\n%s", p.stderr.String())
	}
}

// The Slack surface end to end on the real binary: an admin sets up a team
// through the modal, a rep checks in with a blocker, the manager's /pulse
// shows both, the manager is alerted and presses Resolved, and after a
// restart all of it is still there.
func TestPulseRunSetupCheckInBlockerAndRestart(t *testing.T) {
	s := slacktest.NewServer()
	defer s.Close()
	for _, u := range []slack.User{
		{ID: e2eAdmin, Name: "admin", RealName: "Ada Admin", TZ: "UTC"},
		{ID: e2eManager, Name: "ingrid", RealName: "Ingrid Berg", TZ: "Europe/Oslo"},
		{ID: e2eRep, Name: "ola", RealName: "Ola Nordmann", TZ: "Europe/Oslo"},
	} {
		s.AddUser(u)
	}
	s.AddChannel("C0SALES", "sales")
	e := e2eSlack{t: t, s: s}
	dbPath := filepath.Join(t.TempDir(), "pulse.db")
	p := startPulseRun(t, s, dbPath, "PULSE_ADMINS="+e2eAdmin)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatalf("pulse never connected: %v\n%s", err, p.stderr.String())
	}

	// The admin sets up the team; every day is a workday, so a check-in is
	// due whatever day the test runs.
	if got := e.command(e2eAdmin, "setup Nordic"); got != "" && got != "null" {
		t.Fatalf("/pulse setup answered %s; it should open the modal", got)
	}
	setup := e.openedView(1)
	everyDay := []slack.OptionBlockObject{}
	for d := range 7 {
		everyDay = append(everyDay, slack.OptionBlockObject{Value: string(rune('0' + d))})
	}
	if got := e.submit(e2eAdmin, setup, map[string]slack.BlockAction{
		"name":         {Value: "Nordic"},
		"managers":     {SelectedUsers: []string{e2eManager}},
		"reps":         {SelectedUsers: []string{e2eRep}},
		"channel":      {SelectedConversation: "C0SALES"},
		"tz":           {ActionID: "tz_search", SelectedOption: slack.OptionBlockObject{Value: "Europe/Oslo"}},
		"lang":         {SelectedOption: slack.OptionBlockObject{Value: "en"}},
		"checkin_time": {SelectedTime: "09:00"},
		"workdays":     {SelectedOptions: everyDay},
		"meeting_day":  {SelectedOption: slack.OptionBlockObject{Value: "1"}},
		"meeting_time": {SelectedTime: "10:00"},
		"summary_day":  {SelectedOption: slack.OptionBlockObject{Value: "5"}},
		"summary_time": {SelectedTime: "16:00"},
		"metrics":      {Value: "calls: Calls = 100"},
	}); got != "" && got != "null" {
		t.Fatalf("the setup modal answered %s; a good submission closes it", got)
	}

	// The rep checks in with a blocker.
	if got := e.command(e2eRep, "checkin"); got != "" && got != "null" {
		t.Fatalf("/pulse checkin answered %s; it should open the modal", got)
	}
	checkin := e.openedView(2)
	if got := e.submit(e2eRep, checkin, map[string]slack.BlockAction{
		"results":      {Type: "plain_text_input", Value: "Two demos with Hansen"},
		"plan":         {Type: "plain_text_input", Value: "Call the Bergen leads"},
		"blocker":      {Type: "plain_text_input", Value: "No demo licence"},
		"energy":       {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: "4"}},
		"metric_calls": {Type: "number_input", Value: "12"},
	}); got != "" && got != "null" {
		t.Fatalf("the check-in modal answered %s; a good submission closes it", got)
	}

	// The manager's /pulse shows the check-in and the open blocker.
	status := e.command(e2eManager, "")
	for _, want := range []string{"1 of 1", "No demo licence"} {
		if !strings.Contains(status, want) {
			t.Fatalf("the manager's /pulse lacks %q:\n%s", want, status)
		}
	}

	// The manager is alerted at once and resolves it; the rep is told.
	alert := e.messageWith(e2eManager, bot.ActionBlockerResolved)
	if !strings.Contains(alert.Text+string(alert.Blocks), "No demo licence") {
		t.Fatalf("the alert does not say what the blocker is: %s", alert.Blocks)
	}
	e.press(e2eManager, bot.ActionBlockerResolved, alert)
	e.messageWith(e2eRep, "resolved")

	// After a restart everything is still there: the team, the check-in,
	// and the blocker, now resolved.
	p.stopCleanly(t)
	opened := s.ConnectionsOpened()
	p = startPulseRun(t, s, dbPath, "PULSE_ADMINS="+e2eAdmin)
	if err := s.WaitFor(ctx, func() bool { return s.ConnectionsOpened() > opened && s.Connections() > 0 }); err != nil {
		t.Fatalf("pulse never reconnected after the restart: %v\n%s", err, p.stderr.String())
	}
	status = e.command(e2eManager, "")
	if !strings.Contains(status, "1 of 1") || !strings.Contains(status, "Team Nordic") {
		t.Fatalf("after a restart the manager's /pulse lost the team or the check-in:\n%s", status)
	}
	if strings.Contains(status, "No demo licence") {
		t.Fatalf("after a restart the resolved blocker shows as open:\n%s", status)
	}
	p.stopCleanly(t)
}
