package storage

import (
	"bytes"
	"context"
	"fmt"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// SaveSession validates s and stores it. A session without an ID is new: it
// gets an ID once the transaction commits, and CreatedAt from db.Clock when
// it has none. One with an ID replaces the stored one (also when its rep or
// day changed), or is an ENOTFOUND error. The team must exist; a validation
// error is returned as Validate returned it, with nothing stored. Safe for
// concurrent use; the last save wins.
func (db *DB) SaveSession(ctx context.Context, s *pulse.CoachingSession) error {
	if err := checkPart("team", s.TeamID); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	stored := *s
	if stored.ID == "" && stored.CreatedAt.IsZero() {
		stored.CreatedAt = db.now()
	}
	givenID := stored.ID // a rerun of the transaction starts from it again
	err := db.update(ctx, func(tx kv.Tx) error {
		stored.ID = givenID
		if _, err := loadTeam(tx, stored.TeamID); err != nil {
			return err
		}
		sessions, ids := tx.Bucket(bucketSessions), tx.Bucket(bucketSessionIDs)
		if stored.ID == "" {
			id, err := newID(sessions, "s")
			if err != nil {
				return err
			}
			stored.ID = id
		} else {
			oldKey := ids.Get([]byte(stored.ID))
			if oldKey == nil {
				return notFound("session", "no 1:1 %s", stored.ID)
			}
			if err := sessions.Delete(bytes.Clone(oldKey)); err != nil {
				return err
			}
		}
		pk := sessionKey(&stored)
		if err := ids.Put([]byte(stored.ID), pk); err != nil {
			return err
		}
		return put(sessions, pk, &stored)
	})
	if err != nil {
		return wrap(err, "save 1:1 of %s in team %s", s.RepID, s.TeamID)
	}
	*s = stored
	return nil
}

// RepSessions returns the rep's 1:1s in the team, oldest first; none is not
// an error. It reads that rep's entries only. Safe for concurrent use.
func (db *DB) RepSessions(ctx context.Context, team, rep string) ([]pulse.CoachingSession, error) {
	_, out, err := db.RepSessionsFrom(ctx, team, rep, pulse.Date{})
	return out, err
}

// RepSessionsFrom returns the rep's 1:1s in the team dated from day from
// on (all of them for a zero day), oldest first, and the day of the latest
// before it (zero when there was none). It decodes only those from the day on: a leader's week needs
// this week's 1:1s and when the one before was, not years of them. Safe for
// concurrent use.
func (db *DB) RepSessionsFrom(ctx context.Context, team, rep string, from pulse.Date) (pulse.Date, []pulse.CoachingSession, error) {
	if err := checkPart("team", team); err != nil {
		return pulse.Date{}, nil, err
	}
	if err := checkPart("rep", rep); err != nil {
		return pulse.Date{}, nil, err
	}
	var before pulse.Date
	var out []pulse.CoachingSession
	err := db.view(ctx, func(tx kv.Tx) error {
		sessions := tx.Bucket(bucketSessions)
		p := prefix(team, rep)
		lo := key(team, rep, from.String()) // a day's keys go on with sep and the ID
		if k, _ := lastIn(sessions.Cursor(), p, lo); k != nil {
			day, _, _ := bytes.Cut(k[len(p):], []byte{sep})
			d, err := pulse.ParseDate(string(day))
			if err != nil {
				return fmt.Errorf("1:1 key %q: %w", k, err)
			}
			before = d
		}
		return scan(sessions, lo, prefixEnd(p), func(k, v []byte) error {
			var s pulse.CoachingSession
			if err := decode(k, v, &s); err != nil {
				return err
			}
			out = append(out, s)
			return nil
		})
	})
	if err != nil {
		return pulse.Date{}, nil, wrap(err, "1:1s of %s in team %s from %s", rep, team, from)
	}
	return before, out, nil
}

// LastSession returns the rep's latest 1:1 in the team (by day, then by
// creation), or an ENOTFOUND error when there has been none. It reads one
// entry. Safe for concurrent use.
func (db *DB) LastSession(ctx context.Context, team, rep string) (*pulse.CoachingSession, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	if err := checkPart("rep", rep); err != nil {
		return nil, err
	}
	s := new(pulse.CoachingSession)
	err := db.view(ctx, func(tx kv.Tx) error {
		k, v := last(tx.Bucket(bucketSessions), prefix(team, rep))
		if k == nil {
			return notFound("session", "no 1:1 with %s in team %s", rep, team)
		}
		return decode(k, v, s)
	})
	if err != nil {
		return nil, wrap(err, "last 1:1 of %s in team %s", rep, team)
	}
	return s, nil
}

// sessionKey is a 1:1's key: team/rep/date/ID.
func sessionKey(s *pulse.CoachingSession) []byte {
	return key(s.TeamID, s.RepID, s.Date.String(), s.ID)
}
