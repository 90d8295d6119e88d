package storage

import (
	"context"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// SavePerson validates p and stores it, replacing what was known of the
// user. A validation error is returned as Validate returned it, with nothing
// stored. Safe for concurrent use; the last save wins.
func (db *DB) SavePerson(ctx context.Context, p *pulse.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	err := db.update(ctx, func(tx kv.Tx) error {
		return put(tx.Bucket(bucketPeople), []byte(p.ID), p)
	})
	return wrap(err, "save person %s", p.ID)
}

// UpdatePerson applies fn to the stored profile of id, or to a new one
// holding only the ID, validates the result and stores it, all in one
// write transaction. An error from fn or from Validate is returned as it
// is, with nothing stored. Safe for concurrent use: updates of one person
// apply one after another.
func (db *DB) UpdatePerson(ctx context.Context, id string, fn func(*pulse.Person) error) (*pulse.Person, error) {
	var p *pulse.Person
	err := db.update(ctx, func(tx kv.Tx) error {
		people := tx.Bucket(bucketPeople)
		var err error
		if p, err = db.readPerson(people, id); err != nil {
			return err
		}
		if p == nil {
			p = &pulse.Person{ID: id}
		}
		if err := fn(p); err != nil {
			return err
		}
		p.ID = id
		if err := p.Validate(); err != nil {
			return err
		}
		return put(people, []byte(id), p)
	})
	if err != nil {
		return nil, wrap(err, "update person %s", id)
	}
	return p, nil
}

// Person returns what is known of the user, or an ENOTFOUND error.
// Safe for concurrent use.
func (db *DB) Person(ctx context.Context, id string) (*pulse.Person, error) {
	var p *pulse.Person
	err := db.view(ctx, func(tx kv.Tx) error {
		var err error
		p, err = db.readPerson(tx.Bucket(bucketPeople), id)
		if err == nil && p == nil {
			err = notFound("person", "no person %s", id)
		}
		return err
	})
	if err != nil {
		return nil, wrap(err, "person %s", id)
	}
	return p, nil
}

// AddAway validates a and stores it as a new away period, assigning its ID
// once the transaction commits. A validation error is returned as Validate
// returned it. Safe for concurrent use: each period gets its own ID.
func (db *DB) AddAway(ctx context.Context, a *pulse.AwayPeriod) error {
	if err := a.Validate(); err != nil {
		return err
	}
	stored := *a
	err := db.update(ctx, func(tx kv.Tx) error {
		away := tx.Bucket(bucketAway)
		id, err := newID(away, "a")
		if err != nil {
			return err
		}
		stored.ID = id
		return put(away, awayKey(&stored), &stored)
	})
	if err != nil {
		return wrap(err, "add away period of %s", a.UserID)
	}
	a.ID = stored.ID
	return nil
}

// AwayPeriods returns the user's away periods by their first day; none is
// not an error. It reads the user's own entries only. Safe for concurrent
// use.
func (db *DB) AwayPeriods(ctx context.Context, user string) ([]pulse.AwayPeriod, error) {
	if err := checkPart("user", user); err != nil {
		return nil, err
	}
	var out []pulse.AwayPeriod
	err := db.view(ctx, func(tx kv.Tx) error {
		return scanPrefix(tx.Bucket(bucketAway), prefix(user), func(k, v []byte) error {
			var a pulse.AwayPeriod
			if err := decode(k, v, &a); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "away periods of %s", user)
	}
	return out, nil
}

// awayKey is an away period's key: user/first day/ID.
func awayKey(a *pulse.AwayPeriod) []byte { return key(a.UserID, a.From.String(), a.ID) }

// readPerson returns a copy of the stored profile of id, or nil when there
// is none, decoding the stored bytes only when they differ from the ones
// last decoded.
func (db *DB) readPerson(people kv.Bucket, id string) (*pulse.Person, error) {
	raw := people.Get([]byte(id))
	if raw == nil {
		return nil, nil
	}
	shared, err := db.decodePerson(id, raw)
	if err != nil {
		return nil, err
	}
	p := *shared
	return &p, nil
}

// decodePerson returns the profile stored as raw for id, shared with the
// cache: the caller must not change it.
func (db *DB) decodePerson(id string, raw []byte) (*pulse.Person, error) {
	return db.people.get(id, raw)
}
