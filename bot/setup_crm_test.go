package bot_test

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

func TestCommandsSetupNumbersFromTheCRM(t *testing.T) {
	h := start(t, withAdmin())
	seedTeams(h)
	h.opens(adminID, "setup Pacific")
	v := h.openedView(1)
	if el := inputElement(t, v, "numbers_from").(*slack.SelectBlockElement); len(el.Options) != 4 || el.InitialOption == nil || el.InitialOption.Value != "typed" {
		t.Errorf("numbers from: %+v; want four choices starting at typed", el)
	}

	bad := []struct {
		name  string
		with  state
		field string
		want  string
	}{
		{"a CRM Pulse does not read", state{"numbers_from": {SelectedOption: slack.OptionBlockObject{Value: "zoho"}}}, "numbers_from", h.en("err.crm_kind", map[string]any{"Value": "zoho"})},
		{"a measure with a type it does not take", state{"metrics": {Value: "calls: Calls = 10 [calls:Cold]"}}, "metrics", h.en("err.crm_measure", map[string]any{"Value": "calls:Cold"})},
		{"activities without a type", state{"metrics": {Value: "demos: Demos [activities]"}}, "metrics", h.en("err.crm_measure", map[string]any{"Value": "activities"})},
	}
	for _, tt := range bad {
		s := goodSetup("Pacific")
		for k, val := range tt.with {
			s[k] = val
		}
		resp := h.submit(adminID, v, s)
		if resp.ResponseAction != "errors" || resp.Errors[tt.field] != escaped(tt.want) {
			t.Errorf("%s: answered %+v; want %q under %s", tt.name, resp, tt.want, tt.field)
		}
	}
	if n := teamCount(t, h); n != 2 {
		t.Fatalf("a refused setup stored a team: %d teams", n)
	}

	s := goodSetup("Pacific")
	s["numbers_from"] = slack.BlockAction{SelectedOption: slack.OptionBlockObject{Value: "hubspot"}}
	s["crm_topup"] = slack.BlockAction{SelectedOptions: []slack.OptionBlockObject{{Value: "yes"}}}
	s["metrics"] = slack.BlockAction{Value: "calls: Calls = 100 [calls]\ndemos: Demos [EMEA] = 5 [activities:Product demo]\nreferrals: Referrals = 2"}
	if resp := h.submit(adminID, v, s); resp.ResponseAction != "" {
		t.Fatalf("answered %+v; want the modal closed", resp)
	}
	team, err := h.DB.TeamByName(t.Context(), "Pacific")
	if err != nil {
		t.Fatal(err)
	}
	want := []pulse.Metric{
		{Key: "calls", Name: "Calls", Target: 100, Measure: pulse.MeasureSpec{Measure: pulse.MeasureCalls}},
		{Key: "demos", Name: "Demos [EMEA]", Target: 5, Measure: pulse.MeasureSpec{Measure: pulse.MeasureActivities, ActivityType: "Product demo"}},
		{Key: "referrals", Name: "Referrals", Target: 2},
	}
	if team.NumbersFrom != pulse.CRMHubSpot || !team.CRMTopUp || len(team.Metrics) != 3 {
		t.Fatalf("stored %+v", team)
	}
	for i, m := range want {
		if team.Metrics[i] != m {
			t.Errorf("metric %d = %+v; want %+v", i, team.Metrics[i], m)
		}
	}

	// Editing shows the choices back as they were made.
	h.opens(adminID, "setup Pacific")
	v = h.openedView(2)
	if el := inputElement(t, v, "numbers_from").(*slack.SelectBlockElement); el.InitialOption == nil || el.InitialOption.Value != "hubspot" {
		t.Errorf("numbers from starts at %+v; want hubspot", el.InitialOption)
	}
	if el := inputElement(t, v, "metrics").(*slack.PlainTextInputBlockElement); !strings.Contains(el.InitialValue, "demos: Demos [EMEA] = 5 [activities:Product demo]") {
		t.Errorf("metrics start as %q", el.InitialValue)
	}
	if el := inputElement(t, v, "crm_topup").(*slack.CheckboxGroupsBlockElement); len(el.InitialOptions) != 1 {
		t.Errorf("top-up starts unchecked")
	}
}
