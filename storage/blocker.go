package storage

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// SaveBlocker validates b and stores it. A blocker without an ID is new: it
// gets an ID once the transaction commits, status open when it has none,
// and RaisedAt from db.Clock when it has none. One with an ID replaces the
// stored one, or is an ENOTFOUND error. The team must exist and the blocker
// needs a date; a validation error is returned as Validate returned it, with
// nothing stored. Safe for concurrent use, the last save winning; to change
// a stored blocker's state, use UpdateBlocker.
func (db *DB) SaveBlocker(ctx context.Context, b *pulse.Blocker) error {
	if err := checkBlockerParts(b); err != nil {
		return err
	}
	stored := *b
	var err error
	if stored.ID == "" {
		stored, err = db.newBlocker(b)
	} else {
		err = stored.Validate()
	}
	if err != nil {
		return err
	}
	err = blockers.save(ctx, db, &stored)
	if err != nil {
		return wrap(err, "save blocker of %s in team %s", b.UserID, b.TeamID)
	}
	*b = stored
	return nil
}

// Blocker returns the blocker with the given ID, or an ENOTFOUND error.
// Safe for concurrent use.
func (db *DB) Blocker(ctx context.Context, id string) (*pulse.Blocker, error) {
	var b *pulse.Blocker
	err := db.view(ctx, func(tx kv.Tx) error {
		var err error
		b, err = loadBlocker(tx, id)
		return err
	})
	if err != nil {
		return nil, wrap(err, "blocker %s", id)
	}
	return b, nil
}

// UpdateBlocker reads the blocker, applies fn to it and stores the result,
// all in one transaction: of two managers pressing "Resolved" at once, the
// second one's fn sees the blocker already resolved. An error from fn, or
// from validating its result, is returned as it is and nothing is stored.
// fn may not change the ID. It runs while the database is locked for
// writing, so it must be quick and do no I/O.
func (db *DB) UpdateBlocker(ctx context.Context, id string, fn func(*pulse.Blocker) error) (*pulse.Blocker, error) {
	return blockers.update(ctx, db, id, fn)
}

// OpenBlockers returns the team's blockers not yet resolved, by the day they
// were raised and then user ID. It reads the open-blocker index of the team
// only, however many blockers were resolved. Safe for concurrent use.
func (db *DB) OpenBlockers(ctx context.Context, team string) ([]pulse.Blocker, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	out, err := db.blockersIn(ctx, bucketBlockersOpen, pulse.Date{}, pulse.Date{}, team)
	if err != nil {
		return nil, wrap(err, "open blockers of team %s", team)
	}
	return out, nil
}

// TeamBlockers returns the team's blockers raised from day from to day to,
// both included (a zero day leaves that end open), by day and then user ID.
// Safe for concurrent use.
func (db *DB) TeamBlockers(ctx context.Context, team string, from, to pulse.Date) ([]pulse.Blocker, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	out, err := db.blockersIn(ctx, bucketBlockersByTeam, from, to, team)
	if err != nil {
		return nil, wrap(err, "blockers of team %s from %s to %s", team, from, to)
	}
	return out, nil
}

// ScanTeamBlockers calls fn with each of the team's blockers raised from
// day from to day to, in TeamBlockers' order, without their texts, for a
// caller that counts them, all in one read transaction. fn gets the same
// Blocker on every call and must copy what it keeps; its error ends the
// scan and is returned. Safe for concurrent use.
func (db *DB) ScanTeamBlockers(ctx context.Context, team string, from, to pulse.Date, fn func(*pulse.Blocker) error) error {
	if err := checkPart("team", team); err != nil {
		return err
	}
	return viewEach(ctx, db, fn, func(tx kv.Tx, yield func(*pulse.Blocker) error) error {
		lo, hi := dayRange(from, to, team)
		return eachIndexedBlocker(tx, bucketBlockersByTeam, lo, hi, db.names, false, func(_ int, b *pulse.Blocker) error {
			return yield(b)
		})
	}, "scan blockers of team %s from %s to %s", team, from, to)
}

