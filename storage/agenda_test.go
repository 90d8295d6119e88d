package storage_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestAgenda(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
	add := func(rep, ref, text string) (*pulse.AgendaItem, bool) {
		a := &pulse.AgendaItem{TeamID: team.ID, RepID: rep, Source: pulse.AgendaBlocker, Ref: ref, Text: text}
		if ref == "" {
			a.Source = pulse.AgendaManual
		}
		added, err := db.AddAgendaItem(ctx, a)
		must(t, err)
		return a, added
	}
	blocker, ok := add("U02", "blocker:b1", "No licence")
	if !ok || blocker.ID == "" {
		t.Fatal("the first gathering of a rule was not added")
	}
	if _, ok := add("U02", "blocker:b1", "No licence"); ok {
		t.Fatal("the same rule was gathered twice")
	}
	manual, _ := add("U02", "", "Talk about the Hansen deal")
	add("U02", "", "Talk about the Hansen deal") // by hand, twice is twice
	add("U03", "blocker:b1", "Another rep's")
	open, err := db.RepAgenda(ctx, team.ID, "U02")
	must(t, err)
	if len(open) != 3 || open[0].ID != blocker.ID {
		t.Fatalf("agenda %+v, want three items, oldest first", open)
	}
	n, err := db.CloseAgenda(ctx, team.ID, "U02", []string{manual.ID}, "s1", time.Now())
	must(t, err)
	if n != 2 {
		t.Fatalf("closed %d, want 2 (one carried over)", n)
	}
	open, _ = db.RepAgenda(ctx, team.ID, "U02")
	if len(open) != 1 || open[0].ID != manual.ID {
		t.Fatalf("after the 1:1 the agenda holds %+v, want the carried-over item", open)
	}
	if _, ok := add("U02", "blocker:b1", "No licence"); ok {
		t.Fatal("a closed rule came back")
	}
	if other, _ := db.RepAgenda(ctx, team.ID, "U03"); len(other) != 1 {
		t.Fatalf("closing one rep's agenda touched another's: %+v", other)
	}
	if _, err := db.AddAgendaItem(ctx, &pulse.AgendaItem{TeamID: team.ID, RepID: "U02", Source: pulse.AgendaManual, Text: " "}); pulse.ErrorCode(err) != pulse.EINVALID {
		t.Fatalf("an empty item = %v, want EINVALID", err)
	}
}
