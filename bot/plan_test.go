package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/salespulse/pulse"
)

// seedPlanTeams is seedTeams with metrics: Nordic tracks calls (250 a
// week) and meetings booked (no target).
func seedPlanTeams(h *harness) (nordic, baltic *pulse.Team) {
	h.tb.Helper()
	nordic, baltic = seedTeams(h)
	for _, t := range []*pulse.Team{nordic, baltic} {
		t.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 250}, {Key: "meetings", Name: "Meetings booked"}}
		if err := h.DB.UpdateTeam(context.Background(), t); err != nil {
			h.tb.Fatal(err)
		}
	}
	return nordic, baltic
}

func plansOf(t *testing.T, h *harness, team *pulse.Team) []pulse.Plan {
	t.Helper()
	ps, err := h.DB.TeamPlans(t.Context(), team.ID, pulse.Date{}, pulse.Date{})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestPlanCommandSetsOneTarget(t *testing.T) {
	h := start(t)
	nordic, baltic := seedPlanTeams(h)
	got := h.command(mgrA, "plan <@UREPA1|anna> calls 1000 month")
	wantText(t, "/pulse plan", got, h.en("plan.saved", map[string]any{"Rep": "<@UREPA1>", "Period": "Month", "Start": "Sun 1 Mar", "Targets": "Calls 1,000"}))
	ps := plansOf(t, h, nordic)
	if len(ps) != 1 || ps[0].UserID != repA1 || ps[0].Metric != "calls" || ps[0].Period != pulse.PeriodMonth || ps[0].Start.String() != "2026-03-01" || ps[0].Target != 1000 || ps[0].SetBy != mgrA {
		t.Fatalf("stored %+v; want Anna's March calls of 1000 set by her manager", ps)
	}
	// A metric by its name, any case, and a week.
	h.command(mgrA, "plan <@UREPA2> CALLS 300 Week")
	if ps := plansOf(t, h, nordic); len(ps) != 2 || ps[1].Period != pulse.PeriodWeek || ps[1].Start != thisWeek {
		t.Fatalf("stored %+v; want a plan for this week too", ps)
	}

	refusals := []struct {
		name, user, args, want string
	}{
		{"a rep setting their own plan", repA1, "plan <@UREPA1> calls 9 week", escaped(h.en("deny.plan", nil))},
		{"a manager of another team", mgrB, "plan <@UREPA1> calls 9 week", escaped(h.en("deny.plan", nil))},
		{"someone in no team", outsider, "plan <@UREPA1> calls 9 week", escaped(h.en("deny.plan", nil))},
		{"a manager for a rep outside the team", mgrA, "plan <@UREPB1> calls 9 week", escaped(h.en("deny.plan", nil))},
		{"an unknown metric", mgrA, "plan <@UREPA1> revenue 9 week", escaped(h.en("plan.err_metric", map[string]any{"Value": "revenue", "Metrics": "calls, meetings"}))},
		{"a formula for a number", mgrA, "plan <@UREPA1> calls =1+1 week", escaped(h.en("err.number", map[string]any{"Value": "=1+1"}))},
		{"a negative number", mgrA, "plan <@UREPA1> calls -5 week", escaped(h.en("err.number", map[string]any{"Value": "-5"}))},
		{"a year", mgrA, "plan <@UREPA1> calls 9 year", escaped(h.en("plan.err_period", map[string]any{"Value": "year"}))},
		{"a target past a billion", mgrA, "plan <@UREPA1> calls 5000000000 week", escaped(h.en("plan.err_target", map[string]any{"Max": pulse.MaxPlanTarget}))},
		{"words missing", mgrA, "plan <@UREPA1> calls 9", escaped(h.en("plan.usage", nil))},
		{"words too many", mgrA, "plan <@UREPA1> calls 9 week please", escaped(h.en("plan.usage", nil))},
		{"a plain @name", mgrA, "plan @anna calls 9 week", escaped(h.en("commands.mention_plain", map[string]any{"Value": "@anna"}))},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			wantText(t, tt.name, h.command(tt.user, tt.args), tt.want)
			if n := len(plansOf(t, h, nordic)); n != 2 {
				t.Errorf("after a refusal Nordic holds %d plans, want 2", n)
			}
			if n := len(plansOf(t, h, baltic)); n != 0 {
				t.Errorf("a refusal stored a plan in Baltic")
			}
		})
	}
}

