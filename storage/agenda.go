package storage

import (
	"bytes"
	"context"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// A rep's 1:1 agenda is stored under the team and rep, each item under
// its ID; gathered items are also indexed by what they are about, so a
// rule that holds day after day puts its item on the agenda once.
var (
	bucketAgenda     = []byte("agenda")      // team/rep/ID → AgendaItem (since v4)
	bucketAgendaRefs = []byte("agenda_refs") // team/rep/ref → ID (since v4)
)

// AddAgendaItem validates a and stores it as a new item with an ID and,
// when it has none, At from db.Clock; an item whose Ref the rep's agenda
// in the team already holds is not stored, and added is false. The team
// must exist. Safe for concurrent use.
func (db *DB) AddAgendaItem(ctx context.Context, a *pulse.AgendaItem) (bool, error) {
	if err := checkPart("team", a.TeamID); err != nil {
		return false, err
	}
	if err := checkPart("rep", a.RepID); err != nil {
		return false, err
	}
	if a.ID != "" {
		return false, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "agenda item %s is already saved", a.ID)
	}
	if err := a.Validate(); err != nil {
		return false, err
	}
	stored := *a
	if stored.At.IsZero() {
		stored.At = db.now()
	}
	added := false
	err := db.update(ctx, func(tx kv.Tx) error {
		added = false // afresh: PostgreSQL may run this again
		if _, err := loadTeam(tx, stored.TeamID); err != nil {
			return err
		}
		refs := tx.Bucket(bucketAgendaRefs)
		var refKey []byte
		if stored.Ref != "" {
			refKey = binKey(prefix(stored.TeamID, stored.RepID), []byte(stored.Ref))
			if refs.Get(refKey) != nil {
				return nil
			}
		}
		items := tx.Bucket(bucketAgenda)
		id, err := newID(items, "a")
		if err != nil {
			return err
		}
		stored.ID = id
		if refKey != nil {
			if err := refs.Put(refKey, []byte(id)); err != nil {
				return err
			}
		}
		added = true
		return put(items, key(stored.TeamID, stored.RepID, id), &stored)
	})
	if err != nil {
		return false, wrap(err, "add to the 1:1 agenda of %s in team %s", a.RepID, a.TeamID)
	}
	if added {
		*a = stored
	}
	return added, nil
}

// RepAgenda returns the rep's open items in the team, oldest first. Safe
// for concurrent use.
func (db *DB) RepAgenda(ctx context.Context, team, rep string) ([]pulse.AgendaItem, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	if err := checkPart("rep", rep); err != nil {
		return nil, err
	}
	var out []pulse.AgendaItem
	err := db.view(ctx, func(tx kv.Tx) error {
		return scanPrefix(tx.Bucket(bucketAgenda), prefix(team, rep), func(k, v []byte) error {
			var a pulse.AgendaItem
			if err := decode(k, v, &a); err != nil {
				return err
			}
			if a.Open() {
				out = append(out, a)
			}
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "1:1 agenda of %s in team %s", rep, team)
	}
	return out, nil
}

// CloseAgenda closes the rep's open items in the team but those in keep,
// in one transaction, and returns how many it closed. Safe for concurrent use.
func (db *DB) CloseAgenda(ctx context.Context, team, rep string, keep []string, session string, at time.Time) (int, error) {
	if err := checkPart("team", team); err != nil {
		return 0, err
	}
	if err := checkPart("rep", rep); err != nil {
		return 0, err
	}
	closed := 0
	err := db.update(ctx, func(tx kv.Tx) error {
		items := tx.Bucket(bucketAgenda)
		type change struct {
			k []byte
			a pulse.AgendaItem
		}
		var changes []change
		err := scanPrefix(items, prefix(team, rep), func(k, v []byte) error {
			var a pulse.AgendaItem
			if err := decode(k, v, &a); err != nil {
				return err
			}
			for _, id := range keep {
				if id == a.ID {
					return nil
				}
			}
			if a.Open() {
				a.Closed, a.Session = at, session
				changes = append(changes, change{bytes.Clone(k), a})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, c := range changes {
			if err := put(items, c.k, &c.a); err != nil {
				return err
			}
		}
		closed = len(changes)
		return nil
	})
	if err != nil {
		return 0, wrap(err, "close the 1:1 agenda of %s in team %s", rep, team)
	}
	return closed, nil
}
