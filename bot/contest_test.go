package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

func contestsOf(t *testing.T, h *harness, team *pulse.Team) []pulse.Contest {
	t.Helper()
	cs, err := h.DB.TeamContests(t.Context(), team.ID, pulse.Date{})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestContestNewModal(t *testing.T) {
	h := start(t)
	nordic, baltic := seedPlanTeams(h)
	wantText(t, "a rep's /pulse contest new", h.command(repA1, "contest new"), escaped(h.en("deny.contest", nil)))
	wantText(t, "an outsider's /pulse contest new", h.command(outsider, "contest new"), escaped(h.en("deny.contest", nil)))

	h.opens(mgrA, "contest new")
	v := h.openedView(1)
	if v.CallbackID != "contest" || v.PrivateMetadata != nordic.ID {
		t.Fatalf("opened %q with %q, want the contest modal for Nordic", v.CallbackID, v.PrivateMetadata)
	}
	if got, want := strings.Join(labels(v), "|"), "Contest name|Metric|Starts|Ends|Prize|Kind|Target (first to)"; got != want {
		t.Errorf("labels %q, want %q", got, want)
	}
	metric := inputElement(t, v, "metric").(*slack.SelectBlockElement)
	var options []string
	for _, o := range metric.Options {
		options = append(options, o.Text.Text)
	}
	if got := strings.Join(options, "|"); got != "Calls|Meetings booked|Check-ins answered|Skills applied|Kudos received" {
		t.Errorf("metrics offered: %q", got)
	}

	good := func() state {
		return state{
			"name": {Value: "Most meetings booked"}, "metric": {SelectedOption: slack.OptionBlockObject{Value: "meetings"}},
			"start": {SelectedDate: "2026-03-02"}, "end": {SelectedDate: "2026-03-06"}, "prize": {Value: "Dinner for two"},
			"kind": {SelectedOption: slack.OptionBlockObject{Value: "total"}},
		}
	}
	with := func(vals state) state {
		s := good()
		for k, v := range vals {
			s[k] = v
		}
		return s
	}
	bad := []struct {
		name   string
		user   string
		state  state
		fields []string
	}{
		{"no name", mgrA, with(state{"name": {Value: "  "}}), []string{"name"}},
		{"a forged metric", mgrA, with(state{"metric": {SelectedOption: slack.OptionBlockObject{Value: "revenue"}}}), []string{"metric"}},
		{"the end before the start", mgrA, with(state{"end": {SelectedDate: "2026-03-01"}}), []string{"end"}},
		{"first to a target without one", mgrA, with(state{"kind": {SelectedOption: slack.OptionBlockObject{Value: "first_to"}}}), []string{"target"}},
		{"a target in words", mgrA, with(state{"kind": {SelectedOption: slack.OptionBlockObject{Value: "first_to"}}, "target": {Value: "ten"}}), []string{"target"}},
		{"a forged kind", mgrA, with(state{"kind": {SelectedOption: slack.OptionBlockObject{Value: "loudest"}}}), []string{"kind"}},
		{"a prize too long", mgrA, with(state{"prize": {Value: strings.Repeat("p", pulse.MaxContestPrizeLen+1)}}), []string{"prize"}},
		{"a manager of another team", mgrB, good(), []string{"name"}},
		{"a rep", repA1, good(), []string{"name"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			resp := h.submit(tt.user, v, tt.state)
			for _, f := range tt.fields {
				if resp.ResponseAction != "errors" || resp.Errors[f] == "" {
					t.Errorf("answered %+v, want an error under %s", resp, f)
				}
			}
			if n := len(contestsOf(t, h, nordic)) + len(contestsOf(t, h, baltic)); n != 0 {
				t.Errorf("a refused submission stored %d contests", n)
			}
		})
	}

	if resp := h.submit(mgrA, v, with(state{"name": {Value: "Most <!channel> meetings"}})); resp.ResponseAction != "" {
		t.Fatalf("a good submission answered %+v", resp)
	}
	cs := contestsOf(t, h, nordic)
	if len(cs) != 1 || cs[0].Metric != "meetings" || cs[0].Kind != pulse.ContestTotal || cs[0].End.String() != "2026-03-06" || cs[0].Prize != "Dinner for two" || cs[0].CreatedBy != mgrA {
		t.Fatalf("stored %+v", cs)
	}
	h.waitFor("the announcement", func() bool {
		for _, m := range h.Slack.Messages("C0SALES") {
			// Sent from the outbox, written with the contest.
			if strings.Contains(m.Text, "New contest: *Most &lt;!channel&gt; meetings*") && strings.Contains(m.Text, "Prize: Dinner for two") &&
				strings.HasPrefix(jobOf(m), string(pulse.JobEffect)) {
				return true
			}
		}
		return false
	})
}

// saveContest stores a contest of the team over this week on meetings.
func saveContest(t *testing.T, h *harness, team *pulse.Team, kind pulse.ContestKind) *pulse.Contest {
	t.Helper()
	c := &pulse.Contest{TeamID: team.ID, Name: "Most meetings booked", Metric: "meetings", Kind: kind, Target: 3,
		Start: thisWeek, End: thisWeek.AddDays(4), Prize: "Dinner", CreatedBy: mgrA, Channel: team.Channel}
	if err := h.DB.SaveContest(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// saveMeetings stores an answered check-in of rep on day with meetings.
func saveMeetings(t *testing.T, h *harness, team *pulse.Team, rep, day string, n float64) {
	t.Helper()
	saveFigure(t, h, team, rep, day, "meetings", n)
}

func TestContestStandingsNameTheFrontInPublic(t *testing.T) {
	h := start(t)
	nordic, _ := seedPlanTeams(h)
	nordic.Reps = append(nordic.Reps, "UREPA3", "UREPA4", "UREPA5")
	if err := h.DB.UpdateTeam(t.Context(), nordic); err != nil {
		t.Fatal(err)
	}
	saveContest(t, h, nordic, pulse.ContestTotal)
	saveMeetings(t, h, nordic, repA1, "2026-03-02", 4)
	saveMeetings(t, h, nordic, repA2, "2026-03-02", 4)
	saveMeetings(t, h, nordic, "UREPA3", "2026-03-02", 2)
	saveMeetings(t, h, nordic, "UREPA4", "2026-03-02", 1)

	rep := shown(h.answer(h.slash("UREPA5", "contest")))
	for _, want := range []string{"Most meetings booked", "1. <@UREPA1> — 4", "1. <@UREPA2> — 4", "3. <@UREPA3> — 2"} {
		if !strings.Contains(rep, want) {
			t.Errorf("a rep's standings lack %q:\n%s", want, rep)
		}
	}
	for _, hidden := range []string{"UREPA4", "UREPA5>"} {
		if strings.Contains(rep, hidden) {
			t.Errorf("the public standings name %s, behind the front:\n%s", hidden, rep)
		}
	}
	mgr := shown(h.answer(h.slash(mgrA, "contest")))
	for _, want := range []string{"4. <@UREPA4> — 1", "5. <@UREPA5> — 0", h.en("contest.private_note", nil)} {
		if !strings.Contains(mgr, want) {
			t.Errorf("the manager's standings lack %q:\n%s", want, mgr)
		}
	}
	wantText(t, "Baltic's rep", h.command(repB1, "contest"), escaped(h.en("contest.none", nil)))
	wantText(t, "an outsider", h.command(outsider, "contest"), escaped(h.en("contest.none", nil)))
	wantText(t, "a word it does not know", h.command(repA1, "contest start"), escaped(h.en("contest.usage", nil)))
}

func TestContestCancel(t *testing.T) {
	h := start(t)
	nordic, _ := seedPlanTeams(h)
	c := saveContest(t, h, nordic, pulse.ContestFirstTo)
	wantText(t, "a rep", h.command(repA1, "contest cancel"), escaped(h.en("deny.contest", nil)))
	wantText(t, "another team's manager", h.command(mgrB, "contest cancel"), h.en("contest.none", nil))
	if got, _ := h.DB.Contest(t.Context(), c.ID); got.Cancelled {
		t.Fatal("a refusal cancelled the contest")
	}
	wantText(t, "the manager", h.command(mgrA, "contest cancel Postponed: <!here> the CRM is down"), h.Bot.Catalog().Plural(pulse.English, "contest.cancel_done", 1, map[string]any{"Count": "1"}))
	got, _ := h.DB.Contest(t.Context(), c.ID)
	if !got.Cancelled || got.CancelledBy != mgrA || got.CancelNote != "Postponed: <!here> the CRM is down" {
		t.Fatalf("stored %+v; want cancelled by the manager with the note", got)
	}
	h.waitFor("the channel told", func() bool {
		for _, m := range h.Slack.Messages("C0SALES") {
			// Sent from the outbox, written with the cancel.
			if strings.Contains(m.Text, "*Most meetings booked* was cancelled by <@UMGRA>") && strings.Contains(m.Text, "&lt;!here&gt;") &&
				strings.HasPrefix(jobOf(m), string(pulse.JobEffect)) {
				return true
			}
		}
		return false
	})
	wantText(t, "after the cancel", h.command(repA1, "contest"), escaped(h.en("contest.none", nil)))
}

func TestContestStandingsMessageIsUpdatedNeverDuplicated(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	for i := range 250 {
		team.Reps = append(team.Reps, fmt.Sprintf("UBIG%05d", i))
	}
	if err := h.DB.UpdateTeam(t.Context(), team); err != nil {
		t.Fatal(err)
	}
	c := pulse.Contest{ID: "c1", TeamID: team.ID, Name: strings.Repeat("Most <b>meetings</b> ", 4), Metric: pulse.CountCheckIns,
		Kind: pulse.ContestTotal, Start: noticeDay, End: noticeDay.AddDays(4), Prize: strings.Repeat("A dinner & a trophy ", 10)}
	// Everyone tied at the front: 252 leaders, a public list at its longest.
	var st []pulse.Standing
	for _, rep := range team.Reps {
		st = append(st, pulse.Standing{Rep: rep, Rank: 1, Score: 3, Total: 3})
	}
	d, first := deliver(h, pulse.Notice{Key: pulse.ContestStandingsKey(team.ID, c.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English,
		Payload: pulse.ContestNotice{Contest: c, Standings: st, Day: noticeDay}})
	if !strings.Contains(first.Text, "Today's leader: <@U0REP1>") || strings.Contains(string(first.Blocks), "<b>") {
		t.Errorf("the standings read %q; want the leader named and the name escaped", first.Text)
	}
	st[0].Score, st[0].Total = 5, 5
	st[1].Rank, st[1].Score = 2, 4
	st[2].Rank, st[2].Score = 3, 3.5
	for i := 3; i < len(st); i++ {
		st[i].Rank = 4
	}
	d2, err := h.Bot.Deliver(t.Context(), pulse.Notice{Key: pulse.ContestStandingsKey(team.ID, c.ID, noticeDay.AddDays(1)), Team: team, To: "C0SALES", Lang: pulse.English,
		Payload: pulse.ContestNotice{Contest: c, Standings: st, Day: noticeDay.AddDays(1), Message: d}})
	if err != nil {
		t.Fatal(err)
	}
	if d2 != d {
		t.Errorf("Tuesday's standings went to %+v; want Monday's message %+v", d2, d)
	}
	posts, updates := 0, 0
	for _, m := range h.Slack.Messages("C0SALES") {
		switch {
		case m.Updated && m.TS == d.TS:
			updates++
			if !strings.Contains(m.Text, "Today's leader: <@U0REP1>") || strings.Contains(string(m.Blocks), "UBIG00001") {
				t.Errorf("the update names more than the front: %s", m.Blocks)
			}
		case !m.Updated:
			posts++
		}
	}
	if posts != 1 || updates != 1 {
		t.Errorf("%d posts and %d updates; want the one message, updated once", posts, updates)
	}
	h.checkViolations(t)
}

func TestSummaryLeaderboardOfA250RepTeamStaysInsideSlacksLimits(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	var top []pulse.Standing
	for i := range 250 {
		rep := fmt.Sprintf("UBIG%05d", i)
		team.Reps = append(team.Reps, rep)
		top = append(top, pulse.Standing{Rep: rep, Rank: 1, Score: 7}) // all tied at the front
	}
	for i := range pulse.MaxMetrics {
		team.Metrics = append(team.Metrics, pulse.Metric{Key: fmt.Sprintf("m%d", i), Name: strings.Repeat("Metric <&> ", 3), Target: 10})
	}
	var leaders []pulse.MetricLeaders
	var attain []pulse.TeamAttainment
	for _, m := range team.Metrics {
		leaders = append(leaders, pulse.MetricLeaders{Key: m.Key, Top: top, Improved: top[:3]})
		attain = append(attain, pulse.TeamAttainment{Key: m.Key, Done: 1200, Target: 2500, Elapsed: 0.5})
	}
	s := pulse.Summary{TeamID: team.ID, Week: noticeDay, Through: noticeDay.AddDays(4)}
	_, m := deliver(h, pulse.Notice{Key: pulse.SummaryKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English,
		Payload: pulse.SummaryNotice{Summary: s, Leaders: leaders, Attainment: attain}})
	got := string(m.Blocks)
	for _, want := range []string{"Team attainment this month", "1,200 of 2,500 (48%) at 50% of the month", "Leaders this week", "🥇 \\u003c@UBIG00000\\u003e 7", "most improved on last week"} {
		if !strings.Contains(got, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	if strings.Contains(got, "Metric <&>") {
		t.Errorf("a metric's name went out unescaped")
	}
	h.checkViolations(t)
}
