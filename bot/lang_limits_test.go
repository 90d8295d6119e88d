package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

// People of the every-language tests: one team, its manager and two reps.
const (
	llMgr  = "U0MGR"
	llRep1 = "U0REP1"
	llRep2 = "U0REP2"
)

// longTeamName is a team name as long as Pulse allows, to fill headers.
var longTeamName = strings.Repeat("Nordvestlandet ", 6)[:pulse.MaxTeamNameLen-1] + "X"

// renderAll makes the bot build every modal, DM, channel post, /pulse
// answer and App Home it has, for a team that speaks lang, with data as
// long as Pulse accepts. The harness fails the test at cleanup if Slack
// would have rejected any of it.
func renderAll(t *testing.T, h *harness, lang pulse.Lang) {
	t.Helper()
	ctx := context.Background()
	h.Slack.AddChannel("C0SALES", "sales")
	team := pulse.NewTeam(longTeamName, "Europe/Oslo")
	team.Lang, team.Channel = lang, "C0SALES"
	team.Managers, team.Reps = []string{llMgr}, []string{llRep1, llRep2}
	for i := range pulse.MaxMetrics {
		name := fmt.Sprintf("%d %s", i, strings.Repeat("Meetings booked ", 3))[:pulse.MaxMetricNameLen]
		team.Metrics = append(team.Metrics, pulse.Metric{Key: fmt.Sprintf("m%d", i), Name: name, Target: 12500.5})
	}
	if err := h.DB.CreateTeam(ctx, team); err != nil {
		t.Fatalf("create team: %v", err)
	}
	long := strings.Repeat("Ring kunden og følg opp tilbudet. ", 100)[:pulse.MaxTextLen]
	h.savePerson(&pulse.Person{ID: llRep1, Name: "Anna", Goal: long[:pulse.MaxGoalLen]})
	blocker := &pulse.Blocker{TeamID: team.ID, UserID: llRep1, Date: noticeDay.AddDays(-4), Text: long, Status: pulse.BlockerOpen, RaisedAt: h.Clock.Now()}
	if err := h.DB.SaveBlocker(ctx, blocker); err != nil {
		t.Fatal(err)
	}
	skill := strings.Repeat("Objection handling ", 6)[:pulse.MaxSkillLen]
	tr := &pulse.Training{TeamID: team.ID, Skill: skill, Date: noticeDay.AddDays(-7), Attendees: []string{llRep1, llRep2}, Schedule: []int{7}, CreatedBy: llMgr}
	if err := h.DB.SaveTraining(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.SaveNudge(ctx, &pulse.Nudge{TrainingID: tr.ID, TeamID: team.ID, UserID: llRep1, Day: 7, SentAt: h.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		c := &pulse.Commitment{TeamID: team.ID, UserID: llRep1, Week: noticeDay.AddDays(-7), Text: long, Due: noticeDay.AddDays(-3), Status: pulse.CommitmentOpen, CreatedAt: h.Clock.Now().Add(time.Duration(i) * time.Second)}
		if err := h.DB.SaveCommitment(ctx, c); err != nil {
			t.Fatal(err)
		}
	}

	// The modals.
	opened := 0
	open := func(user, command string) slack.View {
		t.Helper()
		h.opens(user, command)
		opened++
		return h.openedView(opened)
	}
	open(llMgr, "setup "+longTeamName)
	checkIn := open(llRep1, "checkin")
	open(llRep1, "commit")
	open(llMgr, "1on1 <@"+llRep1+">")
	open(llRep1, "away")

	// Every kind of notice, as the engine hands them over.
	checkInKey := pulse.CheckInKey(team.ID, llRep1, noticeDay)
	checkInDM, _ := deliver(h, pulse.Notice{Key: checkInKey, Team: team, To: llRep1, Lang: lang,
		Payload: pulse.CheckInNotice{Rep: llRep1, Date: noticeDay, Goal: long[:pulse.MaxGoalLen], PrevDate: noticeDay.AddDays(-3), PrevPlan: long, Streak: 1234}})
	week := pulse.Summary{TeamID: team.ID, Week: noticeDay.AddDays(-7), Through: noticeDay.AddDays(-3), Due: 1000, Answered: 999, Participation: 0.999,
		Energy: 3.8, PrevEnergy: 3.4, EnergyTrend: 0.4, Reviewed: 22, Kept: 21, Partly: 1, CommitmentsKept: 0.75, NudgesSent: 25, NudgesApplied: 21, Implementation: 0.84,
		Kudos: 5, BlockersRaised: 2, BlockersResolved: 1}
	for _, m := range team.Metrics {
		week.Metrics = append(week.Metrics, pulse.MetricTotal{Key: m.Key, Name: m.Name, Total: 12345.25, Target: m.Target})
	}
	for i := range 30 {
		week.Streaks = append(week.Streaks, pulse.RepStreak{Rep: fmt.Sprintf("U0STREAK%02d", i), Days: 21 + i})
	}
	for i := range 5 {
		week.Days = append(week.Days, pulse.DayFigures{Date: noticeDay.AddDays(i - 7), Due: 2, Answered: 1 + i%2, Participation: float64(1+i%2) / 2, Energy: 3 + float64(i%3)/2})
	}
	var reps []pulse.RepCommitments
	for i := range 60 {
		rep := fmt.Sprintf("U0MANY%02d", i)
		reps = append(reps, pulse.RepCommitments{Rep: rep, Commitments: []pulse.Commitment{{ID: fmt.Sprintf("c%d", i), UserID: rep, Text: long, Status: pulse.CommitmentOpen}}})
	}
	meetingAt := time.Date(2026, 3, 2, 10, 0, 0, 0, team.Location())
	for _, n := range []pulse.Notice{
		{Key: pulse.ReminderKey(team.ID, llRep1, noticeDay), To: llRep1,
			Payload: pulse.ReminderNotice{Rep: llRep1, Date: noticeDay, CheckIn: checkInDM}},
		{Key: pulse.MeetingKey(team.ID, noticeDay), To: "C0SALES",
			Payload: pulse.MeetingNotice{Week: noticeDay, MeetingAt: meetingAt, LastWeek: noticeDay.AddDays(-7), Reps: reps,
				OpenBlockers: []pulse.Blocker{*blocker, *blocker, *blocker}, Focus: tr}},
		{Key: pulse.NudgeKey(team.ID, llRep1, tr.ID, 7), To: llRep1,
			Payload: pulse.NudgeNotice{Rep: llRep1, TrainingID: tr.ID, Skill: tr.Skill, TrainingDate: tr.Date, Day: 7, Date: noticeDay}},
		{Key: pulse.CoachingKey(team.ID, llMgr, llRep1, noticeDay), To: llMgr,
			Payload: pulse.CoachingNotice{Rep: llRep1, LastDate: noticeDay.AddDays(-22), DaysSince: 22, Cadence: 21}},
		{Key: pulse.CoachingKey(team.ID, llMgr, llRep2, noticeDay), To: llMgr,
			Payload: pulse.CoachingNotice{Rep: llRep2, DaysSince: 25, Cadence: 14}},
		{Key: pulse.SummaryKey(team.ID, noticeDay), To: "C0SALES", Payload: pulse.SummaryNotice{Summary: week}},
		{Key: pulse.BlockerKey(team.ID, llMgr, blocker.ID, 3), To: llMgr,
			Payload: pulse.BlockerNotice{Blocker: *blocker, WorkdaysOpen: 3, ToManager: true}},
		{Key: pulse.BlockerKey(team.ID, llRep1, blocker.ID, 3), To: llRep1,
			Payload: pulse.BlockerNotice{Blocker: *blocker, WorkdaysOpen: 3}},
		{Key: pulse.DailyThreadKey(team.ID, noticeDay), To: "C0SALES",
			Payload: pulse.DailyThreadNotice{Date: noticeDay, Reps: team.Reps}},
	} {
		n.Team, n.Lang = team, lang
		_, m := deliver(h, n)
		if _, ok := n.Payload.(pulse.NudgeNotice); ok {
			pressNotice(h, llRep1, m, buttonsOf(t, m)[bot.ActionNudgeApplied])
			opened++
			h.openedView(opened) // the training report
		}
	}

	// A check-in with a blocker: the saved DM and the managers' alert.
	values := answers(long, "5", "")
	values["blocker"] = slack.BlockAction{Type: "plain_text_input", Value: long}
	if action, errs := h.submitView(llRep1, checkIn, values); action != "" {
		t.Fatalf("the check-in was refused: %s %v", action, errs)
	}
	h.waitFor("the blocker alert", func() bool {
		return h.messagesSaying(llMgr, "blocker_") > 0 || h.messagesSaying(llMgr, bot.ActionBlockerOnIt) > 0
	})

	// /pulse for everyone, and the App Home.
	for _, c := range []struct{ user, text string }{
		{llMgr, ""}, {llRep1, ""}, {llMgr, "<@" + llRep1 + ">"}, {llMgr, "help"}, {llRep1, "help"},
		{llRep1, "<@" + llRep2 + ">"}, {llRep1, "away 2026-13-40"}, {llRep1, "frobnicate"},
	} {
		h.answer(h.slash(c.user, c.text))
	}
	for _, user := range []string{llMgr, llRep1} {
		before := h.countViews("views.publish", user)
		if _, err := h.Slack.SendEvent(t.Context(), "", slackevents.AppHomeOpenedEvent{Type: "app_home_opened", User: user, Tab: "home"}); err != nil {
			t.Fatal(err)
		}
		h.waitFor("the Home of "+user, func() bool { return h.countViews("views.publish", user) > before })
	}
}

func TestLangEveryViewAndMessageKeepsSlacksLimitsInEveryLanguage(t *testing.T) {
	for _, lang := range pulse.Langs {
		t.Run(string(lang), func(t *testing.T) {
			h := start(t)
			renderAll(t, h, lang)
			// The harness checks Slack's limits at cleanup; check here too,
			// so a failure names the language.
			h.checkViolations(t)
			for _, text := range slotTexts(t, h) {
				if strings.HasSuffix(text.text, "…") && text.kind != "header" {
					t.Errorf("a %s was cut to fit Slack: %q", text.kind, text.text)
				}
			}
		})
	}
}

// slotText is a text the bot put where Slack limits its length.
type slotText struct {
	kind string // "title", "button", "header"
	text string
}

// slotTexts collects every modal title, submit and close label, button
// and header the bot sent, from the views and messages the stand-in holds.
func slotTexts(t *testing.T, h *harness) []slotText {
	t.Helper()
	var out []slotText
	var walk func(v any)
	text := func(v any) (string, bool) {
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		s, ok := m["text"].(string)
		return s, ok
	}
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			switch x["type"] {
			case "button":
				if s, ok := text(x["text"]); ok {
					out = append(out, slotText{"button", s})
				}
			case "header":
				if s, ok := text(x["text"]); ok {
					out = append(out, slotText{"header", s})
				}
			case "modal":
				for _, f := range []string{"title", "submit", "close"} {
					if s, ok := text(x[f]); ok {
						out = append(out, slotText{"title", s})
					}
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	decode := func(raw json.RawMessage) {
		if len(raw) == 0 {
			return
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
		walk(v)
	}
	for _, v := range h.Slack.Views() {
		decode(v.View)
	}
	for _, m := range h.Slack.Messages("") {
		decode(m.Blocks)
	}
	return out
}
