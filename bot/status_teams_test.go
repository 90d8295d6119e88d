package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/slackevents"

	"github.com/salespulse/pulse"
)

// People of the shared-rep tests: a rep in both Alpha and Bravo, each team
// with a manager of its own, and a second rep in Alpha.
const (
	twoMgrAlpha = "UMGRALPHA"
	twoMgrBravo = "UMGRBRAVO"
	twoRep      = "UREPBOTH"
	twoRepAlpha = "UREPALPHA"
)

// bravoOneOnOne is the day of the shared rep's 1:1 in Bravo; Alpha has
// had none with them.
var bravoOneOnOne = pulse.MustDate("2026-02-25")

// seedSharedRep stores Alpha and Bravo, both with twoRep, and gives the rep
// records of every kind in each team: Alpha's texts start with "Alpha",
// Bravo's with "Bravo". The clock stands at Monday 2026-03-02, 10:00 in
// Oslo; the rep checked in today in Bravo only.
func seedSharedRep(h *harness) (alpha, bravo *pulse.Team) {
	h.tb.Helper()
	ctx := context.Background()
	h.Slack.AddChannel("C0SALES", "sales")
	// Both teams began a month ago: a rep never coached in one owes a 1:1.
	now := h.Clock.Now()
	h.Clock.Set(now.AddDate(0, -1, 0))
	alpha = h.createTeam("Alpha", []string{twoMgrAlpha}, []string{twoRep, twoRepAlpha})
	bravo = h.createTeam("Bravo", []string{twoMgrBravo}, []string{twoRep})
	h.Clock.Set(now)
	thisWeek, lastWeek := ciMonday, ciMonday.AddDays(-7)
	check := func(err error) {
		h.tb.Helper()
		if err != nil {
			h.tb.Fatal(err)
		}
	}
	for _, c := range []pulse.CheckIn{
		{TeamID: alpha.ID, UserID: twoRep, Date: pulse.MustDate("2026-02-27"), Status: pulse.CheckInOnTime, Energy: 4, Plan: "Alpha plan: call Acme"},
		{TeamID: bravo.ID, UserID: twoRep, Date: pulse.MustDate("2026-02-26"), Status: pulse.CheckInOnTime, Energy: 1, Plan: "Bravo plan: an older one"},
		{TeamID: bravo.ID, UserID: twoRep, Date: ciMonday, Status: pulse.CheckInOnTime, Energy: 1, Plan: "Bravo plan: visit Globex", Blocker: "Bravo blocker: legal hold"},
	} {
		c.SubmittedAt, c.UpdatedAt = now, now
		check(h.DB.SaveCheckIn(ctx, &c))
	}
	check(h.DB.SaveBlocker(ctx, &pulse.Blocker{TeamID: bravo.ID, UserID: twoRep, Date: ciMonday, Text: "Bravo blocker: legal hold", Status: pulse.BlockerOpen, RaisedAt: now.Add(-time.Hour)}))
	for _, k := range []pulse.Kudos{
		{TeamID: alpha.ID, From: twoRepAlpha, To: twoRep, Text: "Alpha kudos: a great demo", CreatedAt: now.Add(-48 * time.Hour)},
		{TeamID: bravo.ID, From: twoMgrBravo, To: twoRep, Text: "Bravo kudos: the secret deal", CreatedAt: now.Add(-time.Hour)},
	} {
		check(h.DB.SaveKudos(ctx, &k))
	}
	for _, c := range []pulse.Commitment{
		{TeamID: alpha.ID, UserID: twoRep, Week: thisWeek, Text: "Alpha commitment: five demos", Status: pulse.CommitmentKept},
		{TeamID: alpha.ID, UserID: twoRep, Week: lastWeek, Text: "Alpha review: close Hansen", Status: pulse.CommitmentOpen},
		{TeamID: bravo.ID, UserID: twoRep, Week: thisWeek, Text: "Bravo commitment: the secret one", Status: pulse.CommitmentOpen},
		{TeamID: bravo.ID, UserID: twoRep, Week: lastWeek, Text: "Bravo review: the old secret", Status: pulse.CommitmentOpen},
	} {
		c.Due, c.CreatedAt = c.Week.AddDays(4), now
		check(h.DB.SaveCommitment(ctx, &c))
	}
	for _, tr := range []struct {
		team          *pulse.Team
		skill, report string
	}{
		{alpha, "Alpha skill: discovery", "Alpha report: asked three questions"},
		{bravo, "Bravo skill: negotiation", "Bravo report: the secret discount"},
	} {
		t := &pulse.Training{TeamID: tr.team.ID, Skill: tr.skill, Date: ciMonday.AddDays(-14), Attendees: []string{twoRep}, Schedule: []int{7}, CreatedBy: tr.team.Managers[0], CreatedAt: now}
		check(h.DB.SaveTraining(ctx, t))
		check(h.DB.SaveNudge(ctx, &pulse.Nudge{TrainingID: t.ID, TeamID: tr.team.ID, UserID: twoRep, Day: 7, SentAt: now.Add(-7 * 24 * time.Hour),
			Response: pulse.NudgeApplied, Report: tr.report, AnsweredAt: now.Add(-6 * 24 * time.Hour)}))
	}
	check(h.DB.SaveSession(ctx, &pulse.CoachingSession{TeamID: bravo.ID, RepID: twoRep, ManagerID: twoMgrBravo, Date: bravoOneOnOne, Notes: "Bravo notes", CreatedAt: now}))
	return alpha, bravo
}

