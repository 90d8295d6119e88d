package pulse_test

import (
	"math"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func planTeam(holidays ...string) *pulse.Team {
	t := pulse.NewTeam("Nord", "Europe/Oslo")
	t.ID = "t1"
	t.Managers = []string{"UMGR"}
	t.Reps = []string{"UANNA", "UOLE"}
	t.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 250}, {Key: "notes", Name: "Notes"}}
	for _, h := range holidays {
		t.Holidays = append(t.Holidays, pulse.MustDate(h))
	}
	return t
}

// noon is midday of day in Oslo, well away from any day's edge.
func noon(day string) time.Time {
	return pulse.MustDate(day).At(pulse.MustTime("12:00"), planZone("Europe/Oslo"))
}

func planZone(name string) *time.Location {
	loc, err := pulse.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func plan(metric string, period pulse.Period, start string, target float64) pulse.Plan {
	return pulse.Plan{TeamID: "t1", UserID: "UANNA", Metric: metric, Period: period, Start: pulse.MustDate(start), Target: target}
}

func TestComputePace(t *testing.T) {
	oslo := planZone("Europe/Oslo")
	ny := planZone("America/New_York")
	tests := []struct {
		name    string
		team    *pulse.Team
		in      pulse.PaceInput
		target  float64
		explict bool
		days    int
		gone    int
		onTrack bool
	}{
		{
			name: "on the month's last day all 22 workdays are gone and the whole plan is due",
			team: planTeam(),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodMonth, Now: noon("2026-03-31"), Zone: oslo, AnsweredToday: true,
				Plans: []pulse.Plan{plan("calls", pulse.PeriodMonth, "2026-03-01", 1000)}, Done: 1000},
			target: 1000, explict: true, days: 22, gone: 22, onTrack: true,
		},
		{
			name: "one call short on the month's last day is behind",
			team: planTeam(),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodMonth, Now: noon("2026-03-31"), Zone: oslo, AnsweredToday: true,
				Plans: []pulse.Plan{plan("calls", pulse.PeriodMonth, "2026-03-01", 1000)}, Done: 999},
			target: 1000, explict: true, days: 22, gone: 22, onTrack: false,
		},
		{
			name: "the month's first morning starts afresh: last month's plan does not apply and nothing is gone",
			team: planTeam(),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodMonth, Now: noon("2026-04-01"), Zone: oslo,
				Plans: []pulse.Plan{plan("calls", pulse.PeriodMonth, "2026-03-01", 1000)}},
			target: 250 * 22.0 / 5, days: 22, gone: 0, onTrack: true,
		},
		{
			name: "a quarter's end holds the rep to the quarter's plan over its 64 workdays",
			team: planTeam(),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodQuarter, Now: noon("2026-03-31"), Zone: oslo, AnsweredToday: true,
				Plans: []pulse.Plan{plan("calls", pulse.PeriodQuarter, "2026-01-01", 3000)}, Done: 2900},
			target: 3000, explict: true, days: 64, gone: 64, onTrack: false,
		},
		{
			name: "the next quarter's second day counts one workday gone of 65",
			team: planTeam(),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodQuarter, Now: noon("2026-04-02"), Zone: oslo,
				Plans: []pulse.Plan{plan("calls", pulse.PeriodQuarter, "2026-04-01", 3250)}, Done: 50},
			target: 3250, explict: true, days: 65, gone: 1, onTrack: true,
		},
		{
			name: "holidays are not workdays: 9 of 19 gone, 474 of 1000 is on track",
			team: planTeam("2026-05-01", "2026-05-14"),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodMonth, Now: noon("2026-05-15"), Zone: oslo, AnsweredToday: true,
				Plans: []pulse.Plan{plan("calls", pulse.PeriodMonth, "2026-05-01", 1000)}, Done: 474},
			target: 1000, explict: true, days: 19, gone: 9, onTrack: true,
		},
		{
			name: "holidays are not workdays: 470 of 1000 at 9 of 19 is behind",
			team: planTeam("2026-05-01", "2026-05-14"),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodMonth, Now: noon("2026-05-15"), Zone: oslo, AnsweredToday: true,
				Plans: []pulse.Plan{plan("calls", pulse.PeriodMonth, "2026-05-01", 1000)}, Done: 470},
			target: 1000, explict: true, days: 19, gone: 9, onTrack: false,
		},
		{
			name:   "a team holiday shrinks the default weekly target",
			team:   planTeam("2026-05-25"),
			in:     pulse.PaceInput{Metric: "calls", Period: pulse.PeriodWeek, Now: noon("2026-05-26"), Zone: oslo, AnsweredToday: true, Done: 100},
			target: 200, days: 4, gone: 1, onTrack: true,
		},
		{
			name: "a rep's away week is neither gone nor ahead: 11 of 16 workdays",
			team: planTeam(),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodMonth, Now: noon("2026-05-29"), Zone: oslo,
				Away:  []pulse.AwayPeriod{{UserID: "UANNA", From: pulse.MustDate("2026-05-18"), To: pulse.MustDate("2026-05-22")}},
				Plans: []pulse.Plan{plan("calls", pulse.PeriodMonth, "2026-05-01", 1600)}, Done: 1500},
			target: 1600, explict: true, days: 16, gone: 15, onTrack: true,
		},
		{
			name: "a rep joining mid-month gets the default plan pro rata: 10 of 21 workdays",
			team: planTeam(),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodMonth, Now: noon("2026-05-20"), Zone: oslo, AnsweredToday: true,
				Joined: pulse.MustDate("2026-05-18"), Done: 150},
			target: 500, days: 10, gone: 3, onTrack: true,
		},
		{
			name: "a rep joining mid-month keeps an own plan whole",
			team: planTeam(),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodMonth, Now: noon("2026-05-20"), Zone: oslo, AnsweredToday: true,
				Joined: pulse.MustDate("2026-05-18"), Plans: []pulse.Plan{plan("calls", pulse.PeriodMonth, "2026-05-01", 800)}, Done: 200},
			target: 800, explict: true, days: 10, gone: 3, onTrack: false,
		},
		{
			name: "a rep who joined before the month is planned in full",
			team: planTeam(),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodMonth, Now: noon("2026-05-20"), Zone: oslo,
				Joined: pulse.MustDate("2026-04-20"), Done: 700},
			target: 1050, days: 21, gone: 13, onTrack: true,
		},
		{
			name:   "just after New York's clocks spring forward it is already Monday there: Sunday and before are gone",
			team:   planTeam(),
			in:     pulse.PaceInput{Metric: "calls", Period: pulse.PeriodWeek, Now: time.Date(2026, 3, 9, 4, 30, 0, 0, time.UTC), Zone: ny, Done: 0},
			target: 250, days: 5, gone: 0, onTrack: true,
		},
		{
			name:   "an hour earlier by the old offset it would still be Sunday, last week: all five gone",
			team:   planTeam(),
			in:     pulse.PaceInput{Metric: "calls", Period: pulse.PeriodWeek, Now: time.Date(2026, 3, 9, 3, 30, 0, 0, time.UTC), Zone: ny, Done: 240},
			target: 250, days: 5, gone: 5, onTrack: false,
		},
		{
			name: "Oslo's autumn night of two 02:30s is one day",
			team: planTeam(),
			in: pulse.PaceInput{Metric: "calls", Period: pulse.PeriodMonth, Now: time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), Zone: oslo,
				Plans: []pulse.Plan{plan("calls", pulse.PeriodMonth, "2026-10-01", 1100)}, Done: 900},
			target: 1100, explict: true, days: 22, gone: 17, onTrack: true,
		},
		{
			name:   "a metric with no target has no plan: neither on track nor behind",
			team:   planTeam(),
			in:     pulse.PaceInput{Metric: "notes", Period: pulse.PeriodMonth, Now: noon("2026-05-20"), Zone: oslo, Done: 3},
			target: 0, days: 21, gone: 13, onTrack: false,
		},
		{
			name: "another rep's plan is not this rep's",
			team: planTeam(),
			in: pulse.PaceInput{Metric: "notes", Period: pulse.PeriodMonth, Now: noon("2026-05-20"), Zone: oslo,
				Plans: []pulse.Plan{{TeamID: "t1", UserID: "UOLE", Metric: "notes", Period: pulse.PeriodMonth, Start: pulse.MustDate("2026-05-01"), Target: 10}}},
			target: 0, days: 21, gone: 13,
		},
		{
			name:   "an unknown metric has no plan",
			team:   planTeam(),
			in:     pulse.PaceInput{Metric: "ghost", Period: pulse.PeriodWeek, Now: noon("2026-05-20"), Zone: oslo},
			target: 0, days: 5, gone: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Team, in.Rep = tt.team, "UANNA"
			got := pulse.ComputePace(in)
			if math.Abs(got.Target-tt.target) > 1e-9 || got.Explicit != tt.explict || got.Workdays != tt.days || got.Gone != tt.gone || got.OnTrack != tt.onTrack {
				t.Errorf("pace = target %v explicit %v days %d gone %d on track %v; want %v %v %d %d %v",
					got.Target, got.Explicit, got.Workdays, got.Gone, got.OnTrack, tt.target, tt.explict, tt.days, tt.gone, tt.onTrack)
			}
			if got.Behind() != (got.HasPlan() && !tt.onTrack) {
				t.Errorf("Behind = %v with plan %v and on track %v", got.Behind(), got.HasPlan(), got.OnTrack)
			}
		})
	}
}

