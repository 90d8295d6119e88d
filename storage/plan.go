package storage

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// bucketPlans holds reps' plans: team/start/rep/period/metric → Plan, so a
// team's plans of the periods starting in a span are one range scan.
var bucketPlans = []byte("plans")

func planKey(p *pulse.Plan) []byte {
	return key(p.TeamID, p.Start.String(), p.UserID, string(p.Period), p.Metric)
}

// SavePlans validates each plan against the stored team and stores them
// all in one transaction, replacing a rep's earlier plan for the same
// metric, period and start. A bad plan stores none of them and is
// returned as Validate returned it. Safe for concurrent use.
func (db *DB) SavePlans(ctx context.Context, team string, plans []pulse.Plan) error {
	if err := checkPart("team", team); err != nil {
		return err
	}
	err := db.update(ctx, func(tx kv.Tx) error {
		t, err := loadTeam(tx, team)
		if err != nil {
			return err
		}
		b := tx.Bucket(bucketPlans)
		for i := range plans {
			p := plans[i]
			p.TeamID = team
			if err := p.Validate(t); err != nil {
				return err
			}
			if err := checkPart("user", p.UserID); err != nil {
				return err
			}
			if err := planForm.put(b, planKey(&p), &p); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap(err, "save %d plans of team %s", len(plans), team)
}

// TeamPlans returns the team's plans for periods starting from one day to
// another, both included. Safe for concurrent use.
func (db *DB) TeamPlans(ctx context.Context, team string, from, to pulse.Date) ([]pulse.Plan, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	var out []pulse.Plan
	err := db.view(ctx, func(tx kv.Tx) error {
		lo, hi := dayRange(from, to, team)
		plans := tx.Bucket(bucketPlans)
		out = make([]pulse.Plan, 0, count(plans, lo, hi))
		var p pulse.Plan // the plan before, whose names the next shares
		return scan(plans, lo, hi, func(k, v []byte) error {
			if err := decodePlan(v, &p, db.names); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			out = append(out, p)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "plans of team %s from %s to %s", team, from, to)
	}
	return out, nil
}
