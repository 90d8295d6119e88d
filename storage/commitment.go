package storage

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// SaveCommitment validates c against its team and stores it. A commitment
// without an ID is new: it gets an ID once the transaction commits, status
// open when it has none, and CreatedAt from db.Clock when it has none. One
// with an ID replaces the stored one, or is an ENOTFOUND error. The team
// must exist; a validation error is returned as Validate returned it, with
// nothing stored. Safe for concurrent use, the last save winning; to change
// part of a stored commitment without losing another's change, use
// UpdateCommitment.
func (db *DB) SaveCommitment(ctx context.Context, c *pulse.Commitment) error {
	if err := checkCommitmentParts(c); err != nil {
		return err
	}
	stored := *c
	if stored.ID == "" {
		if stored.Status == "" {
			stored.Status = pulse.CommitmentOpen
		}
		if stored.CreatedAt.IsZero() {
			stored.CreatedAt = db.now()
		}
	}
	err := commitments.save(ctx, db, &stored)
	if err != nil {
		return wrap(err, "save commitment of %s for week %s", c.UserID, c.Week)
	}
	*c = stored
	return nil
}

// Commitment returns the commitment with the given ID, or an ENOTFOUND
// error. Safe for concurrent use.
func (db *DB) Commitment(ctx context.Context, id string) (*pulse.Commitment, error) {
	var c *pulse.Commitment
	err := db.view(ctx, func(tx kv.Tx) error {
		var err error
		c, err = loadCommitment(tx, id)
		return err
	})
	if err != nil {
		return nil, wrap(err, "commitment %s", id)
	}
	return c, nil
}

// UpdateCommitment reads the commitment, applies fn to it and stores the
// result, all in one transaction, so concurrent updates apply one after
// another and none is lost. An error from fn, or from validating its result,
// is returned as it is and nothing is stored. fn may not change the ID. It
// runs while the database is locked for writing, so it must be quick and do
// no I/O.
func (db *DB) UpdateCommitment(ctx context.Context, id string, fn func(*pulse.Commitment) error) (*pulse.Commitment, error) {
	return commitments.update(ctx, db, id, fn)
}

// TeamCommitments returns the team's commitments for the weeks starting
// fromWeek to toWeek, both included (a zero week leaves that end open),
// sorted by week and then user ID.
// Safe for concurrent use.
func (db *DB) TeamCommitments(ctx context.Context, team string, fromWeek, toWeek pulse.Date) ([]pulse.Commitment, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	out, err := db.commitmentsIn(ctx, bucketCommitmentsByTeam, fromWeek, toWeek, team)
	if err != nil {
		return nil, wrap(err, "commitments of team %s from %s to %s", team, fromWeek, toWeek)
	}
	return out, nil
}

// ScanTeamCommitments calls fn with each of the team's commitments for the
// weeks starting fromWeek to toWeek, in TeamCommitments' order, without
// their texts (Text, RepNote and ManagerNote are empty), for a caller that
// counts them. fn gets the same Commitment on every call and must copy what
// it keeps; its error ends the scan and is returned. The scan runs in one
// read transaction, so fn must be quick. Safe for concurrent use.
func (db *DB) ScanTeamCommitments(ctx context.Context, team string, fromWeek, toWeek pulse.Date, fn func(*pulse.Commitment) error) error {
	if err := checkPart("team", team); err != nil {
		return err
	}
	return viewEach(ctx, db, fn, func(tx kv.Tx, yield func(*pulse.Commitment) error) error {
		lo, hi := dayRange(fromWeek, toWeek, team)
		commitments := lookupIn(tx.Bucket(bucketCommitments))
		ids, err := indexIDs(tx.Bucket(bucketCommitmentsByTeam), tx.Bucket(bucketCommitments), lo, hi)
		defer ids.release()
		if err != nil {
			return err
		}
		var c pulse.Commitment
		for _, id := range ids.ids {
			buf := commitments.Get(id)
			if buf == nil {
				return fmt.Errorf("index names missing commitment %s", id)
			}
			if err := decodeCommitmentText(buf, &c, db.names, false); err != nil {
				return fmt.Errorf("decode %s: %w", id, err)
			}
			if err := yield(&c); err != nil {
				return err
			}
		}
		return nil
	}, "scan commitments of team %s from %s to %s", team, fromWeek, toWeek)
}

