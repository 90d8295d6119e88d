package pulse_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// TestPaceLookbackReadOnlyWhenJoinsUnknown feeds a tally every check-in of
// PaceRange, and another from PacePeriodsStart on plus the week before only
// when JoinsKnown says the joins are not settled, as a manager's /pulse
// does: every rep's pace comes out the same, for reps there all along, a
// rep back from a gap over the periods' start, one who joined in the
// period, one seen only before it and one never seen; for plans of each
// period and none; on Mondays, Sundays, a month's and a quarter's ends.
func TestPaceLookbackReadOnlyWhenJoinsUnknown(t *testing.T) {
	team := pulse.NewTeam("North", "Europe/Oslo")
	team.ID = "t1"
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}, {Key: "meetings", Name: "Meetings", Target: 5}}
	team.Reps = []string{"UALL", "UGAP", "UJOIN", "UGONE", "UNEVER", "UWEEKDAYS"}
	// Each rep's days with a record, by the days from the first day fed.
	has := map[string]func(day pulse.Date, start pulse.Date) bool{
		"UALL": func(d, _ pulse.Date) bool { return true },
		// Away from two days before the periods' start to three after.
		"UGAP":      func(d, start pulse.Date) bool { return d.Before(start.AddDays(-2)) || d.After(start.AddDays(3)) },
		"UJOIN":     func(d, start pulse.Date) bool { return d.After(start.AddDays(9)) },
		"UGONE":     func(d, start pulse.Date) bool { return d.Before(start) },
		"UNEVER":    func(pulse.Date, pulse.Date) bool { return false },
		"UWEEKDAYS": func(d, _ pulse.Date) bool { return team.IsWorkday(d) },
	}
	planSets := map[string]func(today pulse.Date) []pulse.Plan{
		"no plans": func(pulse.Date) []pulse.Plan { return nil },
		"a month's": func(today pulse.Date) []pulse.Plan {
			return []pulse.Plan{{TeamID: team.ID, UserID: "UGAP", Metric: "calls", Period: pulse.PeriodMonth, Start: pulse.PeriodMonth.First(today), Target: 900}}
		},
		"a quarter's and a week's": func(today pulse.Date) []pulse.Plan {
			return []pulse.Plan{
				{TeamID: team.ID, UserID: "UJOIN", Metric: "meetings", Period: pulse.PeriodQuarter, Start: pulse.PeriodQuarter.First(today), Target: 60},
				{TeamID: team.ID, UserID: "UALL", Metric: "calls", Period: pulse.PeriodWeek, Start: pulse.PeriodWeek.First(today), Target: 240},
			}
		},
	}
	repSets := [][]string{
		team.Reps,
		{"UALL"}, // settled: the week before is not read
		{"UALL", "UWEEKDAYS"},
		{"UALL", "UGONE"},
	}
	for _, day := range []string{"2026-03-02", "2026-03-08", "2026-03-31", "2026-04-01", "2026-06-30", "2026-10-25", "2026-12-28", "2027-01-04"} {
		today := pulse.MustDate(day)
		for name, plansOf := range planSets {
			for _, reps := range repSets {
				team.Reps = reps
				comparePaceFeeds(t, team, today, name, plansOf(today), has)
			}
		}
	}
}

// comparePaceFeeds is one case of TestPaceLookbackReadOnlyWhenJoinsUnknown.
func comparePaceFeeds(t *testing.T, team *pulse.Team, today pulse.Date, name string, plans []pulse.Plan, has map[string]func(day, start pulse.Date) bool) {
	t.Helper()
	day := today.String()
	{
		{
			from, to := pulse.PaceRange(today, plans)
			start := pulse.PacePeriodsStart(from)
			var figures []pulse.CheckInFigures
			for d := from; !d.After(to); d = d.AddDays(1) {
				for _, rep := range team.Reps {
					if has[rep](d, start) {
						figures = append(figures, pulse.CheckInFigures{TeamID: team.ID, UserID: rep, Date: d, Status: pulse.CheckInOnTime,
							Metrics: []pulse.MetricValue{{Key: "calls", Value: float64(10 + d.Day)}, {Key: "meetings", Value: 1}}})
					}
				}
			}
			all := pulse.NewPaceTally(team, today)
			for i := range figures {
				all.AddFigures(&figures[i])
			}
			split := pulse.NewPaceTally(team, today)
			for i := range figures {
				if !figures[i].Date.Before(start) {
					split.AddFigures(&figures[i])
				}
			}
			read := !split.JoinsKnown(team.Reps, start)
			if read {
				for i := range figures {
					if figures[i].Date.Before(start) {
						split.AddFigures(&figures[i])
					}
				}
			}
			settled := true
			for _, rep := range team.Reps {
				settled = settled && has[rep](start, start)
			}
			if settled == read {
				t.Errorf("%s, %s, reps %v: the week before the periods read: %v", day, name, team.Reps, read)
			}
			now := today.At(12*60, team.Location())
			for _, zone := range []string{"Europe/Oslo", "America/Los_Angeles", "Pacific/Auckland"} {
				loc, err := time.LoadLocation(zone)
				if err != nil {
					t.Fatal(err)
				}
				for _, rep := range team.Reps {
					got := split.Paces(rep, nil, plans, nil, now, loc)
					want := all.Paces(rep, nil, plans, nil, now, loc)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s, %s, %s in %s:\n got %+v\nwant %+v", day, name, rep, zone, got, want)
					}
				}
			}
		}
	}
}

func TestJoinsKnown(t *testing.T) {
	team := pulse.NewTeam("North", "Europe/Oslo")
	team.ID = "t1"
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}}
	start := pulse.MustDate("2026-03-02")
	for _, tt := range []struct {
		name  string
		first map[string]string // rep → first day fed
		want  bool
	}{
		{"every rep on the start", map[string]string{"U1": "2026-03-02", "U2": "2026-03-02"}, true},
		{"every rep before it", map[string]string{"U1": "2026-02-27", "U2": "2026-03-01"}, true},
		{"a rep from the day after", map[string]string{"U1": "2026-03-02", "U2": "2026-03-03"}, false},
		{"a rep never fed", map[string]string{"U1": "2026-03-02"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tally := pulse.NewPaceTally(team, start.AddDays(3))
			for rep, d := range tt.first {
				tally.AddFigures(&pulse.CheckInFigures{TeamID: team.ID, UserID: rep, Date: pulse.MustDate(d), Status: pulse.CheckInMissed})
			}
			if got := tally.JoinsKnown([]string{"U1", "U2"}, start); got != tt.want {
				t.Errorf("JoinsKnown = %v, want %v", got, tt.want)
			}
		})
	}
}
