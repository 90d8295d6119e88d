package pipedrive

import (
	"context"
	"sync"
	"time"
)

// BurstLimit is Pipedrive's burst limit: at most Requests requests per API
// token in any rolling Window. It depends on the company's plan; Lite's,
// the lowest, is 20 requests per 2 seconds (testdata/FACTS.md, "Rate
// limits"), and it is the default.
type BurstLimit struct {
	Requests int
	Window   time.Duration
}

// LiteLimit is the burst limit of Pipedrive's cheapest plan for API tokens,
// the floor every company gets.
var LiteLimit = BurstLimit{Requests: 20, Window: 2 * time.Second}

// paceBurst is how many requests the client sends at once before the pace
// applies. One keeps a rolling window's worst case as close to the limit as
// a token bucket can: with b requests held back and r a second, any window
// w sees at most b + r·w requests, so r = (Requests − b) / w keeps it at
// Requests, and the larger b, the slower the steady pace.
const paceBurst = 1

// pacer is a token bucket shared by every request made with one API token,
// since Pipedrive counts the burst limit per token. Taking a token from an
// empty bucket is allowed: the taker waits for the debt to be repaid, so
// concurrent callers queue in order instead of racing. A 429's Retry-After
// pauses every caller, not only the one that met it.
//
// The bucket reads no clock of its own: now and sleep are the client's, so
// tests drive it with a clock they move by hand.
type pacer struct {
	now   func() time.Time
	sleep func(context.Context, time.Duration) error

	mu     sync.Mutex
	rate   float64 // tokens a second
	burst  float64
	tokens float64 // below zero: tokens promised to waiting callers
	last   time.Time
	pause  time.Time // no token is usable before this instant
}

func newPacer(l BurstLimit, now func() time.Time, sleep func(context.Context, time.Duration) error) *pacer {
	rate := float64(l.Requests-paceBurst) / l.Window.Seconds()
	return &pacer{now: now, sleep: sleep, rate: rate, burst: paceBurst, tokens: paceBurst}
}

// wait blocks until the caller may send one request, or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	now := p.now()
	p.refill(now)
	p.tokens--
	var d time.Duration
	if p.tokens < 0 {
		d = time.Duration(-p.tokens / p.rate * float64(time.Second))
	}
	if until := p.pause.Sub(now); until > d {
		d = until
	}
	p.mu.Unlock()
	if d <= 0 {
		return nil
	}
	if err := p.sleep(ctx, d); err != nil {
		p.mu.Lock()
		p.refill(p.now())
		p.tokens = min(p.burst, p.tokens+1) // the token goes back unused
		p.mu.Unlock()
		return err
	}
	return nil
}

// pauseUntil holds every caller until t, as a 429 asks.
func (p *pacer) pauseUntil(t time.Time) {
	p.mu.Lock()
	if t.After(p.pause) {
		p.pause = t
	}
	p.mu.Unlock()
}

// refill adds the tokens earned since the last call; p.mu is held.
func (p *pacer) refill(now time.Time) {
	if p.last.IsZero() {
		p.last = now
		return
	}
	if d := now.Sub(p.last); d > 0 {
		p.tokens = min(p.burst, p.tokens+d.Seconds()*p.rate)
		p.last = now
	}
}

// sleepTimer waits d on a timer, or until ctx ends.
func sleepTimer(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
