package storage_test

import (
	"sync"
	"testing"

	"github.com/salespulse/pulse"
)

func TestPeople(t *testing.T) {
	t.Run("a saved person reads back whole and a later save replaces it", func(t *testing.T) {
		db := MustOpenDB(t)
		p := &pulse.Person{ID: "U02", Name: "Kari", TZ: "Europe/Oslo", Locale: "nb-NO", Lang: pulse.Norwegian,
			Goal: "buy a cabin", IsAdmin: true, FetchedAt: testNow}
		must(t, db.SavePerson(ctx, p))
		got, err := db.Person(ctx, "U02")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, got, p)
		p.TZOverride, p.Goal = "America/New_York", "run a marathon"
		must(t, db.SavePerson(ctx, p))
		got, _ = db.Person(ctx, "U02")
		assertEqual(t, got, p)
	})

	t.Run("an unknown person is not found", func(t *testing.T) {
		db := MustOpenDB(t)
		_, err := db.Person(ctx, "U404")
		wantCode(t, err, pulse.ENOTFOUND)
	})

	t.Run("an invalid person is refused with Validate's error and the stored one kept", func(t *testing.T) {
		db := MustOpenDB(t)
		good := &pulse.Person{ID: "U02", Name: "Kari"}
		must(t, db.SavePerson(ctx, good))
		bad := &pulse.Person{ID: "U02", Name: "Kari", TZOverride: "Mars/Base", Lang: "xx"}
		err := db.SavePerson(ctx, bad)
		if _, ok := err.(pulse.ValidationErrors); !ok {
			t.Fatalf("SavePerson = %v (%T), want ValidationErrors", err, err)
		}
		got, _ := db.Person(ctx, "U02")
		assertEqual(t, got, good)
	})
}

func TestAwayPeriods(t *testing.T) {
	away := func(user, from, to string) *pulse.AwayPeriod {
		return &pulse.AwayPeriod{UserID: user, From: pulse.MustDate(from), To: pulse.MustDate(to)}
	}

	t.Run("away periods list by first day, for their user only", func(t *testing.T) {
		db := MustOpenDB(t)
		summer, winter, other := away("U02", "2026-07-01", "2026-07-21"), away("U02", "2026-02-16", "2026-02-20"), away("U022", "2026-03-01", "2026-03-02")
		for _, a := range []*pulse.AwayPeriod{summer, winter, other} {
			must(t, db.AddAway(ctx, a))
			if a.ID == "" {
				t.Fatal("AddAway assigned no ID")
			}
		}
		got, err := db.AwayPeriods(ctx, "U02")
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, got, []pulse.AwayPeriod{*winter, *summer})
		if none, _ := db.AwayPeriods(ctx, "U09"); len(none) != 0 {
			t.Errorf("U09 has %d away periods, want none", len(none))
		}
	})

	t.Run("an away period ending before it starts is refused", func(t *testing.T) {
		db := MustOpenDB(t)
		bad := away("U02", "2026-07-21", "2026-07-01")
		err := db.AddAway(ctx, bad)
		if _, ok := err.(pulse.ValidationErrors); !ok {
			t.Fatalf("AddAway = %v (%T), want ValidationErrors", err, err)
		}
		if got, _ := db.AwayPeriods(ctx, "U02"); len(got) != 0 {
			t.Errorf("%d away periods stored, want none", len(got))
		}
	})
}