func TestPeriodBounds(t *testing.T) {
	tests := []struct {
		period      pulse.Period
		day         string
		first, last string
	}{
		{pulse.PeriodWeek, "2026-03-01", "2026-02-23", "2026-03-01"},
		{pulse.PeriodWeek, "2026-12-31", "2026-12-28", "2027-01-03"},
		{pulse.PeriodMonth, "2028-02-15", "2028-02-01", "2028-02-29"},
		{pulse.PeriodMonth, "2026-12-31", "2026-12-01", "2026-12-31"},
		{pulse.PeriodQuarter, "2026-03-31", "2026-01-01", "2026-03-31"},
		{pulse.PeriodQuarter, "2026-05-17", "2026-04-01", "2026-06-30"},
		{pulse.PeriodQuarter, "2026-11-30", "2026-10-01", "2026-12-31"},
	}
	for _, tt := range tests {
		d := pulse.MustDate(tt.day)
		if f, l := tt.period.First(d), tt.period.Last(d); f.String() != tt.first || l.String() != tt.last {
			t.Errorf("%s of %s = %s…%s; want %s…%s", tt.period, tt.day, f, l, tt.first, tt.last)
		}
	}
}

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name   string
		plan   pulse.Plan
		fields []string
		start  string
	}{
		{"a month's plan starting mid-month is snapped to the 1st", plan("calls", pulse.PeriodMonth, "2026-05-17", 900), nil, "2026-05-01"},
		{"a quarter's plan is snapped to the quarter's first day", plan("calls", pulse.PeriodQuarter, "2026-05-17", 900), nil, "2026-04-01"},
		{"a week's plan is snapped to Monday", plan("calls", pulse.PeriodWeek, "2026-05-17", 90), nil, "2026-05-11"},
		{"someone not a rep", pulse.Plan{TeamID: "t1", UserID: "UMGR", Metric: "calls", Period: pulse.PeriodWeek, Start: pulse.MustDate("2026-05-11"), Target: 1}, []string{"rep"}, "2026-05-11"},
		{"unknown metric, period and a negative target", pulse.Plan{TeamID: "t1", UserID: "UANNA", Metric: "=cmd()", Period: "year", Start: pulse.MustDate("2026-05-11"), Target: -1}, []string{"metric", "period", "target"}, "2026-05-11"},
		{"a target past a billion", plan("calls", pulse.PeriodWeek, "2026-05-11", 2e9), []string{"target"}, "2026-05-11"},
		{"not a number", plan("calls", pulse.PeriodWeek, "2026-05-11", math.NaN()), []string{"target"}, "2026-05-11"},
		{"no start", pulse.Plan{TeamID: "t1", UserID: "UANNA", Metric: "calls", Period: pulse.PeriodWeek, Target: 1}, []string{"start"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.plan
			wantFields(t, p.Validate(planTeam()), tt.fields...)
			if p.Start.String() != tt.start {
				t.Errorf("start = %s; want %s", p.Start, tt.start)
			}
		})
	}
}

