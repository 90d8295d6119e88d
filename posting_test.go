package pulse_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestThePostAllowance(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a := pulse.PostAllowance{Burst: 3, Every: 20 * time.Second}
	type step struct {
		at       time.Duration // after t0
		giveBack bool
		allowed  bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"three posts at once are allowed", []step{{0, false, true}, {0, false, true}, {0, false, true}}},
		{"the fourth at once is refused", []step{{0, false, true}, {0, false, true}, {0, false, true}, {0, false, false}}},
		{"a refused post counts nothing", []step{{0, false, true}, {0, false, true}, {0, false, true},
			{0, false, false}, {0, false, false}, {20 * time.Second, false, true}, {20 * time.Second, false, false}}},
		{"one post comes back every 20 s", []step{{0, false, true}, {0, false, true}, {0, false, true},
			{19 * time.Second, false, false}, {20 * time.Second, false, true}, {39 * time.Second, false, false}, {40 * time.Second, false, true}}},
		{"a long rest gives back no more than the burst", []step{{0, false, true},
			{time.Hour, false, true}, {time.Hour, false, true}, {time.Hour, false, true}, {time.Hour, false, false}}},
		{"a post given back serves the next", []step{{0, false, true}, {0, false, true}, {0, false, true},
			{0, true, true}, {0, false, true}, {0, false, false}}},
		{"a clock that steps back gives nothing back", []step{{time.Minute, false, true}, {time.Minute, false, true},
			{time.Minute, false, true}, {0, false, false}, {time.Minute, false, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var u pulse.PostsUsed
			for i, s := range tt.steps {
				now := t0.Add(s.at)
				if s.giveBack {
					a.GiveBack(&u, now)
					continue
				}
				err := a.Take(&u, now, "commands.kudos_too_many")
				if (err == nil) != s.allowed {
					t.Fatalf("step %d at +%v: Take = %v, want allowed=%v", i+1, s.at, err, s.allowed)
				}
				if err != nil {
					if pulse.ErrorCode(err) != pulse.ELIMIT {
						t.Errorf("step %d: code %q, want %q", i+1, pulse.ErrorCode(err), pulse.ELIMIT)
					}
					if key, _ := pulse.ErrorKey(err); key != "commands.kudos_too_many" {
						t.Errorf("step %d: key %q, want the command's", i+1, key)
					}
				}
			}
		})
	}
}

func TestAnUnusedPostAllowanceIsForgotten(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a := pulse.DefaultPostAllowance
	var u pulse.PostsUsed
	if !a.Unused(u, t0) {
		t.Error("a person who never posted uses the allowance")
	}
	for range 2 {
		if err := a.Take(&u, t0, "k"); err != nil {
			t.Fatal(err)
		}
	}
	if a.Unused(u, t0.Add(39*time.Second)) {
		t.Error("the allowance is taken for unused 39 s after two posts")
	}
	if !a.Unused(u, t0.Add(40*time.Second)) {
		t.Error("the allowance is still used 40 s after two posts")
	}
}
