package storage

import (
	"bytes"
	"context"
	"fmt"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// SaveCheckIn validates c against its team's metrics and stores it,
// replacing the rep's earlier check-in for the same team and day; when c has
// no SubmittedAt, the earlier one's is kept. The team must exist (ENOTFOUND
// otherwise); a validation error is returned as Validate returned it, with
// nothing stored. Concurrent saves share commits through db.Batch, so many
// reps answering at once cost few fsyncs; SaveCheckIn returns once its
// check-in is durable.
func (db *DB) SaveCheckIn(ctx context.Context, c *pulse.CheckIn) error {
	return db.SaveCheckInRaising(ctx, c, nil)
}

// SaveCheckInRaising is SaveCheckIn that also stores raised, the blocker
// the check-in raises (when not nil, with SaveBlocker's defaults), in the
// same transaction: a run stopped between the two would leave a check-in
// whose blocker no manager ever hears of, its envelope applied. raised
// gets its ID.
func (db *DB) SaveCheckInRaising(ctx context.Context, c *pulse.CheckIn, raised *pulse.Blocker) error {
	var blocker pulse.Blocker
	if raised != nil {
		var err error
		if blocker, err = db.newBlocker(raised); err != nil {
			return err
		}
	}
	if err := checkPart("team", c.TeamID); err != nil {
		return err
	}
	if err := checkPart("user", c.UserID); err != nil {
		return err
	}
	if err := checkDate("check-in", c.Date); err != nil {
		return err
	}
	// Validate against the team as it stands now, outside the write lock,
	// so a big team's decoding does not hold up other writers. The batch
	// then only compares the team's stored bytes with these, and validates
	// again in the rare case that the team changed in between.
	var teamRaw []byte
	var team *pulse.Team
	err := db.view(ctx, func(tx kv.Tx) error {
		var err error
		if team, err = db.sharedTeam(tx, c.TeamID); err == nil {
			teamRaw = bytes.Clone(tx.Bucket(bucketTeams).Get([]byte(c.TeamID)))
		}
		return err
	})
	if err != nil {
		return wrap(err, "save check-in %s/%s/%s", c.TeamID, c.UserID, c.Date)
	}
	if err := c.Validate(team); err != nil {
		return err
	}
	err = db.batch(ctx, func(tx kv.Tx) error {
		if raw := tx.Bucket(bucketTeams).Get([]byte(c.TeamID)); !bytes.Equal(raw, teamRaw) {
			team, err := loadTeam(tx, c.TeamID)
			if err != nil {
				return err
			}
			if err := c.Validate(team); err != nil {
				return err
			}
		}
		stored := *c
		checkins := tx.Bucket(bucketCheckIns)
		pk := checkInKey(c)
		var prev pulse.CheckIn
		found, err := checkInForm.get(checkins, pk, &prev, nil)
		if err != nil {
			return err
		}
		if found && stored.SubmittedAt.IsZero() {
			stored.SubmittedAt = prev.SubmittedAt
		}
		if err := checkInForm.put(checkins, pk, &stored); err != nil {
			return err
		}
		if err := tx.Bucket(bucketCheckInsByRep).Put(checkInRepKey(c), pk); err != nil {
			return err
		}
		if raised == nil {
			return nil
		}
		return insertBlocker(tx, &blocker)
	})
	if err != nil {
		return wrap(err, "save check-in %s/%s/%s", c.TeamID, c.UserID, c.Date)
	}
	if raised != nil {
		*raised = blocker
	}
	return nil
}

// newBlocker is b checked and with SaveBlocker's defaults, ready for
// insertBlocker.
func (db *DB) newBlocker(b *pulse.Blocker) (pulse.Blocker, error) {
	if err := checkBlockerParts(b); err != nil {
		return pulse.Blocker{}, err
	}
	out := *b
	out.ID = ""
	if out.Status == "" {
		out.Status = pulse.BlockerOpen
	}
	if out.RaisedAt.IsZero() {
		out.RaisedAt = db.now()
	}
	return out, out.Validate()
}

// insertBlocker stores b under a new ID, set in b. A batch may run it more
// than once: the ID is taken afresh each time.
func insertBlocker(tx kv.Tx, b *pulse.Blocker) error {
	var err error
	if b.ID, err = newID(tx.Bucket(bucketBlockers), blockers.prefix); err != nil {
		return err
	}
	return writeBlocker(tx, nil, b)
}

// SaveCheckIns stores many check-ins in one transaction, for imports and
// seeding: all of them or, on the first error, none. Each is checked as
// SaveCheckIn checks it, and replaces the rep's earlier one for its team and
// day. The transaction holds the write lock for as long as it runs, so keep
// batches to some thousands.
func (db *DB) SaveCheckIns(ctx context.Context, cs []pulse.CheckIn) error {
	for i := range cs {
		c := &cs[i]
		if err := checkPart("team", c.TeamID); err != nil {
			return err
		}
		if err := checkPart("user", c.UserID); err != nil {
			return err
		}
		if err := checkDate("check-in", c.Date); err != nil {
			return err
		}
	}
	err := db.update(ctx, func(tx kv.Tx) error {
		teams := map[string]*pulse.Team{}
		checkins, byRep := tx.Bucket(bucketCheckIns), tx.Bucket(bucketCheckInsByRep)
		for i := range cs {
			c := &cs[i]
			team, ok := teams[c.TeamID]
			if !ok {
				var err error
				if team, err = loadTeam(tx, c.TeamID); err != nil {
					return err
				}
				teams[c.TeamID] = team
			}
			if err := c.Validate(team); err != nil {
				return err
			}
			pk := checkInKey(c)
			if err := checkInForm.put(checkins, pk, c); err != nil {
				return err
			}
			if err := byRep.Put(checkInRepKey(c), pk); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap(err, "save %d check-ins", len(cs))
}

// CheckIn returns the rep's check-in for the team and day, or an ENOTFOUND
// error. Safe for concurrent use.
func (db *DB) CheckIn(ctx context.Context, team, user string, day pulse.Date) (*pulse.CheckIn, error) {
	c := new(pulse.CheckIn)
	err := db.view(ctx, func(tx kv.Tx) error {
		ok, err := checkInForm.get(tx.Bucket(bucketCheckIns), key(team, day.String(), user), c, nil)
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
// included (a zero day leaves that end open), sorted by day and then user
// ID. It seeks to the team's first day and reads only the check-ins in
// range. Safe for concurrent use.
func (db *DB) TeamCheckIns(ctx context.Context, team string, from, to pulse.Date) ([]pulse.CheckIn, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	var out []pulse.CheckIn
	err := db.view(ctx, func(tx kv.Tx) error {
		lo, hi := dayRange(from, to, team)
		checkins := tx.Bucket(bucketCheckIns)
		out = make([]pulse.CheckIn, 0, count(checkins, lo, hi))
		d := checkInScan{scanNames: teamScanNames(db.names)}
		defer d.release()
		return scan(checkins, lo, hi, func(k, v []byte) error {
			out = append(out, pulse.CheckIn{})
			if err := d.decode(v, &out[len(out)-1]); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "check-ins of team %s from %s to %s", team, from, to)
	}
	return out, nil
}

// teamScanReps is how many reps a team's scan makes room for at first.
const teamScanReps = 64

// ScanTeamCheckIns calls fn with the figures of each of the team's
// check-ins from day from to day to, in TeamCheckIns' order, for a caller
// that counts them. fn gets the same CheckInFigures, Metrics included, on
// every call and must copy what it keeps; its error ends the scan and is
// returned. The scan runs in one read transaction, so fn must be quick.
// Safe for concurrent use.
func (db *DB) ScanTeamCheckIns(ctx context.Context, team string, from, to pulse.Date, fn func(*pulse.CheckInFigures) error) error {
	if err := checkPart("team", team); err != nil {
		return err
	}
	return viewEach(ctx, db, fn, func(tx kv.Tx, yield func(*pulse.CheckInFigures) error) error {
		lo, hi := dayRange(from, to, team)
		d := checkInScan{scanNames: teamScanNames(db.names)}
		defer d.release()
		return scan(tx.Bucket(bucketCheckIns), lo, hi, func(k, v []byte) error {
			if err := d.decode(v, nil); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			return yield(&d.fig)
		})
	}, "scan check-ins of team %s from %s to %s", team, from, to)
}

// RepCheckIns returns the rep's check-ins in every team from day from to day
// to, both included (a zero day leaves that end open), sorted by day and then
// team ID. It reads the rep index over that range only. Safe for concurrent
// use.
func (db *DB) RepCheckIns(ctx context.Context, user string, from, to pulse.Date) ([]pulse.CheckIn, error) {
	if err := checkPart("user", user); err != nil {
		return nil, err
	}
	var out []pulse.CheckIn
	err := db.view(ctx, func(tx kv.Tx) error {
		checkins := lookupIn(tx.Bucket(bucketCheckIns))
		lo, hi := dayRange(from, to, user)
		pks, err := indexIDs(tx.Bucket(bucketCheckInsByRep), tx.Bucket(bucketCheckIns), lo, hi)
		defer pks.release()
		if err != nil {
			return err
		}
		d := checkInScan{scanNames: scanNames{strs: db.names}}
		out = make([]pulse.CheckIn, len(pks.ids))
		for i, pk := range pks.ids {
			buf := checkins.Get(pk)
			if buf == nil {
				return fmt.Errorf("index names missing check-in %s", pk)
			}
			if err := d.decode(buf, &out[i]); err != nil {
				return fmt.Errorf("decode %s: %w", pk, err)
			}
		}
		return nil
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
