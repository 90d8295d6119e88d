package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// A 12-rep team whose reps write long check-ins full of characters Slack
// escapes: the manager's /pulse digest, /pulse, the scheduled digest as it
// grows with each check-in, the daily thread and App Home all stay inside
// Slack's limits, and the digest still offers Give feedback. (A team of
// 250 is bot's TestDigestOfA250RepTeamKeepsSlacksLimits: on the binary,
// each new person is first looked up at users.info's pace, 100 a
// minute, before the engine's first DM.)
func TestScenarioLargeTeamDigestInsideLimits(t *testing.T) {
	users := []slack.User{
		{ID: scAdmin, Name: "admin", RealName: "Ada Admin", TZ: "UTC"},
		{ID: scIngrid, Name: "ingrid", RealName: "Ingrid Berg", TZ: "Europe/Oslo"},
	}
	var reps []string
	for i := range 12 {
		id := fmt.Sprintf("U0REP%04d", i)
		reps = append(reps, id)
		users = append(users, slack.User{ID: id, Name: fmt.Sprintf("rep%d", i), RealName: fmt.Sprintf("Rep & <Number> %d", i), TZ: "Europe/Oslo"})
	}
	// Slack lets this workspace post fast: the 250 check-in DMs go out
	// before the digest at once, not over a minute and more.
	sc := newScenarioEnv(t, scAdmin, []string{"PULSE_SLACK_POSTS_PER_MINUTE=100000"}, users, "C0SALES")
	sc.setupTeam("Big & <Bold>", map[string]field{
		"Managers":    {Users: []string{scIngrid}},
		"Reps":        {Users: reps},
		"Digest time": {Time: "00:01"},
		"Metrics":     {Text: "calls: Calls & <chats> = 100\ndemos: Demos = 10"},
	})
	sc.command(scIngrid, "questions")
	qv := sc.nextView()
	sc.closed(sc.submitByLabel(scIngrid, qv, map[string]field{
		"Question#1": {Text: strings.Repeat("Which <deal> & why? ", 7)},
		"Type#1":     {Pick: "Long text"},
	}), "the questions modal")
	sc.restart()
	sc.messageWith(scIngrid, "No check-ins yet today")

	dense := strings.Repeat("<&>", 1000)
	for _, rep := range reps {
		sc.checkInFromDM(rep, map[string]field{
			"What happened yesterday": {Text: dense},
			"Your plan for today":     {Text: dense},
			"Anything in your way?":   {Text: dense},
			"Your energy today":       {Pick: "2"},
			"Calls & <chats>":         {Text: "12"},
			"Demos":                   {Text: "1"},
			strings.TrimSpace(strings.Repeat("Which <deal> & why? ", 7)): {Text: dense},
		})
	}
	// A digest that takes longer than the ack comes by the response URL.
	digest := readable(sc.command(scIngrid, "digest"))
	sc.settle()
	for _, m := range sc.s.Messages("") {
		if m.ViaResponseURL {
			digest += readable(string(m.Blocks))
		}
	}
	if !strings.Contains(digest, "Give feedback") {
		t.Errorf("the large digest offers no Give feedback:\n%.2000s", digest)
	}
	sc.command(scIngrid, "")
	sc.command(scIngrid, "<@"+reps[0]+"|rep0>")
	sc.command(reps[0], "help")
	sc.slackWouldShowAll()
	sc.p.stopCleanly(t)
}
