package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

// seedCRMCheckIn makes Nordic's calls come from HubSpot, with 7 calls
// fetched for ciRep1 at 09:02 Oslo time on ciMonday.
func seedCRMCheckIn(h *harness, topUp bool) *pulse.Team {
	h.tb.Helper()
	nordic, _ := seedCheckIn(h)
	ctx := context.Background()
	nordic.NumbersFrom = pulse.CRMHubSpot
	nordic.CRMTopUp = topUp
	nordic.Metrics[0].Measure = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
	if err := h.DB.UpdateTeam(ctx, nordic); err != nil {
		h.tb.Fatal(err)
	}
	fig := pulse.CRMFigure{TeamID: nordic.ID, Rep: ciRep1, Day: ciMonday, Source: pulse.CRMHubSpot,
		FetchedAt: time.Date(2026, 3, 2, 8, 2, 0, 0, time.UTC), Values: map[string]float64{"calls": 7}}
	if err := h.DB.SaveCRMFigures(ctx, []pulse.CRMFigure{fig}); err != nil {
		h.tb.Fatal(err)
	}
	return nordic
}

func inputBlockIDs(v slack.View) []string {
	var ids []string
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			ids = append(ids, in.BlockID)
		}
	}
	return ids
}

func TestCheckInModalShowsCRMNumbersReadOnly(t *testing.T) {
	h := start(t)
	nordic := seedCRMCheckIn(h, false)
	dm := h.postCheckInDM(ciRep1, nordic.ID, ciMonday)
	h.ack(h.pressOn(ciRep1, bot.ActionCheckIn, nordic.ID+"|"+ciMonday.String(), dm), 1)
	v, raw := h.nthView("views.open", 1)
	if ids := strings.Join(inputBlockIDs(v), ","); strings.Contains(ids, "metric_calls") || !strings.Contains(ids, "metric_meetings") {
		t.Errorf("inputs %s: want meetings asked for and calls not", ids)
	}
	if text := blocksText(raw); !strings.Contains(text, "*Calls*: 7 · from HubSpot, 09:02") {
		t.Errorf("the modal does not show the CRM's calls with their source: %s", text)
	}
	// A forged submission with a number for calls does not overwrite the CRM.
	values := answers("Call the fair leads", "4", "99")
	values["metric_meetings"] = slack.BlockAction{Type: "number_input", Value: "2"}
	if action, errs := h.submitView(ciRep1, v, values); action != "" || errs != nil {
		t.Fatalf("submit answered %q %v, want the modal closed", action, errs)
	}
	c := h.storedCheckIn(nordic.ID, ciRep1, ciMonday)
	if _, typed := c.Metrics["calls"]; typed || c.Metrics["meetings"] != 2 {
		t.Errorf("stored metrics %v; want meetings only", c.Metrics)
	}
}

func TestCheckInModalAsksForWhatTheCRMMissedWhenTheTeamAllows(t *testing.T) {
	h := start(t)
	nordic := seedCRMCheckIn(h, true)
	dm := h.postCheckInDM(ciRep2, nordic.ID, ciMonday)
	h.ack(h.pressOn(ciRep2, bot.ActionCheckIn, nordic.ID+"|"+ciMonday.String(), dm), 1)
	v, raw := h.nthView("views.open", 1)
	text := blocksText(raw)
	// ciRep2 has no figure yet: the line says so, and the input asks for
	// what HubSpot missed.
	if !strings.Contains(text, "from HubSpot, not fetched yet") || !strings.Contains(text, "Calls: add what HubSpot missed") {
		t.Errorf("modal: %s", text)
	}
	if action, errs := h.submitView(ciRep2, v, answers("Follow up", "3", "2")); action != "" || errs != nil {
		t.Fatalf("submit answered %q %v", action, errs)
	}
	if c := h.storedCheckIn(nordic.ID, ciRep2, ciMonday); c.Metrics["calls"] != 2 {
		t.Errorf("stored %v; want the 2 calls the rep added", c.Metrics)
	}
}
