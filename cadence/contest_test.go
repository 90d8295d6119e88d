package cadence_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
)

// contestWeek starts a fixture on Monday 2 March 2026 with a contest on
// calls over that week, and returns it.
func contestWeek(t *testing.T, kind pulse.ContestKind) (*fixture, *pulse.Contest) {
	t.Helper()
	f := newFixture(t, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), nil, cadence.Options{})
	c := &pulse.Contest{TeamID: f.team.ID, Name: "Most calls", Metric: "calls", Kind: kind, Target: 30,
		Start: pulse.MustDate("2026-03-02"), End: pulse.MustDate("2026-03-06"), Prize: "Dinner", CreatedBy: boss, Channel: channel}
	if err := f.db.SaveContest(bg, c); err != nil {
		t.Fatal(err)
	}
	return f, c
}

// calls stores rep's answered check-in of day with n calls.
func (f *fixture) calls(rep, day string, n float64) {
	f.t.Helper()
	c := &pulse.CheckIn{TeamID: f.team.ID, UserID: rep, Date: pulse.MustDate(day), Status: pulse.CheckInLate, Energy: 3, Results: "calls", Plan: "more calls",
		SubmittedAt: f.clock.Now(), UpdatedAt: f.clock.Now(), Metrics: map[string]float64{"calls": n}}
	if err := f.db.SaveCheckIn(bg, c); err != nil {
		f.t.Fatal(err)
	}
}

func standingsOf(t *testing.T, n pulse.Notice) pulse.ContestNotice {
	t.Helper()
	p, ok := n.Payload.(pulse.ContestNotice)
	if !ok {
		t.Fatalf("%s carries %T", n.Key, n.Payload)
	}
	return p
}

func TestContestStandingsPostedOnceThenUpdatedDaily(t *testing.T) {
	f, c := contestWeek(t, pulse.ContestTotal)
	days := map[string]func(){
		"2026-03-02": func() { f.calls(oslo, "2026-03-02", 10); f.calls(newYork, "2026-03-02", 12) },
		// Tuesday: Ola's Monday is edited late, to 14, and Taro answers.
		"2026-03-03": func() { f.calls(oslo, "2026-03-02", 14); f.calls(tokyo, "2026-03-03", 5) },
		// Wednesday: Nia leaves the team, and with it the contest.
		"2026-03-04": func() {
			f.team.Reps = []string{oslo, tokyo}
			if err := f.db.UpdateTeam(bg, f.team); err != nil {
				t.Fatal(err)
			}
		},
		"2026-03-05": func() { f.calls(tokyo, "2026-03-05", 8) },
	}
	f.walk(time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC), time.Hour, func(now time.Time) {
		if now.Hour() == 8 {
			if fn := days[pulse.DateOf(now).String()]; fn != nil {
				fn()
			}
		}
	})
	// Each workday at 16:00 in Oslo (15:00 UTC), the end on Friday.
	assertSent(t, f.sentAt(pulse.JobContestStandings, pulse.JobContestEnd), map[string]string{
		pulse.ContestStandingsKey(f.team.ID, c.ID, pulse.MustDate("2026-03-02")).String(): "2026-03-02 15:00",
		pulse.ContestStandingsKey(f.team.ID, c.ID, pulse.MustDate("2026-03-03")).String(): "2026-03-03 15:00",
		pulse.ContestStandingsKey(f.team.ID, c.ID, pulse.MustDate("2026-03-04")).String(): "2026-03-04 15:00",
		pulse.ContestStandingsKey(f.team.ID, c.ID, pulse.MustDate("2026-03-05")).String(): "2026-03-05 15:00",
		pulse.ContestStandingsKey(f.team.ID, c.ID, pulse.MustDate("2026-03-06")).String(): "2026-03-06 15:00",
		pulse.ContestEndKey(f.team.ID, c.ID).String():                                     "2026-03-06 15:00",
	})
	sent := f.slack.notices(pulse.JobContestStandings)
	first := f.job(sent[0].Key)
	if p := standingsOf(t, sent[0].Notice); p.Message.TS != "" {
		t.Errorf("Monday's standings update %v; want the first post", p.Message)
	}
	for _, n := range sent[1:] {
		if p := standingsOf(t, n.Notice); p.Message.TS != first.TS || p.Message.Channel != first.Channel {
			t.Errorf("%s goes to %+v; want an update of Monday's message %s", n.Key, p.Message, first.TS)
		}
	}
	leader := func(i int) string {
		st := standingsOf(t, sent[i].Notice).Standings
		return st[0].Rep
	}
	if leader(0) != newYork || leader(1) != oslo {
		t.Errorf("leaders Monday %s, Tuesday %s; want Nia, then Ola by her late edit", leader(0), leader(1))
	}
	for _, s := range standingsOf(t, sent[2].Notice).Standings {
		if s.Rep == newYork {
			t.Errorf("Wednesday's standings still hold Nia, who left the team")
		}
	}
	end := f.slack.notices(pulse.JobContestEnd)[0].Payload.(pulse.ContestEndNotice)
	if len(end.Winners) != 1 || end.Winners[0].Rep != oslo {
		t.Errorf("winners %+v", end.Winners)
	}
	kudos, err := f.db.TeamKudos(bg, f.team.ID, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(kudos) != 1 || kudos[0].To != oslo || kudos[0].From != boss {
		t.Errorf("kudos %+v; want one, from the manager to Ola (14 calls)", kudos)
	}

	// A restarted process on the same database sends none of it again.
	f.engine = f.newEngine("run-2", cadence.Options{})
	f.tickAt(time.Date(2026, 3, 6, 15, 30, 0, 0, time.UTC))
	if n := len(f.slack.notices(pulse.JobContestStandings, pulse.JobContestEnd)); n != 6 {
		t.Errorf("after a restart %d contest messages; want the 6 sent", n)
	}
}

