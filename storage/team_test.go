package storage_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

func TestTeams(t *testing.T) {
	t.Run("a created team reads back whole, with its ID and times", func(t *testing.T) {
		db := MustOpenDB(t)
		team := pulse.NewTeam("  Oslo Field  ", "Europe/Oslo")
		team.Managers = []string{"U01"}
		team.Reps = []string{"U02", "U03"}
		team.Channel = "C123"
		team.Lang = pulse.Norwegian
		team.Holidays = []pulse.Date{pulse.MustDate("2026-12-24")}
		team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}}
		team.DailyThread = true
		if err := db.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		if team.ID == "" || !team.CreatedAt.Equal(testNow) || !team.UpdatedAt.Equal(testNow) {
			t.Fatalf("CreateTeam set ID %q, CreatedAt %v, UpdatedAt %v", team.ID, team.CreatedAt, team.UpdatedAt)
		}
		if team.Name != "Oslo Field" {
			t.Errorf("name stored as %q, want it trimmed", team.Name)
		}
		got, err := db.Team(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, got, team)
	})

	t.Run("team IDs are distinct, ordered and safe in keys", func(t *testing.T) {
		db := MustOpenDB(t)
		a := MustCreateTeam(t, db, "A", "U01")
		b := MustCreateTeam(t, db, "B", "U01")
		if a.ID == b.ID || a.ID > b.ID {
			t.Errorf("IDs %q then %q, want distinct and increasing", a.ID, b.ID)
		}
		for _, id := range []string{a.ID, b.ID} {
			if !(pulse.JobKey{Kind: pulse.JobSummary, TeamID: id, Occurrence: "2026-W48"}).Valid() {
				t.Errorf("ID %q cannot be part of a job key", id)
			}
		}
		teams, err := db.Teams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(teams) != 2 || teams[0].ID != a.ID || teams[1].ID != b.ID {
			t.Errorf("Teams = %v, want A then B", teamIDs(teams))
		}
	})

	t.Run("a name taken in another case is a conflict on the name field", func(t *testing.T) {
		db := MustOpenDB(t)
		MustCreateTeam(t, db, "Salg Øst", "U01")
		dup := pulse.NewTeam("SALG ØST", "Europe/Oslo")
		dup.Managers = []string{"U02"}
		err := db.CreateTeam(ctx, dup)
		wantCode(t, err, pulse.ECONFLICT)
		var e *pulse.Error
		if !errors.As(err, &e) || e.Field != "name" {
			t.Errorf("conflict %v is not on the name field", err)
		}
		if teams, _ := db.Teams(ctx); len(teams) != 1 {
			t.Errorf("%d teams stored, want 1", len(teams))
		}
	})

	t.Run("of two teams created at once with one name, one is stored", func(t *testing.T) {
		db := MustOpenDB(t)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				team := pulse.NewTeam("Race", "Europe/Oslo")
				team.Managers = []string{"U01"}
				errs[i] = db.CreateTeam(ctx, team)
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else {
				wantCode(t, err, pulse.ECONFLICT)
			}
		}
		if ok != 1 {
			t.Errorf("%d creations succeeded, want 1", ok)
		}
	})

	t.Run("TeamByName ignores case and surrounding space", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Москва Продажи", "U01")
		got, err := db.TeamByName(ctx, "  москва продажи ")
		if err != nil || got.ID != team.ID {
			t.Fatalf("TeamByName = %v, %v", got, err)
		}
		_, err = db.TeamByName(ctx, "Moskva")
		wantCode(t, err, pulse.ENOTFOUND)
	})

	t.Run("an unknown team is not found", func(t *testing.T) {
		db := MustOpenDB(t)
		_, err := db.Team(ctx, "t9999999999")
		wantCode(t, err, pulse.ENOTFOUND)
		team := pulse.NewTeam("Ghost", "Europe/Oslo")
		team.ID, team.Managers = "t9999999999", []string{"U01"}
		wantCode(t, db.UpdateTeam(ctx, team), pulse.ENOTFOUND)
	})

	t.Run("an invalid team is refused with Validate's error and nothing stored", func(t *testing.T) {
		db := MustOpenDB(t)
		bad := pulse.NewTeam("", "Mars/Olympus")
		err := db.CreateTeam(ctx, bad)
		var verrs pulse.ValidationErrors
		if !errors.As(err, &verrs) {
			t.Fatalf("CreateTeam = %v (%T), want ValidationErrors", err, err)
		}
		if want := bad.Validate(); !reflect.DeepEqual(err, want) {
			t.Errorf("error = %v, want Validate's %v", err, want)
		}
		if teams, _ := db.Teams(ctx); len(teams) != 0 {
			t.Errorf("%d teams stored, want none", len(teams))
		}
	})

	t.Run("an invalid update leaves the stored team as it was", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Bergen", "U01", "U02")
		before, _ := db.Team(ctx, team.ID)
		edit := *before
		edit.Managers = nil
		edit.CoachingCadence = 0
		err := db.UpdateTeam(ctx, &edit)
		if _, ok := err.(pulse.ValidationErrors); !ok {
			t.Fatalf("UpdateTeam = %v (%T), want ValidationErrors unchanged", err, err)
		}
		after, _ := db.Team(ctx, team.ID)
		assertEqual(t, after, before)
	})

	t.Run("a rename frees the old name and takes the new one", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Old Name", "U01")
		other := MustCreateTeam(t, db, "Other", "U01")
		team.Name = "New Name"
		if err := db.UpdateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TeamByName(ctx, "old name"); pulse.ErrorCode(err) != pulse.ENOTFOUND {
			t.Errorf("old name still finds a team: %v", err)
		}
		if got, err := db.TeamByName(ctx, "NEW NAME"); err != nil || got.ID != team.ID {
			t.Errorf("new name finds %v, %v", got, err)
		}
		MustCreateTeam(t, db, "Old Name", "U01")

		other.Name = "new name"
		wantCode(t, db.UpdateTeam(ctx, other), pulse.ECONFLICT)
		// Changing only the case of a team's own name is no conflict.
		team.Name = "NEW name"
		if err := db.UpdateTeam(ctx, team); err != nil {
			t.Errorf("recasing own name: %v", err)
		}
	})

	t.Run("an update keeps CreatedAt and stamps UpdatedAt", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Stamps", "U01")
		later := testNow.Add(time.Hour)
		db.Clock = pulse.ClockFunc(func() time.Time { return later })
		edit := *team
		edit.CreatedAt = time.Time{}
		edit.CheckInTime = pulse.MustTime("08:15")
		if err := db.UpdateTeam(ctx, &edit); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Team(ctx, team.ID)
		if !got.CreatedAt.Equal(testNow) || !got.UpdatedAt.Equal(later) || got.CheckInTime != edit.CheckInTime {
			t.Errorf("after update: created %v, updated %v, check-in %v", got.CreatedAt, got.UpdatedAt, got.CheckInTime)
		}
	})

	t.Run("TeamsOf follows managers and reps as they are added and removed", func(t *testing.T) {
		db := MustOpenDB(t)
		north := MustCreateTeam(t, db, "North", "U01", "U02", "U03")
		south := MustCreateTeam(t, db, "South", "U02", "U03", "U04")
		assertTeams(t, db, "U01", north.ID)
		assertTeams(t, db, "U02", north.ID, south.ID)
		assertTeams(t, db, "U03", north.ID, south.ID)
		assertTeams(t, db, "U09")

		north.Reps = []string{"U02", "U09"} // U3 leaves, U9 joins
		if err := db.UpdateTeam(ctx, north); err != nil {
			t.Fatal(err)
		}
		assertTeams(t, db, "U03", south.ID)
		assertTeams(t, db, "U09", north.ID)
		assertTeams(t, db, "U02", north.ID, south.ID)

		south.Managers = []string{"U01"} // U2 hands the team over
		if err := db.UpdateTeam(ctx, south); err != nil {
			t.Fatal(err)
		}
		assertTeams(t, db, "U01", north.ID, south.ID)
		assertTeams(t, db, "U02", north.ID)
	})

	t.Run("TeamsOf does not confuse a user with one whose ID extends theirs", func(t *testing.T) {
		db := MustOpenDB(t)
		a := MustCreateTeam(t, db, "A", "U01", "U022")
		MustCreateTeam(t, db, "B", "U01", "U0222")
		assertTeams(t, db, "U022", a.ID)
	})
}