// noBravo fails the test when what Alpha's manager (or the rep's Alpha
// part) was shown holds anything of Bravo's: its texts, its 1:1's day, or
// its name.
func noBravo(t *testing.T, h *harness, what, got string) {
	t.Helper()
	for _, leak := range []string{"Bravo", h.Bot.Catalog().Date(pulse.English, bravoOneOnOne)} {
		if strings.Contains(got, leak) {
			t.Errorf("%s shows %q of team Bravo:\n%s", what, leak, got)
		}
	}
}

// wantAll fails the test unless got holds every one of want.
func wantAll(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

func TestStatusOfARepInTwoTeamsShowsAManagerOnlyTheirTeamsRecords(t *testing.T) {
	h := start(t)
	seedSharedRep(h)
	en := func(key string) string { return h.en(key, nil) }

	t.Run("one rep's detail lists only Alpha's check-ins, kudos, commitments, reports and 1:1s", func(t *testing.T) {
		got := shown(h.answer(h.slash(twoMgrAlpha, "<@"+twoRep+">")))
		noBravo(t, h, "/pulse @rep", got)
		wantAll(t, "/pulse @rep", got,
			"Pulse in Alpha", "Alpha plan: call Acme", "Alpha kudos: a great demo", "kept: Alpha commitment: five demos",
			"Alpha review: close Hansen", "Alpha skill: discovery: Alpha report: asked three questions",
			en("status.today_not_yet"), en("status.one_on_ones_label")+"\\n"+en("status.one_on_one_never"),
			en("status.kudos_label")+"\\n"+h.Bot.Catalog().Plural(pulse.English, "status.kudos", 1, nil))
	})

	t.Run("the team at a glance counts only Alpha's check-ins, blockers, commitments, nudges and 1:1s", func(t *testing.T) {
		got := shown(h.answer(h.slash(twoMgrAlpha, "")))
		noBravo(t, h, "/pulse", got)
		wantAll(t, "/pulse", got,
			"Team Alpha today", "0 of 2 today", en("status.blockers_none"), "1 kept · 0 open · 0 missed · 0 partly",
			"100% (1 of 1 nudges)", "2: <@"+twoRep+">, <@"+twoRepAlpha+">")
	})

	t.Run("the manager's App Home shows only Alpha", func(t *testing.T) {
		got := blocksText(h.openHome(twoMgrAlpha))
		noBravo(t, h, "Alpha's manager's Home", got)
		wantAll(t, "Alpha's manager's Home", got, "Team Alpha today", "0 of 2 today")
	})

	t.Run("the rep's own App Home shows only Alpha's records under Alpha", func(t *testing.T) {
		parts := teamParts(t, h.openHome(twoRep))
		alpha, bravo := parts[h.en("status.rep_header", map[string]any{"Team": "Alpha"})], parts[h.en("status.rep_header", map[string]any{"Team": "Bravo"})]
		noBravo(t, h, "the rep's Alpha part of the Home", alpha)
		wantAll(t, "the rep's Alpha part of the Home", alpha, "kept: Alpha commitment: five demos", "Alpha review: close Hansen", en("status.today_not_yet"))
		// Bravo's part is the rep's own too, and shows Bravo's.
		wantAll(t, "the rep's Bravo part of the Home", bravo, "Bravo commitment: the secret one", "Bravo review: the old secret", "energy 1")
	})

	t.Run("the export holds only Alpha's check-ins", func(t *testing.T) {
		h.ack(h.slash(twoMgrAlpha, "export 2026-02-23 2026-03-02"), 1)
		h.waitFor("the export uploaded", func() bool { return len(h.Slack.Files()) == 1 })
		got := string(h.Slack.Files()[0].Bytes)
		noBravo(t, h, "Alpha's export", got)
		wantAll(t, "Alpha's export", got, "Alpha plan: call Acme")
	})
}

// openHome opens user's App Home and returns the view published for it.
func (h *harness) openHome(user string) json.RawMessage {
	h.tb.Helper()
	before := h.countViews("views.publish", user)
	if _, err := h.Slack.SendEvent(h.tb.Context(), "", slackevents.AppHomeOpenedEvent{Type: "app_home_opened", User: user, Tab: "home"}); err != nil {
		h.tb.Fatal(err)
	}
	h.waitFor("the Home of "+user, func() bool { return h.countViews("views.publish", user) > before })
	return h.homeOf(user)
}

// teamParts splits a view's blocks at each header and returns, by the
// header's text, what follows it up to the next, as blocksText shows it.
func teamParts(t *testing.T, view json.RawMessage) map[string]string {
	t.Helper()
	var v struct {
		Blocks []json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(view, &v); err != nil {
		t.Fatalf("decode %s: %v", view, err)
	}
	parts := map[string]string{}
	var header string
	for _, raw := range v.Blocks {
		var b struct {
			Type string `json:"type"`
			Text struct {
				Text string `json:"text"`
			} `json:"text"`
		}
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Fatalf("decode block %s: %v", raw, err)
		}
		if b.Type == "header" {
			header = b.Text.Text
			continue
		}
		parts[header] += blocksText(raw) + "\n"
	}
	return parts
}