// RepCommitments returns the rep's commitments in every team for the weeks
// starting fromWeek to toWeek, both included (a zero week leaves that end
// open), sorted by week and then team ID. Safe for concurrent use.
func (db *DB) RepCommitments(ctx context.Context, user string, fromWeek, toWeek pulse.Date) ([]pulse.Commitment, error) {
	if err := checkPart("user", user); err != nil {
		return nil, err
	}
	out, err := db.commitmentsIn(ctx, bucketCommitmentsByRep, fromWeek, toWeek, user)
	if err != nil {
		return nil, wrap(err, "commitments of %s from %s to %s", user, fromWeek, toWeek)
	}
	return out, nil
}

// commitmentsIn reads the commitments an index lists below parent for the
// weeks from to to.
func (db *DB) commitmentsIn(ctx context.Context, index []byte, from, to pulse.Date, parent string) ([]pulse.Commitment, error) {
	var out []pulse.Commitment
	err := db.view(ctx, func(tx kv.Tx) error {
		lo, hi := dayRange(from, to, parent)
		commitments := lookupIn(tx.Bucket(bucketCommitments))
		ids, err := indexIDs(tx.Bucket(index), tx.Bucket(bucketCommitments), lo, hi)
		defer ids.release()
		if err != nil {
			return err
		}
		out = make([]pulse.Commitment, len(ids.ids))
		for i, id := range ids.ids {
			ok, err := commitmentForm.get(commitments, id, &out[i], db.names)
			if err == nil && !ok {
				err = fmt.Errorf("index names missing commitment %s", id)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// writeCommitment validates c against its team and stores it, moving its
// index entries from where old had them.
func writeCommitment(tx kv.Tx, old, c *pulse.Commitment) error {
	team, err := loadTeam(tx, c.TeamID)
	if err != nil {
		return err
	}
	if err := c.Validate(team); err != nil {
		return err
	}
	byTeam, byRep := tx.Bucket(bucketCommitmentsByTeam), tx.Bucket(bucketCommitmentsByRep)
	if old != nil {
		if err := byTeam.Delete(commitmentTeamKey(old)); err != nil {
			return err
		}
		if err := byRep.Delete(commitmentRepKey(old)); err != nil {
			return err
		}
	}
	if err := byTeam.Put(commitmentTeamKey(c), []byte(c.ID)); err != nil {
		return err
	}
	if err := byRep.Put(commitmentRepKey(c), []byte(c.ID)); err != nil {
		return err
	}
	return commitmentForm.put(tx.Bucket(bucketCommitments), []byte(c.ID), c)
}

func loadCommitment(tx kv.Tx, id string) (*pulse.Commitment, error) {
	c := new(pulse.Commitment)
	ok, err := commitmentForm.get(tx.Bucket(bucketCommitments), []byte(id), c, nil)
	if err == nil && !ok {
		err = notFound("commitment", "no commitment %s", id)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

func checkCommitmentParts(c *pulse.Commitment) error {
	if err := checkPart("team", c.TeamID); err != nil {
		return err
	}
	return checkPart("user", c.UserID)
}

// commitmentTeamKey is a commitment's key in the team index: team/week/user/ID.
func commitmentTeamKey(c *pulse.Commitment) []byte {
	return key(c.TeamID, c.Week.String(), c.UserID, c.ID)
}

// commitmentRepKey is its key in the rep index: user/week/team/ID.
func commitmentRepKey(c *pulse.Commitment) []byte {
	return key(c.UserID, c.Week.String(), c.TeamID, c.ID)
}

// commitments describes how commitments are stored, for save and update.
// writeCommitment validates, since a commitment is checked against its team.
var commitments = byID[pulse.Commitment]{
	kind: "commitment", bucket: bucketCommitments, prefix: "c",
	id:    func(r *pulse.Commitment) *string { return &r.ID },
	check: checkCommitmentParts,
	load:  loadCommitment,
	write: writeCommitment,
}
