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

// seedStatus gives Nordic a day to show: rep one checked in today and last
// week, rep two has an open blocker, rep one kept a commitment.
func seedStatus(h *harness, nordic *pulse.Team) {
	h.tb.Helper()
	ctx := context.Background()
	now := h.Clock.Now()
	for _, c := range []pulse.CheckIn{
		{TeamID: nordic.ID, UserID: ciRep1, Date: ciMonday, Status: pulse.CheckInOnTime, Plan: "Call the Hansen account", Energy: 4, Metrics: map[string]float64{"calls": 12}, SubmittedAt: now, UpdatedAt: now},
		{TeamID: nordic.ID, UserID: ciRep1, Date: ciMonday.AddDays(-6), Status: pulse.CheckInOnTime, Plan: "Last week's plan", Energy: 2, SubmittedAt: now, UpdatedAt: now},
	} {
		if err := h.DB.SaveCheckIn(ctx, &c); err != nil {
			h.tb.Fatal(err)
		}
	}
	if err := h.DB.SaveBlocker(ctx, &pulse.Blocker{TeamID: nordic.ID, UserID: ciRep2, Date: ciMonday, Text: "No demo licence", Status: pulse.BlockerOpen, RaisedAt: now.Add(-2 * time.Hour)}); err != nil {
		h.tb.Fatal(err)
	}
	if err := h.DB.SaveCommitment(ctx, &pulse.Commitment{TeamID: nordic.ID, UserID: ciRep1, Week: ciMonday, Text: "Book 5 demos", Status: pulse.CommitmentKept, CreatedAt: now}); err != nil {
		h.tb.Fatal(err)
	}
	if err := h.DB.SavePerson(ctx, &pulse.Person{ID: ciRep1, Goal: "Save for a sailboat"}); err != nil {
		h.tb.Fatal(err)
	}
}

// shown is an answer's text and blocks as a person reads them.
func shown(r reply) string { return blocksText([]byte(r.allText())) }

func TestStatusForAManagerShowsTheTeamAtAGlance(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	seedStatus(h, nordic)
	got := shown(h.answer(h.slash(ciMgr1, "")))
	for _, want := range []string{
		"Team Nordic today",
		"1 of 3 today",
		"*Missing:* <@UREPTWO>, <@UREPTHREE>",
		"<@UREPTWO>: No demo licence (2 hours ago)",
		"4 ↑ (+2 on last week)",
		"1 kept · 0 open · 0 missed · 0 partly",
		"Calls: 12 of 150",
		"no nudges sent yet",
		`*1:1s overdue*\nnone`, // the team began today: nobody is owed one yet
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the manager's /pulse lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Your pulse in") {
		t.Errorf("a manager who is no rep was shown a rep's pulse:\n%s", got)
	}
}

