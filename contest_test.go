package pulse_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/salespulse/pulse"
)

func contestTeam() *pulse.Team {
	t := planTeam()
	t.Reps = []string{"UANNA", "UOLE", "UKARI", "UPER"}
	t.Metrics = append(t.Metrics, pulse.Metric{Key: "meetings", Name: "Meetings booked"})
	return t
}

func pt(rep, day string, v float64) pulse.ContestPoint {
	return pulse.ContestPoint{Rep: rep, Day: pulse.MustDate(day), Value: v}
}

// ranks renders standings as "rep:rank" for the table's eye.
func ranks(st []pulse.Standing) string {
	s := ""
	for i, x := range st {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%s:%d", x.Rep[1:], x.Rank)
	}
	return s
}

func TestComputeStandings(t *testing.T) {
	week := func(kind pulse.ContestKind) *pulse.Contest {
		return &pulse.Contest{TeamID: "t1", Name: "Most meetings booked", Metric: "meetings", Kind: kind, Target: 5,
			Start: pulse.MustDate("2026-05-18"), End: pulse.MustDate("2026-05-22")}
	}
	base := []pulse.ContestPoint{
		pt("UANNA", "2026-05-18", 2), pt("UOLE", "2026-05-18", 3), pt("UKARI", "2026-05-19", 1),
		pt("UANNA", "2026-05-19", 3), pt("UOLE", "2026-05-20", 2),
	}
	tests := []struct {
		name    string
		contest *pulse.Contest
		team    func(*pulse.Team)
		away    map[string][]pulse.AwayPeriod
		points  []pulse.ContestPoint
		through string
		want    string
		winners string
	}{
		{"most in total: a tie at the front shares first place, the next is third", week(pulse.ContestTotal), nil, nil, base, "2026-05-22",
			"ANNA:1 OLE:1 KARI:3 PER:4", "ANNA:1 OLE:1"},
		{"a late check-in for Monday, counted on Wednesday, breaks the tie", week(pulse.ContestTotal), nil, nil,
			append(base, pt("UANNA", "2026-05-18", 1)), "2026-05-22", "ANNA:1 OLE:2 KARI:3 PER:4", "ANNA:1"},
		{"an edited number counts as it stands now", week(pulse.ContestTotal), nil, nil,
			[]pulse.ContestPoint{pt("UANNA", "2026-05-18", 0), pt("UOLE", "2026-05-18", 1)}, "2026-05-22", "OLE:1 ANNA:2 KARI:2 PER:2", "OLE:1"},
		{"a rep who left the team left the contest", week(pulse.ContestTotal), func(t *pulse.Team) { t.Reps = []string{"UOLE", "UKARI", "UPER"} }, nil,
			base, "2026-05-22", "OLE:1 KARI:2 PER:3", "OLE:1"},
		{"points before the start, after the end and after today do not count", week(pulse.ContestTotal), nil, nil,
			[]pulse.ContestPoint{pt("UANNA", "2026-05-17", 9), pt("UOLE", "2026-05-23", 9), pt("UKARI", "2026-05-21", 9), pt("UPER", "2026-05-20", 1)},
			"2026-05-20", "PER:1 ANNA:2 KARI:2 OLE:2", "PER:1"},
		{"a cancelled contest has no standings and no winner", &pulse.Contest{TeamID: "t1", Metric: "meetings", Kind: pulse.ContestTotal, Cancelled: true,
			Start: pulse.MustDate("2026-05-18"), End: pulse.MustDate("2026-05-22")}, nil, nil, base, "2026-05-22", "", ""},
		{"first to five: Anna reached it on Tuesday, before Ole on Wednesday", week(pulse.ContestFirstTo), nil, nil, base, "2026-05-22",
			"ANNA:1 OLE:2 KARI:3 PER:4", "ANNA:1"},
		{"first to five reached the same day is a shared win", week(pulse.ContestFirstTo), nil, nil,
			[]pulse.ContestPoint{pt("UANNA", "2026-05-19", 5), pt("UOLE", "2026-05-19", 6), pt("UKARI", "2026-05-18", 4)}, "2026-05-22",
			"ANNA:1 OLE:1 KARI:3 PER:4", "ANNA:1 OLE:1"},
		{"first to five that nobody reached has no winner", week(pulse.ContestFirstTo), nil, nil,
			[]pulse.ContestPoint{pt("UANNA", "2026-05-19", 4), pt("UOLE", "2026-05-19", 1)}, "2026-05-22", "ANNA:1 OLE:2 KARI:3 PER:3", ""},
		{"best per workday is fair to a rep away three days: 4 in 2 days beats 5 in 5", week(pulse.ContestPerWorkday), nil,
			map[string][]pulse.AwayPeriod{"UKARI": {{UserID: "UKARI", From: pulse.MustDate("2026-05-20"), To: pulse.MustDate("2026-05-22")}}},
			append(base, pt("UKARI", "2026-05-18", 3)), "2026-05-22", "KARI:1 ANNA:2 OLE:2 PER:4", "KARI:1"},
		{"nobody scored: no winner", week(pulse.ContestTotal), nil, nil, nil, "2026-05-22", "ANNA:1 KARI:1 OLE:1 PER:1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team := contestTeam()
			if tt.team != nil {
				tt.team(team)
			}
			st := pulse.ComputeStandings(tt.contest, team, tt.away, nil, tt.points, pulse.MustDate(tt.through))
			if got := ranks(st); got != tt.want {
				t.Errorf("standings = %q; want %q", got, tt.want)
			}
			if got := ranks(pulse.Winners(tt.contest, st)); got != tt.winners {
				t.Errorf("winners = %q; want %q", got, tt.winners)
			}
		})
	}
}

