package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

// deliverTwice sends an interaction and, once it is acked, the same
// envelope again as Slack's retry; it returns the first ack's payload
// after both acks.
func (sc *scenario) deliverTwice(cb slack.InteractionCallback) string {
	sc.t.Helper()
	if cb.Team.ID == "" {
		cb.Team.ID = sc.s.TeamID()
	}
	cb.APIAppID = sc.s.AppID()
	cb.TriggerID = sc.s.NewTriggerID()
	payload, err := json.Marshal(&cb)
	if err != nil {
		sc.t.Fatal(err)
	}
	return sc.envelopeTwice(slacktest.Envelope{Type: "interactive", Payload: payload, AcceptsResponsePayload: cb.Type == slack.InteractionTypeViewSubmission})
}

func (sc *scenario) envelopeTwice(env slacktest.Envelope) string {
	sc.t.Helper()
	ctx, cancel := sc.ctx()
	defer cancel()
	env.EnvelopeID = sc.s.NewEnvelopeID()
	if err := sc.s.SendEnvelope(ctx, env); err != nil {
		sc.t.Fatal(err)
	}
	first, err := sc.s.WaitAck(ctx, env.EnvelopeID)
	if err != nil {
		sc.t.Fatal(err)
	}
	env.RetryAttempt, env.RetryReason = 1, "timeout"
	if err := sc.s.SendEnvelope(ctx, env); err != nil {
		sc.t.Fatal(err)
	}
	if err := sc.s.WaitFor(ctx, func() bool { return len(sc.s.AcksFor(env.EnvelopeID)) >= 2 }); err != nil {
		sc.t.Fatalf("the retry of %s was never acked: %v", env.EnvelopeID, err)
	}
	return string(first.Payload)
}

// submitTwice submits a view filled by its labels, delivered twice.
func (sc *scenario) submitTwice(user string, v slack.View, fields map[string]field) string {
	sc.t.Helper()
	values := sc.fillByLabel(v, fields)
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{}}
	for block, val := range values {
		st.Values[block] = map[string]slack.BlockAction{val.ActionID: val}
	}
	v.State = st
	return sc.deliverTwice(slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: user}, View: v})
}

// pressTwice presses a button on m, the press delivered twice.
func (sc *scenario) pressTwice(user, actionID string, m slacktest.Message) {
	sc.t.Helper()
	var blocks slack.Blocks
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		sc.t.Fatal(err)
	}
	for _, bl := range blocks.BlockSet {
		ab, ok := bl.(*slack.ActionBlock)
		if !ok {
			continue
		}
		for _, el := range ab.Elements.ElementSet {
			if bt, ok := el.(*slack.ButtonBlockElement); ok && bt.ActionID == actionID {
				sc.deliverTwice(slack.InteractionCallback{
					Type:           slack.InteractionTypeBlockActions,
					User:           slack.User{ID: user},
					Channel:        slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: m.Channel}}},
					Container:      slack.Container{Type: "message", ChannelID: m.Channel, MessageTs: m.TS},
					Message:        slack.Message{Msg: slack.Msg{Channel: m.Channel, Timestamp: m.TS, Text: m.Text, Blocks: blocks}},
					ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{{ActionID: actionID, BlockID: ab.BlockID, Value: bt.Value, Type: "button"}}},
				})
				return
			}
		}
	}
	sc.t.Fatalf("message %s has no %s button", m.TS, actionID)
}

