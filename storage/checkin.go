package storage

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse"
	bolt "go.etcd.io/bbolt"
)

// SaveCheckIn validates c against its team's metrics and stores it,
// replacing the rep's earlier check-in for the same team and day; when c has
// no SubmittedAt, the earlier one's is kept. The team must exist (ENOTFOUND
// otherwise); a validation error is returned as Validate returned it, with
// nothing stored. Concurrent saves share commits through db.Batch, so many
// reps answering at once cost few fsyncs; SaveCheckIn returns once its
// check-in is durable.
func (db *DB) SaveCheckIn(ctx context.Context, c *pulse.CheckIn) error {
	if err := checkPart("team", c.TeamID); err != nil {
		return err
	}
	if err := checkPart("user", c.UserID); err != nil {
		return err
	}
	if err := checkDate("check-in", c.Date); err != nil {
		return err
	}
	err := db.batch(ctx, func(tx *bolt.Tx) error {
		team, err := loadTeam(tx, c.TeamID)
		if err != nil {
			return err
		}
		if err := c.Validate(team); err != nil {
			return err
		}
		stored := *c
		checkins := tx.Bucket(bucketCheckIns)
		pk := checkInKey(c)
		var prev pulse.CheckIn
		found, err := get(checkins, pk, &prev)
		if err != nil {
			return err
		}
		if found && stored.SubmittedAt.IsZero() {
			stored.SubmittedAt = prev.SubmittedAt
		}
		if err := put(checkins, pk, &stored); err != nil {
			return err
		}
		return tx.Bucket(bucketCheckInsByRep).Put(checkInRepKey(c), pk)
	})
	return wrap(err, "save check-in %s/%s/%s", c.TeamID, c.UserID, c.Date)
}

// CheckIn returns the rep's check-in for the team and day, or an ENOTFOUND
// error. Safe for concurrent use.
func (db *DB) CheckIn(ctx context.Context, team, user string, day pulse.Date) (*pulse.CheckIn, error) {
	c := new(pulse.CheckIn)
	err := db.view(ctx, func(tx *bolt.Tx) error {
		ok, err := get(tx.Bucket(bucketCheckIns), key(team, day.String(), user), c)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("checkin", "no check-in of %s in team %s on %s", user, team, day)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(err, "check-in %s/%s/%s", team, user, day)
	}
	return c, nil
}

// TeamCheckIns returns the team's check-ins from day from to day to, both
// included, sorted by day and then user ID. It seeks to the team's first day
// and reads only the check-ins in range. Safe for concurrent use.
func (db *DB) TeamCheckIns(ctx context.Context, team string, from, to pulse.Date) ([]pulse.CheckIn, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	var out []pulse.CheckIn
	err := db.view(ctx, func(tx *bolt.Tx) error {
		lo, hi := dayRange(from, to, team)
		return scan(tx.Bucket(bucketCheckIns), lo, hi, func(k, v []byte) error {
			var c pulse.CheckIn
			if err := decode(k, v, &c); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "check-ins of team %s from %s to %s", team, from, to)
	}
	return out, nil
}

// RepCheckIns returns the rep's check-ins in every team from day from to day
// to, both included, sorted by day and then team ID. It reads the rep index
// over that range only. Safe for concurrent use.
func (db *DB) RepCheckIns(ctx context.Context, user string, from, to pulse.Date) ([]pulse.CheckIn, error) {
	if err := checkPart("user", user); err != nil {
		return nil, err
	}
	var out []pulse.CheckIn
	err := db.view(ctx, func(tx *bolt.Tx) error {
		checkins := tx.Bucket(bucketCheckIns)
		lo, hi := dayRange(from, to, user)
		return scan(tx.Bucket(bucketCheckInsByRep), lo, hi, func(_, pk []byte) error {
			var c pulse.CheckIn
			ok, err := get(checkins, pk, &c)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("index names missing check-in %s", pk)
			}
			out = append(out, c)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "check-ins of %s from %s to %s", user, from, to)
	}
	return out, nil
}

// checkInKey is a check-in's key in the checkins bucket: team/date/user.
func checkInKey(c *pulse.CheckIn) []byte { return key(c.TeamID, c.Date.String(), c.UserID) }

// checkInRepKey is its key in the rep index: user/date/team.
func checkInRepKey(c *pulse.CheckIn) []byte { return key(c.UserID, c.Date.String(), c.TeamID) }
