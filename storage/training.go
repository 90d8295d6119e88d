package storage

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// maxNudgeDay bounds a nudge's day offset to what its key can hold; the
// domain allows at most 365.
const maxNudgeDay = 9999

// SaveTraining validates t and stores it. A training without an ID is new:
// it gets an ID once the transaction commits, and CreatedAt from db.Clock
// when it has none. One with an ID replaces the stored one, or is an
// ENOTFOUND error; when its day moved, its nudges' due days move with it.
// The team must exist; a validation error is returned as Validate returned
// it, with nothing stored. Safe for concurrent use; the last save wins.
func (db *DB) SaveTraining(ctx context.Context, t *pulse.Training) error {
	if err := checkPart("team", t.TeamID); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	stored := *t
	if stored.ID == "" && stored.CreatedAt.IsZero() {
		stored.CreatedAt = db.now()
	}
	givenID := stored.ID // a rerun of the transaction starts from it again
	err := db.update(ctx, func(tx kv.Tx) error {
		stored.ID = givenID
		if _, err := loadTeam(tx, stored.TeamID); err != nil {
			return err
		}
		trainings, byTeam := tx.Bucket(bucketTrainings), tx.Bucket(bucketTrainingsByTeam)
		if stored.ID == "" {
			id, err := newID(trainings, "tr")
			if err != nil {
				return err
			}
			stored.ID = id
		} else {
			old, err := loadTraining(tx, stored.ID)
			if err != nil {
				return err
			}
			if err := byTeam.Delete(trainingTeamKey(old)); err != nil {
				return err
			}
			if old.Date != stored.Date {
				if err := moveNudges(tx, old, &stored); err != nil {
					return err
				}
			}
		}
		if err := byTeam.Put(trainingTeamKey(&stored), []byte(stored.ID)); err != nil {
			return err
		}
		return put(trainings, []byte(stored.ID), &stored)
	})
	if err != nil {
		return wrap(err, "save training %q of team %s", t.Skill, t.TeamID)
	}
	*t = stored
	return nil
}

// Training returns the training with the given ID, or an ENOTFOUND error.
// Safe for concurrent use.
func (db *DB) Training(ctx context.Context, id string) (*pulse.Training, error) {
	var t *pulse.Training
	err := db.view(ctx, func(tx kv.Tx) error {
		var err error
		t, err = loadTraining(tx, id)
		return err
	})
	if err != nil {
		return nil, wrap(err, "training %s", id)
	}
	return t, nil
}