func TestFirstDayWith(t *testing.T) {
	start, today := pulse.MustDate("2026-05-01"), pulse.MustDate("2026-05-20")
	tests := []struct {
		name string
		days []string
		want string
	}{
		{"records from before the period: joined before", []string{"2026-05-04", "2026-04-29"}, ""},
		{"first record mid-period: joined then", []string{"2026-05-19", "2026-05-18"}, "2026-05-18"},
		{"no record yet: joined today", nil, "2026-05-20"},
	}
	for _, tt := range tests {
		var days []pulse.Date
		for _, d := range tt.days {
			days = append(days, pulse.MustDate(d))
		}
		if got := pulse.FirstDayWith(days, start, today); got.String() != tt.want {
			t.Errorf("%s: %s; want %q", tt.name, got, tt.want)
		}
	}
}

func TestPaceTallyPaces(t *testing.T) {
	team := planTeam()
	tally := pulse.NewPaceTally(team, pulse.MustDate("2026-05-20"))
	checkIn := func(team, day string, status pulse.CheckInStatus, calls float64) {
		tally.AddCheckIn(&pulse.CheckIn{TeamID: team, UserID: "UANNA", Date: pulse.MustDate(day), Status: status, Energy: 3, Metrics: map[string]float64{"calls": calls}})
	}
	checkIn("t1", "2026-04-27", pulse.CheckInOnTime, 40) // last month: not this month's
	checkIn("t1", "2026-05-18", pulse.CheckInOnTime, 300)
	checkIn("t1", "2026-05-19", pulse.CheckInMissed, 0)
	checkIn("t1", "2026-05-20", pulse.CheckInLate, 320)
	checkIn("t2", "2026-05-20", pulse.CheckInOnTime, 999) // another team's numbers
	now := noon("2026-05-20")

	got := tally.Paces("UANNA", nil, []pulse.Plan{plan("calls", pulse.PeriodMonth, "2026-05-01", 900)}, nil, now, planZone("Europe/Oslo"))
	if len(got) != 1 || got[0].Period != pulse.PeriodMonth || got[0].Done != 620 || got[0].Gone != 14 || !got[0].OnTrack {
		t.Errorf("with a month's plan: %+v; want the month, 620 done, 14 days gone (today answered), on track", got)
	}
	got = tally.Paces("UANNA", nil, nil, nil, now, planZone("Europe/Oslo"))
	if len(got) != 1 || got[0].Period != pulse.PeriodWeek || got[0].Done != 620 || got[0].Target != 250 || got[0].Gone != 3 {
		t.Errorf("without a plan: %+v; want this week against the team's 250, 620 done, 3 gone", got)
	}
	got = tally.Paces("UOLE", nil, nil, nil, now, planZone("Europe/Oslo"))
	if len(got) != 1 || got[0].Target != 150 || got[0].Gone != 0 {
		t.Errorf("a rep with no check-ins yet joined today, a Wednesday: %+v; want 3/5 of the week's target, none gone", got)
	}
}
