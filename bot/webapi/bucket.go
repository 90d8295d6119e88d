package webapi

import (
	"time"
)

// bucket is a token bucket: it holds up to burst tokens and gains rate
// tokens a second. Taking a token from an empty bucket is allowed; the
// taker waits for the debt to be repaid, so callers queue in order instead
// of racing. A bucket also honours a pause that a 429's Retry-After sets.
//
// A bucket reads no clock of its own: every method takes now, so tests
// drive it with made-up instants. The pacer passes the wall clock, never the
// domain clock, which tests and the demo move by days at a time.
//
// A bucket is not safe for concurrent use; the pacer guards it.
type bucket struct {
	rate   float64 // tokens a second
	burst  float64 // most tokens held
	tokens float64 // may go below zero: tokens promised to waiting callers
	last   time.Time
	pause  time.Time // no token is usable before this instant
}

func newBucket(perMinute, burst int) *bucket {
	return &bucket{rate: float64(perMinute) / 60, burst: float64(burst), tokens: float64(burst)}
}

// refill adds the tokens earned since the last call.
func (b *bucket) refill(now time.Time) {
	if b.last.IsZero() {
		b.last = now
		return
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(b.burst, b.tokens+d.Seconds()*b.rate)
		b.last = now
	}
}

// take takes one token and returns how long the caller must wait before
// using it: zero when the bucket had one, else the time the debt takes to
// be repaid, and at least until a pause ends.
func (b *bucket) take(now time.Time) time.Duration {
	b.refill(now)
	b.tokens--
	var wait time.Duration
	if b.tokens < 0 {
		wait = time.Duration(-b.tokens / b.rate * float64(time.Second))
	}
	if p := b.pause.Sub(now); p > wait {
		wait = p
	}
	return wait
}

// giveBack returns a token taken by a caller who gave up waiting.
func (b *bucket) giveBack(now time.Time) {
	b.refill(now)
	b.tokens = min(b.burst, b.tokens+1)
}

// pauseUntil holds every caller until t, as Slack asks after a 429.
func (b *bucket) pauseUntil(t time.Time) {
	if t.After(b.pause) {
		b.pause = t
	}
}

// idle reports whether the bucket is full and unpaused, so forgetting it
// loses nothing.
func (b *bucket) idle(now time.Time) bool {
	b.refill(now)
	return b.tokens >= b.burst && !now.Before(b.pause)
}
