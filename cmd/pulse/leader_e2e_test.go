package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

// The leader's loop end to end on the real binary: a rep answers the
// check-in DM, the manager's /pulse digest shows it, Give feedback sends
// the rep the feedback in the thread of that DM, the rep's Reply reaches
// the manager, and after a restart the manager's leadership pulse counts
// the feedback.
func TestPulseRunFeedbackLoopAndLeadershipPulse(t *testing.T) {
	waitClearOfMidnight(t, "Europe/Oslo")
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
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p := startPulseRun(t, s, dbPath, "PULSE_ADMINS="+e2eAdmin)
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatalf("pulse never connected: %v\n%s", err, p.stderr.String())
	}

	// Every day a workday and the check-in at midnight: the check-in DM is
	// due whenever the test runs.
	e.command(e2eAdmin, "setup Nordic")
	everyDay := []slack.OptionBlockObject{}
	for d := range 7 {
		everyDay = append(everyDay, slack.OptionBlockObject{Value: string(rune('0' + d))})
	}
	e.submit(e2eAdmin, e.openedView(1), map[string]slack.BlockAction{
		"name":         {Value: "Nordic"},
		"managers":     {SelectedUsers: []string{e2eManager}},
		"reps":         {SelectedUsers: []string{e2eRep}},
		"channel":      {SelectedConversation: "C0SALES"},
		"tz":           {ActionID: "tz_search", SelectedOption: slack.OptionBlockObject{Value: "Europe/Oslo"}},
		"lang":         {SelectedOption: slack.OptionBlockObject{Value: "en"}},
		"checkin_time": {SelectedTime: "00:00"},
		"workdays":     {SelectedOptions: everyDay},
		"meeting_day":  {SelectedOption: slack.OptionBlockObject{Value: "1"}},
		"meeting_time": {SelectedTime: "10:00"},
		"summary_day":  {SelectedOption: slack.OptionBlockObject{Value: "5"}},
		"summary_time": {SelectedTime: "16:00"},
	})
	// A restart runs the engine's first tick at once: the check-in DM goes out.
	restart := func() {
		t.Helper()
		p.stopCleanly(t)
		opened := s.ConnectionsOpened()
		p = startPulseRun(t, s, dbPath, "PULSE_ADMINS="+e2eAdmin)
		if err := s.WaitFor(ctx, func() bool { return s.ConnectionsOpened() > opened && s.Connections() > 0 }); err != nil {
			t.Fatalf("pulse never reconnected: %v\n%s", err, p.stderr.String())
		}
	}
	restart()
	checkInDM := e.messageWith(e2eRep, bot.ActionCheckIn)
	e.press(e2eRep, bot.ActionCheckIn, checkInDM)
	e.submit(e2eRep, e.openedView(2), map[string]slack.BlockAction{
		"results": {Type: "plain_text_input", Value: "Two demos with Hansen"},
		"plan":    {Type: "plain_text_input", Value: "Call the Bergen leads"},
		"energy":  {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: "2"}},
	})

	// The manager's digest, on demand, holds the check-in with its buttons.
	ack := e.command(e2eManager, "digest")
	if !strings.Contains(ack, "Call the Bergen leads") || !strings.Contains(ack, "Give feedback") {
		t.Fatalf("/pulse digest lacks the check-in or its button:\n%s", ack)
	}
	var digest struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(ack), &digest); err != nil {
		t.Fatal(err)
	}
	e.press(e2eManager, bot.ActionGiveFeedback, slacktest.Message{Channel: "C0GENERAL", Blocks: digest.Blocks})
	fv := e.openedView(3)
	if fv.CallbackID != bot.ViewFeedback {
		t.Fatalf("Give feedback opened %s", fv.CallbackID)
	}
	e.submit(e2eManager, fv, map[string]slack.BlockAction{
		"kind":     {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: "coaching"}},
		"feedback": {Type: "plain_text_input", Value: "Open with the Hansen case tomorrow"},
	})

	// The rep reads it in the thread of their check-in DM, naming the manager.
	fb := e.messageWith(e2eRep, "Open with the Hansen case tomorrow")
	if fb.ThreadTS != checkInDM.TS || !strings.Contains(fb.Text, "<@"+e2eManager+">") {
		t.Fatalf("the feedback went to thread %q saying %q, want the check-in DM's thread %q naming the manager", fb.ThreadTS, fb.Text, checkInDM.TS)
	}
	e.press(e2eRep, bot.ActionFeedbackReply, fb)
	e.submit(e2eRep, e.openedView(4), map[string]slack.BlockAction{
		"reply": {Type: "plain_text_input", Value: "Will do, thanks"},
	})
	if back := e.messageWith(e2eManager, "Will do, thanks"); !strings.Contains(back.Text, "<@"+e2eRep+">") {
		t.Fatalf("the reply reached the manager without naming the rep: %q", back.Text)
	}

	// After a restart the leadership pulse counts the feedback.
	restart()
	status := e.command(e2eManager, "")
	for _, want := range []string{"Your leadership pulse this week", "(1 given)"} {
		if !strings.Contains(status, want) {
			t.Fatalf("after a restart the manager's /pulse lacks %q:\n%s", want, status)
		}
	}
	if rep := e.command(e2eRep, ""); strings.Contains(rep, "leadership pulse") {
		t.Fatalf("the rep's /pulse shows a leadership pulse:\n%s", rep)
	}
	p.stopCleanly(t)
}
