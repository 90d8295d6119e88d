package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// Feedback is stored under its ID, with an index by team and time for the
// digest and the leadership pulse, which read a team's span of it.
var (
	bucketFeedback       = []byte("feedback")         // ID → Feedback (since v4)
	bucketFeedbackByTeam = []byte("feedback_by_team") // team/time/ID → ID (since v4)
)

// createFeedbackBuckets is schema 4: the buckets of feedback and of 1:1
// agendas, empty.
func createFeedbackBuckets(tx kv.Tx) error {
	for _, name := range [][]byte{bucketFeedback, bucketFeedbackByTeam, bucketAgenda, bucketAgendaRefs} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

var feedbackRecords = byID[pulse.Feedback]{
	kind:   "feedback",
	bucket: bucketFeedback,
	prefix: "f",
	id:     func(f *pulse.Feedback) *string { return &f.ID },
	check:  checkFeedback,
	load:   loadFeedback,
	write: func(tx kv.Tx, old, next *pulse.Feedback) error {
		if _, err := loadTeam(tx, next.TeamID); err != nil {
			return err
		}
		byTeam := tx.Bucket(bucketFeedbackByTeam)
		if old != nil {
			if err := byTeam.Delete(feedbackTeamKey(old)); err != nil {
				return err
			}
		}
		if err := byTeam.Put(feedbackTeamKey(next), []byte(next.ID)); err != nil {
			return err
		}
		return put(tx.Bucket(bucketFeedback), []byte(next.ID), next)
	},
}

func checkFeedback(f *pulse.Feedback) error {
	if err := checkPart("team", f.TeamID); err != nil {
		return err
	}
	return f.Validate()
}

func feedbackTeamKey(f *pulse.Feedback) []byte {
	return binKey(prefix(f.TeamID), timeKey(f.At), f.ID)
}

func loadFeedback(tx kv.Tx, id string) (*pulse.Feedback, error) {
	f := new(pulse.Feedback)
	ok, err := get(tx.Bucket(bucketFeedback), []byte(id), f)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound("feedback", "feedback %s not found", id)
	}
	return f, nil
}

// SaveFeedback validates f and stores it: without an ID as new feedback,
// which gets one and At from db.Clock when it has none; with one it
// replaces the stored feedback, or is an ENOTFOUND error. The team must
// exist. Safe for concurrent use.
func (db *DB) SaveFeedback(ctx context.Context, f *pulse.Feedback) error {
	if err := checkFeedback(f); err != nil {
		return err
	}
	stored := *f
	if stored.At.IsZero() {
		stored.At = db.now()
	}
	if err := feedbackRecords.save(ctx, db, &stored); err != nil {
		return wrap(err, "save feedback to %s in team %s", f.RepID, f.TeamID)
	}
	*f = stored
	return nil
}

// Feedback returns the feedback with the given ID, or an ENOTFOUND error.
func (db *DB) Feedback(ctx context.Context, id string) (*pulse.Feedback, error) {
	if err := checkPart("feedback", id); err != nil {
		return nil, err
	}
	var out *pulse.Feedback
	err := db.view(ctx, func(tx kv.Tx) error {
		var err error
		out, err = loadFeedback(tx, id)
		return err
	})
	if err != nil {
		return nil, wrap(err, "feedback %s", id)
	}
	return out, nil
}

// UpdateFeedback applies fn to the stored feedback and stores the result
// in one transaction. Safe for concurrent use.
func (db *DB) UpdateFeedback(ctx context.Context, id string, fn func(*pulse.Feedback) error) (*pulse.Feedback, error) {
	if err := checkPart("feedback", id); err != nil {
		return nil, err
	}
	return feedbackRecords.update(ctx, db, id, fn)
}

// TeamFeedback returns the feedback given in the team from one instant
// (included) to another (excluded), oldest first; a zero to leaves the end
// open. Safe for concurrent use.
func (db *DB) TeamFeedback(ctx context.Context, team string, from, to time.Time) ([]pulse.Feedback, error) {
	if err := checkPart("team", team); err != nil {
		return nil, err
	}
	var out []pulse.Feedback
	err := db.view(ctx, func(tx kv.Tx) error {
		all := lookupIn(tx.Bucket(bucketFeedback))
		lo, hi := timeRange(from, to, team)
		return scan(tx.Bucket(bucketFeedbackByTeam), lo, hi, func(_, id []byte) error {
			var f pulse.Feedback
			ok, err := get(all, id, &f)
			if err == nil && !ok {
				err = fmt.Errorf("index names missing feedback %q", id)
			}
			if err != nil {
				return err
			}
			out = append(out, f)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "feedback of team %s from %s to %s", team, from, to)
	}
	return out, nil
}
