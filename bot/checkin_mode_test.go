package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// TestSetupCheckInMode picks the evening in the setup modal, finds it
// pre-filled when editing, and refuses a forged mode and a "both" whose
// end of day comes before the morning check-in.
func TestSetupCheckInMode(t *testing.T) {
	h := start(t)
	nordic, _ := seedTeams(h)
	h.opens(mgrA, "setup nordic")
	v := h.openedView(1)
	sel := inputElement(t, v, "checkin_mode").(*slack.SelectBlockElement)
	var values []string
	for _, o := range sel.Options {
		values = append(values, o.Value)
	}
	if !slices.Equal(values, []string{"morning", "evening", "both"}) || sel.InitialOption == nil || sel.InitialOption.Value != "morning" {
		t.Fatalf("mode options %v starting at %+v", values, sel.InitialOption)
	}
	with := func(mode, end string) state {
		s := goodSetup("Nordic")
		s["checkin_mode"] = slack.BlockAction{SelectedOption: slack.OptionBlockObject{Value: mode}}
		s["end_of_day_time"] = slack.BlockAction{SelectedTime: end}
		return s
	}
	if resp := h.submit(mgrA, v, with("noon", "17:00")); resp.Errors["checkin_mode"] != escaped(h.en("err.checkin_mode", map[string]any{"Value": "noon"})) {
		t.Errorf("a forged mode answered %+v", resp)
	}
	if resp := h.submit(mgrA, v, with("both", "08:00")); resp.Errors["end_of_day_time"] != escaped(h.en("err.end_of_day_order", map[string]any{"CheckIn": "08:30"})) {
		t.Errorf("an end of day before the check-in answered %+v", resp)
	}
	if resp := h.submit(mgrA, v, with("evening", "17:30")); resp.ResponseAction != "" {
		t.Fatalf("a good submission answered %+v", resp)
	}
	team, err := h.DB.Team(t.Context(), nordic.ID)
	if err != nil || team.Mode() != pulse.CheckInEvening || team.EndOfDayTime != pulse.MustTime("17:30") {
		t.Fatalf("stored %+v, %v", team, err)
	}
	h.opens(mgrA, "setup nordic")
	v = h.openedView(2)
	if sel := inputElement(t, v, "checkin_mode").(*slack.SelectBlockElement); sel.InitialOption == nil || sel.InitialOption.Value != "evening" {
		t.Errorf("editing starts at %+v", sel.InitialOption)
	}
	if el := inputElement(t, v, "end_of_day_time").(*slack.TimePickerBlockElement); el.InitialTime != "17:30" {
		t.Errorf("end of day starts at %q", el.InitialTime)
	}
}

// TestEveningCheckIn: an evening team's check-in asks for today's results
// and tomorrow's plan and counts for the day it is given on; a team
// checking in both is asked at the end of the day to add its numbers.
func TestEveningCheckIn(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h)
	nordic.CheckInMode, nordic.EndOfDayTime = pulse.CheckInEvening, pulse.MustTime("17:00")
	if err := h.DB.UpdateTeam(t.Context(), nordic); err != nil {
		t.Fatal(err)
	}
	h.slash(ciRep1, "checkin")
	v, _ := h.nthView("views.open", 1)
	got := labels(v)
	for _, want := range []string{h.en("checkin_mode.results_today", nil), h.en("checkin_mode.plan_tomorrow", nil)} {
		if !slices.Contains(got, want) {
			t.Errorf("labels %q lack %q", got, want)
		}
	}
	if action, errs := h.submitView(ciRep1, v, answers("Follow up Hansen tomorrow", "4", "30")); action != "" {
		t.Fatalf("answered %q %v", action, errs)
	}
	// 10:00 in Oslo, before the evening's 17:00: on time, for today.
	if c := h.storedCheckIn(nordic.ID, ciRep1, ciMonday); c == nil || c.Status != pulse.CheckInOnTime || c.Metrics["calls"] != 30 {
		t.Fatalf("stored %+v", c)
	}

	nordic.CheckInMode = pulse.CheckInBoth
	_, m := deliver(h, pulse.Notice{Key: pulse.EveningKey(nordic.ID, ciRep1, ciMonday), Team: nordic, To: ciRep1, Lang: pulse.English,
		Payload: pulse.EveningNotice{Rep: ciRep1, Date: ciMonday, Answered: true}})
	text := blocksText(m.Blocks)
	if !strings.Contains(m.Text, "Add today's results and numbers") || !strings.Contains(text, h.en("notices.button_checkin", nil)) {
		t.Errorf("evening prompt %q with blocks %s", m.Text, text)
	}
}
