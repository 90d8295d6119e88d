package storage

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

var planCodec = codec[pulse.Plan]{
	form:  planForm,
	times: func(p *pulse.Plan) []*time.Time { return []*time.Time{&p.UpdatedAt} },
}

func TestPlanCodec(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		p    pulse.Plan
	}{
		{"a month's plan", pulse.Plan{TeamID: "t0000000001", UserID: "U02", Metric: "calls", Period: pulse.PeriodMonth,
			Start: pulse.MustDate("2026-03-01"), Target: 1000, SetBy: "U01", UpdatedAt: time.Date(2026, 3, 2, 9, 0, 0, 42, time.UTC)}},
		{"a quarter's fractional plan, set in Oslo's summer", pulse.Plan{TeamID: "t0000000001", UserID: "U03", Metric: "møter", Period: pulse.PeriodQuarter,
			Start: pulse.MustDate("2026-07-01"), Target: 12.5, SetBy: "U01", UpdatedAt: time.Date(2026, 7, 1, 8, 0, 0, 0, oslo)}},
		{"a plan with nothing but its keys", pulse.Plan{TeamID: "t1", UserID: "U04"}},
	} {
		t.Run(tt.name, func(t *testing.T) { planCodec.roundTrip(t, tt.p) })
	}
}

func FuzzDecodePlan(f *testing.F) {
	p := pulse.Plan{TeamID: "t1", UserID: "U02", Metric: "calls", Period: pulse.PeriodWeek, Start: pulse.MustDate("2026-11-23"), Target: 3, UpdatedAt: time.Unix(1e9, 0)}
	buf, err := encodePlan(&p)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(buf)
	f.Add([]byte{planFormat})
	f.Fuzz(planCodec.fuzz)
}

// TestMigrateToSchema11 opens a file of schema 10, whose plans are JSON:
// they read as they were written, and a plan saved since is binary.
func TestMigrateToSchema11(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v10.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	team := pulse.NewTeam("North", "Europe/Oslo")
	team.Managers, team.Reps = []string{"U01"}, []string{"U02", "U03"}
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}}
	if err := db.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	old := []pulse.Plan{
		{TeamID: team.ID, UserID: "U02", Metric: "calls", Period: pulse.PeriodMonth, Start: pulse.MustDate("2026-03-01"), Target: 1000, SetBy: "U01", UpdatedAt: at},
		{TeamID: team.ID, UserID: "U03", Metric: "calls", Period: pulse.PeriodWeek, Start: pulse.MustDate("2026-03-02"), Target: 240.5, SetBy: "U01", UpdatedAt: at},
	}
	// Written as schema 10 wrote them: JSON.
	err = db.kv.Update(ctx, func(tx kv.Tx) error {
		for i := range old {
			if err := put(tx.Bucket(bucketPlans), planKey(&old[i]), &old[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	setSchema(t, path, 10)
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.TeamPlans(ctx, team.ID, pulse.MustDate("2026-03-01"), pulse.MustDate("2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(old) {
		t.Fatalf("plans after the migration: %+v", got)
	}
	for i := range old {
		if g, w := got[i], old[i]; !g.UpdatedAt.Equal(w.UpdatedAt) || g.TeamID != w.TeamID || g.UserID != w.UserID || g.Metric != w.Metric || g.Period != w.Period || g.Start != w.Start || g.Target != w.Target || g.SetBy != w.SetBy {
			t.Errorf("plan %d after the migration: %+v, want %+v", i, g, w)
		}
	}
	err = db.kv.View(ctx, func(tx kv.Tx) error {
		for i := range old {
			if v := tx.Bucket(bucketPlans).Get(planKey(&old[i])); len(v) == 0 || v[0] != planFormat {
				t.Errorf("plan %d is stored as %q, not in the binary form", i, v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
