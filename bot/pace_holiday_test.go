package bot_test

import (
	"strings"
	"testing"
	"time"
)

// TestPaceCountsTheRepsOwnHolidays: Nordic keeps Norway's holidays, so
// Maundy Thursday and Good Friday (2 and 3 April 2026) are off; Anna lives
// in the US, where they are working days. On Wednesday 1 April, with 120
// of the week's 150 calls each, Anna is 3 of her 5 workdays in (on track),
// Ole 3 of his 3 (behind).
func TestPaceCountsTheRepsOwnHolidays(t *testing.T) {
	h := start(t)
	nordic, _ := seedPlanTeams(h)
	nordic.HolidayPlace = "NO"
	if err := h.DB.UpdateTeam(t.Context(), nordic); err != nil {
		t.Fatal(err)
	}
	h.command(repA1, "holidays us")
	for _, rep := range []string{repA1, repA2} {
		saveNumbers(t, h, nordic, rep, "2026-03-23", 0) // with the team before the week
		for _, d := range []string{"2026-03-30", "2026-03-31", "2026-04-01"} {
			saveNumbers(t, h, nordic, rep, d, 40)
		}
	}
	h.Clock.Advance(30*24*time.Hour + 6*time.Hour) // Wednesday 1 April, 15:00 UTC; both answered today

	anna := "Calls: 120 of 150 this week — 80% at 60% of the week's workdays: on track"
	ole := "Calls: 120 of 150 this week — 80% at 100% of the week's workdays: behind"
	if got := shown(h.answer(h.slash(repA1, "plan"))); !strings.Contains(got, anna) {
		t.Errorf("Anna's /pulse plan lacks %q:\n%s", anna, got)
	}
	if got := shown(h.answer(h.slash(repA2, "plan"))); !strings.Contains(got, ole) {
		t.Errorf("Ole's /pulse plan lacks %q:\n%s", ole, got)
	}
	mgr := shown(h.answer(h.slash(mgrA, "")))
	if !strings.Contains(mgr, "<@UREPA1> · "+anna) || !strings.Contains(mgr, "<@UREPA2> · "+ole) {
		t.Errorf("the manager's /pulse lacks each rep's own workdays:\n%s", mgr)
	}
}