// Slack delivers the Polish team's presses and submissions twice, as it
// does when an ack is late: the 👍, the feedback, the reply and a kudos
// each reach their reader once, in Polish. An admin then opens the setup
// of the team and saves it untouched: nothing changes.
func TestScenarioRetriesPolishAndUntouchedSetup(t *testing.T) {
	sc := newScenario(t, scAdmin, []slack.User{
		{ID: scAdmin, Name: "admin", RealName: "Ada Admin", TZ: "UTC"},
		{ID: scAnna, Name: "anna", RealName: "Anna Kowalska", TZ: "Europe/Warsaw", Locale: "pl-PL"},
		{ID: scJan, Name: "jan", RealName: "Jan Nowak", TZ: "Europe/Warsaw", Locale: "pl-PL"},
		{ID: scMarta, Name: "marta", RealName: "Marta Wójcik", TZ: "Europe/Warsaw", Locale: "pl-PL"},
		{ID: scHelge, Name: "helge", RealName: "Helge Lund", TZ: "Europe/Oslo", Locale: "nb-NO"},
	}, "C0SALES")
	sc.setupTeam("Gdańsk & Sopot", map[string]field{
		"Managers":                         {Users: []string{scAnna}},
		"Reps":                             {Users: []string{scJan, scMarta}},
		"Time zone":                        {Pick: "Europe/Warsaw"},
		"Language":                         {Pick: "pl"},
		"Check-in mode":                    {Pick: "both"},
		"End-of-day time":                  {Time: "23:59"},
		"Digest time":                      {Time: "23:58"},
		"Directors":                        {Users: []string{scHelge}},
		"Holidays":                         {Pick: "PL"},
		"Extra days off":                   {Text: "2027-01-02"},
		"Metrics":                          {Text: "calls: Telefony = 40"},
		"Feedback interval (workdays)":     {Text: "4"},
		"Feedback target (per rep a week)": {Text: "3"},
	})
	sc.restart()
	dm := sc.checkInFromDM(scJan, map[string]field{
		"Twój plan na dziś":  {Text: "Zadzwonić do PKO"},
		"Twoja energia dziś": {Pick: "3"},
		"Telefony":           {Text: "12"},
	})
	digest := ackMessage(t, sc.command(scAnna, "digest"))

	sc.pressTwice(scAnna, bot.ActionFeedbackAck, digest)
	sc.pressTwice(scAnna, bot.ActionGiveFeedback, digest)
	fv := sc.nextView()
	sc.settle()
	if sc.opened() != sc.views {
		t.Fatalf("one press of Give feedback, delivered twice, opened %d modals", sc.opened()-sc.views+1)
	}
	sc.closed(sc.submitTwice(scAnna, fv, map[string]field{
		"Rodzaj":             {Pick: "Pochwała"},
		"Informacja zwrotna": {Text: "Świetna rozmowa z PKO"},
	}), "the feedback modal")
	fb := sc.messageWith(scJan, "Świetna rozmowa z PKO")
	if fb.ThreadTS != dm.TS {
		t.Fatalf("the feedback went to thread %q, want %q", fb.ThreadTS, dm.TS)
	}
	sc.pressTwice(scJan, bot.ActionFeedbackReply, fb)
	rv := sc.nextView()
	sc.closed(sc.submitTwice(scJan, rv, map[string]field{"Odpowiedź": {Text: "Dziękuję!"}}), "the reply modal")
	sc.messageWith(scAnna, "Dziękuję!")

	sc.envelopeTwice(slashEnvelope(t, slack.SlashCommand{Command: "/pulse", Text: "kudos <@" + scMarta + "|marta> pomoc przy PKO", UserID: scJan, ChannelID: "C0GENERAL"}))
	sc.settle()
	for what, got := range map[string]int{
		"feedback": len(sc.messagesWith(scJan, "Świetna rozmowa z PKO")),
		"reply":    len(sc.messagesWith(scAnna, "Dziękuję!")),
		"kudos":    len(sc.messagesWith("C0SALES", "pomoc przy PKO")),
	} {
		if got != 1 {
			t.Errorf("the %s, delivered twice, was posted %d times", what, got)
		}
	}
	thumbs := 0
	for _, m := range sc.s.Messages(scJan) {
		if m.ThreadTS == dm.TS && strings.Contains(m.Text+string(m.Blocks), "👍") {
			thumbs++
		}
	}
	if thumbs != 1 {
		t.Errorf("the 👍, pressed once and delivered twice, reached Jan %d times", thumbs)
	}

	// Saved untouched, the setup keeps every field.
	sc.command(scAdmin, "setup Gdańsk &amp; Sopot")
	before := sc.nextView()
	sc.closed(sc.submitByLabel(scAdmin, before, nil), "the untouched setup")
	sc.command(scAdmin, "setup Gdańsk &amp; Sopot")
	after := sc.nextView()
	b1, _ := json.Marshal(before.Blocks)
	b2, _ := json.Marshal(after.Blocks)
	if string(b1) != string(b2) {
		t.Errorf("saving the setup untouched changed it:\nbefore %s\nafter  %s", b1, b2)
	}
	for _, want := range []string{"23:58", scHelge, "PL", "2027-01-02", "Telefony", `"4"`, `"3"`, "both"} {
		if !strings.Contains(string(b2), want) {
			t.Errorf("the reopened setup lost %q:\n%s", want, b2)
		}
	}
	sc.slackWouldShowAll()
	sc.p.stopCleanly(t)
}

// slashEnvelope wraps a slash command as Slack sends it.
func slashEnvelope(t *testing.T, cmd slack.SlashCommand) slacktest.Envelope {
	t.Helper()
	payload, err := json.Marshal(map[string]string{"command": cmd.Command, "text": cmd.Text, "user_id": cmd.UserID, "channel_id": cmd.ChannelID, "trigger_id": "1.2.slacktest"})
	if err != nil {
		t.Fatal(err)
	}
	return slacktest.Envelope{Type: "slash_commands", Payload: payload, AcceptsResponsePayload: true}
}