func TestPlanModal(t *testing.T) {
	h := start(t)
	nordic, _ := seedPlanTeams(h)
	h.command(mgrA, "plan <@UREPA1> meetings 40 month")
	h.opens(mgrA, "plan <@UREPA1|anna>")
	v := h.openedView(1)
	if v.CallbackID != "plan" || v.PrivateMetadata != nordic.ID {
		t.Fatalf("opened %q with %q, want the plan modal for Nordic", v.CallbackID, v.PrivateMetadata)
	}
	if got, want := strings.Join(labels(v), "|"), "Rep|Period|Starts|Calls|Meetings booked"; got != want {
		t.Errorf("labels %q, want %q", got, want)
	}
	if el := inputElement(t, v, "rep").(*slack.SelectBlockElement); el.InitialUser != repA1 {
		t.Errorf("rep starts as %q, want Anna", el.InitialUser)
	}
	if d := inputElement(t, v, "start").(*slack.DatePickerBlockElement); d.InitialDate != "2026-03-01" {
		t.Errorf("starts on %q, want the month's first day", d.InitialDate)
	}
	// March has 22 workdays: the team's 250 a week makes 1,100; Anna's own
	// plan for meetings is 40.
	if el := inputElement(t, v, "metric_calls").(*slack.PlainTextInputBlockElement); el.InitialValue != "1100" {
		t.Errorf("calls pre-filled with %q, want the default 1100", el.InitialValue)
	}
	if el := inputElement(t, v, "metric_meetings").(*slack.PlainTextInputBlockElement); el.InitialValue != "40" {
		t.Errorf("meetings pre-filled with %q, want Anna's 40", el.InitialValue)
	}

	good := func() state {
		return state{
			"rep": {SelectedUser: repA1}, "period": {SelectedOption: slack.OptionBlockObject{Value: "month"}},
			"start": {SelectedDate: "2026-03-17"}, "metric_calls": {Value: "1 200"}, "metric_meetings": {Value: "40"},
		}
	}
	with := func(block string, val slack.BlockAction) state {
		s := good()
		s[block] = val
		return s
	}
	bad := []struct {
		name   string
		user   string
		state  state
		fields []string
	}{
		{"words for a number", mgrA, with("metric_calls", slack.BlockAction{Value: "lots"}), []string{"metric_calls"}},
		{"a formula for a number", mgrA, with("metric_meetings", slack.BlockAction{Value: "=SUM(A1)"}), []string{"metric_meetings"}},
		{"a rep of another team", mgrA, with("rep", slack.BlockAction{SelectedUser: repB1}), []string{"rep"}},
		{"a forged period", mgrA, with("period", slack.BlockAction{SelectedOption: slack.OptionBlockObject{Value: "decade"}}), []string{"period"}},
		{"an impossible day", mgrA, with("start", slack.BlockAction{SelectedDate: "2026-02-30"}), []string{"start"}},
		{"a target past a billion", mgrA, with("metric_calls", slack.BlockAction{Value: "2000000000"}), []string{"metric_calls"}},
		{"a manager of another team", mgrB, good(), []string{"rep"}},
		{"a rep", repA1, good(), []string{"rep"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			resp := h.submit(tt.user, v, tt.state)
			for _, f := range tt.fields {
				if resp.ResponseAction != "errors" || resp.Errors[f] == "" {
					t.Errorf("answered %+v, want an error under %s", resp, f)
				}
			}
			if n := len(plansOf(t, h, nordic)); n != 1 {
				t.Errorf("a refused submission left %d plans, want 1", n)
			}
		})
	}

	// Left as pre-filled, meetings stay as they were; calls become Anna's own.
	resp := h.submit(mgrA, v, good())
	if resp.ResponseAction != "" {
		t.Fatalf("a good submission answered %+v", resp)
	}
	ps := plansOf(t, h, nordic)
	if len(ps) != 2 || ps[0].Metric != "calls" || ps[0].Target != 1200 || ps[0].Start.String() != "2026-03-01" {
		t.Fatalf("stored %+v; want Anna's calls of 1200 from March 1st beside her meetings", ps)
	}
	h.dm(mgrA, h.en("plan.saved", map[string]any{"Rep": "<@UREPA1>", "Period": "Month", "Start": "Sun 1 Mar", "Targets": "Calls 1,200, Meetings booked 40"}))

	// Without a mention the modal opens for the first team, rep to pick.
	h.opens(mgrA, "plan")
	if v := h.openedView(2); v.CallbackID != "plan" || inputElement(t, v, "rep").(*slack.SelectBlockElement).InitialUser != "" {
		t.Errorf("/pulse plan opened %q without a rep to pick", v.CallbackID)
	}
}

