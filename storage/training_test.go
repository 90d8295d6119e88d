package storage_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

func MustSaveTraining(tb testing.TB, db *storage.DB, team, skill, day string, attendees ...string) *pulse.Training {
	tb.Helper()
	t := &pulse.Training{TeamID: team, Skill: skill, Date: pulse.MustDate(day), Attendees: attendees, Schedule: []int{2, 7, 14, 30}, CreatedBy: "U01"}
	if err := db.SaveTraining(ctx, t); err != nil {
		tb.Fatalf("save training %q: %v", skill, err)
	}
	return t
}

func TestTrainings(t *testing.T) {
	t.Run("a new training gets an ID and a creation time, and reads back whole", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
		tr := MustSaveTraining(t, db, team.ID, "objection handling", "2026-11-23", "U02", "U03")
		if tr.ID == "" || !tr.CreatedAt.Equal(testNow) {
			t.Fatalf("saved = %+v", tr)
		}
		got, err := db.Training(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, got, tr)
	})

	t.Run("an invalid training is refused with Validate's error", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01")
		err := db.SaveTraining(ctx, &pulse.Training{TeamID: team.ID, Date: pulse.MustDate("2026-11-23")})
		verrs, ok := err.(pulse.ValidationErrors)
		if !ok || !slices.Equal(fieldsOf(verrs), []string{"skill", "attendees"}) {
			t.Fatalf("SaveTraining = %v (%T), want ValidationErrors on skill and attendees", err, err)
		}
	})

	t.Run("a team's trainings include the first and last day and leave out the days around", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		other := MustCreateTeam(t, db, "Other", "U01", "U02")
		for _, day := range []string{"2026-11-01", "2026-11-02", "2026-11-15", "2026-11-30", "2026-12-01"} {
			MustSaveTraining(t, db, team.ID, "skill "+day, day, "U02")
		}
		MustSaveTraining(t, db, other.ID, "other team", "2026-11-15", "U02")
		got, err := db.TeamTrainings(ctx, team.ID, pulse.MustDate("2026-11-02"), pulse.MustDate("2026-11-30"))
		if err != nil {
			t.Fatal(err)
		}
		var skills []string
		for _, tr := range got {
			skills = append(skills, tr.Skill)
		}
		if want := []string{"skill 2026-11-02", "skill 2026-11-15", "skill 2026-11-30"}; !slices.Equal(skills, want) {
			t.Errorf("got %v\nwant %v", skills, want)
		}
	})

	t.Run("a training for an unknown team or with an unknown ID is not found", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01")
		tr := &pulse.Training{TeamID: "t0000000404", Skill: "x", Date: pulse.MustDate("2026-11-23"), Attendees: []string{"U02"}}
		wantCode(t, db.SaveTraining(ctx, tr), pulse.ENOTFOUND)
		tr.TeamID, tr.ID = team.ID, "tr0000000404"
		wantCode(t, db.SaveTraining(ctx, tr), pulse.ENOTFOUND)
		_, err := db.Training(ctx, "tr0000000404")
		wantCode(t, err, pulse.ENOTFOUND)
	})
}

