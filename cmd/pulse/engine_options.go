package main

import (
	"time"

	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/storage"
)

// replicaClaimGrace is how old another replica's claim must be before a
// leader settles it by asking Slack: longer than a send takes (the
// engine's DeliverTimeout, 30 s), so a live replica's message on its way
// is not taken for lost and sent again.
const replicaClaimGrace = 45 * time.Second

// engineOptions tunes the cadence engine for the store: on PostgreSQL
// several replicas share the job ledger; a bbolt file has one process, and
// another run's claim is always a stopped run's.
func engineOptions(db *storage.DB) cadence.Options {
	if db.Postgres() == nil {
		return cadence.Options{}
	}
	return cadence.Options{ClaimGrace: replicaClaimGrace}
}
