package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/salespulse/pulse"
	bolt "go.etcd.io/bbolt"

	"github.com/salespulse/pulse/storage/kv"
)

// CurrentSchema is the layout this build reads and writes. Open migrates
// older files up to it and refuses newer ones.
const CurrentSchema = 12

// The buckets, each named for what it holds; "_by_" buckets are indexes
// whose values are keys of (or IDs in) the primary bucket.
var (
	bucketMeta = []byte("meta") // "schema" → version, as decimal text

	bucketTeams       = []byte("teams")           // team ID → Team
	bucketTeamNames   = []byte("teams_by_name")   // folded name → team ID
	bucketTeamMembers = []byte("teams_by_member") // user/team ID → "" (since v2)

	bucketPeople = []byte("people") // user ID → Person
	bucketAway   = []byte("away")   // user/from/away ID → AwayPeriod

	bucketCheckIns      = []byte("checkins")        // team/date/user → CheckIn
	bucketCheckInsByRep = []byte("checkins_by_rep") // user/date/team → checkins key (since v2)

	bucketCommitments       = []byte("commitments")         // ID → Commitment
	bucketCommitmentsByTeam = []byte("commitments_by_team") // team/week/user/ID → ID
	bucketCommitmentsByRep  = []byte("commitments_by_rep")  // user/week/team/ID → ID

	bucketTrainings       = []byte("trainings")         // ID → Training
	bucketTrainingsByTeam = []byte("trainings_by_team") // team/date/ID → ID
	bucketNudges          = []byte("nudges")            // training/day/user → Nudge
	bucketNudgesByRep     = []byte("nudges_by_rep")     // user/due date/training/day → nudges key

	bucketSessions   = []byte("sessions")     // team/rep/date/ID → CoachingSession
	bucketSessionIDs = []byte("sessions_ids") // ID → sessions key

	bucketKudos      = []byte("kudos")        // team/time/ID → Kudos
	bucketKudosByRep = []byte("kudos_by_rep") // to-user/time/ID → kudos key

	bucketBlockers       = []byte("blockers")         // ID → Blocker
	bucketBlockersByTeam = []byte("blockers_by_team") // team/date/user/ID → ID
	bucketBlockersOpen   = []byte("blockers_open")    // team/date/user/ID → ID, while not resolved

	bucketJobs        = []byte("jobs")         // JobKey.String() → Job
	bucketJobsClaimed = []byte("jobs_claimed") // JobKey.String() → "", while claimed
	bucketJobsDone    = []byte("jobs_done")    // finish time/JobKey.String() → "", once sent, skipped or released

	bucketEnvelopes       = []byte("envelopes")         // envelope ID → first seen time
	bucketEnvelopesByTime = []byte("envelopes_by_time") // first seen time/envelope ID → ""

	bucketOutbox = []byte("outbox") // effect ID → Effect, until sent (since v9)
)

var schemaKey = []byte("schema")

// A migration moves a file from the version before it to its own version.
// Each runs in one transaction with the version bump, so a file is always
// wholly at one version.
type migration struct {
	version int
	about   string
	apply   func(tx kv.Tx) error
}

// migrations run in order; the last one's version is CurrentSchema.
var migrations = []migration{
	{1, "create the buckets", createV1},
	{2, "store check-ins in binary, index them by rep, and index teams by member", migrateV2},
	{3, "store nudges, commitments and blockers in binary", migrateV3},
	{4, "create the buckets of feedback and 1:1 agendas", createFeedbackBuckets},
	{5, "check-ins may carry answers to a team's own questions", migrateAnswers},
	{6, "hold numbers from the CRM and reps' CRM matches", createCRM},
	{7, "add reps' plans and sales contests", createPlanBuckets},
	{8, "mark the replies to feedback delivered before replies carried the mark", markRepliesDelivered},
	{9, "create the buckets of the web dashboard's sign-in links and sessions", createSignInBuckets},
	{10, "create the outbox of effects a command's write commits to send", createOutbox},
	{11, "store plans in binary", reencodePlans},
	{12, "put the feedback of the last week not yet delivered in the outbox", adoptUndeliveredFeedback},
}

// migrate brings the file up to CurrentSchema.
func (db *DB) migrate() error {
	ctx := context.Background()
	var version int
	err := db.kv.View(ctx, func(tx kv.Tx) error {
		var err error
		version, err = readSchema(tx)
		return err
	})
	if err != nil {
		return err
	}
	if version == 0 && db.bolt != nil {
		if err := db.bolt.View(checkEmpty); err != nil {
			return err
		}
	}
	for _, m := range migrations {
		if m.version <= version {
			continue
		}
		err := db.kv.Update(ctx, func(tx kv.Tx) error {
			if err := m.apply(tx); err != nil {
				return err
			}
			meta, err := tx.CreateBucketIfNotExists(bucketMeta)
			if err != nil {
				return err
			}
			return meta.Put(schemaKey, itoa(m.version))
		})
		if err != nil {
			return fmt.Errorf("migrate to schema %d (%s): %w", m.version, m.about, err)
		}
		version = m.version
	}
	return nil
}

