package pulse_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// TestBlockerMove: On it takes an open blocker only; Resolved resolves one
// open or taken; whatever was done already stays as the first manager
// left it.
func TestBlockerMove(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	at := t0.Add(time.Hour)
	open := pulse.Blocker{ID: "b1", Status: pulse.BlockerOpen}
	taken := pulse.Blocker{ID: "b1", Status: pulse.BlockerOnIt, TakenBy: "UFIRST", TakenAt: t0}
	resolved := pulse.Blocker{ID: "b1", Status: pulse.BlockerResolved, TakenBy: "UFIRST", TakenAt: t0, ResolvedBy: "UFIRST", ResolvedAt: t0}
	for _, tt := range []struct {
		name    string
		before  pulse.Blocker
		to      pulse.BlockerStatus
		changed bool
		want    pulse.Blocker
	}{
		{"an open blocker taken", open, pulse.BlockerOnIt, true, pulse.Blocker{ID: "b1", Status: pulse.BlockerOnIt, TakenBy: "UMGR", TakenAt: at}},
		{"an open blocker resolved", open, pulse.BlockerResolved, true, pulse.Blocker{ID: "b1", Status: pulse.BlockerResolved, ResolvedBy: "UMGR", ResolvedAt: at}},
		{"a taken blocker resolved, who took it kept", taken, pulse.BlockerResolved, true,
			pulse.Blocker{ID: "b1", Status: pulse.BlockerResolved, TakenBy: "UFIRST", TakenAt: t0, ResolvedBy: "UMGR", ResolvedAt: at}},
		{"a taken blocker taken again", taken, pulse.BlockerOnIt, false, taken},
		{"a resolved blocker taken", resolved, pulse.BlockerOnIt, false, resolved},
		{"a resolved blocker resolved again", resolved, pulse.BlockerResolved, false, resolved},
		{"a move to open", open, pulse.BlockerOpen, false, open},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.before
			if got := b.Move(tt.to, "UMGR", at); got != tt.changed {
				t.Errorf("Move = %v, want %v", got, tt.changed)
			}
			if b != tt.want {
				t.Errorf("after Move %+v, want %+v", b, tt.want)
			}
		})
	}
}
