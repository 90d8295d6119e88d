package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	bolt "go.etcd.io/bbolt"

	"github.com/salespulse/pulse/storage/kv"
)

// writeV1 writes a database the way schema 1 laid it out, with bbolt alone:
// one team whose ID came from the teams bucket's sequence, and check-ins
// keyed team/date/user, with neither the rep index nor the member index.
func writeV1(t *testing.T, path string, team *pulse.Team, checkins []pulse.CheckIn) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{
			"meta", "teams", "teams_by_name", "people", "away", "checkins",
			"commitments", "commitments_by_team", "commitments_by_rep",
			"trainings", "trainings_by_team", "nudges", "nudges_by_rep",
			"sessions", "sessions_ids", "kudos", "kudos_by_rep",
			"blockers", "blockers_by_team", "blockers_open",
			"jobs", "jobs_claimed", "jobs_done", "envelopes", "envelopes_by_time",
		} {
			if _, err := tx.CreateBucket([]byte(name)); err != nil {
				return err
			}
		}
		if err := tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("1")); err != nil {
			return err
		}
		teams := tx.Bucket([]byte("teams"))
		seq, _ := teams.NextSequence()
		team.ID = fmt.Sprintf("t%010d", seq)
		buf, _ := json.Marshal(team)
		if err := teams.Put([]byte(team.ID), buf); err != nil {
			return err
		}
		if err := tx.Bucket([]byte("teams_by_name")).Put([]byte("NORTH"), []byte(team.ID)); err != nil {
			return err
		}
		for _, c := range checkins {
			c.TeamID = team.ID
			buf, _ := json.Marshal(c)
			k := team.ID + "/" + c.Date.String() + "/" + c.UserID
			if err := tx.Bucket([]byte("checkins")).Put([]byte(k), buf); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateFromSchema1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	team := pulse.NewTeam("North", "Europe/Oslo")
	team.Managers, team.Reps = []string{"U01"}, []string{"U02", "U03"}
	var checkins []pulse.CheckIn
	for _, day := range []string{"2026-11-20", "2026-11-23", "2026-11-24"} {
		for _, rep := range team.Reps {
			checkins = append(checkins, pulse.CheckIn{UserID: rep, Date: pulse.MustDate(day), Status: pulse.CheckInOnTime, Plan: "plan of " + rep, Energy: 3})
		}
	}
	writeV1(t, path, team, checkins)

	db, err := Open(path)
	if err != nil {
		t.Fatalf("open a schema 1 file: %v", err)
	}
	defer db.Close()

	t.Run("the file is at the current schema", func(t *testing.T) {
		var got int
		err := db.bolt.View(func(tx *bolt.Tx) error {
			var err error
			got, err = readSchema(kv.BoltTx{Tx: tx})
			return err
		})
		if err != nil || got != CurrentSchema {
			t.Errorf("schema = %d, %v; want %d", got, err, CurrentSchema)
		}
	})

	t.Run("the old data reads back", func(t *testing.T) {
		got, err := db.TeamByName(ctx, "north")
		if err != nil || got.ID != team.ID || !slices.Equal(got.Reps, team.Reps) {
			t.Fatalf("TeamByName = %+v, %v", got, err)
		}
		all, err := db.TeamCheckIns(ctx, team.ID, pulse.MustDate("2026-11-01"), pulse.MustDate("2026-11-30"))
		if err != nil || len(all) != len(checkins) {
			t.Errorf("TeamCheckIns = %d, %v; want %d", len(all), err, len(checkins))
		}
	})

	t.Run("the rep index built by the migration answers a rep's history", func(t *testing.T) {
		got, err := db.RepCheckIns(ctx, "U03", pulse.MustDate("2026-11-23"), pulse.MustDate("2026-11-24"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Date != pulse.MustDate("2026-11-23") || got[1].Date != pulse.MustDate("2026-11-24") || got[0].UserID != "U03" {
			t.Errorf("RepCheckIns = %+v", got)
		}
	})

	t.Run("the member index built by the migration answers TeamsOf", func(t *testing.T) {
		for _, user := range []string{"U01", "U02", "U03"} {
			got, err := db.TeamsOf(ctx, user)
			if err != nil || len(got) != 1 || got[0].ID != team.ID {
				t.Errorf("TeamsOf(%s) = %v, %v", user, got, err)
			}
		}
	})

	t.Run("new data continues the old sequences", func(t *testing.T) {
		south := pulse.NewTeam("South", "Europe/Oslo")
		south.Managers = []string{"U01"}
		if err := db.CreateTeam(ctx, south); err != nil {
			t.Fatal(err)
		}
		if south.ID == team.ID {
			t.Errorf("new team reused ID %s", south.ID)
		}
	})

	t.Run("a migrated file passes Verify once closed", func(t *testing.T) {
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if err := Verify(path); err != nil {
			t.Error(err)
		}
		if v, err := SchemaVersion(path); err != nil || v != CurrentSchema {
			t.Errorf("SchemaVersion = %d, %v", v, err)
		}
	})
}

// TestMigrateToSchema3 opens a file whose nudges, commitments and blockers
// are JSON, as schemas 1 and 2 stored them, and reads them back through
// every query.
func TestMigrateToSchema3(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v2.db")
	team := pulse.NewTeam("North", "Europe/Oslo")
	team.Managers, team.Reps = []string{"U01"}, []string{"U02", "U03"}
	writeV1(t, path, team, nil)
	training := pulse.Training{ID: "tr0000000001", TeamID: team.ID, Date: pulse.MustDate("2026-11-16"), Skill: "ask for the next step", Attendees: team.Reps, Schedule: []int{1}}
	sent := time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC)
	nudges := []pulse.Nudge{
		{TrainingID: training.ID, TeamID: team.ID, UserID: "U02", Day: 1, SentAt: sent, Response: pulse.NudgeApplied, Report: "asked on two calls", AnsweredAt: sent.Add(time.Hour)},
		{TrainingID: training.ID, TeamID: team.ID, UserID: "U03", Day: 1, SentAt: sent},
	}
	commitment := pulse.Commitment{ID: "c0000000001", TeamID: team.ID, UserID: "U02", Week: pulse.MustDate("2026-11-16"),
		Text: "book 5 demos", Metric: "demos", Target: 5, Due: pulse.MustDate("2026-11-20"), Status: pulse.CommitmentKept,
		RepNote: "booked 6", CreatedAt: sent, ReviewedAt: sent.Add(96 * time.Hour)}
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	blocker := pulse.Blocker{ID: "b0000000001", TeamID: team.ID, UserID: "U03", Date: pulse.MustDate("2026-11-17"),
		Text: "CRM down", Status: pulse.BlockerOnIt, RaisedAt: sent, TakenBy: "U01", TakenAt: sent.Add(time.Hour)}
	err = bdb.Update(func(tx *bolt.Tx) error {
		buf, _ := json.Marshal(blocker)
		if err := tx.Bucket([]byte("blockers")).Put([]byte(blocker.ID), buf); err != nil {
			return err
		}
		for _, idx := range []string{"blockers_by_team", "blockers_open"} {
			if err := tx.Bucket([]byte(idx)).Put(blockerKey(&blocker), []byte(blocker.ID)); err != nil {
				return err
			}
		}
		buf, _ = json.Marshal(commitment)
		if err := tx.Bucket([]byte("commitments")).Put([]byte(commitment.ID), buf); err != nil {
			return err
		}
		if err := tx.Bucket([]byte("commitments_by_team")).Put(commitmentTeamKey(&commitment), []byte(commitment.ID)); err != nil {
			return err
		}
		if err := tx.Bucket([]byte("commitments_by_rep")).Put(commitmentRepKey(&commitment), []byte(commitment.ID)); err != nil {
			return err
		}
		buf, _ = json.Marshal(training)
		if err := tx.Bucket([]byte("trainings")).Put([]byte(training.ID), buf); err != nil {
			return err
		}
		if err := tx.Bucket([]byte("trainings_by_team")).Put(trainingTeamKey(&training), []byte(training.ID)); err != nil {
			return err
		}
		for _, n := range nudges {
			buf, _ := json.Marshal(n)
			if err := tx.Bucket([]byte("nudges")).Put(nudgeKey(n.TrainingID, n.UserID, n.Day), buf); err != nil {
				return err
			}
			if err := tx.Bucket([]byte("nudges_by_rep")).Put(nudgeRepKey(&training, n.UserID, n.Day), nudgeKey(n.TrainingID, n.UserID, n.Day)); err != nil {
				return err
			}
		}
		return nil
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}

	db, err := Open(path)
	if err != nil {
		t.Fatalf("open a file with JSON nudges: %v", err)
	}
	defer db.Close()
	got, err := db.TrainingNudges(ctx, training.ID)
	if err != nil || len(got) != 2 {
		t.Fatalf("TrainingNudges = %+v, %v", got, err)
	}
	if got[0].Report != "asked on two calls" || got[0].Response != pulse.NudgeApplied || !got[0].SentAt.Equal(sent) || got[1].UserID != "U03" {
		t.Errorf("TrainingNudges = %+v", got)
	}
	one, err := db.Nudge(ctx, training.ID, "U02", 1)
	if err != nil || !one.AnsweredAt.Equal(sent.Add(time.Hour)) {
		t.Errorf("Nudge = %+v, %v", one, err)
	}
	mine, err := db.RepNudges(ctx, "U03")
	if err != nil || len(mine) != 1 || mine[0].Response != pulse.NudgePending {
		t.Errorf("RepNudges = %+v, %v", mine, err)
	}
	week, err := db.TeamCommitments(ctx, team.ID, commitment.Week, commitment.Week)
	if err != nil || len(week) != 1 || week[0].RepNote != "booked 6" || week[0].Target != 5 || !week[0].ReviewedAt.Equal(commitment.ReviewedAt) {
		t.Errorf("TeamCommitments = %+v, %v", week, err)
	}
	theirs, err := db.RepCommitments(ctx, "U02", commitment.Week, commitment.Week)
	if err != nil || len(theirs) != 1 || theirs[0].ID != commitment.ID {
		t.Errorf("RepCommitments = %+v, %v", theirs, err)
	}
	open, err := db.OpenBlockers(ctx, team.ID)
	if err != nil || len(open) != 1 || open[0].Text != "CRM down" || open[0].TakenBy != "U01" || !open[0].TakenAt.Equal(blocker.TakenAt) {
		t.Errorf("OpenBlockers = %+v, %v", open, err)
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		for _, b := range []struct {
			bucket []byte
			format byte
		}{{bucketNudges, nudgeFormat}, {bucketCommitments, commitmentFormat}, {bucketBlockers, blockerFormat}} {
			err := tx.Bucket(b.bucket).ForEach(func(k, v []byte) error {
				if v[0] != b.format {
					return fmt.Errorf("%s %s still stored as %q", b.bucket, k, v)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestOpenRefuses(t *testing.T) {
	t.Run("a file from a newer build, leaving it untouched", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "newer.db")
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		setSchema(t, path, CurrentSchema+1)

		_, err = Open(path)
		if !errors.Is(err, ErrNewerSchema) {
			t.Fatalf("Open = %v, want ErrNewerSchema", err)
		}
		if err := Verify(path); !errors.Is(err, ErrNewerSchema) {
			t.Errorf("Verify = %v, want ErrNewerSchema", err)
		}
		if v, err := SchemaVersion(path); err != nil || v != CurrentSchema+1 {
			t.Errorf("SchemaVersion = %d, %v; want %d", v, err, CurrentSchema+1)
		}
	})

	t.Run("another program's bbolt file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "other.db")
		bdb, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := bdb.Update(func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket([]byte("widgets"))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		bdb.Close()
		if db, err := Open(path); err == nil {
			db.Close()
			t.Fatal("Open succeeded on a file that is not Pulse's")
		}
		if err := Verify(path); err == nil {
			t.Error("Verify passed a file that is not Pulse's")
		}
	})
}

func TestMigrationsEndAtCurrentSchema(t *testing.T) {
	for i, m := range migrations {
		if m.version != i+1 {
			t.Errorf("migration %d has version %d, want %d", i, m.version, i+1)
		}
	}
	if last := migrations[len(migrations)-1].version; last != CurrentSchema {
		t.Errorf("last migration is %d, CurrentSchema %d", last, CurrentSchema)
	}
}

func TestTimeKeysSortInTimeOrder(t *testing.T) {
	times := []time.Time{
		{}, // clamped to the earliest instant
		time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Unix(0, 0),
		time.Unix(0, 1),
		time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 23, 9, 0, 0, 1, time.UTC),
		time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), // clamped to the latest
	}
	for i := 1; i < len(times); i++ {
		a, b := timeKey(times[i-1]), timeKey(times[i])
		if string(a) >= string(b) {
			t.Errorf("key of %v (%x) does not sort before %v (%x)", times[i-1], a, times[i], b)
		}
	}
}

func setSchema(t *testing.T, path string, version int) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	if err := bdb.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(schemaKey, itoa(version))
	}); err != nil {
		t.Fatal(err)
	}
}
