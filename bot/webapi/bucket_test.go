package webapi_test

import (
	"testing"
	"time"

	"github.com/salespulse/pulse/bot/webapi"
)

func TestTheTokenBucket(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		run  func(b *webapi.Bucket) time.Duration
		want time.Duration
	}{
		{"a full bucket lets a call go at once",
			func(b *webapi.Bucket) time.Duration { return b.Take(t0) }, 0},
		{"past the burst a call waits for one token's refill",
			func(b *webapi.Bucket) time.Duration { b.Take(t0); b.Take(t0); return b.Take(t0) }, time.Second},
		{"callers past the burst queue one refill apart",
			func(b *webapi.Bucket) time.Duration { b.Take(t0); b.Take(t0); b.Take(t0); return b.Take(t0) }, 2 * time.Second},
		{"time refills the bucket",
			func(b *webapi.Bucket) time.Duration { b.Take(t0); b.Take(t0); return b.Take(t0.Add(time.Second)) }, 0},
		{"the bucket holds no more than its burst however long it rests",
			func(b *webapi.Bucket) time.Duration {
				b.Take(t0)
				later := t0.Add(time.Hour)
				b.Take(later)
				b.Take(later)
				return b.Take(later)
			}, time.Second},
		{"a token given back serves the next caller",
			func(b *webapi.Bucket) time.Duration { b.Take(t0); b.Take(t0); b.GiveBack(t0); return b.Take(t0) }, 0},
		{"a pause from a 429 holds even a full bucket",
			func(b *webapi.Bucket) time.Duration { b.PauseUntil(t0.Add(3 * time.Second)); return b.Take(t0) }, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := webapi.NewBucket(60, 2) // one a second, bursts of two
			if got := tt.run(b); got != tt.want {
				t.Errorf("wait = %s, want %s", got, tt.want)
			}
		})
	}
}
