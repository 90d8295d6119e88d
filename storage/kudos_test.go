package storage_test

import (
	"slices"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestKudos(t *testing.T) {
	kudos := func(team, from, to string, at time.Time) *pulse.Kudos {
		return &pulse.Kudos{TeamID: team, From: from, To: to, Text: "great call with " + to, CreatedAt: at}
	}
	texts := func(ks []pulse.Kudos) []string {
		var out []string
		for _, k := range ks {
			out = append(out, k.To+"@"+k.CreatedAt.Format("15:04"))
		}
		return out
	}

	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
	other := MustCreateTeam(t, db, "Other", "U01", "U02")
	at := func(hhmm string) time.Time {
		return pulse.MustDate("2026-11-23").At(pulse.MustTime(hhmm), time.UTC)
	}
	for _, k := range []*pulse.Kudos{
		kudos(team.ID, "U01", "U02", at("09:00")),
		kudos(team.ID, "U03", "U02", at("12:00")),
		kudos(team.ID, "U01", "U03", at("10:00")),
		kudos(team.ID, "U01", "U03", at("13:00")),
		kudos(other.ID, "U01", "U02", at("11:00")),
	} {
		must(t, db.SaveKudos(ctx, k))
		if k.ID == "" {
			t.Fatal("no ID assigned")
		}
	}

	for _, tt := range []struct {
		name     string
		team     string // empty: RepKudos of user
		user     string
		from, to time.Time
		want     []string
	}{
		{"a team's kudos include the start and exclude the end", team.ID, "", at("09:00"), at("12:00"),
			[]string{"U02@09:00", "U03@10:00"}},
		{"a team's kudos leave out other teams'", team.ID, "", at("00:00"), at("23:59"),
			[]string{"U02@09:00", "U03@10:00", "U02@12:00", "U03@13:00"}},
		{"a zero end leaves the span open", team.ID, "", at("12:00"), time.Time{},
			[]string{"U02@12:00", "U03@13:00"}},
		{"a rep's kudos cover every team", "", "U02", at("00:00"), at("23:59"),
			[]string{"U02@09:00", "U02@11:00", "U02@12:00"}},
		{"a rep's kudos exclude the end", "", "U02", at("09:00"), at("11:00"),
			[]string{"U02@09:00"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []pulse.Kudos
			var err error
			if tt.team != "" {
				got, err = db.TeamKudos(ctx, tt.team, tt.from, tt.to)
			} else {
				got, err = db.RepKudos(ctx, tt.user, tt.from, tt.to)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(texts(got), tt.want) {
				t.Errorf("got %v\nwant %v", texts(got), tt.want)
			}
		})
	}

	t.Run("kudos read back whole", func(t *testing.T) {
		k := kudos(team.ID, "U01", "U03", at("16:00"))
		k.Skill = "objection handling"
		must(t, db.SaveKudos(ctx, k))
		got, err := db.RepKudos(ctx, "U03", at("16:00"), at("16:01"))
		if err != nil || len(got) != 1 {
			t.Fatalf("RepKudos = %v, %v", got, err)
		}
		assertEqual(t, &got[0], k)
	})

	t.Run("kudos to oneself are refused with Validate's error", func(t *testing.T) {
		if _, ok := db.SaveKudos(ctx, kudos(team.ID, "U02", "U02", at("14:00"))).(pulse.ValidationErrors); !ok {
			t.Error("want ValidationErrors")
		}
	})

	t.Run("saved kudos are not saved again", func(t *testing.T) {
		k := kudos(team.ID, "U01", "U02", at("15:00"))
		must(t, db.SaveKudos(ctx, k))
		wantCode(t, db.SaveKudos(ctx, k), pulse.EINVALID)
	})
}
