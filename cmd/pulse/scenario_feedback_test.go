package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

const (
	scAdmin  = "U0ADMIN01"
	scIngrid = "U0INGRID1" // manager of Nordic
	scOla    = "U0OLANOR1" // rep of Nordic, writes Norwegian
	scKari   = "U0KARINO1" // rep of Nordic, has not checked in
	scHelge  = "U0HELGE01" // director over Nordic
	scPiotr  = "U0PIOTR01" // manager of Polska
	scMarta  = "U0MARTA01" // rep of Polska
)

var everyDay = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// setupTeam runs /pulse setup as the admin and submits the modal filled by
// its labels: every day a workday and the check-in at midnight, so that a
// check-in is due whenever the scenario runs; fields overrides any label.
func (sc *scenario) setupTeam(name string, fields map[string]field) {
	sc.t.Helper()
	sc.command(sc.admin, "setup "+name)
	v := sc.nextView()
	if v.CallbackID != bot.ViewSetup {
		sc.t.Fatalf("/pulse setup opened %q", v.CallbackID)
	}
	all := map[string]field{
		"Team name":           {Text: name},
		"Summary channel":     {Channel: "C0SALES"},
		"Time zone":           {Pick: "Europe/Oslo"},
		"Language":            {Pick: "en"},
		"Check-in time":       {Time: "00:00"},
		"Workdays":            {Picks: everyDay},
		"Weekly meeting day":  {Pick: "Monday"},
		"Weekly meeting time": {Time: "10:00"},
		"Summary day":         {Pick: "Friday"},
		"Summary time":        {Time: "16:00"},
	}
	for k, f := range fields {
		all[k] = f
	}
	sc.closed(sc.submitByLabel(sc.admin, v, all), "the setup modal")
}

// checkInFromDM presses the check-in DM's button as rep and submits the
// modal by its labels; it returns the DM.
func (sc *scenario) checkInFromDM(rep string, fields map[string]field) slacktest.Message {
	sc.t.Helper()
	dm := sc.messageWith(rep, bot.ActionCheckIn)
	sc.press(rep, bot.ActionCheckIn, dm)
	v := sc.nextView()
	if v.CallbackID != bot.ViewCheckIn {
		sc.t.Fatalf("the check-in button opened %q", v.CallbackID)
	}
	sc.closed(sc.submitByLabel(rep, v, fields), "the check-in modal")
	return dm
}