func TestRoster(t *testing.T) {
	db := MustOpenDB(t)
	must(t, db.SavePerson(ctx, &pulse.Person{ID: "U02", Name: "Kari", TZ: "Europe/Oslo"}))
	must(t, db.SavePerson(ctx, &pulse.Person{ID: "U03", Name: "Ola"}))
	must(t, db.AddAway(ctx, &pulse.AwayPeriod{UserID: "U02", From: pulse.MustDate("2026-11-25"), To: pulse.MustDate("2026-11-25")}))
	// U022 shares U02's prefix and must never be read as U02's.
	must(t, db.AddAway(ctx, &pulse.AwayPeriod{UserID: "U022", From: pulse.MustDate("2026-11-26"), To: pulse.MustDate("2026-11-26")}))
	north := MustCreateTeam(t, db, "North", "U01", "U02", "U03", "U022")
	south := MustCreateTeam(t, db, "South", "U01", "U03")
	for _, s := range []*pulse.CoachingSession{
		{TeamID: north.ID, RepID: "U022", ManagerID: "U01", Date: pulse.MustDate("2026-11-30")}, // U02's prefix, later
		{TeamID: north.ID, RepID: "U02", ManagerID: "U01", Date: pulse.MustDate("2026-11-02")},
		{TeamID: north.ID, RepID: "U02", ManagerID: "U01", Date: pulse.MustDate("2026-11-16")},
		{TeamID: south.ID, RepID: "U03", ManagerID: "U01", Date: pulse.MustDate("2026-11-20")}, // another team
	} {
		must(t, db.SaveSession(ctx, s))
	}

	r, err := db.Roster(ctx, north.ID, []string{"U02", "U03", "U04"})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := r.LastOneOnOne["U022"]; ok {
		t.Errorf("LastOneOnOne[U022] = %v for a rep not asked for", got)
	}
	if r.People["U02"] == nil || r.People["U02"].Name != "Kari" || r.People["U03"] == nil || r.People["U04"] != nil {
		t.Errorf("People = %v, want Kari and Ola and no one for U04", r.People)
	}
	if got := r.Away["U02"]; len(got) != 1 || got[0].From != pulse.MustDate("2026-11-25") {
		t.Errorf("Away[U02] = %v, want only her own day", got)
	}
	if got := r.LastOneOnOne["U02"]; got != pulse.MustDate("2026-11-16") {
		t.Errorf("LastOneOnOne[U02] = %v, want 2026-11-16", got)
	}
	if got, ok := r.LastOneOnOne["U03"]; ok {
		t.Errorf("LastOneOnOne[U03] = %v, want none in this team", got)
	}
	// South's 1:1s are the last keys of all: the seek past them finds none.
	if r, err := db.Roster(ctx, south.ID, []string{"U03"}); err != nil || r.LastOneOnOne["U03"] != pulse.MustDate("2026-11-20") {
		t.Errorf("LastOneOnOne[U03] in South = %v, %v; want 2026-11-20", r.LastOneOnOne["U03"], err)
	}
	if _, err := db.Roster(ctx, north.ID, []string{"U0/2"}); err == nil {
		t.Error("Roster accepted a rep ID with a slash")
	}

	// One roster read into after another holds the second only.
	reused := r
	must(t, db.ReadRoster(ctx, south.ID, []string{"U03"}, &reused))
	fresh, err := db.Roster(ctx, south.ID, []string{"U03"})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, reused, fresh)
}

func TestUpdatePerson(t *testing.T) {
	t.Run("a new person is created with only the ID and what fn sets", func(t *testing.T) {
		db := MustOpenDB(t)
		p, err := db.UpdatePerson(ctx, "U07", func(p *pulse.Person) error { p.Name = "Piotr"; return nil })
		if err != nil || p.ID != "U07" || p.Name != "Piotr" {
			t.Fatalf("UpdatePerson = %+v, %v", p, err)
		}
		got, _ := db.Person(ctx, "U07")
		assertEqual(t, got, p)
	})

	t.Run("an error from fn or from Validate leaves the stored person as it was", func(t *testing.T) {
		db := MustOpenDB(t)
		good := &pulse.Person{ID: "U07", Name: "Piotr", Goal: "Top seller"}
		must(t, db.SavePerson(ctx, good))
		if _, err := db.UpdatePerson(ctx, "U07", func(p *pulse.Person) error {
			p.Goal = "x"
			return pulse.Errorf(pulse.EINVALID, "err.required", nil, "no")
		}); err == nil {
			t.Fatal("fn's error was not returned")
		}
		_, err := db.UpdatePerson(ctx, "U07", func(p *pulse.Person) error { p.TZOverride = "Mars/Base"; return nil })
		if _, ok := err.(pulse.ValidationErrors); !ok {
			t.Fatalf("UpdatePerson with a bad zone = %v (%T), want ValidationErrors", err, err)
		}
		got, _ := db.Person(ctx, "U07")
		assertEqual(t, got, good)
	})

	t.Run("concurrent updates of different fields all land", func(t *testing.T) {
		db := MustOpenDB(t)
		must(t, db.SavePerson(ctx, &pulse.Person{ID: "U07"}))
		var wg sync.WaitGroup
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.UpdatePerson(ctx, "U07", func(p *pulse.Person) error {
					if i%2 == 0 {
						p.Goal += "g"
					} else {
						p.Name += "n"
					}
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		got, _ := db.Person(ctx, "U07")
		if len(got.Goal) != 8 || len(got.Name) != 8 {
			t.Fatalf("after 8+8 updates Goal=%q Name=%q, want 8 letters each", got.Goal, got.Name)
		}
	})
}
