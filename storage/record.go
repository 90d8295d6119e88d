package storage

import (
	"context"

	"github.com/salespulse/pulse/storage/kv"

	"github.com/salespulse/pulse"
)

// byID describes a record stored under an ID of its own, numbered in its
// bucket, with indexes its write keeps up to date: what saving and updating
// one needs to know of its type. Blockers and commitments are stored so.
type byID[T any] struct {
	kind     string // what it is, in errors
	bucket   []byte // where new IDs are numbered
	prefix   string // of new IDs
	id       func(*T) *string
	check    func(*T) error // the key parts, checked before a transaction
	validate func(*T) error // before writing; nil when write validates itself
	load     func(kv.Tx, string) (*T, error)
	write    func(tx kv.Tx, old, next *T) error // stores next, moving old's index entries
}

// save stores rec in one transaction: without an ID it is new and gets
// one; with an ID it replaces the stored record, or is an ENOTFOUND error.
// The caller has checked, defaulted and validated what needs no transaction.
func (r byID[T]) save(ctx context.Context, db *DB, rec *T) error {
	given := *r.id(rec) // a rerun of the transaction starts from it again
	return db.update(ctx, func(tx kv.Tx) error {
		var old *T
		id := r.id(rec)
		*id = given
		if *id == "" {
			n, err := newID(tx.Bucket(r.bucket), r.prefix)
			if err != nil {
				return err
			}
			*id = n
		} else {
			var err error
			if old, err = r.load(tx, *id); err != nil {
				return err
			}
		}
		return r.write(tx, old, rec)
	})
}

// update reads the record, applies fn to a copy and stores the result, all
// in one transaction, so concurrent updates apply one after another and
// none is lost. An error from fn, or from checking or validating its
// result, is returned as it is and nothing is stored; fn may not change the
// ID. fn runs while the database is locked for writing: it must be quick.
func (r byID[T]) update(ctx context.Context, db *DB, id string, fn func(*T) error) (*T, error) {
	var out *T
	var fnErr error
	err := db.update(ctx, func(tx kv.Tx) error {
		old, err := r.load(tx, id)
		if err != nil {
			return err
		}
		next := *old
		if fnErr = fn(&next); fnErr != nil {
			return fnErr
		}
		if got := *r.id(&next); got != id {
			return pulse.Errorf(pulse.EINVALID, "err.internal", nil, "%s %s may not change its ID to %q", r.kind, id, got)
		}
		if err := r.check(&next); err != nil {
			return err
		}
		if r.validate != nil {
			if err := r.validate(&next); err != nil {
				return err
			}
		}
		out = &next
		return r.write(tx, old, &next)
	})
	if fnErr != nil {
		return nil, fnErr
	}
	if err != nil {
		return nil, wrap(err, "update %s %s", r.kind, id)
	}
	return out, nil
}