// The leader's loop in Norwegian as the people would live it: the admin
// sets up Nordic (in Norwegian, with a digest time and a director) and
// Polska; Ola checks in from his DM; Ingrid's /pulse digest shows him and
// Kari as not checked in; her 👍 and her coaching reach Ola in his
// check-in's thread in Norwegian; Ola replies; the director may give
// feedback too; Polska's manager, Ola himself, and a forged button are
// refused; every message passes Slack's checks and none is sent twice.
func TestScenarioFeedbackLoopNorwegian(t *testing.T) {
	sc := newScenario(t, scAdmin, []slack.User{
		{ID: scAdmin, Name: "admin", RealName: "Ada Admin", TZ: "UTC"},
		{ID: scIngrid, Name: "ingrid", RealName: "Ingrid Berg", TZ: "Europe/Oslo", Locale: "nb-NO"},
		{ID: scOla, Name: "ola", RealName: "Ola Nordmann", TZ: "Europe/Oslo", Locale: "nb-NO"},
		{ID: scKari, Name: "kari", RealName: "Kari Hansen", TZ: "Europe/Oslo", Locale: "nb-NO"},
		{ID: scHelge, Name: "helge", RealName: "Helge Lund", TZ: "Europe/Oslo", Locale: "nb-NO"},
		{ID: scPiotr, Name: "piotr", RealName: "Piotr Nowak", TZ: "Europe/Warsaw", Locale: "pl-PL"},
		{ID: scMarta, Name: "marta", RealName: "Marta Wójcik", TZ: "Europe/Warsaw", Locale: "pl-PL"},
	}, "C0SALES", "C0POLSKA")

	sc.setupTeam("Nordic", map[string]field{
		"Managers":    {Users: []string{scIngrid}},
		"Reps":        {Users: []string{scOla, scKari}},
		"Language":    {Pick: "nb"},
		"Digest time": {Time: "23:59"},
		"Directors":   {Users: []string{scHelge}},
	})
	sc.setupTeam("Polska", map[string]field{
		"Managers":        {Users: []string{scPiotr}},
		"Reps":            {Users: []string{scMarta}},
		"Summary channel": {Channel: "C0POLSKA"},
		"Time zone":       {Pick: "Europe/Warsaw"},
		"Language":        {Pick: "pl"},
	})
	sc.restart() // the first tick sends the check-in DMs

	dm := sc.checkInFromDM(scOla, map[string]field{
		"Hva fikk du til i går?": {Text: "To demoer med Hansen & Co <ny kunde>"},
		"Planen din for i dag":   {Text: "Ringe leadsene i Bergen"},
		"Energien din i dag":     {Pick: "2"},
	})

	// Ingrid's digest: Ola's entry with its buttons, Kari not checked in,
	// all in Norwegian.
	ack := readable(sc.command(scIngrid, "digest"))
	for _, want := range []string{"Ringe leadsene i Bergen", "Hansen &amp; Co &lt;ny kunde&gt;", "Gi tilbakemelding", "<@" + scKari + ">"} {
		if !strings.Contains(ack, want) {
			t.Fatalf("Ingrid's /pulse digest lacks %q:\n%s", want, ack)
		}
	}
	hasNone(t, "Ingrid's digest", ack, "Give feedback", "Not checked in", "energy ")
	digest := ackMessage(t, sc.command(scIngrid, "digest"))

	// Polska's manager and Ola himself may not give Ola feedback.
	for _, who := range []string{scPiotr, scOla} {
		views := sc.opened()
		sc.press(who, bot.ActionGiveFeedback, digest)
		sc.settle()
		if sc.opened() != views {
			t.Fatalf("%s pressed Give feedback on Ola's check-in and got a modal", who)
		}
	}
	var refusals []slacktest.Message
	for _, m := range sc.s.Messages("C0GENERAL") {
		if m.Ephemeral && !m.ViaAck && (m.User == scPiotr || m.User == scOla) {
			refusals = append(refusals, m)
		}
	}
	if len(refusals) != 2 {
		t.Fatalf("Piotr and Ola got %d polite refusals, want one each: %+v", len(refusals), refusals)
	}
	for _, m := range refusals {
		if m.User == scPiotr {
			hasNone(t, "Piotr's refusal", m.Text, "Only", "managers")
		} else {
			hasNone(t, "Ola's refusal", m.Text, "Only", "managers")
		}
		t.Logf("refusal to %s: %s", m.User, m.Text)
	}

	// The quick 👍 reaches Ola in his check-in's thread, in Norwegian.
	sc.press(scIngrid, bot.ActionFeedbackAck, digest)
	thumbs := sc.messageWith(scOla, "👍")
	if thumbs.ThreadTS != dm.TS {
		t.Fatalf("the 👍 went to thread %q, want the check-in DM's %q", thumbs.ThreadTS, dm.TS)
	}
	hasNone(t, "the 👍", thumbs.Text+string(thumbs.Blocks), "read your check-in", "keep it up")

	// Give feedback: a "Tilbakemelding" modal with its kinds.
	sc.press(scIngrid, bot.ActionGiveFeedback, digest)
	fv := sc.nextView()
	if fv.CallbackID != bot.ViewFeedback {
		t.Fatalf("Give feedback opened %q", fv.CallbackID)
	}
	sc.closed(sc.submitByLabel(scIngrid, fv, map[string]field{
		"Type":           {Pick: "coaching"},
		"Tilbakemelding": {Text: "Åpne med Hansen-caset i morgen"},
	}), "the feedback modal")
	fb := sc.messageWith(scOla, "Åpne med Hansen-caset i morgen")
	if fb.ThreadTS != dm.TS || !strings.Contains(fb.Text+string(fb.Blocks), "<@"+scIngrid+">") {
		t.Fatalf("the feedback went to thread %q saying %q, want the check-in DM's thread %q naming Ingrid", fb.ThreadTS, fb.Text, dm.TS)
	}
	hasNone(t, "Ola's feedback", fb.Text+string(fb.Blocks), "Coaching from", "Reply\"")

	// Ola replies; Ingrid reads it naming him.
	sc.press(scOla, bot.ActionFeedbackReply, fb)
	rv := sc.nextView()
	sc.closed(sc.submitByLabel(scOla, rv, map[string]field{"Svar": {Text: "Skal bli, takk!"}}), "the reply modal")
	back := sc.messageWith(scIngrid, "Skal bli, takk!")
	if !strings.Contains(back.Text+string(back.Blocks), "<@"+scOla+">") {
		t.Fatalf("Ola's reply reached Ingrid without naming him: %q", back.Text)
	}

	// The director may give feedback like a manager.
	sc.press(scHelge, bot.ActionGiveFeedback, digest)
	hv := sc.nextView()
	sc.closed(sc.submitByLabel(scHelge, hv, map[string]field{
		"Type":           {Pick: "praise"},
		"Tilbakemelding": {Text: "Godt jobba med Hansen"},
	}), "the director's feedback modal")
	if m := sc.messageWith(scOla, "Godt jobba med Hansen"); m.ThreadTS != dm.TS {
		t.Fatalf("the director's feedback went to thread %q, want %q", m.ThreadTS, dm.TS)
	}

	// A forged Give feedback naming Polska's rep on Nordic's digest, by
	// Ingrid, opens nothing for Marta.
	forged := forgeButtonValues(t, digest, bot.ActionGiveFeedback, scOla, scMarta)
	views := len(sc.s.Views())
	sc.press(scIngrid, bot.ActionGiveFeedback, forged)
	sc.settle()
	for _, v := range sc.s.Views()[views:] {
		if strings.Contains(string(v.View), scMarta) {
			t.Fatalf("a forged button opened feedback on Marta for Ingrid: %s", v.View)
		}
	}

	// Ingrid's /pulse counts the feedback in her leadership pulse, in
	// Norwegian; Ola's does not show it.
	status := sc.command(scIngrid, "")
	if !strings.Contains(status, "lederpuls") {
		t.Fatalf("Ingrid's /pulse lacks her leadership pulse:\n%s", status)
	}
	if rep := sc.command(scOla, ""); strings.Contains(rep, "lederpuls") {
		t.Fatalf("Ola's /pulse shows a leadership pulse:\n%s", rep)
	}
	sc.slackWouldShowAll()
	sc.p.stopCleanly(t)
}

// forgeButtonValues rewrites every value of the actionID buttons on m,
// replacing from with to, as a hostile client would.
func forgeButtonValues(t *testing.T, m slacktest.Message, actionID, from, to string) slacktest.Message {
	t.Helper()
	var blocks slack.Blocks
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, bl := range blocks.BlockSet {
		if ab, ok := bl.(*slack.ActionBlock); ok {
			for _, el := range ab.Elements.ElementSet {
				if bt, ok := el.(*slack.ButtonBlockElement); ok && bt.ActionID == actionID && strings.Contains(bt.Value, from) {
					bt.Value = strings.ReplaceAll(bt.Value, from, to)
					n++
				}
			}
		}
	}
	if n == 0 {
		t.Fatalf("no %s button on the message names %s", actionID, from)
	}
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	m.Blocks = raw
	return m
}
