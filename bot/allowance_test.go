package bot_test

import (
	"fmt"
	"testing"

	"github.com/salespulse/pulse"
)

func TestKudosBeyondTheAllowanceAreAnsweredPolitely(t *testing.T) {
	h := start(t, withSteadyAllowance())
	nordic, _ := seedTeams(h)
	saved := h.en("commands.kudos_saved", map[string]any{"Rep": "<@UREPA1>", "Channel": "<#C0SALES>"})

	// Refused kudos post nothing, so they spend nothing.
	for range 5 {
		wantText(t, "kudos without text", h.command(repA2, "kudos <@UREPA1>"), escaped(h.en("commands.kudos_usage", nil)))
	}
	for i := range pulse.DefaultPostAllowance.Burst {
		wantText(t, fmt.Sprintf("kudos %d", i+1), h.command(repA2, fmt.Sprintf("kudos <@UREPA1> Great demo %d", i+1)), saved)
	}
	wantText(t, "kudos beyond the allowance", h.command(repA2, "kudos <@UREPA1> Great demo 4"), h.en("commands.kudos_too_many", nil))
	if n := len(kudosOf(t, h, nordic)); n != pulse.DefaultPostAllowance.Burst {
		t.Errorf("Nordic holds %d kudos, want only the %d allowed", n, pulse.DefaultPostAllowance.Burst)
	}

	// Another person's allowance is their own.
	wantText(t, "another person's kudos", h.command(mgrA, "kudos <@UREPA1> Well done"), saved)

	// The answer is in the person's language.
	h.savePerson(&pulse.Person{ID: repA2, Lang: pulse.Norwegian})
	wantText(t, "kudos beyond the allowance, in Norwegian", h.command(repA2, "kudos <@UREPA1> Flott demo"),
		h.said(pulse.Norwegian, "commands.kudos_too_many", nil))

	h.waitFor("the allowed kudos in the channel", func() bool {
		return h.messagesSaying("C0SALES", ":tada:") == pulse.DefaultPostAllowance.Burst+1
	})
	if n := len(kudosOf(t, h, nordic)); n != pulse.DefaultPostAllowance.Burst+1 {
		t.Errorf("Nordic holds %d kudos, want %d", n, pulse.DefaultPostAllowance.Burst+1)
	}
}
