package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
)

const (
	scAnna  = "U0ANNAPL1" // manager of Warszawa
	scJan   = "U0JANPL01" // rep of Warszawa, checks in in the evening
	scLiisa = "U0LIISA01" // rep of Helsinki, today is a day off
	scMikko = "U0MIKKO01" // manager of Helsinki
)

// A Polish team checks in in the evening: Jan's prompt and check-in are
// in Polish with today's results and tomorrow's plan; a Finnish team whose
// extra day off is today sends Liisa nothing; Jan's kudos flood is met
// with the polite answer in Polish and each accepted kudos is posted
// once.
func TestScenarioEveningHolidayAndKudosFloodPolish(t *testing.T) {
	sc := newScenario(t, scAdmin, []slack.User{
		{ID: scAdmin, Name: "admin", RealName: "Ada Admin", TZ: "UTC"},
		{ID: scAnna, Name: "anna", RealName: "Anna Kowalska", TZ: "Europe/Warsaw", Locale: "pl-PL"},
		{ID: scJan, Name: "jan", RealName: "Jan Nowak", TZ: "Europe/Warsaw", Locale: "pl-PL"},
		{ID: scMikko, Name: "mikko", RealName: "Mikko Virtanen", TZ: "Europe/Helsinki"},
		{ID: scLiisa, Name: "liisa", RealName: "Liisa Korhonen", TZ: "Europe/Helsinki"},
	}, "C0SALES", "C0WARSAW")
	sc.setupTeam("Warszawa", map[string]field{
		"Managers":        {Users: []string{scAnna}},
		"Reps":            {Users: []string{scJan, scAnna}},
		"Summary channel": {Channel: "C0WARSAW"},
		"Time zone":       {Pick: "Europe/Warsaw"},
		"Language":        {Pick: "pl"},
		"Check-in mode":   {Pick: "evening"},
		"End-of-day time": {Time: "00:01"},
	})
	helsinki, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(helsinki).Format("2006-01-02")
	sc.setupTeam("Helsinki", map[string]field{
		"Managers":       {Users: []string{scMikko}},
		"Reps":           {Users: []string{scLiisa}},
		"Time zone":      {Pick: "Europe/Helsinki"},
		"Holidays":       {Pick: "FI"},
		"Extra days off": {Text: today},
	})
	sc.restart()

	dm := sc.messageWith(scJan, bot.ActionCheckIn)
	hasNone(t, "Jan's evening prompt", dm.Text+string(dm.Blocks), "Check in", "Time to wrap up", "Good evening")
	sc.checkInFromDM(scJan, map[string]field{
		"Co wydarzyło się dziś": {Text: "Dwa spotkania z Orlen & Co"},
		"Twój plan na jutro":    {Text: "Zadzwonić do PKO"},
		"Twoja energia dziś":    {Pick: "4"},
	})
	status := readable(sc.command(scJan, ""))
	hasNone(t, "Jan's /pulse", status, "Your", "checked in", "energy")

	// Liisa's day off: nothing is sent to her, though the engine has run.
	sc.settle()
	if ms := sc.s.Messages(scLiisa); len(ms) > 0 {
		t.Fatalf("Liisa got %d messages on her team's day off: %q", len(ms), ms[0].Text)
	}
	hol := readable(sc.command(scLiisa, "holidays"))
	if !strings.Contains(hol, "Helsinki") {
		t.Errorf("Liisa's /pulse holidays does not name her team:\n%s", hol)
	}

	// Jan floods kudos; past the allowance he is told so in Polish.
	refused, accepted := 0, 0
	for i := range 8 {
		ack := sc.command(scJan, fmt.Sprintf("kudos <@%s|anna> dzięki za pomoc nr %d", scAnna, i))
		switch {
		case strings.Contains(ack, "Wysyłasz bardzo dużo pochwał"):
			refused++
		case strings.Contains(ack, "sending a lot of kudos"):
			t.Fatalf("Jan was refused in English: %s", ack)
		default:
			accepted++
		}
	}
	if refused == 0 || accepted == 0 {
		t.Fatalf("of 8 kudos at once %d were accepted and %d refused; want both", accepted, refused)
	}
	sc.settle()
	if got := len(sc.messagesWith("C0WARSAW", "dzięki za pomoc nr")); got != accepted {
		t.Errorf("%d kudos were accepted and %d posted", accepted, got)
	}
	sc.slackWouldShowAll()
	sc.p.stopCleanly(t)
}
