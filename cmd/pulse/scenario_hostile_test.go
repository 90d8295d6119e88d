package main

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
)

// An English team whose digest time has passed: Ingrid's scheduled digest
// says nobody has checked in, and Ola's late check-in (a plan dense in
// characters Slack escapes) is added to it within Slack's limits. Hostile
// hands: Ola's check-in button forged for another team, a check-in
// submission forged to rewrite the channel's post, and Polska's manager
// asking for Ola; the director sees the managers' pulse; Kari's kudos in
// Polska stay out of Nordic's /pulse @kari.
func TestScenarioDigestLateCheckInAndHostileHands(t *testing.T) {
	sc := newScenario(t, scAdmin, []slack.User{
		{ID: scAdmin, Name: "admin", RealName: "Ada Admin", TZ: "UTC"},
		{ID: scIngrid, Name: "ingrid", RealName: "Ingrid Berg", TZ: "Europe/Oslo"},
		{ID: scOla, Name: "ola", RealName: "Ola Nordmann", TZ: "Europe/Oslo"},
		{ID: scKari, Name: "kari", RealName: "Kari Hansen", TZ: "Europe/Oslo"},
		{ID: scHelge, Name: "helge", RealName: "Helge Lund", TZ: "Europe/Oslo"},
		{ID: scPiotr, Name: "piotr", RealName: "Piotr Nowak", TZ: "Europe/Warsaw"},
		{ID: scMarta, Name: "marta", RealName: "Marta Wójcik", TZ: "Europe/Warsaw"},
	}, "C0SALES", "C0POLSKA")
	sc.setupTeam("Nordic", map[string]field{
		"Managers":    {Users: []string{scIngrid}},
		"Reps":        {Users: []string{scOla, scKari}},
		"Digest time": {Time: "00:01"},
		"Directors":   {Users: []string{scHelge}},
	})
	sc.setupTeam("Polska", map[string]field{
		"Managers":        {Users: []string{scPiotr}},
		"Reps":            {Users: []string{scMarta, scKari}},
		"Summary channel": {Channel: "C0POLSKA"},
	})
	sc.restart()

	digest := sc.messageWith(scIngrid, "No check-ins yet today")
	dense := strings.Repeat("<&>", 1000)
	dm := sc.checkInFromDM(scOla, map[string]field{
		"What happened yesterday": {Text: "Two demos"},
		"Your plan for today":     {Text: dense},
		"Your energy today":       {Pick: "3"},
	})
	late := sc.messageWith(scIngrid, "energy 3/5")
	if late.TS != digest.TS && late.ThreadTS != digest.TS {
		t.Fatalf("Ola's late check-in went to %q/%q, not into the digest %q", late.TS, late.ThreadTS, digest.TS)
	}

	// Ola's check-in button forged with Polska's team: he is not in it,
	// so no modal opens.
	views := sc.opened()
	sc.press(scOla, bot.ActionCheckIn, forgeButtonValues(t, dm, bot.ActionCheckIn, "t0000000001", "t0000000002"))
	sc.settle()
	if sc.opened() != views {
		t.Fatal("a check-in button forged for Polska opened a modal for Ola")
	}

	// An edit of his check-in whose metadata, in the old shape, names a
	// post in the team's channel: the post is not rewritten.
	var post string
	for _, m := range sc.s.Messages("C0SALES") {
		if !m.Ephemeral && m.TS != "" {
			post = m.TS
		}
	}
	if post == "" {
		sc.command(scOla, "kudos <@"+scKari+"|kari> thanks for the Bergen intro")
		post = sc.messageWith("C0SALES", "Bergen intro").TS
	}
	sc.command(scOla, "checkin")
	edit := sc.nextView()
	edit.PrivateMetadata += "|C0SALES|" + post
	sc.submitByLabel(scOla, edit, map[string]field{"Your plan for today": {Text: "Call Bergen"}})
	sc.settle()
	for _, m := range sc.s.Messages("C0SALES") {
		if m.Updated && m.TS == post {
			t.Fatalf("a forged check-in rewrote the channel's post to %q", m.Text)
		}
	}

	// Polska's manager may not read Ola; the director reads the managers'
	// pulse; Kari's kudos in Polska stay out of Ingrid's /pulse @kari.
	if got := readable(sc.command(scPiotr, "<@"+scOla+"|ola>")); strings.Contains(got, "Two demos") || strings.Contains(got, "Call Bergen") {
		t.Fatalf("Polska's manager read Ola's check-in:\n%s", got)
	}
	if got := readable(sc.command(scHelge, "")); !strings.Contains(got, "The managers' leadership pulse this week") {
		t.Errorf("the director's /pulse lacks the managers' pulse:\n%s", got)
	}
	sc.command(scMarta, "kudos <@"+scKari+"|kari> great call with Orlen Polska")
	sc.messageWith("C0POLSKA", "Orlen Polska")
	if got := readable(sc.command(scIngrid, "<@"+scKari+"|kari>")); strings.Contains(got, "Orlen Polska") {
		t.Errorf("Nordic's manager reads Kari's kudos from Polska:\n%s", got)
	}
	sc.slackWouldShowAll()
	sc.p.stopCleanly(t)
}
