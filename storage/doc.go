// A map of the storage package, for finding one's way before reading it.
//
// Engine. Every method runs through storage/kv: db.view, update and batch
// hand a kv.Tx, and the code uses only tx.Bucket(name) → Get, Put,
// Delete, Cursor (First, Last, Seek, Next, Prev), ForEach and NextSequence.
// kv.Bolt runs it on one bbolt file (Open, db.go); kv's PostgreSQL engine
// runs the same code for several replicas (OpenPostgres, postgres.go).
//
// Buckets and keys. Each bucket is a bucket… variable commented with its
// key and value: the first schemas' in migrate.go, later ones in their
// feature's file (feedback.go, agenda.go), with "since vN" naming the
// migration in migrate.go's list that made them. key.go builds the keys:
// parts joined by "/" (key, prefix), none holding it (checkPart); dates as
// YYYY-MM-DD, so they sort as days; instants as 8 big-endian bytes
// (timeKey). Each query is one cursor range over its bucket:
// "team/date/user" for a team's days (checkins), "user/date/team" for a
// rep's history (checkins_by_rep), "team/date/user/ID" for a team's
// blockers. The "_by_" buckets are indexes whose values are keys of, or IDs
// in, their primary bucket; the write that stores a record keeps its
// indexes in the same transaction (record.go for records with IDs of their
// own). meta holds the schema version. copy.go copies every bucket of a
// bbolt file into PostgreSQL (CopyToPostgres).
//
// Codecs. Check-ins, nudges, commitments and blockers, read by the hundred,
// are stored in a compact binary form: a format byte, then the fields in a
// fixed order (checkin_codec.go says how; nudge_codec.go,
// commitment_codec.go and blocker_codec.go give each order). form.go puts
// and gets them. Everything else (teams, people, away days, trainings,
// sessions, kudos, feedback, agenda items, jobs) is JSON through put, get
// and decode in key.go.
// Claims and index entries with nothing to add (jobs_claimed,
// teams_by_member) are keys with empty values.
//
// Caches. The database is the only truth; what is kept in memory is checked
// against it or holds no state: decoded.go keeps profiles and teams as last
// decoded, reused only while the stored bytes hash the same; names (in
// checkin_codec.go) keeps one copy of the IDs and names scans decode over
// and over.
//
// Scans. DB is also a pulse.Scanner: ScanTeamCheckIns, ScanTeamCommitments,
// ScanTeamNudges, ScanTeamBlockers (checkin.go, commitment.go, training.go,
// blocker.go, through viewEach in form.go) hand a caller one reused record
// and skip the texts it does not count; scanNames (scan_names.go) finds a
// scan's reps and few-valued words without the shared table; ReadRoster (roster.go) refills a caller's roster. They are not
// part of pulse.Store: callers go through pulse's functions of the same
// names (scanner.go), which fall back on the plain list methods for a store
// without them, so another implementation may leave them out.

package storage
