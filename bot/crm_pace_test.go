package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestCRMTeamsPaceCountsTheCRMsNumbers(t *testing.T) {
	h := start(t)
	nordic, _ := seedPlanTeams(h)
	nordic.NumbersFrom = pulse.CRMHubSpot
	nordic.Metrics[0].Measure = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
	if err := h.DB.UpdateTeam(t.Context(), nordic); err != nil {
		t.Fatal(err)
	}
	h.command(mgrA, "plan <@UREPA1> calls 1000 month")
	// Anna typed 60 calls on Monday, which the CRM counts as 40; on
	// Tuesday she did not check in, and the CRM counted her calls still.
	saveNumbers(t, h, nordic, repA1, "2026-03-02", 60)
	fig := func(day string, calls float64) pulse.CRMFigure {
		return pulse.CRMFigure{TeamID: nordic.ID, Rep: repA1, Day: pulse.MustDate(day), Source: pulse.CRMHubSpot,
			FetchedAt: h.Clock.Now(), Values: map[string]float64{"calls": calls}}
	}
	if err := h.DB.SaveCRMFigures(t.Context(), []pulse.CRMFigure{fig("2026-03-02", 40)}); err != nil {
		t.Fatal(err)
	}
	if got, want := shown(h.answer(h.slash(mgrA, "digest"))), "Calls: 40 of 1,000 this month"; !strings.Contains(got, want) {
		t.Errorf("the digest lacks %q:\n%s", want, got)
	}

	h.Clock.Advance(30 * time.Hour) // Tuesday
	if err := h.DB.SaveCRMFigures(t.Context(), []pulse.CRMFigure{fig("2026-03-03", 35)}); err != nil {
		t.Fatal(err)
	}
	const want = "Calls: 75 of 1,000 this month"
	if got := shown(h.answer(h.slash(repA1, "plan"))); !strings.Contains(got, want) {
		t.Errorf("Anna's /pulse plan lacks %q:\n%s", want, got)
	}
	if got := shown(h.answer(h.slash(mgrA, ""))); !strings.Contains(got, "<@UREPA1> · "+want) {
		t.Errorf("the manager's /pulse lacks Anna's pace %q:\n%s", want, got)
	}
}
