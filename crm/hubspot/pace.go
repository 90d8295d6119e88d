package hubspot

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/salespulse/pulse"
)

// The policies a 429 names (FACTS.md, "429"). HubSpot's own Node client
// waits ten seconds for the first and one for a search's secondly limit.
const (
	policyTenSecondly = "TEN_SECONDLY_ROLLING"
	policySecondly    = "SECONDLY"
	policyDaily       = "DAILY"
)

// pacer lets calls out at HubSpot's floor: every call at most
// RequestsPerTenSecond per ten seconds, and searches also at most
// SearchesPerSecond a second. Each limit is a token bucket that holds one
// token, so calls go out evenly spaced and never burst: a bucket that held
// more would let a burst and then a full rate into one window, past a
// rolling limit such as HubSpot's TEN_SECONDLY_ROLLING; one that held more
// but filled slower would run under the floor.
//
// A 429 pauses the limit it names, so every caller waits, not only the one
// that was refused.
type pacer struct {
	clock pulse.Clock
	sleep func(ctx context.Context, d time.Duration) error

	mu     sync.Mutex
	all    slot
	search slot
}

// slot is one limit: the gap between two calls, when the next may go, and
// a pause a 429 set.
type slot struct {
	every       time.Duration
	next, pause time.Time
}

func newPacer(clock pulse.Clock, sleep func(context.Context, time.Duration) error, searchesPerSecond, perTenSeconds int) *pacer {
	return &pacer{
		clock:  clock,
		sleep:  sleep,
		all:    slot{every: 10 * time.Second / time.Duration(perTenSeconds)},
		search: slot{every: time.Second / time.Duration(searchesPerSecond)},
	}
}

// wait takes the next turn, a search's or any call's, and waits for it. A
// turn not used because ctx ended is lost, which only slows the pace.
func (p *pacer) wait(ctx context.Context, search bool) error {
	p.mu.Lock()
	now := p.clock.Now()
	at := latest(now, p.all.next, p.all.pause)
	if search {
		at = latest(at, p.search.next, p.search.pause)
		p.search.next = at.Add(p.search.every)
	}
	p.all.next = at.Add(p.all.every)
	p.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		return p.sleep(ctx, d)
	}
	return ctx.Err()
}

// pause holds the searches, or every call, until until.
func (p *pacer) pause(until time.Time, searchOnly bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := &p.all
	if searchOnly {
		s = &p.search
	}
	s.pause = latest(s.pause, until)
}

func latest(t time.Time, more ...time.Time) time.Time {
	for _, u := range more {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// retryWait says how long to wait before trying a rate-limited call again:
// the Retry-After header when there is one, else what the body's policy
// implies. It reports false when waiting is pointless here: the daily limit,
// or a wait longer than a minute, which the next sync is better placed to
// outlast.
func retryWait(h http.Header, e apiError, now time.Time) (time.Duration, bool) {
	if e.PolicyName == policyDaily {
		return 0, false
	}
	wait := 10 * time.Second // the rolling window's length, when nothing says
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
			wait = time.Duration(secs) * time.Second
		} else if t, err := http.ParseTime(v); err == nil {
			wait = t.Sub(now)
		}
	} else if e.PolicyName == policySecondly || strings.Contains(strings.ToLower(e.Message), "secondly limit") {
		wait = time.Second
	}
	return max(wait, 0), wait <= maxRetryWait
}