// assertTeams fails unless TeamsOf(user) returns the teams with want IDs, in order.
func assertTeams(tb testing.TB, db *storage.DB, user string, want ...string) {
	tb.Helper()
	teams, err := db.TeamsOf(ctx, user)
	if err != nil {
		tb.Fatalf("TeamsOf(%s): %v", user, err)
	}
	if got := teamIDs(teams); !slices.Equal(got, want) {
		tb.Errorf("TeamsOf(%s) = %v, want %v", user, got, want)
	}
}

func teamIDs(teams []*pulse.Team) []string {
	var ids []string
	for _, t := range teams {
		ids = append(ids, t.ID)
	}
	return ids
}

// assertEqual fails unless got and want have the same JSON form, which
// compares times as written (the store keeps them to the nanosecond).
func assertEqual(tb testing.TB, got, want any) {
	tb.Helper()
	g, err1 := json.Marshal(got)
	w, err2 := json.Marshal(want)
	if err1 != nil || err2 != nil {
		tb.Fatalf("encode: %v, %v", err1, err2)
	}
	if string(g) != string(w) {
		tb.Errorf("got  %s\nwant %s", g, w)
	}
}

func TestTeamsReadBackFreshAndUnshared(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "North", "U01", "U02", "U03")

	// A caller changing what it was given changes nothing stored or cached.
	got, err := db.Team(ctx, team.ID)
	if err != nil {
		t.Fatal(err)
	}
	got.Reps[0], got.Name = "UXXX", "Changed"
	got.Reps = append(got.Reps, "UYYY")
	for _, read := range []func() (*pulse.Team, error){
		func() (*pulse.Team, error) { return db.Team(ctx, team.ID) },
		func() (*pulse.Team, error) { return db.TeamByName(ctx, "north") },
		func() (*pulse.Team, error) {
			ts, err := db.TeamsOf(ctx, "U02")
			if err != nil || len(ts) != 1 {
				return nil, fmt.Errorf("TeamsOf = %v, %v", ts, err)
			}
			return ts[0], nil
		},
	} {
		again, err := read()
		if err != nil {
			t.Fatal(err)
		}
		if again.Name != "North" || !slices.Equal(again.Reps, []string{"U02", "U03"}) {
			t.Errorf("read %s with reps %v after a caller changed its copy", again.Name, again.Reps)
		}
	}

	// An update is read at once, by every query.
	edit, _ := db.Team(ctx, team.ID)
	edit.Reps = append(edit.Reps, "U04")
	must(t, db.UpdateTeam(ctx, edit))
	if again, _ := db.Team(ctx, team.ID); !slices.Contains(again.Reps, "U04") {
		t.Errorf("Team after the update: reps %v, want U04 among them", again.Reps)
	}
	if ts, _ := db.TeamsOf(ctx, "U04"); len(ts) != 1 || !slices.Contains(ts[0].Reps, "U04") {
		t.Errorf("TeamsOf(U04) after the update = %v", ts)
	}
}