func TestContestEndRetriedGivesKudosOnce(t *testing.T) {
	f, c := contestWeek(t, pulse.ContestTotal)
	f.calls(oslo, "2026-03-02", 10)
	f.calls(tokyo, "2026-03-02", 10)
	f.clock.Set(time.Date(2026, 3, 6, 14, 0, 0, 0, time.UTC))
	f.slack.mu.Lock()
	f.slack.failNext, f.slack.postFirst = 1, false
	f.slack.mu.Unlock()
	f.tickAt(time.Date(2026, 3, 6, 15, 0, 0, 0, time.UTC))
	f.walk(time.Date(2026, 3, 6, 18, 0, 0, 0, time.UTC), 10*time.Minute, nil)
	ends := f.slack.notices(pulse.JobContestEnd)
	if len(ends) != 1 {
		t.Fatalf("the end was announced %d times; want once after the retry", len(ends))
	}
	if w := ends[0].Payload.(pulse.ContestEndNotice).Winners; len(w) != 2 {
		t.Errorf("winners %+v; want Ola and Taro sharing first place", w)
	}
	kudos, _ := f.db.TeamKudos(bg, f.team.ID, time.Time{}, time.Time{})
	if len(kudos) != 2 {
		t.Errorf("kudos %+v; want one for each winner, whatever the retries", kudos)
	}
	if j := f.job(pulse.ContestEndKey(f.team.ID, c.ID)); j.State != pulse.JobSent {
		t.Errorf("end job %s", j.State)
	}
}

func TestCancelledContestSendsNothingMore(t *testing.T) {
	f, c := contestWeek(t, pulse.ContestFirstTo)
	f.calls(oslo, "2026-03-02", 40)
	f.walk(time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC), time.Hour, nil)
	if _, err := f.db.UpdateContest(bg, c.ID, func(c *pulse.Contest) error { c.Cancelled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	f.walk(time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC), time.Hour, nil)
	assertSent(t, f.sentAt(pulse.JobContestStandings, pulse.JobContestEnd), map[string]string{
		pulse.ContestStandingsKey(f.team.ID, c.ID, pulse.MustDate("2026-03-02")).String(): "2026-03-02 15:00",
	})
}
