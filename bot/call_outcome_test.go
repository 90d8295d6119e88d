package bot_test

import (
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/webapi"
)

// The Web API client names its outcomes without the root package; the bot
// passes them on as the root's CallOutcome, so the names must stay equal.
func TestWebAPIOutcomesAreTheRootsCallOutcomes(t *testing.T) {
	tests := []struct {
		web  webapi.Outcome
		root pulse.CallOutcome
	}{
		{webapi.CallOK, pulse.CallOK},
		{webapi.CallError, pulse.CallError},
		{webapi.CallRateLimited, pulse.CallRateLimited},
		{webapi.CallTransport, pulse.CallTransport},
	}
	for _, tt := range tests {
		if pulse.CallOutcome(tt.web) != tt.root {
			t.Errorf("webapi outcome %q is passed on as %q, want %q", tt.web, pulse.CallOutcome(tt.web), tt.root)
		}
	}
}
