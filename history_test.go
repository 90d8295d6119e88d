package pulse_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// historyTeam is goodTeam with an ID: a history counts only its own team's records.
func historyTeam() *pulse.Team {
	t := goodTeam()
	t.ID = "t1"
	return t
}

func TestHistoryCountsEachRecordInItsWeek(t *testing.T) {
	team := historyTeam()
	today := pulse.MustDate("2026-03-18") // a Wednesday
	h := pulse.NewHistory(team, "", 4, today)
	if got, want := h.From(), pulse.MustDate("2026-02-23"); got != want {
		t.Fatalf("from %s, want %s (the Monday three weeks before this one)", got, want)
	}
	oslo := team.Location()
	at := func(day string, hour int) time.Time {
		d := pulse.MustDate(day)
		return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, oslo)
	}
	checkIns := []pulse.CheckIn{
		{TeamID: "t1", UserID: "UREP00001", Date: pulse.MustDate("2026-02-23"), Status: pulse.CheckInOnTime, Energy: 4, Metrics: map[string]float64{"calls": 30}},
		{TeamID: "t1", UserID: "UREP00002", Date: pulse.MustDate("2026-02-23"), Status: pulse.CheckInMissed},
		{TeamID: "t1", UserID: "UREP00002", Date: pulse.MustDate("2026-03-16"), Status: pulse.CheckInLate, Energy: 2, Metrics: map[string]float64{"calls": 10, "meetings": 1}},
		{TeamID: "t1", UserID: "UREP00001", Date: pulse.MustDate("2026-02-22"), Status: pulse.CheckInOnTime, Energy: 5}, // the Sunday before: outside
		{TeamID: "t1", UserID: "UREP00001", Date: pulse.MustDate("2026-03-19"), Status: pulse.CheckInOnTime, Energy: 5}, // tomorrow: not counted
		{TeamID: "t2", UserID: "UREP00001", Date: pulse.MustDate("2026-03-16"), Status: pulse.CheckInOnTime, Energy: 1}, // another team's
	}
	for i := range checkIns {
		f := checkIns[i].Figures(nil)
		h.AddFigures(&f)
	}
	for _, c := range []pulse.Commitment{
		{TeamID: "t1", UserID: "UREP00001", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentKept},
		{TeamID: "t1", UserID: "UREP00002", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentPartly},
		{TeamID: "t1", UserID: "UREP00002", Week: pulse.MustDate("2026-03-02"), Status: pulse.CommitmentMissed},
		{TeamID: "t1", UserID: "UREP00002", Week: pulse.MustDate("2026-03-16"), Status: pulse.CommitmentOpen},
	} {
		h.AddCommitment(&c)
	}
	for _, n := range []pulse.Nudge{
		{TeamID: "t1", UserID: "UREP00001", SentAt: at("2026-03-09", 9), Response: pulse.NudgeApplied},
		{TeamID: "t1", UserID: "UREP00002", SentAt: at("2026-03-09", 9), Response: pulse.NudgeNotYet},
		{TeamID: "t1", UserID: "UREP00002"}, // not sent yet
	} {
		h.AddNudge(&n)
	}
	h.AddKudos(&pulse.Kudos{TeamID: "t1", To: "UREP00001", CreatedAt: at("2026-03-01", 23)}) // Sunday night in Oslo
	h.AddBlocker(&pulse.Blocker{TeamID: "t1", UserID: "UREP00001", Date: pulse.MustDate("2026-02-25"), Status: pulse.BlockerResolved, ResolvedAt: at("2026-03-10", 12)})
	h.AddBlocker(&pulse.Blocker{TeamID: "t1", UserID: "UREP00002", Date: pulse.MustDate("2026-03-17"), Status: pulse.BlockerOpen})

	w := h.Weeks
	if p, ok := w[0].Participation(); !ok || p != 0.5 {
		t.Errorf("week 1 participation %v %v, want 0.5", p, ok)
	}
	if _, ok := w[1].Participation(); ok {
		t.Error("week 2 has a participation without a check-in due")
	}
	if e, _ := w[3].MeanEnergy(); e != 2 {
		t.Errorf("this week's energy %v, want 2 (tomorrow's and the other team's check-ins left out)", e)
	}
	if w[0].Actual[0] != 30 || w[0].Plan[0] != 200 {
		t.Errorf("week 1 calls %v of %v, want 30 of 200 (100 a rep, 2 reps)", w[0].Actual[0], w[0].Plan[0])
	}
	if r, _ := w[1].KeptRate(); r != 0.5 {
		t.Errorf("week 2 kept %v, want 0.5 (kept, half, missed)", r)
	}
	if w[3].OpenCommitments != 1 {
		t.Errorf("this week's open commitments %d, want 1", w[3].OpenCommitments)
	}
	if r, ok := w[2].AppliedRate(); !ok || r != 0.5 {
		t.Errorf("week 3 applied %v %v, want 0.5", r, ok)
	}
	if w[0].Kudos != 1 || w[1].Kudos != 0 {
		t.Errorf("kudos %d, %d: want the Sunday-night kudos in week 1, by Oslo's calendar", w[0].Kudos, w[1].Kudos)
	}
	var open []int
	for _, wk := range w {
		open = append(open, wk.BlockersOpen)
	}
	if want := []int{1, 1, 0, 1}; !sameInts(open, want) {
		t.Errorf("open blockers by week %v, want %v", open, want)
	}
	if w[3].BlockersRaised != 1 {
		t.Errorf("raised this week %d, want 1", w[3].BlockersRaised)
	}
}