// TeamTrainings returns the team's trainings held from day from to day to,
// both included (a zero day leaves that end open), sorted by day and then
// creation. Safe for concurrent use.
func (db *DB) TeamTrainings(ctx context.Context, team string, from, to pulse.Date) ([]pulse.Training, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	var out []pulse.Training
	err := db.view(ctx, func(tx kv.Tx) error {
		lo, hi := dayRange(from, to, team)
		return scan(tx.Bucket(bucketTrainingsByTeam), lo, hi, func(_, id []byte) error {
			t, err := loadTraining(tx, string(id))
			if err != nil {
				return err
			}
			out = append(out, *t)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "trainings of team %s from %s to %s", team, from, to)
	}
	return out, nil
}

// SaveNudge validates n and stores it, replacing the nudge of the same
// training, user and day. The training must exist (ENOTFOUND otherwise);
// a nudge without a TeamID takes the training's. A validation error is
// returned as Validate returned it, with nothing stored. Safe for concurrent
// use: concurrent saves share commits through db.Batch, and of two saves of
// one nudge the last wins.
func (db *DB) SaveNudge(ctx context.Context, n *pulse.Nudge) error {
	if err := checkPart("training", n.TrainingID); err != nil {
		return err
	}
	if err := checkPart("user", n.UserID); err != nil {
		return err
	}
	if n.Day < 0 || n.Day > maxNudgeDay {
		return pulse.FieldError("day", "err.range", map[string]any{"Min": 0, "Max": maxNudgeDay}, "nudge day %d out of range", n.Day)
	}
	if err := n.Validate(); err != nil {
		return err
	}
	stored := *n
	err := db.batch(ctx, func(tx kv.Tx) error {
		t, err := loadTraining(tx, n.TrainingID)
		if err != nil {
			return err
		}
		stored.TeamID = n.TeamID
		if stored.TeamID == "" {
			stored.TeamID = t.TeamID
		}
		pk := nudgeKey(n.TrainingID, n.UserID, n.Day)
		if err := nudgeForm.put(tx.Bucket(bucketNudges), pk, &stored); err != nil {
			return err
		}
		return tx.Bucket(bucketNudgesByRep).Put(nudgeRepKey(t, n.UserID, n.Day), pk)
	})
	if err != nil {
		return wrap(err, "save nudge of %s for training %s day %d", n.UserID, n.TrainingID, n.Day)
	}
	*n = stored
	return nil
}

// Nudge returns the nudge of the training to the user on the given day
// after it, or an ENOTFOUND error. Safe for concurrent use.
func (db *DB) Nudge(ctx context.Context, training, user string, day int) (*pulse.Nudge, error) {
	n := new(pulse.Nudge)
	err := db.view(ctx, func(tx kv.Tx) error {
		ok, err := nudgeForm.get(tx.Bucket(bucketNudges), nudgeKey(training, user, day), n, nil)
		if err == nil && !ok {
			err = notFound("nudge", "no nudge of training %s to %s on day %d", training, user, day)
		}
		return err
	})
	if err != nil {
		return nil, wrap(err, "nudge of training %s to %s on day %d", training, user, day)
	}
	return n, nil
}

// TrainingNudges returns the training's nudges sorted by day and then user
// ID. Safe for concurrent use.
func (db *DB) TrainingNudges(ctx context.Context, training string) ([]pulse.Nudge, error) {
	if err := checkPart("training", training); err != nil {
		return nil, err
	}
	var out []pulse.Nudge
	err := db.view(ctx, func(tx kv.Tx) error {
		nudges, p := tx.Bucket(bucketNudges), prefix(training)
		out = make([]pulse.Nudge, 0, count(nudges, p, prefixEnd(p)))
		strs := db.names
		return scanPrefix(nudges, p, func(k, v []byte) error {
			out = append(out, pulse.Nudge{})
			if err := decodeNudge(v, &out[len(out)-1], strs); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "nudges of training %s", training)
	}
	return out, nil
}

// ScanTeamNudges calls fn with each nudge of the team's trainings dated
// from day from to day to, training by training in date order and then as
// TrainingNudges orders them, without their reports, for a caller that
// counts them. It reads the trainings' IDs from the team index's keys, not
// the trainings themselves, all in one read transaction. fn gets the same
// Nudge on every call and must copy what it keeps; its error ends the scan
// and is returned. Safe for concurrent use.
func (db *DB) ScanTeamNudges(ctx context.Context, team string, from, to pulse.Date, fn func(*pulse.Nudge) error) error {
	if err := checkPart("team", team); err != nil {
		return err
	}
	return viewEach(ctx, db, fn, func(tx kv.Tx, yield func(*pulse.Nudge) error) error {
		nudges := tx.Bucket(bucketNudges)
		var n pulse.Nudge
		var p []byte
		met := teamScanNames(db.names)
		defer met.release()
		lo, hi := dayRange(from, to, team)
		return scan(tx.Bucket(bucketTrainingsByTeam), lo, hi, func(_, id []byte) error {
			p = append(append(p[:0], id...), sep)
			return scanPrefix(nudges, p, func(k, v []byte) error {
				if err := decodeNudgeText(v, &n, db.names, &met, false); err != nil {
					return fmt.Errorf("decode %s: %w", k, err)
				}
				return yield(&n)
			})
		})
	}, "scan nudges of team %s from %s to %s", team, from, to)
}

// RepNudges returns the user's nudges from every training, sorted by the day
// each falls due. It reads the user's index entries only. Safe for
// concurrent use.
func (db *DB) RepNudges(ctx context.Context, user string) ([]pulse.Nudge, error) {
	if err := checkPart("user", user); err != nil {
		return nil, err
	}
	var out []pulse.Nudge
	err := db.view(ctx, func(tx kv.Tx) error {
		nudges := lookupIn(tx.Bucket(bucketNudges))
		strs := db.names
		return scanPrefix(tx.Bucket(bucketNudgesByRep), prefix(user), func(_, pk []byte) error {
			var n pulse.Nudge
			ok, err := nudgeForm.get(nudges, pk, &n, strs)
			if err == nil && !ok {
				err = fmt.Errorf("index names missing nudge %s", pk)
			}
			if err != nil {
				return err
			}
			out = append(out, n)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "nudges of %s", user)
	}
	return out, nil
}

// moveNudges re-files the rep index entries of old's nudges under the due
// days that follow from the training's new day.
func moveNudges(tx kv.Tx, old, t *pulse.Training) error {
	byRep := tx.Bucket(bucketNudgesByRep)
	var nudges []pulse.Nudge
	err := scanPrefix(tx.Bucket(bucketNudges), prefix(old.ID), func(k, v []byte) error {
		var n pulse.Nudge
		if err := decodeNudge(v, &n, nil); err != nil {
			return fmt.Errorf("decode %s: %w", k, err)
		}
		nudges = append(nudges, n)
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range nudges {
		if err := byRep.Delete(nudgeRepKey(old, n.UserID, n.Day)); err != nil {
			return err
		}
		if err := byRep.Put(nudgeRepKey(t, n.UserID, n.Day), nudgeKey(t.ID, n.UserID, n.Day)); err != nil {
			return err
		}
	}
	return nil
}

func loadTraining(tx kv.Tx, id string) (*pulse.Training, error) {
	t := new(pulse.Training)
	ok, err := get(tx.Bucket(bucketTrainings), []byte(id), t)
	if err == nil && !ok {
		err = notFound("training", "no training %s", id)
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

// trainingTeamKey is a training's key in the team index: team/date/ID.
func trainingTeamKey(t *pulse.Training) []byte { return key(t.TeamID, t.Date.String(), t.ID) }

// nudgeKey is a nudge's key: training/day/user, so a training's nudges
// read in day order.
func nudgeKey(training, user string, day int) []byte {
	return key(training, dayKey(day), user)
}

// nudgeRepKey is its key in the rep index: user/due date/training/day.
func nudgeRepKey(t *pulse.Training, user string, day int) []byte {
	return key(user, t.Date.AddDays(day).String(), t.ID, dayKey(day))
}