func TestStatusForARepShowsTheirOwnPulse(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	seedStatus(h, nordic)
	got := shown(h.answer(h.slash(ciRep1, "")))
	for _, want := range []string{"Your pulse in Nordic", "checked in at 10:00, energy 4", "1 workday", "Save for a sailboat", "kept: Book 5 demos", "nothing waiting"} {
		if !strings.Contains(got, want) {
			t.Errorf("the rep's /pulse lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Team Nordic today") || strings.Contains(got, "No demo licence") {
		t.Errorf("a rep was shown the team's overview:\n%s", got)
	}
	// Rep two has not checked in; someone in no team is told so.
	if got := shown(h.answer(h.slash(ciRep2, ""))); !strings.Contains(got, "not checked in yet") {
		t.Errorf("rep two's /pulse:\n%s", got)
	}
	if got := shown(h.answer(h.slash(ciNoOne, ""))); !strings.Contains(got, "You're not in a team yet") {
		t.Errorf("a stranger's /pulse:\n%s", got)
	}
}

// Last week's open commitments wait in the rep's own /pulse with the same
// buttons as the meeting prompt, so none is left without a way to review
// it; pressing one stores the rep's word.
func TestStatusOffersARepLastWeeksOpenCommitmentsToReview(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	seedStatus(h, nordic)
	c := &pulse.Commitment{TeamID: nordic.ID, UserID: ciRep1, Week: ciMonday.AddDays(-7), Text: "Close the Hansen deal", Status: pulse.CommitmentOpen}
	if err := h.DB.SaveCommitment(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	r := h.answer(h.slash(ciRep1, ""))
	got := shown(r)
	for _, want := range []string{h.sentence("status.review_label", nil), "Close the Hansen deal"} {
		if !strings.Contains(got, blocksText([]byte(want))) {
			t.Errorf("the rep's /pulse lacks %q:\n%s", want, got)
		}
	}
	raw := r.allText()
	if !strings.Contains(raw, bot.ActionReviewKept) || !strings.Contains(raw, c.ID) {
		t.Fatalf("the rep's /pulse has no Kept button for %s:\n%s", c.ID, raw)
	}
	if strings.Count(raw, bot.ActionReviewKept) != 1 {
		t.Errorf("want exactly one review row, for last week's open commitment:\n%s", raw)
	}

	h.ack(h.press(ciRep1, bot.ActionReviewKept, c.ID, slack.Message{}), 1)
	stored, err := h.DB.Commitment(context.Background(), c.ID)
	if err != nil || stored.Status != pulse.CommitmentKept {
		t.Fatalf("after Kept the commitment is %+v, %v; want kept", stored, err)
	}
	if got := shown(h.answer(h.slash(ciRep1, ""))); strings.Contains(got, "Close the Hansen deal") {
		t.Errorf("a reviewed commitment is still offered for review:\n%s", got)
	}
}

func TestStatusForAManagerWhoIsAlsoARepShowsBoth(t *testing.T) {
	h := start(t)
	_, baltic := seedCheckIn(h)
	baltic.Reps = append(baltic.Reps, ciMgr1)
	if err := h.DB.UpdateTeam(context.Background(), baltic); err != nil {
		t.Fatal(err)
	}
	got := shown(h.answer(h.slash(ciMgr1, "")))
	if !strings.Contains(got, "Team Nordic today") || !strings.Contains(got, "Your pulse in Baltic") {
		t.Errorf("want Nordic's overview and the Baltic pulse:\n%s", got)
	}
}

func TestStatusOfOneRepIsForThemAndTheirManagersOnly(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	seedStatus(h, nordic)
	refusal := escaped(h.sentence("deny.rep", nil))
	tests := []struct {
		name, asker, text string
		want              []string
	}{
		{"the rep's manager sees the rep", ciMgr1, "<@UREPONE|anna>", []string{"Pulse in Nordic", "<@UREPONE>", "Call the Hansen account", "Last week's plan", "*1:1s*"}},
		{"the rep sees themself", ciRep1, "<@UREPONE>", []string{"Call the Hansen account"}},
		{"another rep of the team is refused", ciRep2, "<@UREPONE>", []string{refusal}},
		{"another team's manager is refused", ciMgrB, "<@UREPONE>", []string{refusal}},
		{"someone about a person no team knows gets the same refusal", ciMgr1, "<@UGHOST>", []string{refusal}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shown(h.answer(h.slash(tt.asker, tt.text)))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("/pulse %s from %s lacks %q:\n%s", tt.text, tt.asker, w, got)
				}
			}
			if tt.want[0] == refusal && strings.Contains(got, "Hansen") {
				t.Errorf("a refusal showed the rep's data:\n%s", got)
			}
		})
	}
}

func TestHomeShowsARepTheirPulseAndAManagerTheirTeams(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	seedStatus(h, nordic)
	for _, tt := range []struct{ user, want string }{
		{ciRep1, "Your pulse in Nordic"},
		{ciMgr1, "Team Nordic today"},
		{ciNoOne, "You're not in a team yet"},
	} {
		if _, err := h.Slack.SendEvent(t.Context(), "", slackevents.AppHomeOpenedEvent{Type: "app_home_opened", User: tt.user, Tab: "home"}); err != nil {
			t.Fatal(err)
		}
		h.waitFor("the Home of "+tt.user, func() bool { return h.countViews("views.publish", tt.user) > 0 })
		home := h.homeOf(tt.user)
		if !strings.Contains(blocksText(home), tt.want) {
			t.Errorf("%s's Home lacks %q:\n%s", tt.user, tt.want, home)
		}
	}
}

