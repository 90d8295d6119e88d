package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
)

// seedPlans gives Ingrid a month's plan she is behind on, and the team a
// contest on calls running this week.
func seedPlans(t *testing.T, f *fixture) {
	t.Helper()
	today := pulse.DateOf(fixtureNow)
	month := pulse.PeriodMonth.First(today)
	err := f.db.SavePlans(t.Context(), f.team.ID, []pulse.Plan{
		{TeamID: f.team.ID, UserID: rep1, Metric: "calls", Period: pulse.PeriodMonth, Start: month, Target: 900, SetBy: manager, UpdatedAt: fixtureNow},
		{TeamID: f.team.ID, UserID: rep2, Metric: "calls", Period: pulse.PeriodMonth, Start: month, Target: 10, SetBy: manager, UpdatedAt: fixtureNow},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := &pulse.Contest{TeamID: f.team.ID, Name: "March calls sprint", Metric: "calls", Kind: pulse.ContestTotal,
		Start: today.WeekStart(), End: today.AddDays(9), Prize: "Dinner for two", CreatedBy: manager}
	if err := f.db.SaveContest(t.Context(), c); err != nil {
		t.Fatal(err)
	}
}

func TestTheTeamPageShowsPlansPaceAndContests(t *testing.T) {
	f := newFixture(t)
	seedPlans(t, f)
	c := client(t)
	signIn(t, c, f.link(t, manager))
	status, body := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"?weeks=4")
	if status != http.StatusOK {
		t.Fatalf("team page: %d", status)
	}
	plans := body[strings.Index(body, `id="plans"`):]
	ingrid, jonas := strings.Index(plans, "Ingrid Dahl"), strings.Index(plans, "Jonas Lie")
	if ingrid < 0 || jonas < 0 || ingrid > jonas {
		t.Errorf("plans section lists Ingrid (behind) at %d and Jonas (ahead) at %d: want both, the one behind first", ingrid, jonas)
	}
	for _, want := range []string{"this month", "behind", "on track", "March calls sprint", "Dinner for two", "Maja Holm"} {
		if !strings.Contains(body, want) {
			t.Errorf("team page lacks %q", want)
		}
	}
}

func TestARepSeesOnlyTheirOwnPaceAndPlace(t *testing.T) {
	f := newFixture(t)
	seedPlans(t, f)
	c := client(t)
	signIn(t, c, f.link(t, rep1))
	status, body := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"/reps/"+rep1+"?weeks=4")
	if status != http.StatusOK {
		t.Fatalf("own page: %d", status)
	}
	for _, want := range []string{"Plans and pace", "this month", "March calls sprint"} {
		if !strings.Contains(body, want) {
			t.Errorf("a rep's page lacks %q", want)
		}
	}
	for _, other := range []string{"Jonas Lie", "Maja Holm", "Erik Strand"} {
		if strings.Contains(body, other) {
			t.Errorf("a rep's page names %s", other)
		}
	}
}
