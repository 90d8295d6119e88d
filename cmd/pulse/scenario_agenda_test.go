package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
)

// Ingrid presses Add to 1:1 on Ola's digest entry and writes an item; her
// /pulse 1on1 @ola shows it; Polska's manager, pressing the same button,
// adds nothing to Ola's agenda.
func TestScenarioAgendaFromTheDigest(t *testing.T) {
	sc := newScenario(t, scAdmin, []slack.User{
		{ID: scAdmin, Name: "admin", RealName: "Ada Admin", TZ: "UTC"},
		{ID: scIngrid, Name: "ingrid", RealName: "Ingrid Berg", TZ: "Europe/Oslo"},
		{ID: scOla, Name: "ola", RealName: "Ola Nordmann", TZ: "Europe/Oslo"},
		{ID: scPiotr, Name: "piotr", RealName: "Piotr Nowak", TZ: "Europe/Warsaw"},
		{ID: scMarta, Name: "marta", RealName: "Marta Wójcik", TZ: "Europe/Warsaw"},
	}, "C0SALES", "C0POLSKA")
	sc.setupTeam("Nordic", map[string]field{
		"Managers": {Users: []string{scIngrid}},
		"Reps":     {Users: []string{scOla}},
	})
	sc.setupTeam("Polska", map[string]field{
		"Managers":        {Users: []string{scPiotr}},
		"Reps":            {Users: []string{scMarta}},
		"Summary channel": {Channel: "C0POLSKA"},
	})
	sc.restart()
	sc.checkInFromDM(scOla, map[string]field{
		"Your plan for today": {Text: "Call Bergen"},
		"Your energy today":   {Pick: "3"},
	})
	digest := ackMessage(t, sc.command(scIngrid, "digest"))

	views := sc.opened()
	sc.press(scPiotr, bot.ActionAgendaAdd, digest)
	sc.settle()
	if sc.opened() != views {
		t.Fatal("Polska's manager opened an agenda modal on Ola")
	}
	sc.press(scIngrid, bot.ActionAgendaAdd, digest)
	av := sc.nextView()
	if av.CallbackID != bot.ViewAgenda {
		t.Fatalf("Add to 1:1 opened %q", av.CallbackID)
	}
	sc.closed(sc.submitByLabel(scIngrid, av, map[string]field{
		"Agenda item": {Text: "Pricing <objections> & the Bergen deal"},
	}), "the agenda modal")
	sc.settle()
	oneOnOne := readable(sc.command(scIngrid, "1on1 <@"+scOla+"|ola>"))
	sc.settle()
	// /pulse 1on1 @rep opens the 1:1 modal and adds the agenda to it.
	sc.views = sc.opened()
	if vs := sc.s.Views(); len(vs) > 0 && vs[len(vs)-1].Method == "views.update" {
		var v slack.View
		if err := json.Unmarshal(vs[len(vs)-1].View, &v); err != nil {
			t.Fatal(err)
		}
		for _, bl := range v.Blocks.BlockSet {
			raw, _ := json.Marshal(bl)
			oneOnOne += readable(string(raw))
		}
	}
	if !strings.Contains(oneOnOne, "Pricing &lt;objections&gt; &amp; the Bergen deal") {
		t.Errorf("Ingrid's /pulse 1on1 @ola lacks the agenda item:\n%s", oneOnOne)
	}
	if got := readable(sc.command(scPiotr, "1on1 <@"+scOla+"|ola>")); strings.Contains(got, "Bergen deal") {
		t.Errorf("Polska's manager reads Ola's agenda:\n%s", got)
	}
	sc.slackWouldShowAll()
	sc.p.stopCleanly(t)
}
