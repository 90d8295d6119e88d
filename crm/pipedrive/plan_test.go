package pipedrive_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/pipedrive"
)

// The figures are Pipedrive's API-token burst limits (testdata/FACTS.md,
// "Rate limits"), all per rolling 2 seconds.
func TestEachPlanHasItsAPITokenBurstLimit(t *testing.T) {
	want := map[string]int{"lite": 20, "growth": 40, "premium": 100, "ultimate": 120}
	if got := pipedrive.Plans(); !slices.Equal(got, []string{"lite", "growth", "premium", "ultimate"}) {
		t.Errorf("plans %v, want the four Pipedrive sells, cheapest first", got)
	}
	for _, name := range pipedrive.Plans() {
		for _, spelled := range []string{name, strings.ToUpper(name[:1]) + name[1:], " " + strings.ToUpper(name) + "\t"} {
			l, ok := pipedrive.PlanLimit(spelled)
			if !ok || l.Requests != want[name] || l.Window != 2*time.Second {
				t.Errorf("PlanLimit(%q) = %+v, %v; want %d per 2s", spelled, l, ok, want[name])
			}
		}
	}
	if l, _ := pipedrive.PlanLimit(pipedrive.DefaultPlan); l != pipedrive.LiteLimit {
		t.Errorf("the default plan's limit is %+v, want Lite's, the floor", l)
	}
	for _, bad := range []string{"", "gold", "essential", "lite plan", "premium+"} {
		if l, ok := pipedrive.PlanLimit(bad); ok {
			t.Errorf("PlanLimit(%q) = %+v, want no such plan", bad, l)
		}
	}
}

func TestActivityTypeKeys(t *testing.T) {
	for _, good := range []string{"call", "meeting", "phone_call", "call2", "x", strings.Repeat("a", pulse.MaxActivityTypeLen)} {
		if !pipedrive.ValidTypeKey(good) {
			t.Errorf("ValidTypeKey(%q) = false", good)
		}
	}
	for _, bad := range []string{"", "Call", "phone call", "call\n", "møte", "звонок", "call;drop", "=cmd()", strings.Repeat("a", pulse.MaxActivityTypeLen+1)} {
		if pipedrive.ValidTypeKey(bad) {
			t.Errorf("ValidTypeKey(%q) = true", bad)
		}
	}
}

func TestNewTakesTheTypesAndLimitGivenAndRefusesTypesThatAreNoKeys(t *testing.T) {
	tok := pulse.NewSecret("tok-123")
	cl, err := pipedrive.New("acme", tok)
	if err != nil {
		t.Fatal(err)
	}
	if cl.ActivityTypes() != pipedrive.DefaultActivityTypes || cl.BurstLimit() != pipedrive.LiteLimit {
		t.Errorf("a bare client counts %+v paced to %+v, want the defaults", cl.ActivityTypes(), cl.BurstLimit())
	}
	growth, _ := pipedrive.PlanLimit("growth")
	types := pipedrive.ActivityTypes{Call: "phone_call", Meeting: "demo"}
	cl, err = pipedrive.New("acme", tok, pipedrive.WithActivityTypes(types), pipedrive.WithBurstLimit(growth))
	if err != nil {
		t.Fatal(err)
	}
	if cl.ActivityTypes() != types || cl.BurstLimit() != growth {
		t.Errorf("client counts %+v paced to %+v, want %+v and %+v", cl.ActivityTypes(), cl.BurstLimit(), types, growth)
	}
	for _, bad := range []pipedrive.ActivityTypes{{Call: "", Meeting: "meeting"}, {Call: "call", Meeting: "Meeting"}, {Call: "call", Meeting: "call"}} {
		if _, err := pipedrive.New("acme", tok, pipedrive.WithActivityTypes(bad)); err == nil {
			t.Errorf("New took activity types %+v", bad)
		}
	}
}