// saveNumbers stores an answered check-in of rep on day with calls.
func saveNumbers(t *testing.T, h *harness, team *pulse.Team, rep, day string, calls float64) {
	t.Helper()
	saveFigure(t, h, team, rep, day, "calls", calls)
}

// saveFigure stores an answered check-in of rep on day with one metric.
func saveFigure(t *testing.T, h *harness, team *pulse.Team, rep, day, metric string, n float64) {
	t.Helper()
	c := &pulse.CheckIn{TeamID: team.ID, UserID: rep, Date: pulse.MustDate(day), Status: pulse.CheckInOnTime, Energy: 3,
		Results: "done", Plan: "more", Metrics: map[string]float64{metric: n}, SubmittedAt: h.Clock.Now()}
	if err := h.DB.SaveCheckIn(t.Context(), c); err != nil {
		t.Fatal(err)
	}
}

func TestPaceShownToTheRepAndBehindFirstToTheManager(t *testing.T) {
	h := start(t)
	nordic, _ := seedPlanTeams(h)
	h.command(mgrA, "plan <@UREPA1> calls 1000 month")
	h.command(mgrA, "plan <@UREPA2> calls 1000 month")
	// Anna and Ole both started on March 2nd; on Friday the 6th, Anna has
	// answered today, Ole not.
	for _, d := range []string{"2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"} {
		saveNumbers(t, h, nordic, repA1, d, 60)
	}
	saveNumbers(t, h, nordic, repA2, "2026-03-02", 100)
	saveNumbers(t, h, nordic, repA2, "2026-03-03", 100)
	h.Clock.Advance(4*24*time.Hour + 6*time.Hour) // Friday 15:00 UTC

	// Anna: 300 of 1,000 at 5 of 22 workdays (23%): on track.
	own := shown(h.answer(h.slash(repA1, "")))
	if !strings.Contains(own, "Calls: 300 of 1,000 this month — 30% at 23% of the month's workdays: on track") {
		t.Errorf("Anna's /pulse lacks her pace:\n%s", own)
	}
	if strings.Contains(own, "UREPA2") {
		t.Errorf("Anna's /pulse shows Ole:\n%s", own)
	}
	plan := shown(h.answer(h.slash(repA2, "plan")))
	// Ole: 200 of 1,000 with Thursday gone (4 of 22, 18%) is on track.
	if !strings.Contains(plan, "Calls: 200 of 1,000 this month — 20% at 18% of the month's workdays: on track") {
		t.Errorf("Ole's /pulse plan lacks his pace:\n%s", plan)
	}

	saveNumbers(t, h, nordic, repA2, "2026-03-06", 0) // answered, with nothing
	mgr := shown(h.answer(h.slash(mgrA, "")))
	i, j := strings.Index(mgr, "<@UREPA2> · Calls: 200 of 1,000"), strings.Index(mgr, "<@UREPA1> · Calls: 300 of 1,000")
	if i < 0 || j < 0 || i > j || !strings.Contains(mgr, "*Pace against plan*") {
		t.Errorf("the manager's /pulse does not list Ole (behind) before Anna:\n%s", mgr)
	}
	if !strings.Contains(mgr, "20% at 23% of the month's workdays: behind") {
		t.Errorf("Ole is not shown behind:\n%s", mgr)
	}
}

