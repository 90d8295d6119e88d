package storage

import (
	"context"
	"encoding/json"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// maxClaimBatch bounds the keys of one ClaimBatch: the write lock is held
// while they are claimed, and a fan-out claims a few dozen at a time.
const maxClaimBatch = 1000

// ClaimBatch claims each of keys for owner as Claim claims one, all in one
// transaction of its own (never a shared batch): either every claim is
// recorded or, on an error, none, so a process killed during the call
// leaves the jobs as they were or all claimed by it, never some of them.
// Results come in the order of keys; of a key given twice the first may
// win and the second sees it claimed. Among any number of concurrent
// callers, in this process or (on PostgreSQL) any replica, exactly one wins
// each key. An invalid key, or
// more than a thousand keys, is an EINVALID error and claims nothing.
func (db *DB) ClaimBatch(ctx context.Context, keys []pulse.JobKey, owner string, now time.Time) ([]pulse.Claimed, error) {
	if len(keys) > maxClaimBatch {
		return nil, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "claim %d jobs at once: at most %d", len(keys), maxClaimBatch)
	}
	for _, k := range keys {
		if !k.Valid() {
			return nil, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "bad job key %q", k.String())
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	out := make([]pulse.Claimed, len(keys))
	err := db.update(ctx, func(tx kv.Tx) error {
		// Every key never seen is claimed by one insert of them all; the
		// others are read and, when released, claimed one by one.
		ids, fresh := make([][]byte, len(keys)), make([][]byte, len(keys))
		jobs := make([]pulse.Job, len(keys))
		for i, k := range keys {
			ids[i] = []byte(k.String())
			jobs[i] = pulse.Job{Key: k, State: pulse.JobClaimed, Owner: owner, Attempts: 1, ClaimedAt: now}
			var err error
			if fresh[i], err = json.Marshal(&jobs[i]); err != nil {
				return err
			}
		}
		won, err := kv.InsertAll(tx.Bucket(bucketJobs), ids, fresh)
		if err != nil {
			return err
		}
		claimed := tx.Bucket(bucketJobsClaimed)
		for i, k := range keys {
			if won[i] {
				out[i] = pulse.Claimed{Job: jobs[i], Won: true}
				if err := claimed.Put(ids[i], []byte{}); err != nil {
					return err
				}
				continue
			}
			if out[i], err = claimTaken(tx, k, ids[i], owner, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap(err, "claim %d jobs from %s on", len(keys), keys[0])
	}
	return out, nil
}

// claimIn claims the job of k for owner inside tx, keeping the claimed and
// done indexes in step: a key never seen, or one released, is won, with
// Attempts one more; any other job is left as it stands.
func claimIn(tx kv.Tx, k pulse.JobKey, owner string, now time.Time) (pulse.Claimed, error) {
	jobs := tx.Bucket(bucketJobs)
	id := []byte(k.String())
	// A key never seen is claimed by inserting it: on PostgreSQL, of
	// replicas claiming it at once, one inserts and the others conflict
	// and read the winner's entry.
	job := pulse.Job{Key: k, State: pulse.JobClaimed, Owner: owner, Attempts: 1, ClaimedAt: now}
	fresh, err := json.Marshal(&job)
	if err != nil {
		return pulse.Claimed{}, err
	}
	won, err := jobs.Insert(id, fresh)
	if err != nil {
		return pulse.Claimed{}, err
	}
	if won {
		return pulse.Claimed{Job: job, Won: true}, tx.Bucket(bucketJobsClaimed).Put(id, []byte{})
	}
	return claimTaken(tx, k, id, owner, now)
}

// claimTaken claims, inside tx, the job of k (id in the ledger) whose
// insert found it there: won when it was released, left as it stands
// otherwise.
func claimTaken(tx kv.Tx, k pulse.JobKey, id []byte, owner string, now time.Time) (pulse.Claimed, error) {
	jobs := tx.Bucket(bucketJobs)
	var job pulse.Job
	if _, err := get(jobs, id, &job); err != nil {
		return pulse.Claimed{}, err
	}
	if job.State != pulse.JobReleased {
		return pulse.Claimed{Job: job}, nil
	}
	if err := tx.Bucket(bucketJobsDone).Delete(doneKey(&job)); err != nil {
		return pulse.Claimed{}, err
	}
	job = pulse.Job{Key: k, State: pulse.JobClaimed, Owner: owner, Attempts: job.Attempts + 1, ClaimedAt: now}
	if err := tx.Bucket(bucketJobsClaimed).Put(id, []byte{}); err != nil {
		return pulse.Claimed{}, err
	}
	if err := put(jobs, id, &job); err != nil {
		return pulse.Claimed{}, err
	}
	return pulse.Claimed{Job: job, Won: true}, nil
}
