package storage

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// The ledger keeps three buckets in step: jobs holds every entry, keyed by
// JobKey.String(); jobs_claimed indexes the claimed ones, so Unconfirmed
// reads only them; jobs_done indexes finished ones by finish time, so
// PruneJobs is a range scan. A released job counts as finished at its last
// claim, since Release is given no time.

// Claim takes the job for owner. A key never seen, or one released, is
// claimed: Attempts grows by one and won is true. Any other state leaves the
// entry alone and won is false, with the job as it stands. Claim runs in a
// transaction of its own (never a shared batch), so among any number of
// concurrent callers, in this process or (on PostgreSQL) any replica,
// exactly one wins. An invalid key is
// an EINVALID error.
func (db *DB) Claim(ctx context.Context, k pulse.JobKey, owner string, now time.Time) (pulse.Job, bool, error) {
	if !k.Valid() {
		return pulse.Job{}, false, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "bad job key %q", k.String())
	}
	var c pulse.Claimed
	err := db.update(ctx, func(tx kv.Tx) error {
		var err error
		c, err = claimIn(tx, k, owner, now)
		return err
	})
	if err != nil {
		return pulse.Job{}, false, wrap(err, "claim job %s", k)
	}
	return c.Job, c.Won, nil
}

// MarkSent records that the claimed job was posted to channel as message
// ts. Marking a sent job again with the same channel and ts does nothing, so
// a retry is safe; any other job not claimed is an ECONFLICT error, and a
// job never claimed ENOTFOUND. Like every ledger change it runs in a
// transaction of its own, after or before any concurrent Claim, never
// between its read and its write.
func (db *DB) MarkSent(ctx context.Context, k pulse.JobKey, channel, ts string, now time.Time) error {
	err := db.finishJob(ctx, k, func(j *pulse.Job) (bool, error) {
		if j.State == pulse.JobSent && j.Channel == channel && j.TS == ts {
			return false, nil
		}
		if j.State != pulse.JobClaimed {
			return false, jobConflict(j, "mark sent")
		}
		j.State, j.Channel, j.TS, j.DoneAt = pulse.JobSent, channel, ts, now
		return true, nil
	})
	return wrap(err, "mark job %s sent", k)
}

// MarkSkipped records that the claimed job was due but had nothing to send.
// Skipping a skipped job does nothing; any other job not claimed is an
// ECONFLICT error, and a job never claimed ENOTFOUND. Safe for concurrent use.
func (db *DB) MarkSkipped(ctx context.Context, k pulse.JobKey, now time.Time) error {
	err := db.finishJob(ctx, k, func(j *pulse.Job) (bool, error) {
		if j.State == pulse.JobSkipped {
			return false, nil
		}
		if j.State != pulse.JobClaimed {
			return false, jobConflict(j, "skip")
		}
		j.State, j.DoneAt = pulse.JobSkipped, now
		return true, nil
	})
	return wrap(err, "mark job %s skipped", k)
}

// Release gives a claimed job back so that the next Claim wins it.
// Releasing a released job does nothing; releasing a sent or skipped one is
// an ECONFLICT error, and a job never claimed ENOTFOUND. Safe for concurrent
// use: of a Release and a Claim at once, the Claim either loses to the
// claimed job or wins the released one.
func (db *DB) Release(ctx context.Context, k pulse.JobKey) error {
	err := db.finishJob(ctx, k, func(j *pulse.Job) (bool, error) {
		if j.State == pulse.JobReleased {
			return false, nil
		}
		if j.State != pulse.JobClaimed {
			return false, jobConflict(j, "release")
		}
		j.State = pulse.JobReleased
		return true, nil
	})
	return wrap(err, "release job %s", k)
}

// finishJob moves a claimed job to the state fn sets, in one transaction,
// keeping the claimed and done indexes in step. fn reports whether it
// changed the job.
func (db *DB) finishJob(ctx context.Context, k pulse.JobKey, fn func(*pulse.Job) (bool, error)) error {
	return db.update(ctx, func(tx kv.Tx) error {
		jobs := tx.Bucket(bucketJobs)
		id := []byte(k.String())
		var job pulse.Job
		found, err := get(jobs, id, &job)
		if err != nil {
			return err
		}
		if !found {
			return notFound("job", "job %s was never claimed", k)
		}
		changed, err := fn(&job)
		if err != nil || !changed {
			return err
		}
		if err := tx.Bucket(bucketJobsClaimed).Delete(id); err != nil {
			return err
		}
		if err := tx.Bucket(bucketJobsDone).Put(doneKey(&job), []byte{}); err != nil {
			return err
		}
		return put(jobs, id, &job)
	})
}

// Job returns the ledger entry for the key, or an ENOTFOUND error.
// Safe for concurrent use.
func (db *DB) Job(ctx context.Context, k pulse.JobKey) (pulse.Job, error) {
	var job pulse.Job
	err := db.view(ctx, func(tx kv.Tx) error {
		found, err := get(tx.Bucket(bucketJobs), []byte(k.String()), &job)
		if err == nil && !found {
			err = notFound("job", "no job %s", k)
		}
		return err
	})
	if err != nil {
		return pulse.Job{}, wrap(err, "job %s", k)
	}
	return job, nil
}

// Unconfirmed returns the jobs claimed but neither sent, skipped nor
// released, oldest claim first. It reads the claimed index, not the whole
// ledger. Safe for concurrent use.
func (db *DB) Unconfirmed(ctx context.Context) ([]pulse.Job, error) {
	var out []pulse.Job
	err := db.view(ctx, func(tx kv.Tx) error {
		jobs := tx.Bucket(bucketJobs)
		return tx.Bucket(bucketJobsClaimed).ForEach(func(id, _ []byte) error {
			var job pulse.Job
			if _, err := get(jobs, id, &job); err != nil {
				return err
			}
			out = append(out, job)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "unconfirmed jobs")
	}
	slices.SortStableFunc(out, func(a, b pulse.Job) int { return cmp.Compare(a.ClaimedAt.UnixNano(), b.ClaimedAt.UnixNano()) })
	return out, nil
}

// PruneJobs deletes the sent, skipped and released entries that finished
// strictly before the given time (a released one at its last claim), and
// returns how many it deleted. Claimed entries are kept whatever their age.
// It reads only the entries it deletes. Safe for concurrent use; it holds
// the write lock while it deletes, so prune a little at a time (daily).
func (db *DB) PruneJobs(ctx context.Context, before time.Time) (int, error) {
	var n int
	err := db.update(ctx, func(tx kv.Tx) error {
		n = 0
		done, jobs := tx.Bucket(bucketJobsDone), tx.Bucket(bucketJobs)
		var stale [][]byte
		err := scan(done, nil, timeKey(before), func(k, _ []byte) error {
			stale = append(stale, slices.Clone(k))
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range stale {
			if err := jobs.Delete(k[timeLen+1:]); err != nil {
				return err
			}
			if err := done.Delete(k); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, wrap(err, "prune jobs before %s", before)
	}
	return n, nil
}

// doneKey is a finished job's key in the done index: finish time/job key.
func doneKey(j *pulse.Job) []byte {
	at := j.DoneAt
	if j.State == pulse.JobReleased {
		at = j.ClaimedAt
	}
	return binKey(nil, timeKey(at), j.Key.String())
}

// jobConflict is the ECONFLICT error of a job that is not in the state a
// call needs.
func jobConflict(j *pulse.Job, what string) error {
	return pulse.Errorf(pulse.ECONFLICT, "err.internal", nil, "cannot %s job %s: it is %s", what, j.Key, j.State)
}