func TestCheckInDMCarriesOneLineOfPace(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 250}}
	pace := &pulse.Pace{Metric: "calls", Period: pulse.PeriodMonth, Target: 1000, Done: 620, Workdays: 20, Gone: 11, OnTrack: true}
	_, m := deliver(h, pulse.Notice{Key: pulse.CheckInKey(team.ID, "U0REP1", noticeDay), Team: team, To: "U0REP1", Lang: pulse.English,
		Payload: pulse.CheckInNotice{Rep: "U0REP1", Date: noticeDay, Pace: pace}})
	if want := "Calls: 620 of 1,000 this month — 62% at 55% of the month's workdays: on track"; !strings.Contains(string(m.Blocks), want) {
		t.Errorf("the check-in DM lacks %q:\n%s", want, m.Blocks)
	}
	_, m = deliver(h, pulse.Notice{Key: pulse.CheckInKey(team.ID, "U0REP2", noticeDay), Team: team, To: "U0REP2", Lang: pulse.Russian,
		Payload: pulse.CheckInNotice{Rep: "U0REP2", Date: noticeDay}})
	if strings.Contains(string(m.Blocks), "из") {
		t.Errorf("a rep without a plan is shown a pace:\n%s", m.Blocks)
	}
}

func TestHelpNamesPlansAndContests(t *testing.T) {
	h := start(t)
	seedPlanTeams(h)
	rep := shown(h.command(repA1, "help"))
	mgr := shown(h.command(mgrA, "help"))
	for _, k := range []string{"help.plan_rep", "help.contest"} {
		if !strings.Contains(rep, escaped(h.en(k, nil))) {
			t.Errorf("a rep's help lacks %s", k)
		}
	}
	for _, k := range []string{"help.plan_manager", "help.contest_manager"} {
		if !strings.Contains(mgr, escaped(h.en(k, nil))) {
			t.Errorf("a manager's help lacks %s", k)
		}
	}
	if strings.Contains(rep, escaped(h.en("help.plan_manager", nil))) {
		t.Errorf("a rep's help offers setting plans")
	}
}

func TestAppHomeShowsTheRepsOwnPace(t *testing.T) {
	h := start(t)
	nordic, _ := seedPlanTeams(h)
	h.command(mgrA, "plan <@UREPA1> calls 1000 month")
	saveNumbers(t, h, nordic, repA1, "2026-03-02", 90)
	saveNumbers(t, h, nordic, repA2, "2026-03-02", 10)
	if _, err := h.Slack.SendEvent(t.Context(), "", slackevents.AppHomeOpenedEvent{Type: "app_home_opened", User: repA1, Tab: "home"}); err != nil {
		t.Fatal(err)
	}
	h.waitFor("Anna's Home", func() bool { return h.countViews("views.publish", repA1) > 0 })
	home := blocksText(h.homeOf(repA1))
	if !strings.Contains(home, "Calls: 90 of 1,000 this month") {
		t.Errorf("Anna's Home lacks her pace:\n%s", home)
	}
	if strings.Contains(home, "UREPA2") {
		t.Errorf("Anna's Home shows Ole's pace:\n%s", home)
	}
}

func TestDigestShowsEachRepsPace(t *testing.T) {
	h := start(t)
	nordic, _ := seedPlanTeams(h)
	h.command(mgrA, "plan <@UREPA1> calls 1000 month")
	saveNumbers(t, h, nordic, repA1, "2026-03-02", 90)
	got := shown(h.answer(h.slash(mgrA, "digest")))
	if !strings.Contains(got, "Calls: 90 of 1,000 this month") {
		t.Errorf("the digest lacks Anna's pace:\n%s", got)
	}
}
