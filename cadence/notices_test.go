package cadence_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
)

// saveCheckIn stores an answered check-in of rep for day.
func (f *fixture) saveCheckIn(rep string, day pulse.Date, energy int, plan string) {
	f.t.Helper()
	c := &pulse.CheckIn{TeamID: f.team.ID, UserID: rep, Date: day, Status: pulse.CheckInOnTime, Plan: plan, Energy: energy, Metrics: map[string]float64{"calls": 10}}
	if err := f.db.SaveCheckIn(bg, c); err != nil {
		f.t.Fatalf("save check-in: %v", err)
	}
}

// only returns the one notice delivered for key.
func (f *fixture) only(key pulse.JobKey) pulse.Notice {
	f.t.Helper()
	var found []pulse.Notice
	for _, n := range f.slack.notices(key.Kind) {
		if n.Key == key {
			found = append(found, n.Notice)
		}
	}
	if len(found) != 1 {
		f.t.Fatalf("%d notices for %s, want 1", len(found), key)
	}
	return found[0]
}

func TestCheckInAndReminderNotices(t *testing.T) {
	f := newFixture(t, utc("2026-03-10 07:00"), func(team *pulse.Team) { team.Reps = []string{oslo}; team.Channel = "" }, cadence.Options{})
	f.saveCheckIn(oslo, pulse.MustDate("2026-03-06"), 4, "Warm leads")
	f.saveCheckIn(oslo, pulse.MustDate("2026-03-09"), 4, "Call Acme")
	tue, wed := pulse.MustDate("2026-03-10"), pulse.MustDate("2026-03-11")

	f.tickAt(utc("2026-03-10 08:00"))
	n := f.only(pulse.CheckInKey(f.team.ID, oslo, tue))
	want := pulse.CheckInNotice{Rep: oslo, Date: tue, Goal: "Buy a boat", PrevDate: pulse.MustDate("2026-03-09"), PrevPlan: "Call Acme", Streak: 2}
	got := n.Payload.(pulse.CheckInNotice)
	// The team's 40 calls a week is Ola's plan: Monday is gone of five days.
	if got.Pace == nil || got.Pace.Metric != "calls" || got.Pace.Period != pulse.PeriodWeek || got.Pace.Target != 40 || got.Pace.Gone != 1 {
		t.Errorf("check-in notice's pace %+v, want this week's calls against 40, Monday gone", got.Pace)
	}
	got.Pace = nil
	if got != want || n.To != oslo || n.Lang != pulse.Norwegian {
		t.Errorf("check-in notice to %s in %s: %+v, want to %s in nb: %+v", n.To, n.Lang, got, oslo, want)
	}

	f.tickAt(utc("2026-03-10 10:00"))
	r := f.only(pulse.ReminderKey(f.team.ID, oslo, tue)).Payload.(pulse.ReminderNotice)
	checkIn := f.job(pulse.CheckInKey(f.team.ID, oslo, tue))
	if r.Rep != oslo || r.Date != tue || r.CheckIn.Channel != checkIn.Channel || r.CheckIn.TS != checkIn.TS || r.CheckIn.TS == "" {
		t.Errorf("reminder %+v, want it to follow the check-in message %s/%s", r, checkIn.Channel, checkIn.TS)
	}

	// Answered on Wednesday before being asked: no check-in, no reminder.
	f.clock.Set(utc("2026-03-11 07:30"))
	f.checkIn(oslo, wed, 5, "Close Beta")
	f.walk(utc("2026-03-11 12:00"), 30*time.Minute, nil)
	if j := f.job(pulse.CheckInKey(f.team.ID, oslo, wed)); j.State != pulse.JobSkipped {
		t.Errorf("Wednesday's check-in is %s in the ledger, want skipped", j.State)
	}
	if n := len(f.slack.notices(pulse.JobCheckIn, pulse.JobReminder)); n != 2 {
		t.Errorf("%d check-ins and reminders delivered, want Tuesday's check-in and reminder only", n)
	}
}

