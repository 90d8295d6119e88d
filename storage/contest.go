package storage

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// The buckets of contests.
var (
	bucketContests       = []byte("contests")         // ID → Contest
	bucketContestsByTeam = []byte("contests_by_team") // team/end/ID → ID
	// contests_by_end (end/team/ID → ID) indexed every team's contests by
	// end day for a read nothing makes any more; schema 4 creates it, and
	// it is no longer written.
	bucketContestsByEnd = []byte("contests_by_end")
)

var contests = byID[pulse.Contest]{
	kind:   "contest",
	bucket: bucketContests,
	prefix: "c",
	id:     func(c *pulse.Contest) *string { return &c.ID },
	check: func(c *pulse.Contest) error {
		if err := checkPart("team", c.TeamID); err != nil {
			return err
		}
		return checkDate("contest", c.End)
	},
	load:  loadContest,
	write: writeContest,
}

func loadContest(tx kv.Tx, id string) (*pulse.Contest, error) {
	var c pulse.Contest
	ok, err := get(tx.Bucket(bucketContests), []byte(id), &c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound("contest", "contest %s", id)
	}
	return &c, nil
}

// writeContest stores next and keeps its index entries; a contest's team
// and end do not change, so old's entries are next's.
func writeContest(tx kv.Tx, old, next *pulse.Contest) error {
	if old == nil {
		if _, err := loadTeam(tx, next.TeamID); err != nil {
			return err
		}
	} else if old.TeamID != next.TeamID || old.End != next.End {
		return pulse.Errorf(pulse.EINVALID, "err.internal", nil, "contest %s may not move", next.ID)
	}
	id := []byte(next.ID)
	if err := tx.Bucket(bucketContestsByTeam).Put(key(next.TeamID, next.End.String(), next.ID), id); err != nil {
		return err
	}
	return put(tx.Bucket(bucketContests), id, next)
}

// SaveContest stores a new contest, assigning its ID and CreatedAt when it
// has none. Its fields are validated by the caller against the team's day,
// which the store does not know. Safe for concurrent use.
func (db *DB) SaveContest(ctx context.Context, c *pulse.Contest) error {
	if c.ID != "" {
		return pulse.Errorf(pulse.EINVALID, "err.internal", nil, "contest %s is already saved", c.ID)
	}
	if err := contests.check(c); err != nil {
		return err
	}
	stored := *c
	if stored.CreatedAt.IsZero() {
		stored.CreatedAt = db.now()
	}
	if err := contests.save(ctx, db, &stored); err != nil {
		return wrap(err, "save contest of team %s", c.TeamID)
	}
	*c = stored
	return nil
}

// Contest returns the contest with the given ID. Safe for concurrent use.
func (db *DB) Contest(ctx context.Context, id string) (*pulse.Contest, error) {
	var out *pulse.Contest
	err := db.view(ctx, func(tx kv.Tx) error {
		var err error
		out, err = loadContest(tx, id)
		return err
	})
	return out, wrap(err, "contest %s", id)
}

// UpdateContest applies fn to the stored contest in one transaction, so a
// cancel and the day's standings never undo each other. Safe for
// concurrent use.
func (db *DB) UpdateContest(ctx context.Context, id string, fn func(*pulse.Contest) error) (*pulse.Contest, error) {
	out, err := contests.update(ctx, db, id, fn)
	return out, wrap(err, "update contest %s", id)
}

// TeamContests returns the team's contests ending on or after a day, by
// end day. Safe for concurrent use.
func (db *DB) TeamContests(ctx context.Context, team string, endingFrom pulse.Date) ([]pulse.Contest, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	var out []pulse.Contest
	err := db.view(ctx, func(tx kv.Tx) error {
		lo, hi := dayRange(endingFrom, pulse.Date{}, team)
		return scanIndex(tx, bucketContestsByTeam, lo, hi, &out)
	})
	if err != nil {
		return nil, wrap(err, "contests of team %s", team)
	}
	return out, nil
}

// scanIndex reads the contests an index names from lo to hi.
func scanIndex(tx kv.Tx, index, lo, hi []byte, out *[]pulse.Contest) error {
	return scan(tx.Bucket(index), lo, hi, func(_, id []byte) error {
		c, err := loadContest(tx, string(id))
		if err != nil {
			return fmt.Errorf("index names contest %q: %w", id, err)
		}
		*out = append(*out, *c)
		return nil
	})
}