func TestARepsHistoryCountsOnlyThem(t *testing.T) {
	team := historyTeam()
	today := pulse.MustDate("2026-03-18")
	h := pulse.NewHistory(team, "UREP00002", 13, today)
	if len(h.Weeks) != 13 {
		t.Fatalf("%d weeks, want 13", len(h.Weeks))
	}
	for _, c := range []pulse.CheckIn{
		{TeamID: "t1", UserID: "UREP00001", Date: today, Status: pulse.CheckInOnTime, Energy: 5, Metrics: map[string]float64{"calls": 50}},
		{TeamID: "t1", UserID: "UREP00002", Date: today, Status: pulse.CheckInOnTime, Energy: 3, Metrics: map[string]float64{"calls": 20}},
	} {
		f := c.Figures(nil)
		h.AddFigures(&f)
	}
	h.AddKudos(&pulse.Kudos{TeamID: "t1", To: "UREP00001", CreatedAt: time.Date(2026, 3, 17, 12, 0, 0, 0, time.UTC)})
	last := h.Weeks[12]
	if e, _ := last.MeanEnergy(); e != 3 || last.Actual[0] != 20 || last.Plan[0] != 100 || last.Kudos != 0 {
		t.Errorf("rep's week: energy %v, calls %v of %v, kudos %d; want 3, 20 of 100, 0", e, last.Actual[0], last.Plan[0], last.Kudos)
	}
	if r, ok := last.OfPlan(0); !ok || r != 0.2 {
		t.Errorf("of plan %v %v, want 0.2", r, ok)
	}
	if _, ok := h.Weeks[0].OfPlan(0); ok {
		t.Error("a week nobody checked in reads as 0 % of plan, not as no data")
	}
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestHistoryCountsFeedbackAndTheRepsGivenIt(t *testing.T) {
	team := historyTeam()
	h := pulse.NewHistory(team, "", 2, pulse.MustDate("2026-03-18"))
	oslo := team.Location()
	for _, f := range []pulse.Feedback{
		{TeamID: "t1", RepID: "UREP00001", From: "UMANAGER1", At: time.Date(2026, 3, 10, 9, 0, 0, 0, oslo)},
		{TeamID: "t1", RepID: "UREP00001", From: "UMANAGER1", At: time.Date(2026, 3, 11, 9, 0, 0, 0, oslo)},
		{TeamID: "t1", RepID: "UREP00002", From: "UMANAGER1", At: time.Date(2026, 3, 15, 23, 30, 0, 0, oslo)}, // Sunday night in Oslo
		{TeamID: "t1", RepID: "UREP00002", From: "UMANAGER1", At: time.Date(2026, 3, 16, 9, 0, 0, 0, oslo)},
		{TeamID: "t2", RepID: "UREP00002", From: "UMANAGER1", At: time.Date(2026, 3, 16, 9, 0, 0, 0, oslo)}, // another team's
	} {
		h.AddFeedback(&f)
	}
	if w := h.Weeks[0]; w.Feedback != 3 || w.FeedbackReps != 2 {
		t.Errorf("last week: %d pieces to %d reps, want 3 to 2", w.Feedback, w.FeedbackReps)
	}
	if w := h.Weeks[1]; w.Feedback != 1 || w.FeedbackReps != 1 {
		t.Errorf("this week: %d pieces to %d reps, want 1 to 1", w.Feedback, w.FeedbackReps)
	}
}
