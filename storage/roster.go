package storage

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/salespulse/pulse"
)

// Roster reads the profiles, away periods and latest 1:1 days in team of
// reps in one read transaction: a point read, a prefix scan and a last-key
// seek per rep. Safe for concurrent use.
func (db *DB) Roster(ctx context.Context, team string, reps []string) (pulse.Roster, error) {
	if err := checkPart("team", team); err != nil {
		return pulse.Roster{}, err
	}
	for _, rep := range reps {
		if err := checkPart("rep", rep); err != nil {
			return pulse.Roster{}, err
		}
	}
	r := pulse.Roster{
		People:       make(map[string]*pulse.Person, len(reps)),
		Away:         make(map[string][]pulse.AwayPeriod),
		LastOneOnOne: make(map[string]pulse.Date),
	}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		people, away, sessions := tx.Bucket(bucketPeople), tx.Bucket(bucketAway), tx.Bucket(bucketSessions)
		for _, rep := range reps {
			p, err := db.readPerson(people, rep)
			if err != nil {
				return err
			}
			if p != nil {
				r.People[rep] = p
			}
			err = scanPrefix(away, prefix(rep), func(k, v []byte) error {
				var a pulse.AwayPeriod
				if err := decode(k, v, &a); err != nil {
					return err
				}
				r.Away[rep] = append(r.Away[rep], a)
				return nil
			})
			if err != nil {
				return err
			}
			// A 1:1's key is team/rep/date/ID: its day needs no decoding.
			p0 := prefix(team, rep)
			if k, _ := last(sessions, p0); k != nil {
				day, _, _ := bytes.Cut(k[len(p0):], []byte{sep})
				d, err := pulse.ParseDate(string(day))
				if err != nil {
					return fmt.Errorf("1:1 key %s: %w", k, err)
				}
				r.LastOneOnOne[rep] = d
			}
		}
		return nil
	})
	if err != nil {
		return pulse.Roster{}, wrap(err, "roster of team %s", team)
	}
	return r, nil
}
