package webapi

import (
	"context"
	"net/http"
	"time"
)

// The token bucket and the pacer, opened to the external tests so they can
// drive them with a clock of their own.

// Bucket is the pacer's token bucket.
type Bucket = bucket

// NewBucket returns a full bucket of burst tokens refilled at perMinute.
func NewBucket(perMinute, burst int) *Bucket { return newBucket(perMinute, burst) }

// Take takes a token at now and returns the wait before it may be used.
func (b *bucket) Take(now time.Time) time.Duration { return b.take(now) }

// GiveBack returns a token at now.
func (b *bucket) GiveBack(now time.Time) { b.giveBack(now) }

// PauseUntil holds every taker until t.
func (b *bucket) PauseUntil(t time.Time) { b.pauseUntil(t) }

// Pacer is the HTTP client that paces Web API calls.
type Pacer = pacer

// NewTestPacer returns the pacer over next, reading the time from now and
// reporting refused tokens to refused.
func NewTestPacer(next *http.Client, now func() time.Time, refused func(token, code string)) *Pacer {
	p := newPacer(next, false, refused)
	p.now = now
	return p
}

// SetSleep makes the pacer hold a call that must wait with sleep.
func (p *pacer) SetSleep(sleep func(ctx context.Context, d time.Duration) error) { p.sleep = sleep }