// readSchema returns the file's schema version, 0 for a file that has none
// yet, and an ErrNewerSchema error for a version this build does not know.
func readSchema(tx kv.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0, nil
	}
	raw := meta.Get(schemaKey)
	if raw == nil {
		return 0, nil
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 1 {
		return 0, fmt.Errorf("bad schema version %q", raw)
	}
	if v > CurrentSchema {
		return v, fmt.Errorf("schema version %d, this build knows up to %d; run a newer pulse: %w", v, CurrentSchema, ErrNewerSchema)
	}
	return v, nil
}

// checkEmpty refuses to lay Pulse's buckets over some other program's bbolt
// file.
func checkEmpty(tx *bolt.Tx) error {
	var names []string
	err := tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		if !bytes.Equal(name, bucketMeta) {
			names = append(names, string(name))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(names) > 0 {
		return errors.New("not a Pulse database: it holds buckets but no schema version")
	}
	return nil
}

// v1Buckets are the buckets of schema 1. It stored check-ins as JSON, and
// lacked the index of check-ins by rep (a rep's history scanned every
// check-in) and the index of teams by member (TeamsOf read every team).
var v1Buckets = [][]byte{
	bucketMeta,
	bucketTeams, bucketTeamNames,
	bucketPeople, bucketAway,
	bucketCheckIns,
	bucketCommitments, bucketCommitmentsByTeam, bucketCommitmentsByRep,
	bucketTrainings, bucketTrainingsByTeam, bucketNudges, bucketNudgesByRep,
	bucketSessions, bucketSessionIDs,
	bucketKudos, bucketKudosByRep,
	bucketBlockers, bucketBlockersByTeam, bucketBlockersOpen,
	bucketJobs, bucketJobsClaimed, bucketJobsDone,
	bucketEnvelopes, bucketEnvelopesByTime,
}

// v2Buckets are the buckets schema 2 added.
var v2Buckets = [][]byte{bucketCheckInsByRep, bucketTeamMembers}

// bucketsOf returns the buckets a file at the given schema version holds.
func bucketsOf(version int) [][]byte {
	if version < 2 {
		return v1Buckets
	}
	out := append(slices.Clone(v1Buckets), v2Buckets...)
	if version >= 6 {
		out = append(out, crmBuckets...)
		out = append(out, planBuckets...)
	}
	return out
}

// createV1 lays out schema 1.
func createV1(tx kv.Tx) error {
	for _, name := range v1Buckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// migrateV2 re-encodes schema 1's JSON check-ins in the binary form (see
// checkin_codec.go) and builds the two indexes schema 1 lacked from the data
// it held.
func migrateV2(tx kv.Tx) error {
	byRep, err := tx.CreateBucketIfNotExists(bucketCheckInsByRep)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketCheckInsByRep, err)
	}
	checkins := tx.Bucket(bucketCheckIns)
	err = reencode(checkins, func(k []byte, c *pulse.CheckIn) error {
		if err := checkInForm.put(checkins, k, c); err != nil {
			return err
		}
		return byRep.Put(checkInRepKey(c), k)
	})
	if err != nil {
		return fmt.Errorf("re-encode check-ins: %w", err)
	}

	members, err := tx.CreateBucketIfNotExists(bucketTeamMembers)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketTeamMembers, err)
	}
	err = tx.Bucket(bucketTeams).ForEach(func(k, v []byte) error {
		var t pulse.Team
		if err := decode(k, v, &t); err != nil {
			return err
		}
		return addMembers(members, t.ID, memberSet(&t))
	})
	if err != nil {
		return fmt.Errorf("index teams by member: %w", err)
	}
	return nil
}

// migrateV3 re-encodes the JSON nudges, commitments and blockers of schema
// 2 in the binary form (see nudge_codec.go, commitment_codec.go and
// blocker_codec.go).
func migrateV3(tx kv.Tx) error {
	err := reencode(tx.Bucket(bucketNudges), func(k []byte, n *pulse.Nudge) error {
		return nudgeForm.put(tx.Bucket(bucketNudges), k, n)
	})
	if err != nil {
		return fmt.Errorf("re-encode nudges: %w", err)
	}
	err = reencode(tx.Bucket(bucketCommitments), func(_ []byte, c *pulse.Commitment) error {
		return commitmentForm.put(tx.Bucket(bucketCommitments), []byte(c.ID), c)
	})
	if err != nil {
		return fmt.Errorf("re-encode commitments: %w", err)
	}
	err = reencode(tx.Bucket(bucketBlockers), func(_ []byte, b *pulse.Blocker) error {
		return blockerForm.put(tx.Bucket(bucketBlockers), []byte(b.ID), b)
	})
	if err != nil {
		return fmt.Errorf("re-encode blockers: %w", err)
	}
	return nil
}

// reencode decodes each JSON record of b and hands it to put.
func reencode[T any](b kv.Bucket, put func(k []byte, v *T) error) error {
	// Collect first: a bucket must not change under its own cursor.
	var keys [][]byte
	var values []T
	err := b.ForEach(func(k, v []byte) error {
		var rec T
		if err := decode(k, v, &rec); err != nil {
			return err
		}
		keys, values = append(keys, bytes.Clone(k)), append(values, rec)
		return nil
	})
	if err != nil {
		return err
	}
	for i, k := range keys {
		if err := put(k, &values[i]); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}
