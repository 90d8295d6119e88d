package storage

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// The buckets of numbers from the CRM (since v6).
var (
	bucketCRMMatches = []byte("crm_matches") // team/rep → CRMMatch
	bucketCRMFigures = []byte("crm_figures") // team/date/rep → CRMFigure
	bucketCRMHealth  = []byte("crm_health")  // team → CRMHealth
)

// crmBuckets are the buckets schema 6 added.
var crmBuckets = [][]byte{bucketCRMMatches, bucketCRMFigures, bucketCRMHealth}

// createCRM lays out the CRM's buckets; it holds no older data to move.
func createCRM(tx kv.Tx) error {
	for _, name := range crmBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// SaveCRMMatch stores the rep's match, replacing an earlier one.
func (db *DB) SaveCRMMatch(ctx context.Context, m *pulse.CRMMatch) error {
	if err := checkPart("team", m.TeamID); err != nil {
		return err
	}
	if err := checkPart("user", m.Rep); err != nil {
		return err
	}
	if !pulse.ValidCRMOwnerID(m.OwnerID) {
		return pulse.FieldError("owner", "err.crm_owner", map[string]any{"Value": m.OwnerID}, "bad CRM owner id %q", m.OwnerID)
	}
	err := db.update(ctx, func(tx kv.Tx) error {
		return put(tx.Bucket(bucketCRMMatches), key(m.TeamID, m.Rep), m)
	})
	return wrap(err, "save CRM match of %s in %s", m.Rep, m.TeamID)
}

// CRMMatches returns the team's matches by rep.
func (db *DB) CRMMatches(ctx context.Context, team string) (map[string]pulse.CRMMatch, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	out := map[string]pulse.CRMMatch{}
	err := db.view(ctx, func(tx kv.Tx) error {
		return scanPrefix(tx.Bucket(bucketCRMMatches), prefix(team), func(k, v []byte) error {
			var m pulse.CRMMatch
			if err := decode(k, v, &m); err != nil {
				return err
			}
			out[m.Rep] = m
			return nil
		})
	})
	return out, wrap(err, "read CRM matches of %s", team)
}

// SaveCRMFigures stores the figures of one pull in one transaction, each
// replacing the earlier one of its team, rep and day.
func (db *DB) SaveCRMFigures(ctx context.Context, figs []pulse.CRMFigure) error {
	for _, f := range figs {
		if err := checkPart("team", f.TeamID); err != nil {
			return err
		}
		if err := checkPart("user", f.Rep); err != nil {
			return err
		}
		if err := checkDate("CRM figure", f.Day); err != nil {
			return err
		}
	}
	err := db.update(ctx, func(tx kv.Tx) error {
		b := tx.Bucket(bucketCRMFigures)
		for i := range figs {
			f := &figs[i]
			if err := put(b, key(f.TeamID, f.Day.String(), f.Rep), f); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap(err, "save %d CRM figures", len(figs))
}

// CRMFigure returns the rep's figure of the day, or ENOTFOUND.
func (db *DB) CRMFigure(ctx context.Context, team, rep string, day pulse.Date) (*pulse.CRMFigure, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	if err := checkPart("user", rep); err != nil {
		return nil, err
	}
	var f pulse.CRMFigure
	err := db.view(ctx, func(tx kv.Tx) error {
		found, err := get(tx.Bucket(bucketCRMFigures), key(team, day.String(), rep), &f)
		if err == nil && !found {
			return notFound("crm figure", "no CRM figure of %s in %s on %s", rep, team, day)
		}
		return err
	})
	if err != nil {
		return nil, wrap(err, "read CRM figure")
	}
	return &f, nil
}

// TeamCRMFigures returns the team's figures from one day to another, by
// day, then rep.
func (db *DB) TeamCRMFigures(ctx context.Context, team string, from, to pulse.Date) ([]pulse.CRMFigure, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	var out []pulse.CRMFigure
	err := db.view(ctx, func(tx kv.Tx) error {
		lo, hi := dayRange(from, to, team)
		return scan(tx.Bucket(bucketCRMFigures), lo, hi, func(k, v []byte) error {
			var f pulse.CRMFigure
			if err := decode(k, v, &f); err != nil {
				return err
			}
			out = append(out, f)
			return nil
		})
	})
	return out, wrap(err, "read CRM figures of %s", team)
}

// SaveCRMHealth stores how the team's last pull went.
func (db *DB) SaveCRMHealth(ctx context.Context, h *pulse.CRMHealth) error {
	if err := checkPart("team", h.TeamID); err != nil {
		return err
	}
	err := db.update(ctx, func(tx kv.Tx) error {
		return put(tx.Bucket(bucketCRMHealth), []byte(h.TeamID), h)
	})
	return wrap(err, "save CRM health of %s", h.TeamID)
}

// CRMHealth returns how the team's last pull went, or ENOTFOUND before
// the first.
func (db *DB) CRMHealth(ctx context.Context, team string) (*pulse.CRMHealth, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	var h pulse.CRMHealth
	err := db.view(ctx, func(tx kv.Tx) error {
		found, err := get(tx.Bucket(bucketCRMHealth), []byte(team), &h)
		if err == nil && !found {
			return notFound("crm health", "no CRM pull of %s yet", team)
		}
		return err
	})
	if err != nil {
		return nil, wrap(err, "read CRM health")
	}
	return &h, nil
}