// blockersIn reads the blockers an index lists below team for the days from
// to to.
func (db *DB) blockersIn(ctx context.Context, index []byte, from, to pulse.Date, team string) ([]pulse.Blocker, error) {
	var out []pulse.Blocker
	err := db.view(ctx, func(tx kv.Tx) error {
		lo, hi := dayRange(from, to, team)
		out = []pulse.Blocker{}
		return eachIndexedBlocker(tx, index, lo, hi, nil, true, func(n int, b *pulse.Blocker) error {
			if cap(out) == 0 {
				out = make([]pulse.Blocker, 0, n)
			}
			out = append(out, *b)
			return nil
		})
	})
	return out, err
}

// eachIndexedBlocker decodes into one reused value each blocker the index
// lists in [lo, hi), its text only when text is set, keeping the strings
// many share once in strs (nil copies each), and calls fn with it and how
// many there are.
func eachIndexedBlocker(tx kv.Tx, index, lo, hi []byte, strs *names, text bool, fn func(n int, b *pulse.Blocker) error) error {
	blockers := lookupIn(tx.Bucket(bucketBlockers))
	ids, err := indexIDs(tx.Bucket(index), tx.Bucket(bucketBlockers), lo, hi)
	defer ids.release()
	if err != nil {
		return err
	}
	var b pulse.Blocker
	for _, id := range ids.ids {
		buf := blockers.Get(id)
		if buf == nil {
			return fmt.Errorf("index names missing blocker %s", id)
		}
		if err := decodeBlockerText(buf, &b, strs, text); err != nil {
			return fmt.Errorf("decode %s: %w", id, err)
		}
		if err := fn(len(ids.ids), &b); err != nil {
			return err
		}
	}
	return nil
}

// writeBlocker stores b, moving its index entries from where old had them
// and keeping it in the open index exactly while it is open.
func writeBlocker(tx kv.Tx, old, b *pulse.Blocker) error {
	if _, err := loadTeam(tx, b.TeamID); err != nil {
		return err
	}
	byTeam, open := tx.Bucket(bucketBlockersByTeam), tx.Bucket(bucketBlockersOpen)
	if old != nil {
		if err := byTeam.Delete(blockerKey(old)); err != nil {
			return err
		}
		if err := open.Delete(blockerKey(old)); err != nil {
			return err
		}
	}
	if err := byTeam.Put(blockerKey(b), []byte(b.ID)); err != nil {
		return err
	}
	if b.Open() {
		if err := open.Put(blockerKey(b), []byte(b.ID)); err != nil {
			return err
		}
	}
	return blockerForm.put(tx.Bucket(bucketBlockers), []byte(b.ID), b)
}

func loadBlocker(tx kv.Tx, id string) (*pulse.Blocker, error) {
	b := new(pulse.Blocker)
	ok, err := blockerForm.get(tx.Bucket(bucketBlockers), []byte(id), b, nil)
	if err == nil && !ok {
		err = notFound("blocker", "no blocker %s", id)
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

func checkBlockerParts(b *pulse.Blocker) error {
	if err := checkPart("team", b.TeamID); err != nil {
		return err
	}
	if err := checkPart("user", b.UserID); err != nil {
		return err
	}
	return checkDate("blocker", b.Date)
}

// blockerKey is a blocker's key in both indexes: team/date/user/ID.
func blockerKey(b *pulse.Blocker) []byte {
	return key(b.TeamID, b.Date.String(), b.UserID, b.ID)
}

// blockers describes how blockers are stored, for save and update.
var blockers = byID[pulse.Blocker]{
	kind: "blocker", bucket: bucketBlockers, prefix: "b",
	id:       func(r *pulse.Blocker) *string { return &r.ID },
	check:    checkBlockerParts,
	validate: (*pulse.Blocker).Validate,
	load:     loadBlocker,
	write:    writeBlocker,
}
