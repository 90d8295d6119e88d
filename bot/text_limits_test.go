package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// Escaping turns one character into up to five; text that fits before it
// must still fit after. The harness fails each test at cleanup when Slack
// would have refused anything the bot sent.

func TestAPlanDenseInMarkupIsQuotedInTheNextCheckIn(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	ctx := context.Background()
	plan := strings.Repeat("<&>", pulse.MaxTextLen/3) // 3,000 characters, 13,000 escaped
	prev := &pulse.CheckIn{TeamID: team.ID, UserID: "U0REP1", Date: noticeDay.AddDays(-3), Status: pulse.CheckInOnTime,
		Energy: 4, Results: "Two demos", Plan: plan, SubmittedAt: h.Clock.Now()}
	if err := h.DB.SaveCheckIn(ctx, prev); err != nil {
		t.Fatalf("a plan of %d characters was refused: %v", utf8.RuneCountInString(plan), err)
	}

	_, m := deliver(h, pulse.Notice{Key: pulse.CheckInKey(team.ID, "U0REP1", noticeDay), Team: team, To: "U0REP1", Lang: pulse.English,
		Payload: pulse.CheckInNotice{Rep: "U0REP1", Date: noticeDay, Goal: strings.Repeat("&", pulse.MaxGoalLen),
			PrevDate: prev.Date, PrevPlan: prev.Plan, Streak: 1}})

	var quote string
	for _, bl := range noticeBlocks(t, m) {
		if s, ok := bl.(*slack.SectionBlock); ok && s.Text != nil && strings.Contains(s.Text.Text, "> &lt;&amp;&gt;") {
			quote = s.Text.Text
		}
	}
	if quote == "" {
		t.Fatalf("the check-in does not quote the plan, escaped:\n%s", m.Blocks)
	}
	if n := utf8.RuneCountInString(quote); n > 3000 || !strings.HasSuffix(quote, "…") {
		t.Errorf("the plan's section has %d characters ending %q; want at most 3,000, cut with …", n, quote[len(quote)-10:])
	}
	if strings.HasSuffix(strings.TrimSuffix(quote, "…"), "&") || strings.Contains(quote, "&a…") || strings.Contains(quote, "&l…") || strings.Contains(quote, "&lt…") {
		t.Errorf("the cut splits an entity: …%q", quote[len(quote)-12:])
	}
}

func TestHelpForARepOfTeamsWhoseNamesHoldAmpersands(t *testing.T) {
	h := start(t)
	// Twelve teams whose names are as long as allowed and all "&": the
	// list of ten shown is 800 characters, 4,000 escaped.
	for i := range 12 {
		name := fmt.Sprintf("%s%02d", strings.Repeat("&", pulse.MaxTeamNameLen-2), i)
		h.createTeam(name, []string{"UMANAGER"}, []string{"UREP1"})
	}

	got := h.command("UREP1", "help")
	var sections []string
	for _, raw := range got.Blocks {
		var s slack.SectionBlock
		if err := json.Unmarshal(raw, &s); err == nil && s.Type == slack.MBTSection && s.Text != nil {
			sections = append(sections, s.Text.Text)
		}
	}
	var teams string
	for _, s := range sections {
		if n := utf8.RuneCountInString(s); n > 3000 {
			t.Errorf("a help section has %d characters, over Slack's 3,000", n)
		}
		if strings.Contains(s, "&amp;&amp;") {
			teams = s
		}
	}
	if teams == "" || !strings.HasSuffix(teams, "…") {
		t.Fatalf("help does not name the teams, escaped and cut to fit:\n%s", got.allText())
	}
	if !strings.Contains(got.allText(), escaped(h.en("help.checkin", nil))[:20]) {
		t.Errorf("help lost a rep's commands:\n%s", got.allText())
	}
}

func TestAwayNamesBackOnlyAPieceOfAnImpossibleDate(t *testing.T) {
	h := start(t)
	seedTeams(h)
	digits := strings.Repeat("7", 4000)

	got := h.command(repA1, "away "+digits)
	if !strings.Contains(got.Text, "7777") {
		t.Fatalf("the answer does not say which date it could not read: %q", got.Text)
	}
	if n := strings.Count(got.allText(), "7"); n > 40 {
		t.Errorf("the answer names back %d of the 4,000 digits typed; want at most 40", n)
	}
	if n := utf8.RuneCountInString(got.allText()); n > 500 {
		t.Errorf("the answer has %d characters; want a short sentence", n)
	}
}

func TestUnknownCommandNamesBackOnlyAPieceOfIt(t *testing.T) {
	h := start(t)
	seedTeams(h)
	word := strings.Repeat("&", 4000)

	got := h.command(repA1, word)
	if n := strings.Count(got.Text, "&amp;"); n == 0 || n > 40 {
		t.Errorf("the answer names back %d of the 4,000 characters typed; want a piece of at most 40:\n%.300s", n, got.Text)
	}
}
