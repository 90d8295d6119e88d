package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
)

func TestCRMCommandListsUnmatchedRepsAndMatchesByHand(t *testing.T) {
	h := start(t)
	nordic, baltic := seedTeams(h)
	ctx := context.Background()
	nordic.NumbersFrom = pulse.CRMHubSpot
	nordic.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Measure: pulse.MeasureSpec{Measure: pulse.MeasureCalls}}}
	if err := h.DB.UpdateTeam(ctx, nordic); err != nil {
		t.Fatal(err)
	}

	got := h.command(mgrA, "crm").Text
	for _, want := range []string{"*Nordic*: numbers from HubSpot, last fetched never.", "Not matched in HubSpot: <@" + repA1 + ">, <@" + repA2 + ">."} {
		if !strings.Contains(got, want) {
			t.Errorf("/pulse crm answered %q; want it to say %q", got, want)
		}
	}

	wantText(t, "match", h.command(mgrA, "crm match <@"+repA1+"|anna> 5123"), h.en("crm.matched", map[string]any{"Rep": "<@" + repA1 + ">", "CRM": "HubSpot", "Owner": "`5123`"}))
	m, err := h.DB.CRMMatches(ctx, nordic.ID)
	if err != nil || m[repA1].OwnerID != "5123" || m[repA1].By != pulse.CRMMatchHand || m[repA1].Kind != pulse.CRMHubSpot {
		t.Errorf("matches = %+v, %v", m, err)
	}
	if got := h.command(mgrA, "crm").Text; strings.Contains(got, repA1) || !strings.Contains(got, repA2) {
		t.Errorf("after matching %s, /pulse crm answered %q", repA1, got)
	}

	// Hostile or wrong input: a query in the owner ID, another team's rep,
	// a rep matching themselves, a manager of a team that types its numbers.
	wantText(t, "a forged owner", h.command(mgrA, "crm match <@"+repA2+"> 1;DROP"), escaped(h.en("err.crm_owner", map[string]any{"Value": "1;DROP"})))
	wantText(t, "another team's rep", h.command(mgrA, "crm match <@"+repB1+"> 77"), escaped(h.en("deny.crm_match", nil)))
	wantText(t, "a rep", h.command(repA2, "crm match <@"+repA2+"> 77"), escaped(h.en("deny.crm_match", nil)))
	wantText(t, "a typed team", h.command(mgrB, "crm match <@"+repB1+"> 77"), h.en("crm.typed", map[string]any{"Team": baltic.Name}))
	wantText(t, "no owner", h.command(mgrA, "crm match <@"+repA2+">"), escaped(h.en("crm.match_usage", nil)))
	if m, _ := h.DB.CRMMatches(ctx, nordic.ID); len(m) != 1 {
		t.Errorf("a refused match was stored: %+v", m)
	}
	if m, _ := h.DB.CRMMatches(ctx, baltic.ID); len(m) != 0 {
		t.Errorf("a typed team got a match: %+v", m)
	}
}

func TestStatusCountsTheCRMsNumbersAndSaysWhere(t *testing.T) {
	h := start(t)
	nordic := seedCRMCheckIn(h, false) // 7 calls for rep one on Monday, from HubSpot
	seedStatus(h, nordic)              // rep one typed 12 calls on Monday
	fig := pulse.CRMFigure{TeamID: nordic.ID, Rep: ciRep2, Day: ciMonday, Source: pulse.CRMHubSpot,
		FetchedAt: h.Clock.Now(), Values: map[string]float64{"calls": 4}}
	if err := h.DB.SaveCRMFigures(context.Background(), []pulse.CRMFigure{fig}); err != nil {
		t.Fatal(err)
	}
	got := shown(h.answer(h.slash(ciMgr1, "")))
	// 7 + 4 from HubSpot, rep two's too though rep two has not checked in;
	// the 12 typed calls no longer count.
	if want := "Calls: 11 of 150 · from HubSpot"; !strings.Contains(got, want) {
		t.Errorf("the manager's /pulse lacks %q:\n%s", want, got)
	}
}
