package demo_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/demo"
)

// TestDemoWithNumbersFromHubSpot runs Monday of the demo week with the
// team's numbers from the HubSpot stand-in: the check-in modal shows them
// read-only with their source, and every rep's Monday is pulled final with
// the calls the stand-in holds (checkCRM; a failure would name HubSpot).
// The week stops early, so the weekly jobs not yet due are not counted.
func TestDemoWithNumbersFromHubSpot(t *testing.T) {
	var out bytes.Buffer
	res, _ := demo.Run(t.Context(), demo.CRMMonday(demo.Options{Out: t.TempDir(), Lang: pulse.English, Stdout: &out}))
	for _, f := range res.Failures {
		if strings.Contains(f, "HubSpot") || strings.Contains(f, "crm") || strings.Contains(f, "Slack would refuse") || strings.Contains(f, "logged") {
			t.Errorf("failure: %s", f)
		}
	}
	text := out.String()
	for _, want := range []string{"*Calls*: 15 · from HubSpot, 09:00", "*Meetings booked*: 1 · from HubSpot, 09:00"} {
		if !strings.Contains(text, want) {
			t.Errorf("the transcript lacks %q", want)
		}
	}
}
