package storage_test

import (
	"path/filepath"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

func monthPlan(rep, start string, target float64) pulse.Plan {
	return pulse.Plan{UserID: rep, Metric: "calls", Period: pulse.PeriodMonth, Start: pulse.MustDate(start), Target: target, SetBy: "U01"}
}

func planTeamIn(t *testing.T, db *storage.DB, name string) *pulse.Team {
	t.Helper()
	return MustCreateTeam(t, db, name, "U01", "U02", "U03")
}

func TestPlans(t *testing.T) {
	db := MustOpenDB(t)
	team := planTeamIn(t, db, "Sales")
	other := planTeamIn(t, db, "Other")

	must(t, db.SavePlans(ctx, team.ID, []pulse.Plan{monthPlan("U02", "2026-05-01", 900), monthPlan("U03", "2026-05-17", 800), monthPlan("U02", "2026-06-01", 1000)}))
	must(t, db.SavePlans(ctx, other.ID, []pulse.Plan{monthPlan("U02", "2026-05-01", 5)}))
	// Setting a plan again replaces it.
	must(t, db.SavePlans(ctx, team.ID, []pulse.Plan{monthPlan("U02", "2026-05-01", 950)}))

	got, err := db.TeamPlans(ctx, team.ID, pulse.MustDate("2026-05-01"), pulse.MustDate("2026-05-31"))
	must(t, err)
	if len(got) != 2 || got[0].UserID != "U02" || got[0].Target != 950 || got[1].UserID != "U03" || got[1].Start.String() != "2026-05-01" || got[0].TeamID != team.ID {
		t.Errorf("May's plans = %+v; want U02's 950 and U03's 800 snapped to the 1st, this team's only", got)
	}

	// One bad plan among good ones stores none of them.
	err = db.SavePlans(ctx, team.ID, []pulse.Plan{monthPlan("U03", "2026-07-01", 1), monthPlan("U99", "2026-07-01", 1)})
	wantCode(t, err, pulse.EINVALID)
	if got, _ := db.TeamPlans(ctx, team.ID, pulse.MustDate("2026-07-01"), pulse.MustDate("2026-07-31")); len(got) != 0 {
		t.Errorf("after a refused batch July holds %+v; want nothing", got)
	}
	wantCode(t, db.SavePlans(ctx, "nope", []pulse.Plan{monthPlan("U02", "2026-07-01", 1)}), pulse.ENOTFOUND)
}

func TestContests(t *testing.T) {
	db := MustOpenDB(t)
	team := planTeamIn(t, db, "Sales")
	other := planTeamIn(t, db, "Other")
	contest := func(team, end string) *pulse.Contest {
		return &pulse.Contest{TeamID: team, Name: "Most calls", Metric: "calls", Kind: pulse.ContestTotal,
			Start: pulse.MustDate("2026-05-18"), End: pulse.MustDate(end)}
	}
	c := contest(team.ID, "2026-05-22")
	must(t, db.SaveContest(ctx, c))
	must(t, db.SaveContest(ctx, contest(team.ID, "2026-05-01")))
	must(t, db.SaveContest(ctx, contest(other.ID, "2026-05-29")))
	if c.ID == "" || c.CreatedAt.IsZero() {
		t.Fatalf("saved contest %+v has no ID or time", c)
	}

	got, err := db.TeamContests(ctx, team.ID, pulse.MustDate("2026-05-18"))
	must(t, err)
	if len(got) != 1 || got[0].ID != c.ID {
		t.Errorf("team's contests ending from the 18th = %+v; want the one", got)
	}

	up, err := db.UpdateContest(ctx, c.ID, func(c *pulse.Contest) error {
		c.Cancelled, c.CancelledBy, c.StandingsTS = true, "U01", "1716.01"
		return nil
	})
	must(t, err)
	if back, _ := db.Contest(ctx, c.ID); !back.Cancelled || back.StandingsTS != "1716.01" || !up.Cancelled {
		t.Errorf("after the update %+v; want cancelled with its message", back)
	}
	_, err = db.UpdateContest(ctx, c.ID, func(c *pulse.Contest) error { c.End = c.End.AddDays(1); return nil })
	wantCode(t, err, pulse.EINVALID)
	_, err = db.Contest(ctx, "c404")
	wantCode(t, err, pulse.ENOTFOUND)
}

func TestPlansSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	db := MustOpenPath(t, path)
	team := planTeamIn(t, db, "Sales")
	must(t, db.SavePlans(ctx, team.ID, []pulse.Plan{monthPlan("U02", "2026-05-01", 900)}))
	MustClose(t, db)
	db = MustOpenPath(t, path)
	got, err := db.TeamPlans(ctx, team.ID, pulse.Date{}, pulse.Date{})
	must(t, err)
	if len(got) != 1 || got[0].Target != 900 {
		t.Errorf("after reopening: %+v", got)
	}
}
