package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
)

// /pulse digest answers for every team the person manages or directs, a
// section each, unless a team is named; past six teams the rest are named
// for /pulse digest <team>, inside Slack's 50 blocks.
func TestDigestCommandAnswersForEveryTeamLedUnlessOneIsNamed(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	nordic, baltic := seedCheckIn(h)
	baltic.Directors = []string{ciMgr1}
	if err := h.DB.UpdateTeam(ctx, baltic); err != nil {
		t.Fatal(err)
	}
	title := func(team *pulse.Team) string {
		day := pulse.DateOf(h.Clock.Now().In(team.Location()))
		return h.en("leader.digest_title", map[string]any{"Team": team.Name, "Day": h.Bot.Catalog().Date(pulse.English, day)})
	}
	got := shown(h.answer(h.slash(ciMgr1, "digest")))
	if !strings.Contains(got, title(nordic)) || !strings.Contains(got, title(baltic)) {
		t.Fatalf("the digest of a manager of Nordic and director of Baltic lacks a team:\n%s", got)
	}
	if strings.Index(got, title(baltic)) > strings.Index(got, title(nordic)) {
		t.Errorf("the teams are not in order of name:\n%s", got)
	}
	got = shown(h.answer(h.slash(ciMgr1, "digest nordic")))
	if !strings.Contains(got, title(nordic)) || strings.Contains(got, title(baltic)) {
		t.Fatalf("/pulse digest nordic answers more or less than Nordic:\n%s", got)
	}

	// Eight teams with many check-ins each: six sections, the rest named.
	var names []string
	for i := range 8 {
		team := pulse.NewTeam(fmt.Sprintf("Region <%d>", i), "Europe/Oslo")
		team.Managers = []string{"UMANYTEAMS"}
		for j := range 30 {
			team.Reps = append(team.Reps, fmt.Sprintf("UR%d%03d", i, j))
		}
		if err := h.DB.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		names = append(names, team.Name)
		for _, rep := range team.Reps {
			saveAnswered(h, team.ID, rep, pulse.DateOf(h.Clock.Now().In(team.Location())), 3, strings.Repeat("Call & close ", 40))
		}
	}
	r := h.answer(h.slash("UMANYTEAMS", "digest"))
	if len(r.Blocks) > 50 {
		t.Fatalf("the answer has %d blocks, Slack takes 50", len(r.Blocks))
	}
	got = shown(r)
	for i, name := range names {
		escaped := strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(name)
		section := strings.Contains(got, "Team "+escaped) || strings.Contains(got, escaped+",") || strings.Contains(got, escaped+"*")
		if i < 6 && !section {
			t.Errorf("no section for %s:\n%s", name, got)
		}
	}
	if want := h.en("leader.digest_more_teams", map[string]any{"Count": 2, "Teams": "Region &lt;6&gt;, Region &lt;7&gt;"}); !strings.Contains(got, want) {
		t.Errorf("the answer does not name the two teams beyond six (%q):\n%s", want, got)
	}
	if strings.Contains(got, "<6>") {
		t.Error("a team's name reached the answer unescaped")
	}
}
