package pulse_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestManualClockMovesOnlyWhenTold(t *testing.T) {
	start := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
	c := pulse.NewManualClock(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now = %v, want %v", got, start)
	}
	c.Advance(time.Hour)
	if err := c.Sleep(context.Background(), 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := c.Sleep(context.Background(), 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if got, want := c.Now(), start.Add(time.Hour+5*time.Second); !got.Equal(want) {
		t.Errorf("Now = %v, want %v", got, want)
	}
	if got := c.Slept(); !slices.Equal(got, []time.Duration{2 * time.Second, 3 * time.Second}) {
		t.Errorf("Slept = %v", got)
	}
	if got := c.SleptInAll(); got != 5*time.Second {
		t.Errorf("SleptInAll = %v, want 5s", got)
	}
	c.Set(start)
	if got := c.Now(); !got.Equal(start) {
		t.Errorf("after Set, Now = %v, want %v", got, start)
	}
}

func TestManualClockSleepFailsWhenCancelled(t *testing.T) {
	c := pulse.NewManualClock(time.Unix(0, 0))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Second); err == nil {
		t.Error("Sleep on a cancelled context returned nil")
	}
}
