package storage

import (
	"fmt"

	"github.com/salespulse/pulse/storage/kv"
)

// planBuckets are the buckets of reps' plans and sales contests.
var planBuckets = [][]byte{bucketPlans, bucketContests, bucketContestsByTeam, bucketContestsByEnd}

// createPlanBuckets adds the buckets of plans and contests; a file before
// it held neither, so there is nothing to move.
func createPlanBuckets(tx kv.Tx) error {
	for _, name := range planBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}