// homeOf returns the latest Home published for user.
func (h *harness) homeOf(user string) json.RawMessage {
	var last json.RawMessage
	for _, v := range h.Slack.Views() {
		if v.Method == "views.publish" && v.UserID == user {
			last = v.View
		}
	}
	return last
}

// blockCount counts the top-level blocks of a message or view.
func blockCount(tb testing.TB, raw json.RawMessage) int {
	tb.Helper()
	var v struct {
		Blocks []json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		tb.Fatalf("decode %s: %v", raw, err)
	}
	return len(v.Blocks)
}

func TestStatusOfA250RepTeamStaysInsideSlacksLimits(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	big := pulse.NewTeam("Enterprise", "Europe/Oslo")
	big.Managers = []string{ciMgr1}
	for i := range 250 {
		big.Reps = append(big.Reps, fmt.Sprintf("UBIG%05d", i))
	}
	for i := range pulse.MaxMetrics {
		big.Metrics = append(big.Metrics, pulse.Metric{Key: fmt.Sprintf("metric%d", i), Name: fmt.Sprintf("Metric number %d", i), Target: 10})
	}
	if err := h.DB.CreateTeam(ctx, big); err != nil {
		t.Fatal(err)
	}
	now := h.Clock.Now()
	long := strings.Repeat("The pricing tool times out again & again <b>. ", 60)
	for i := range 40 {
		if err := h.DB.SaveBlocker(ctx, &pulse.Blocker{TeamID: big.ID, UserID: big.Reps[i], Date: ciMonday, Text: long, Status: pulse.BlockerOpen, RaisedAt: now.Add(-time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	// Nine more teams led by the same manager: more than one message holds,
	// each with its overview and the manager's leadership pulse.
	for i := range 9 {
		t := pulse.NewTeam(fmt.Sprintf("Region %d", i), "Europe/Oslo")
		t.Managers, t.Reps = []string{ciMgr1}, []string{fmt.Sprintf("UREG%d", i)}
		if err := h.DB.CreateTeam(ctx, t); err != nil {
			h.tb.Fatal(err)
		}
	}

	id := h.slash(ciMgr1, "")
	r := h.answer(id)
	if h.ack(id, 1).Payload != nil {
		t.Errorf("the status of 250 reps was built before the ack; want it through the response_url")
	}
	if n := len(r.Blocks); n > 50 || n < 30 {
		t.Errorf("/pulse has %d blocks, want the most of 50 it can fill", n)
	}
	got := shown(r)
	for _, want := range []string{"0 of 250 today", "…and 190 more", "*40 open blockers:*", "…and 32 more", "*Pace against plan*", "…and 196 more.", "…and 4 more: see the App Home"} {
		if !strings.Contains(got, want) {
			t.Errorf("/pulse lacks %q:\n%s", want, got)
		}
	}

	if _, err := h.Slack.SendEvent(t.Context(), "", slackevents.AppHomeOpenedEvent{Type: "app_home_opened", User: ciMgr1, Tab: "home"}); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the manager's Home", func() bool { return h.countViews("views.publish", ciMgr1) > 0 })
	if n := blockCount(t, h.homeOf(ciMgr1)); n > 100 || n < 50 {
		t.Errorf("the Home has %d blocks, want at most 100 and all ten teams", n)
	}

	// The check-in modal of a rep of the big team: ten number inputs.
	h.slash(big.Reps[0], "checkin")
	_, raw := h.nthView("views.open", 1)
	if n := blockCount(t, raw); n != 16 {
		t.Errorf("the check-in modal with 10 metrics has %d blocks, want 16", n)
	}
	for i := range pulse.MaxMetrics {
		if !strings.Contains(string(raw), fmt.Sprintf(`"block_id":"metric_metric%d"`, i)) {
			t.Errorf("the modal lacks metric %d", i)
		}
	}
}