func TestMeetingPromptNotice(t *testing.T) {
	f := newFixture(t, utc("2026-03-16 07:00"), nil, cadence.Options{})
	lastWeek, week := pulse.MustDate("2026-03-09"), pulse.MustDate("2026-03-16")
	for _, c := range []*pulse.Commitment{
		{UserID: oslo, Week: lastWeek, Text: "Ten demos", Status: pulse.CommitmentKept},
		{UserID: newYork, Week: lastWeek, Text: "Five proposals", Status: pulse.CommitmentPartly},
		{UserID: tokyo, Week: week, Text: "This week's", Status: pulse.CommitmentOpen},
	} {
		c.TeamID = f.team.ID
		if err := f.db.SaveCommitment(bg, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range []*pulse.Blocker{
		{UserID: newYork, Date: pulse.MustDate("2026-03-12"), Text: "No CRM access", Status: pulse.BlockerOpen},
		{UserID: oslo, Date: pulse.MustDate("2026-03-11"), Text: "Fixed", Status: pulse.BlockerResolved},
	} {
		b.TeamID = f.team.ID
		if err := f.db.SaveBlocker(bg, b); err != nil {
			t.Fatal(err)
		}
	}
	f.training(pulse.MustDate("2026-02-01"), nil, oslo)
	focus := f.training(pulse.MustDate("2026-03-02"), nil, oslo, newYork)

	f.tickAt(utc("2026-03-16 08:30")) // 09:30 Oslo, half an hour before the meeting
	n := f.only(pulse.MeetingKey(f.team.ID, week))
	p := n.Payload.(pulse.MeetingNotice)
	if n.To != channel || p.Week != week || p.LastWeek != lastWeek || !p.MeetingAt.Equal(utc("2026-03-16 09:00")) {
		t.Errorf("meeting prompt to %s for week %s reviewing %s at %s, want %s, %s, %s, 09:00 UTC", n.To, p.Week, p.LastWeek, p.MeetingAt, channel, week, lastWeek)
	}
	var reps []string
	var texts []string
	for _, rc := range p.Reps {
		reps = append(reps, rc.Rep)
		for _, c := range rc.Commitments {
			texts = append(texts, rc.Rep+": "+c.Text+" ("+string(c.Status)+")")
		}
	}
	if !slices.Equal(reps, []string{oslo, newYork, tokyo}) || !slices.Equal(texts, []string{"UOSLO: Ten demos (kept)", "UNYC: Five proposals (partly)"}) {
		t.Errorf("commitments %v of reps %v, want last week's kept and partly of UOSLO, UNYC and none of UTOKYO", texts, reps)
	}
	if len(p.OpenBlockers) != 1 || p.OpenBlockers[0].Text != "No CRM access" {
		t.Errorf("open blockers %+v, want the one about CRM access", p.OpenBlockers)
	}
	if p.Focus == nil || p.Focus.ID != focus.ID {
		t.Errorf("focus %+v, want the training of 2026-03-02", p.Focus)
	}
}

func TestNudgesOneOnOnesAndBlockerFollowUps(t *testing.T) {
	f := newFixture(t, utc("2026-03-05 07:00"), func(team *pulse.Team) { team.Reps = []string{oslo, newYork}; team.Channel = "" }, cadence.Options{})
	tr := f.training(pulse.MustDate("2026-03-05"), nil, oslo) // Thursday; day 2 is a Saturday
	if err := f.db.SaveSession(bg, &pulse.CoachingSession{TeamID: f.team.ID, RepID: oslo, ManagerID: boss, Date: pulse.MustDate("2026-03-02")}); err != nil {
		t.Fatal(err)
	}
	blocker := &pulse.Blocker{TeamID: f.team.ID, UserID: oslo, Date: pulse.MustDate("2026-03-09"), Text: "Pricing unclear", Status: pulse.BlockerOpen}
	if err := f.db.SaveBlocker(bg, blocker); err != nil {
		t.Fatal(err)
	}

	f.tickAt(f.clock.Now())
	f.walk(utc("2026-03-20 00:00"), time.Hour, func(now time.Time) {
		switch now {
		case utc("2026-03-12 12:00"): // the rep applied it after the day-7 nudge
			n, err := f.db.Nudge(bg, tr.ID, oslo, 7)
			if err != nil {
				t.Fatalf("day-7 nudge: %v", err)
			}
			n.Response, n.Report, n.AnsweredAt = pulse.NudgeApplied, "Asked about budget first", now
			if err := f.db.SaveNudge(bg, n); err != nil {
				t.Fatal(err)
			}
		case utc("2026-03-13 09:00"):
			if _, err := f.db.UpdateBlocker(bg, blocker.ID, func(b *pulse.Blocker) error {
				b.Status, b.ResolvedBy, b.ResolvedAt = pulse.BlockerResolved, boss, now
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		case utc("2026-03-16 12:00"):
			if err := f.db.SaveSession(bg, &pulse.CoachingSession{TeamID: f.team.ID, RepID: oslo, ManagerID: boss, Date: pulse.MustDate("2026-03-16")}); err != nil {
				t.Fatal(err)
			}
		}
	})
	id := f.team.ID
	assertSent(t, f.sentAt(pulse.JobNudge, pulse.JobCoachingDue, pulse.JobBlockerFollowUp), map[string]string{
		pulse.NudgeKey(id, oslo, tr.ID, 2).String():  "2026-03-09 08:00", // Saturday → Monday
		pulse.NudgeKey(id, oslo, tr.ID, 7).String():  "2026-03-12 08:00",
		pulse.NudgeKey(id, oslo, tr.ID, 14).String(): "2026-03-19 08:00",
		// Last 1:1 on 2 March: due 16 March. New York never had one:
		// counted from the team's creation on 5 March, due 19 March.
		pulse.CoachingKey(id, boss, oslo, pulse.MustDate("2026-03-16")).String():    "2026-03-16 08:00",
		pulse.CoachingKey(id, boss, newYork, pulse.MustDate("2026-03-19")).String(): "2026-03-19 08:00",
		// Raised Monday, limit 2: followed up on Thursday, resolved Friday.
		pulse.BlockerKey(id, oslo, blocker.ID, 3).String(): "2026-03-12 08:00",
		pulse.BlockerKey(id, boss, blocker.ID, 3).String(): "2026-03-12 08:00",
	})

	nudge := f.only(pulse.NudgeKey(id, oslo, tr.ID, 2)).Payload.(pulse.NudgeNotice)
	if want := (pulse.NudgeNotice{Rep: oslo, TrainingID: tr.ID, Skill: "Objection handling", TrainingDate: tr.Date, Day: 2, Date: pulse.MustDate("2026-03-09")}); nudge != want {
		t.Errorf("nudge %+v, want %+v", nudge, want)
	}
	nudges, err := f.db.TrainingNudges(bg, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rate, ok := pulse.ImplementationRate(nudges); !ok || math.Abs(rate-1.0/3) > 1e-9 {
		t.Errorf("implementation rate %v (%v) over %+v, want 1/3: three nudges sent, one applied", rate, ok, nudges)
	}

	coaching := f.only(pulse.CoachingKey(id, boss, oslo, pulse.MustDate("2026-03-16"))).Payload.(pulse.CoachingNotice)
	if want := (pulse.CoachingNotice{Rep: oslo, LastDate: pulse.MustDate("2026-03-02"), DaysSince: 14, Cadence: 14}); coaching != want {
		t.Errorf("1:1 reminder %+v, want %+v", coaching, want)
	}
	never := f.only(pulse.CoachingKey(id, boss, newYork, pulse.MustDate("2026-03-19"))).Payload.(pulse.CoachingNotice)
	if !never.LastDate.IsZero() || never.DaysSince != 14 {
		t.Errorf("1:1 reminder %+v, want no last 1:1 and 14 days since the team began", never)
	}

	for _, to := range []string{oslo, boss} {
		b := f.only(pulse.BlockerKey(id, to, blocker.ID, 3)).Payload.(pulse.BlockerNotice)
		if b.Blocker.ID != blocker.ID || b.WorkdaysOpen != 3 || b.ToManager != (to == boss) {
			t.Errorf("follow-up to %s %+v, want blocker %s after 3 workdays, to a manager: %v", to, b, blocker.ID, to == boss)
		}
	}
}

func TestWeeklySummaryNotice(t *testing.T) {
	seed := func(f *fixture) {
		week := pulse.MustDate("2026-03-09")
		// Oslo answers all five days, New York Monday to Wednesday,
		// Tokyo never: 8 of 15.
		for i := range 5 {
			f.saveCheckIn(oslo, week.AddDays(i), 4, "Plan")
		}
		for i := range 3 {
			f.saveCheckIn(newYork, week.AddDays(i), 2, "Plan")
		}
		for _, c := range []*pulse.Commitment{
			{UserID: oslo, Week: pulse.MustDate("2026-03-02"), Text: "Demos", Status: pulse.CommitmentKept},
			{UserID: tokyo, Week: pulse.MustDate("2026-03-02"), Text: "Calls", Status: pulse.CommitmentMissed},
		} {
			c.TeamID = f.team.ID
			if err := f.db.SaveCommitment(bg, c); err != nil {
				t.Fatal(err)
			}
		}
		for _, k := range []*pulse.Kudos{
			{From: boss, To: oslo, Text: "Great demo", CreatedAt: utc("2026-03-10 12:00")},
			{From: oslo, To: newYork, Text: "Thanks", CreatedAt: utc("2026-03-12 12:00")},
			{From: oslo, To: tokyo, Text: "Last week", CreatedAt: utc("2026-03-06 12:00")},
		} {
			k.TeamID = f.team.ID
			if err := f.db.SaveKudos(bg, k); err != nil {
				t.Fatal(err)
			}
		}
		tr := f.training(pulse.MustDate("2026-03-02"), []int{2, 7}, oslo)
		for _, n := range []*pulse.Nudge{
			{TrainingID: tr.ID, UserID: oslo, Day: 2, SentAt: utc("2026-03-04 08:00"), Response: pulse.NudgeApplied, Report: "Used it"},
			{TrainingID: tr.ID, UserID: oslo, Day: 7, SentAt: utc("2026-03-09 08:00")},
		} {
			if err := f.db.SaveNudge(bg, n); err != nil {
				t.Fatal(err)
			}
		}
		for _, b := range []*pulse.Blocker{
			{TeamID: f.team.ID, UserID: newYork, Date: pulse.MustDate("2026-03-10"), Text: "Demo account", Status: pulse.BlockerOpen},
			// Raised months before, resolved in the week: counted resolved.
			{TeamID: f.team.ID, UserID: oslo, Date: pulse.MustDate("2025-12-01"), Text: "Pricing", Status: pulse.BlockerResolved, ResolvedBy: "UMGR", ResolvedAt: utc("2026-03-11 12:00")},
			// Resolved the week before: not counted.
			{TeamID: f.team.ID, UserID: oslo, Date: pulse.MustDate("2026-03-02"), Text: "Licence", Status: pulse.BlockerResolved, ResolvedBy: "UMGR", ResolvedAt: utc("2026-03-04 12:00")},
		} {
			if err := f.db.SaveBlocker(bg, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name          string
		setup         func(*pulse.Team)
		at            string
		key           pulse.Date // the Monday of the week it is posted in
		week, through string
		due, answered int
	}{
		{"a Friday summary counts its own week through Friday", nil, "2026-03-13 15:00", pulse.MustDate("2026-03-09"), "2026-03-09", "2026-03-13", 15, 8},
		{"a Monday summary counts the whole week before", func(t *pulse.Team) { t.SummaryDay, t.SummaryTime = time.Monday, pulse.MustTime("08:00") }, "2026-03-16 07:00", pulse.MustDate("2026-03-16"), "2026-03-09", "2026-03-15", 15, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, utc(tt.at), tt.setup, cadence.Options{})
			seed(f)
			f.tickAt(utc(tt.at))
			n := f.only(pulse.SummaryKey(f.team.ID, tt.key))
			s := n.Payload.(pulse.SummaryNotice).Summary
			if n.To != channel || s.TeamID != f.team.ID || s.Week != pulse.MustDate(tt.week) || s.Through != pulse.MustDate(tt.through) {
				t.Errorf("summary to %s of team %s, week %s through %s; want to %s, week %s through %s", n.To, s.TeamID, s.Week, s.Through, channel, tt.week, tt.through)
			}
			ints := []struct {
				name      string
				got, want int
			}{
				{"due", s.Due, tt.due},
				{"answered", s.Answered, tt.answered},
				{"kudos", s.Kudos, 2},
				{"commitments reviewed", s.Reviewed, 2},
				{"commitments kept", s.Kept, 1},
				{"nudges sent", s.NudgesSent, 2},
				{"nudges applied", s.NudgesApplied, 1},
				{"blockers raised", s.BlockersRaised, 1},
				{"blockers resolved", s.BlockersResolved, 1},
			}
			for _, c := range ints {
				if c.got != c.want {
					t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
				}
			}
			floats := []struct {
				name      string
				got, want float64
			}{
				{"participation", s.Participation, 8.0 / 15},
				{"energy", s.Energy, (5*4 + 3*2) / 8.0},
				{"commitments kept rate", s.CommitmentsKept, 0.5},
				{"implementation", s.Implementation, 0.5},
			}
			for _, c := range floats {
				if math.Abs(c.got-c.want) > 1e-9 {
					t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				}
			}
			if want := []pulse.MetricTotal{{Key: "calls", Name: "Calls", Total: 80, Target: 120}}; !slices.Equal(s.Metrics, want) {
				t.Errorf("metrics %+v, want %+v", s.Metrics, want)
			}
			if want := []pulse.RepStreak{{Rep: oslo, Days: 5}}; !slices.Equal(s.Streaks, want) {
				t.Errorf("streaks %+v, want %+v", s.Streaks, want)
			}
		})
	}
}

func TestDailyThreadNotice(t *testing.T) {
	f := newFixture(t, utc("2026-03-10 00:00"), func(team *pulse.Team) { team.DailyThread = true }, cadence.Options{})
	f.tickAt(utc("2026-03-10 00:00")) // Tokyo's 09:00 opens Tuesday's thread
	key := pulse.DailyThreadKey(f.team.ID, pulse.MustDate("2026-03-10"))
	n := f.only(key)
	p := n.Payload.(pulse.DailyThreadNotice)
	if n.To != channel || p.Date != pulse.MustDate("2026-03-10") || !slices.Equal(p.Reps, []string{oslo, newYork, tokyo}) {
		t.Errorf("thread to %s: %+v, want to %s for 2026-03-10 with all three reps", n.To, p, channel)
	}
	// The bot finds the parent of the day's replies in the ledger.
	if j := f.job(key); j.State != pulse.JobSent || j.Channel != channel || j.TS == "" {
		t.Errorf("thread parent in the ledger: %+v, want sent in %s with a message timestamp", j, channel)
	}
}
