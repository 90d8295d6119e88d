package storage

import (
	"bytes"
	"context"
	"fmt"

	"github.com/salespulse/pulse/storage/kv"

	"github.com/salespulse/pulse"
)

// Roster reads the profiles, away periods and latest 1:1 days in team of
// reps in one read transaction, with one cursor per bucket moved from rep
// to rep: a seek for the profile, a prefix scan for the away periods and a
// last-key seek for the 1:1s. The profiles are shared with the store's
// cache of decoded profiles, and must not be changed. Safe for concurrent
// use.
func (db *DB) Roster(ctx context.Context, team string, reps []string) (pulse.Roster, error) {
	var r pulse.Roster
	if err := db.ReadRoster(ctx, team, reps, &r); err != nil {
		return pulse.Roster{}, err
	}
	return r, nil
}

// ReadRoster is Roster into r, whose maps it empties and reuses (and makes
// when nil), for a caller that reads one roster after another.
func (db *DB) ReadRoster(ctx context.Context, team string, reps []string, r *pulse.Roster) error {
	if err := checkPart("team", team); err != nil {
		return err
	}
	for _, rep := range reps {
		if err := checkPart("rep", rep); err != nil {
			return err
		}
	}
	if r.People == nil {
		r.People = make(map[string]*pulse.Person, len(reps))
	}
	if r.Away == nil {
		r.Away = make(map[string][]pulse.AwayPeriod)
	}
	if r.LastOneOnOne == nil {
		r.LastOneOnOne = make(map[string]pulse.Date, len(reps))
	}
	clear(r.People)
	clear(r.Away)
	clear(r.LastOneOnOne)
	err := db.view(ctx, func(tx kv.Tx) error {
		people, away, sessions := tx.Bucket(bucketPeople).Cursor(), tx.Bucket(bucketAway).Cursor(), tx.Bucket(bucketSessions).Cursor()
		var id, after []byte
		for _, rep := range reps {
			id = append(id[:0], rep...)
			if k, v := people.Seek(id); k != nil && bytes.Equal(k, id) {
				p, err := db.decodePerson(rep, v)
				if err != nil {
					return err
				}
				r.People[rep] = p
			}

			id = append(id, sep) // rep/: their away periods
			for k, v := away.Seek(id); k != nil && bytes.HasPrefix(k, id); k, v = away.Next() {
				var a pulse.AwayPeriod
				if err := decode(k, v, &a); err != nil {
					return err
				}
				r.Away[rep] = append(r.Away[rep], a)
			}

			// A 1:1's key is team/rep/date/ID: the last under team/rep/ is
			// the latest, and its day needs no decoding. The least key
			// after them all ends in the byte after sep.
			id = append(append(append(append(id[:0], team...), sep), rep...), sep)
			after = append(after[:0], id...)
			after[len(after)-1]++
			if k, _ := lastIn(sessions, id, after); k != nil {
				day, _, _ := bytes.Cut(k[len(id):], []byte{sep})
				d, err := pulse.ParseDate(string(day))
				if err != nil {
					return fmt.Errorf("1:1 key %s: %w", k, err)
				}
				r.LastOneOnOne[rep] = d
			}
		}
		return nil
	})
	return wrap(err, "roster of team %s", team)
}
