package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// TestSetupHolidaysCountryAndDaysOff sets Norway's public holidays and an
// extra day off in the setup modal, finds both pre-filled when editing,
// and answers a forged country and a bad date inline.
func TestSetupHolidaysCountryAndDaysOff(t *testing.T) {
	h := start(t)
	nordic, _ := seedTeams(h)
	h.opens(mgrA, "setup nordic")
	v := h.openedView(1)
	sel := inputElement(t, v, "holiday_place").(*slack.SelectBlockElement)
	if sel.InitialOption == nil || sel.InitialOption.Value != "none" {
		t.Fatalf("a team without holidays starts at %+v, want none", sel.InitialOption)
	}
	if len(sel.Options) > 100 || !slices.ContainsFunc(sel.Options, func(o *slack.OptionBlockObject) bool {
		return o.Value == "NO" && o.Text.Text == "Norway (NO)"
	}) {
		t.Fatalf("holiday options %d, Norway missing or too many", len(sel.Options))
	}

	with := func(place, days string) state {
		s := goodSetup("Nordic")
		s["holiday_place"] = slack.BlockAction{SelectedOption: slack.OptionBlockObject{Value: place}}
		s["days_off"] = slack.BlockAction{Value: days}
		return s
	}
	for _, tc := range []struct {
		name, place, days, field, want string
	}{
		{"a forged country", "XX", "", "holiday_place", h.en("err.holiday_place", map[string]any{"Value": "XX"})},
		{"a formula for a country", "=HYPERLINK(1)", "", "holiday_place", h.en("err.holiday_place", map[string]any{"Value": "=HYPERLINK(1)"})},
		{"a day that is no date", "NO", "2026-12-23\n2026-13-01", "days_off", h.en("err.date", map[string]any{"Value": "2026-13-01"})},
	} {
		resp := h.submit(mgrA, v, with(tc.place, tc.days))
		if resp.ResponseAction != "errors" || resp.Errors[tc.field] != escaped(tc.want) {
			t.Errorf("%s: answered %+v, want %q under %s", tc.name, resp, escaped(tc.want), tc.field)
		}
	}
	if resp := h.submit(mgrA, v, with("NO", "2026-12-23, 2026-12-31")); resp.ResponseAction != "" {
		t.Fatalf("a good submission answered %+v", resp)
	}
	team, err := h.DB.Team(t.Context(), nordic.ID)
	if err != nil {
		t.Fatal(err)
	}
	if team.HolidayPlace != "NO" || !slices.Equal(team.Holidays, []pulse.Date{pulse.MustDate("2026-12-23"), pulse.MustDate("2026-12-31")}) {
		t.Fatalf("stored place %q days %v", team.HolidayPlace, team.Holidays)
	}
	h.opens(mgrA, "setup nordic")
	v = h.openedView(2)
	if sel := inputElement(t, v, "holiday_place").(*slack.SelectBlockElement); sel.InitialOption == nil || sel.InitialOption.Value != "NO" {
		t.Errorf("editing starts at %+v, want NO", sel.InitialOption)
	}
	if el := inputElement(t, v, "days_off").(*slack.PlainTextInputBlockElement); el.InitialValue != "2026-12-23\n2026-12-31" {
		t.Errorf("days off start as %q", el.InitialValue)
	}
	// A form from before these inputs (a client that sends no state for
	// them) leaves them as they are.
	if resp := h.submit(mgrA, v, goodSetup("Nordic")); resp.ResponseAction != "" {
		t.Fatalf("an older form answered %+v", resp)
	}
	if team, _ := h.DB.Team(t.Context(), nordic.ID); team.HolidayPlace != "NO" || len(team.Holidays) != 2 {
		t.Errorf("an older form changed place %q days %v", team.HolidayPlace, team.Holidays)
	}
}

// TestHolidaysCommandOwnCountry: a rep of an Oslo team keeps the US's
// holidays with /pulse holidays us, sees the coming ones, and goes back to
// the team's with /pulse holidays team; an unknown country is refused.
func TestHolidaysCommandOwnCountry(t *testing.T) {
	h := start(t)
	nordic, _ := seedTeams(h)
	nordic.HolidayPlace = "NO"
	if err := h.DB.UpdateTeam(t.Context(), nordic); err != nil {
		t.Fatal(err)
	}
	got := h.command(repA1, "holidays")
	if !strings.Contains(got.Text, "Norway (NO)") || !strings.Contains(got.Text, "2026-04-03") {
		t.Errorf("/pulse holidays answered %q, want Norway's with Good Friday", got.Text)
	}
	got = h.command(repA1, "holidays us")
	if !strings.Contains(got.Text, "United States (US)") || !strings.Contains(got.Text, "2026-05-25") || strings.Contains(got.Text, "2026-04-03") {
		t.Errorf("/pulse holidays us answered %q, want the US's with Memorial Day", got.Text)
	}
	p, err := h.DB.Person(t.Context(), repA1)
	if err != nil || p.HolidayPlace != "US" {
		t.Fatalf("stored %+v, %v; want US", p, err)
	}
	wantText(t, "an unknown country", h.command(repA1, "holidays =cmd|' /C calc'!A0"), escaped(h.en("err.holiday_place", map[string]any{"Value": "=cmd|' /C calc'!A0"})))
	if p, _ := h.DB.Person(t.Context(), repA1); p.HolidayPlace != "US" {
		t.Errorf("a refused country changed the place to %q", p.HolidayPlace)
	}
	h.command(repA1, "holidays team")
	if p, _ := h.DB.Person(t.Context(), repA1); p.HolidayPlace != "" {
		t.Errorf("back to the team's: place %q", p.HolidayPlace)
	}
	// A country by its name, in English or the person's language.
	h.command(repA1, "holidays Poland")
	if p, _ := h.DB.Person(t.Context(), repA1); p.HolidayPlace != "PL" {
		t.Errorf("by name: place %q, want PL", p.HolidayPlace)
	}
	h.command(repA1, "lang nb")
	h.command(repA1, "holidays Sverige")
	if p, _ := h.DB.Person(t.Context(), repA1); p.HolidayPlace != "SE" {
		t.Errorf("by its Norwegian name: place %q, want SE", p.HolidayPlace)
	}
}
