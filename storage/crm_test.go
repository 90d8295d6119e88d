package storage_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestCRMFiguresMatchesAndHealth(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02", "U03")
	other := MustCreateTeam(t, db, "Other", "U01", "U02")
	at := time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC)
	fig := func(team, rep, day string, calls float64) pulse.CRMFigure {
		return pulse.CRMFigure{TeamID: team, Rep: rep, Day: pulse.MustDate(day), Source: pulse.CRMHubSpot, FetchedAt: at, Values: map[string]float64{"calls": calls}}
	}
	must(t, db.SaveCRMFigures(ctx, []pulse.CRMFigure{
		fig(team.ID, "U02", "2026-03-29", 2), fig(team.ID, "U02", "2026-03-30", 1),
		fig(team.ID, "U03", "2026-03-30", 4), fig(other.ID, "U02", "2026-03-30", 9),
	}))
	must(t, db.SaveCRMFigures(ctx, []pulse.CRMFigure{fig(team.ID, "U02", "2026-03-30", 5)})) // a later pull replaces
	got, err := db.CRMFigure(ctx, team.ID, "U02", pulse.MustDate("2026-03-30"))
	if err != nil || got.Values["calls"] != 5 || got.Source != pulse.CRMHubSpot || !got.FetchedAt.Equal(at) {
		t.Errorf("CRMFigure = %+v, %v; want the later pull's 5 calls from HubSpot at 08:00", got, err)
	}
	figs, err := db.TeamCRMFigures(ctx, team.ID, pulse.MustDate("2026-03-30"), pulse.MustDate("2026-03-30"))
	if err != nil || len(figs) != 2 || figs[0].Rep != "U02" || figs[1].Rep != "U03" {
		t.Errorf("TeamCRMFigures = %+v, %v; want U02 and U03 of 03-30, not the other team's", figs, err)
	}
	if _, err := db.CRMFigure(ctx, team.ID, "U02", pulse.MustDate("2026-03-28")); !pulse.IsNotFound(err) {
		t.Errorf("a day never pulled = %v; want ENOTFOUND", err)
	}
	if err := db.SaveCRMFigures(ctx, []pulse.CRMFigure{fig(team.ID, "U0/2", "2026-03-30", 1)}); pulse.ErrorCode(err) != pulse.EINVALID {
		t.Errorf("a forged rep ID with a separator = %v; want EINVALID", err)
	}

	must(t, db.SaveCRMMatch(ctx, &pulse.CRMMatch{TeamID: team.ID, Rep: "U02", Kind: pulse.CRMHubSpot, OwnerID: "512", By: pulse.CRMMatchHand, At: at}))
	for _, bad := range []string{"", "5/12", "1 OR 1=1", "=HYPERLINK(\"x\")"} {
		if err := db.SaveCRMMatch(ctx, &pulse.CRMMatch{TeamID: team.ID, Rep: "U03", OwnerID: bad}); pulse.ErrorCode(err) != pulse.EINVALID {
			t.Errorf("owner %q = %v; want EINVALID", bad, err)
		}
	}
	matches, err := db.CRMMatches(ctx, team.ID)
	if err != nil || len(matches) != 1 || matches["U02"].OwnerID != "512" || matches["U02"].By != pulse.CRMMatchHand {
		t.Errorf("CRMMatches = %+v, %v", matches, err)
	}
	if m, _ := db.CRMMatches(ctx, other.ID); len(m) != 0 {
		t.Errorf("the other team sees matches: %v", m)
	}

	if _, err := db.CRMHealth(ctx, team.ID); !pulse.IsNotFound(err) {
		t.Errorf("health before a pull = %v; want ENOTFOUND", err)
	}
	must(t, db.SaveCRMHealth(ctx, &pulse.CRMHealth{TeamID: team.ID, Kind: pulse.CRMHubSpot, LastTry: at, Failing: pulse.EUNAUTHORIZED, Unmatched: []string{"U03"}}))
	if h, err := db.CRMHealth(ctx, team.ID); err != nil || h.Failing != pulse.EUNAUTHORIZED || len(h.Unmatched) != 1 {
		t.Errorf("CRMHealth = %+v, %v", h, err)
	}
}