func TestNudges(t *testing.T) {
	nudge := func(tr *pulse.Training, user string, day int) *pulse.Nudge {
		return &pulse.Nudge{TrainingID: tr.ID, UserID: user, Day: day, SentAt: testNow}
	}

	t.Run("a saved nudge reads back whole, with the training's team", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		tr := MustSaveTraining(t, db, team.ID, "discovery", "2026-11-02", "U02")
		n := nudge(tr, "U02", 7)
		must(t, db.SaveNudge(ctx, n))
		if n.TeamID != team.ID {
			t.Errorf("nudge team = %q, want the training's %q", n.TeamID, team.ID)
		}
		n.Response, n.Report, n.AnsweredAt = pulse.NudgeApplied, "  used it on a call  ", testNow
		must(t, db.SaveNudge(ctx, n))
		got, err := db.Nudge(ctx, tr.ID, "U02", 7)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, got, n)
		if got.Report != "used it on a call" {
			t.Errorf("report %q not trimmed", got.Report)
		}
	})

	t.Run("an applied nudge without a report is refused with Validate's error", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		tr := MustSaveTraining(t, db, team.ID, "discovery", "2026-11-02", "U02")
		n := nudge(tr, "U02", 2)
		must(t, db.SaveNudge(ctx, n))
		n.Response = pulse.NudgeApplied
		if _, ok := db.SaveNudge(ctx, n).(pulse.ValidationErrors); !ok {
			t.Fatal("want ValidationErrors")
		}
		got, _ := db.Nudge(ctx, tr.ID, "U02", 2)
		if got.Response != pulse.NudgePending {
			t.Errorf("stored response %q, want it left pending", got.Response)
		}
	})

	t.Run("a nudge of an unknown training or never saved is not found", func(t *testing.T) {
		db := MustOpenDB(t)
		wantCode(t, db.SaveNudge(ctx, &pulse.Nudge{TrainingID: "tr0000000404", UserID: "U02", Day: 2}), pulse.ENOTFOUND)
		_, err := db.Nudge(ctx, "tr0000000404", "U02", 2)
		wantCode(t, err, pulse.ENOTFOUND)
	})

	t.Run("a training's nudges list by day then user, and a rep's by due day", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
		early := MustSaveTraining(t, db, team.ID, "early", "2026-11-02", "U02", "U03")
		late := MustSaveTraining(t, db, team.ID, "late", "2026-11-05", "U02")
		for _, n := range []*pulse.Nudge{
			nudge(early, "U03", 14), nudge(early, "U02", 14), nudge(early, "U03", 2),
			nudge(early, "U02", 2), nudge(late, "U02", 2), nudge(late, "U02", 30),
		} {
			must(t, db.SaveNudge(ctx, n))
		}
		got, err := db.TrainingNudges(ctx, early.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"2/U02", "2/U03", "14/U02", "14/U03"}; !slices.Equal(nudgeNames(got, false), want) {
			t.Errorf("training's nudges = %v, want %v", nudgeNames(got, false), want)
		}
		got, err = db.RepNudges(ctx, "U02")
		if err != nil {
			t.Fatal(err)
		}
		// Due on 4, 7 and 16 November and 5 December.
		want := []string{early.ID + "/2", late.ID + "/2", early.ID + "/14", late.ID + "/30"}
		if !slices.Equal(nudgeNames(got, true), want) {
			t.Errorf("rep's nudges = %v, want %v", nudgeNames(got, true), want)
		}
	})

	t.Run("moving a training's day moves its nudges' due days", func(t *testing.T) {
		db := MustOpenDB(t)
		team := MustCreateTeam(t, db, "Sales", "U01", "U02")
		a := MustSaveTraining(t, db, team.ID, "a", "2026-11-02", "U02")
		b := MustSaveTraining(t, db, team.ID, "b", "2026-11-10", "U02")
		must(t, db.SaveNudge(ctx, nudge(a, "U02", 2)))
		must(t, db.SaveNudge(ctx, nudge(b, "U02", 2)))
		a.Date = pulse.MustDate("2026-11-20")
		must(t, db.SaveTraining(ctx, a))
		got, _ := db.RepNudges(ctx, "U02")
		if want := []string{b.ID + "/2", a.ID + "/2"}; !slices.Equal(nudgeNames(got, true), want) {
			t.Errorf("rep's nudges = %v, want %v", nudgeNames(got, true), want)
		}
		trainings, _ := db.TeamTrainings(ctx, team.ID, pulse.MustDate("2026-11-01"), pulse.MustDate("2026-11-05"))
		if len(trainings) != 0 {
			t.Errorf("the old day still lists %d trainings", len(trainings))
		}
	})
}

func nudgeNames(ns []pulse.Nudge, byTraining bool) []string {
	var out []string
	for _, n := range ns {
		if byTraining {
			out = append(out, fmt.Sprintf("%s/%d", n.TrainingID, n.Day))
		} else {
			out = append(out, fmt.Sprintf("%d/%s", n.Day, n.UserID))
		}
	}
	return out
}

func TestScanTeamNudges(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
	south := MustCreateTeam(t, db, "South", "U01", "U02")
	early := MustSaveTraining(t, db, team.ID, "discovery", "2026-11-02", "U02", "U03")
	late := MustSaveTraining(t, db, team.ID, "closing", "2026-11-09", "U02")
	old := MustSaveTraining(t, db, team.ID, "old", "2026-09-01", "U02")
	theirs := MustSaveTraining(t, db, south.ID, "theirs", "2026-11-02", "U02")
	for _, n := range []*pulse.Nudge{
		{TrainingID: early.ID, UserID: "U02", Day: 1, SentAt: testNow, Response: pulse.NudgeApplied, Report: "asked twice", AnsweredAt: testNow},
		{TrainingID: early.ID, UserID: "U03", Day: 1, SentAt: testNow},
		{TrainingID: early.ID, UserID: "U02", Day: 7},
		{TrainingID: late.ID, UserID: "U02", Day: 1, SentAt: testNow},
		{TrainingID: old.ID, UserID: "U02", Day: 1, SentAt: testNow},
		{TrainingID: theirs.ID, UserID: "U02", Day: 1, SentAt: testNow},
	} {
		must(t, db.SaveNudge(ctx, n))
	}
	from, to := pulse.MustDate("2026-10-01"), pulse.MustDate("2026-11-30")

	t.Run("it yields the nudges of the team's trainings in range, training by training, without the reports", func(t *testing.T) {
		var want []pulse.Nudge
		for _, tr := range []*pulse.Training{early, late} {
			ns, err := db.TrainingNudges(ctx, tr.ID)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, ns...)
		}
		for i := range want {
			want[i].Report = ""
		}
		got := scanned(t, func(fn func(*pulse.Nudge) error) error {
			return db.ScanTeamNudges(ctx, team.ID, from, to, fn)
		}, copyOf)
		if len(want) != 4 {
			t.Fatalf("%d nudges to expect, want 4", len(want))
		}
		assertEqual(t, got, want)
	})

	t.Run("fn's error ends the scan and comes back as it is", func(t *testing.T) {
		scanStops(t, func(fn func(*pulse.Nudge) error) error {
			return db.ScanTeamNudges(ctx, team.ID, from, to, fn)
		})
	})

	t.Run("a team ID with a slash is refused before reading", func(t *testing.T) {
		wantCode(t, db.ScanTeamNudges(ctx, "t/1", from, to, func(*pulse.Nudge) error { return nil }), pulse.EINVALID)
	})
}
