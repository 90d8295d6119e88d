package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// SaveKudos validates k and stores it as new kudos, assigning its ID once
// the transaction commits, and CreatedAt from db.Clock when it has none.
// Kudos are not edited: one that already has an ID is an EINVALID error.
// The team must exist; a validation error is returned as Validate returned
// it, with nothing stored. Safe for concurrent use.
func (db *DB) SaveKudos(ctx context.Context, k *pulse.Kudos) error {
	if err := checkPart("team", k.TeamID); err != nil {
		return err
	}
	if k.ID != "" {
		return pulse.Errorf(pulse.EINVALID, "err.internal", nil, "kudos %s are already saved", k.ID)
	}
	if err := k.Validate(); err != nil {
		return err
	}
	stored := *k
	if stored.CreatedAt.IsZero() {
		stored.CreatedAt = db.now()
	}
	err := db.update(ctx, func(tx kv.Tx) error {
		if _, err := loadTeam(tx, stored.TeamID); err != nil {
			return err
		}
		kudos := tx.Bucket(bucketKudos)
		id, err := newID(kudos, "k")
		if err != nil {
			return err
		}
		stored.ID = id
		at := timeKey(stored.CreatedAt)
		pk := binKey(prefix(stored.TeamID), at, id)
		if err := tx.Bucket(bucketKudosByRep).Put(binKey(prefix(stored.To), at, id), pk); err != nil {
			return err
		}
		return put(kudos, pk, &stored)
	})
	if err != nil {
		return wrap(err, "save kudos to %s in team %s", k.To, k.TeamID)
	}
	*k = stored
	return nil
}

// TeamKudos returns the kudos given in the team from one instant (included)
// to another (excluded), oldest first; a zero to leaves the end open. It
// reads that span only. Safe for
// concurrent use.
func (db *DB) TeamKudos(ctx context.Context, team string, from, to time.Time) ([]pulse.Kudos, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	var out []pulse.Kudos
	err := db.view(ctx, func(tx kv.Tx) error {
		lo, hi := timeRange(from, to, team)
		return scan(tx.Bucket(bucketKudos), lo, hi, func(k, v []byte) error {
			var kd pulse.Kudos
			if err := decode(k, v, &kd); err != nil {
				return err
			}
			out = append(out, kd)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "kudos of team %s from %s to %s", team, from, to)
	}
	return out, nil
}

// RepKudos returns the kudos given to user, in every team, from one instant
// (included) to another (excluded), oldest first; a zero to leaves the end
// open. It reads the user's index
// entries in that span only. Safe for concurrent use.
func (db *DB) RepKudos(ctx context.Context, user string, from, to time.Time) ([]pulse.Kudos, error) {
	if err := checkPart("user", user); err != nil {
		return nil, err
	}
	var out []pulse.Kudos
	err := db.view(ctx, func(tx kv.Tx) error {
		kudos := tx.Bucket(bucketKudos)
		lo, hi := timeRange(from, to, user)
		return scan(tx.Bucket(bucketKudosByRep), lo, hi, func(_, pk []byte) error {
			var kd pulse.Kudos
			ok, err := get(kudos, pk, &kd)
			if err == nil && !ok {
				err = fmt.Errorf("index names missing kudos %q", pk)
			}
			if err != nil {
				return err
			}
			out = append(out, kd)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "kudos to %s from %s to %s", user, from, to)
	}
	return out, nil
}
