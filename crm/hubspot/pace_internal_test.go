package hubspot

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestRetryWait(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		retryAfter string
		e          apiError
		want       time.Duration
		retry      bool
	}{
		{"Retry-After in seconds is waited", "3", apiError{PolicyName: policySecondly}, 3 * time.Second, true},
		{"Retry-After as a date is waited until then", now.Add(7 * time.Second).Format(http.TimeFormat), apiError{}, 7 * time.Second, true},
		{"without Retry-After the secondly policy waits a second", "", apiError{PolicyName: policySecondly}, time.Second, true},
		{"without Retry-After the secondly message waits a second", "", apiError{Message: "You have reached your secondly limit."}, time.Second, true},
		{"without Retry-After the ten-second policy waits ten seconds", "", apiError{PolicyName: policyTenSecondly}, 10 * time.Second, true},
		{"a 429 that says nothing waits ten seconds", "", apiError{}, 10 * time.Second, true},
		{"the daily limit is not waited out", "3600", apiError{PolicyName: policyDaily}, 0, false},
		{"a wait over a minute is left to the next sync", "120", apiError{}, 120 * time.Second, false},
		{"a Retry-After in the past means at once", now.Add(-time.Second).Format(http.TimeFormat), apiError{}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.retryAfter != "" {
				h.Set("Retry-After", tt.retryAfter)
			}
			got, retry := retryWait(h, tt.e, now)
			if retry != tt.retry || (retry && got != tt.want) {
				t.Errorf("retryWait = %v, %v; want %v, %v", got, retry, tt.want, tt.retry)
			}
		})
	}
}

// TestPacerKeepsToTheFloor takes turns on a test clock and checks that no
// window of a second holds more than four searches, no window of ten
// seconds more than a hundred calls, and that the calls still go at the
// floor's full rate.
func TestPacerKeepsToTheFloor(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	start := now
	clock := pulse.ClockFunc(func() time.Time { return now })
	sleep := func(_ context.Context, d time.Duration) error { now = now.Add(d); return nil }
	p := newPacer(clock, sleep, DefaultSearchesPerSecond, DefaultRequestsPerTenSecond)

	var searches, all []time.Time
	for i := range 300 {
		search := i%3 != 2 // two searches, then another call
		if err := p.wait(context.Background(), search); err != nil {
			t.Fatal(err)
		}
		all = append(all, now)
		if search {
			searches = append(searches, now)
		}
	}
	if n := mostInWindow(searches, time.Second); n > DefaultSearchesPerSecond {
		t.Errorf("%d searches in one second, HubSpot allows %d", n, DefaultSearchesPerSecond)
	}
	if n := mostInWindow(all, 10*time.Second); n > DefaultRequestsPerTenSecond {
		t.Errorf("%d calls in ten seconds, HubSpot allows %d", n, DefaultRequestsPerTenSecond)
	}
	// 200 searches at 4 a second take 49.75 s, the floor; nothing should add to it.
	if got, floor := now.Sub(start), 199*time.Second/4; got > floor+time.Second {
		t.Errorf("300 calls took %v, want about %v", got, floor)
	}

	// A 429's pause holds the next search.
	p.pause(now.Add(5*time.Second), true)
	before := now
	p.wait(context.Background(), true)
	if got := now.Sub(before); got < 5*time.Second {
		t.Errorf("a search after a 5 s pause went after %v", got)
	}
}

// mostInWindow is the most instants of ts (sorted) in any half-open span of d.
func mostInWindow(ts []time.Time, d time.Duration) int {
	most, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= d {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}
