package bot_test

import (
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

func TestCommandsSetupRefusesMetricNamesThatRunAsFormulas(t *testing.T) {
	h := start(t, withAdmin())
	seedTeams(h)
	h.opens(adminID, "setup Pacific")
	v := h.openedView(1)

	// "=" cannot begin a name in the modal (it starts the target); a tab
	// or carriage return is trimmed away with the line's spaces.
	for _, name := range []string{"+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"} {
		t.Run(name, func(t *testing.T) {
			s := goodSetup("Pacific")
			s["metrics"] = slack.BlockAction{Value: "calls: Calls = 100\ndemos: " + name + " = 5"}
			resp := h.submit(adminID, v, s)
			want := escaped(h.en("err.metric_formula", map[string]any{"Value": name}))
			if resp.ResponseAction != "errors" || resp.Errors["metrics"] != want {
				t.Errorf("answered %+v, want %q under metrics", resp, want)
			}
			if n := teamCount(t, h); n != 2 {
				t.Errorf("a refused setup changed the teams: %d, want 2", n)
			}
		})
	}

	// The sentence is said in each language, not English in its place.
	en := h.en("err.metric_formula", map[string]any{"Value": "@SUM(1+1)"})
	for _, lang := range pulse.Langs[1:] {
		if got := h.Bot.Catalog().T(lang, "err.metric_formula", map[string]any{"Value": "@SUM(1+1)"}); got == en || got == "" {
			t.Errorf("%s says %q", lang, got)
		}
	}

	s := goodSetup("Pacific")
	s["metrics"] = slack.BlockAction{Value: "calls: Calls @ home = 100"}
	if resp := h.submit(adminID, v, s); resp.ResponseAction == "errors" {
		t.Errorf("a name with @ inside was refused: %+v", resp.Errors)
	}
}