func TestFrontNamesOnlyTheTop(t *testing.T) {
	st := []pulse.Standing{{Rep: "UA", Rank: 1, Score: 5}, {Rep: "UB", Rank: 2, Score: 4}, {Rep: "UC", Rank: 2, Score: 4}, {Rep: "UD", Rank: 4, Score: 1}, {Rep: "UE", Rank: 5, Score: 0}}
	if got := ranks(pulse.Front(pulse.ContestTotal, st, 3)); got != "A:1 B:2 C:2" {
		t.Errorf("front of three places = %q; want the first three ranks with their tie", got)
	}
	if got := ranks(pulse.Front(pulse.ContestTotal, st[4:], 3)); got != "" {
		t.Errorf("front = %q; a rep who scored nothing is never named", got)
	}
}

func TestContestValidate(t *testing.T) {
	today := pulse.MustDate("2026-05-18")
	good := func() pulse.Contest {
		return pulse.Contest{TeamID: "t1", Name: " Most meetings booked ", Metric: "meetings", Kind: pulse.ContestTotal,
			Start: today, End: today.AddDays(4), Prize: "Dinner for two"}
	}
	tests := []struct {
		name   string
		edit   func(*pulse.Contest)
		fields []string
	}{
		{"a week's contest on a team metric", func(*pulse.Contest) {}, nil},
		{"a contest on check-ins answered", func(c *pulse.Contest) { c.Metric = pulse.CountCheckIns }, nil},
		{"an empty name, an unknown metric and kind", func(c *pulse.Contest) { c.Name, c.Metric, c.Kind = " ", "=1+1", "loudest" }, []string{"name", "metric", "kind"}},
		{"first to a target needs the target", func(c *pulse.Contest) { c.Kind = pulse.ContestFirstTo }, []string{"target"}},
		{"the end before the start", func(c *pulse.Contest) { c.End = today.AddDays(-1); c.Start = today }, []string{"end"}},
		{"an end in the past", func(c *pulse.Contest) { c.Start, c.End = today.AddDays(-9), today.AddDays(-2) }, []string{"end"}},
		{"longer than a quarter", func(c *pulse.Contest) { c.End = today.AddDays(120) }, []string{"end"}},
		{"a prize of a novel's length", func(c *pulse.Contest) { c.Prize = string(make([]byte, 300)) }, []string{"prize"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.edit(&c)
			wantFields(t, c.Validate(contestTeam(), today), tt.fields...)
		})
	}
}

func TestContestCancel(t *testing.T) {
	for _, tt := range []struct {
		name     string
		before   pulse.Contest
		want     pulse.Contest
		conflict bool
	}{
		{"a running contest is cancelled by the manager with the note",
			pulse.Contest{ID: "c1", Name: "Most demos"},
			pulse.Contest{ID: "c1", Name: "Most demos", Cancelled: true, CancelledBy: "UMGR", CancelNote: "Postponed"}, false},
		{"a contest cancelled already stays as the first cancel left it",
			pulse.Contest{ID: "c1", Name: "Most demos", Cancelled: true, CancelledBy: "UOTHER", CancelNote: "First"},
			pulse.Contest{ID: "c1", Name: "Most demos", Cancelled: true, CancelledBy: "UOTHER", CancelNote: "First"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.before
			err := c.Cancel("UMGR", "Postponed")
			if got := pulse.ErrorCode(err) == pulse.ECONFLICT; got != tt.conflict || !tt.conflict && err != nil {
				t.Fatalf("Cancel: %v; want a conflict: %v", err, tt.conflict)
			}
			if !reflect.DeepEqual(c, tt.want) {
				t.Errorf("after Cancel %+v, want %+v", c, tt.want)
			}
		})
	}
}
