package slacktest

import (
	"sync"
	"time"
)

// faultState holds the injected failures. It has its own lock because the
// request path consults it before anything else.
type faultState struct {
	mu      sync.Mutex
	next    map[string]*burst          // the next n calls are limited
	every   map[string]*periodic       // every k-th call is limited
	pace    map[string]*bucket         // calls beyond a rate are limited
	revoked map[string]string          // token -> error
	held    map[heldCall]chan struct{} // closed on release
	fails   map[string]*failing        // method -> the error its next calls answer
}

type burst struct {
	n    int
	wait time.Duration
}

type periodic struct {
	k, count int
	wait     time.Duration
}

// bucket is a token bucket holding at most size tokens, refilled at
// perSecond tokens a second.
type bucket struct {
	perSecond float64
	size      float64
	tokens    float64
	last      time.Time
}

// tier2 is Slack's tier 2 (FACTS.md): 20 calls a minute, which Slack lets
// come in a burst.
func tier2(now time.Time) *bucket {
	return &bucket{perSecond: 20.0 / 60, size: 20, tokens: 20, last: now}
}

func (f *faultState) init() {
	f.next = map[string]*burst{}
	f.every = map[string]*periodic{}
	f.pace = map[string]*bucket{}
	f.revoked = map[string]string{}
	f.held = map[heldCall]chan struct{}{}
	f.fails = map[string]*failing{}
	// Slack holds users.list to tier 2 without being asked to.
	f.pace["users.list"] = tier2(time.Now())
}

// heldCall names the calls held: of a method, about one user (named by
// the call's user_id), or about every user when user is "".
type heldCall struct{ method, user string }

// holds returns what a call to method about user must wait for: the hold
// of every call to method, and the hold of that user's, each when there.
func (f *faultState) holds(method, user string) []<-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []<-chan struct{}
	if ch := f.held[heldCall{method, ""}]; ch != nil {
		out = append(out, ch)
	}
	if ch := f.held[heldCall{method, user}]; user != "" && ch != nil {
		out = append(out, ch)
	}
	return out
}

// releaseAll lets every held call go.
func (f *faultState) releaseAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, ch := range f.held {
		close(ch)
		delete(f.held, k)
	}
}

// take reports whether this call to method is rate limited and for how long
// the caller should wait.
func (f *faultState) take(method string) (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if b := f.next[method]; b != nil && b.n > 0 {
		b.n--
		return b.wait, true
	}
	if p := f.every[method]; p != nil {
		p.count++
		if p.count%p.k == 0 {
			return p.wait, true
		}
	}
	if b := f.pace[method]; b != nil {
		now := time.Now()
		b.tokens = min(b.size, b.tokens+now.Sub(b.last).Seconds()*b.perSecond)
		b.last = now
		if b.tokens >= 1 {
			b.tokens--
			return 0, false
		}
		wait := time.Duration((1 - b.tokens) / b.perSecond * float64(time.Second))
		return max(wait, time.Second), true
	}
	return 0, false
}

func (f *faultState) revokedError(token string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.revoked[token]
}

// RateLimit answers the next n calls to method with HTTP 429 and a
// Retry-After of retryAfter, rounded up to whole seconds as Slack sends it
// (a zero retryAfter sends "0"). n = 0 clears it.
func (s *Server) RateLimit(method string, n int, retryAfter time.Duration) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if n <= 0 {
		delete(s.faults.next, method)
		return
	}
	s.faults.next[method] = &burst{n: n, wait: retryAfter}
}

// RateLimitEvery answers every k-th call to method (counted from now) with
// HTTP 429, for storms where some calls get through. k <= 0 clears it.
func (s *Server) RateLimitEvery(method string, k int, retryAfter time.Duration) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if k <= 0 {
		delete(s.faults.every, method)
		return
	}
	s.faults.every[method] = &periodic{k: k, wait: retryAfter}
}

// PaceLimit lets perSecond calls a second through to method, with bursts of
// up to perSecond, and answers the rest with HTTP 429 and the wait until the
// next call would pass (at least one second, as Slack only sends whole
// seconds). It uses the wall clock. perSecond <= 0 clears it. users.list is
// held to Slack's tier 2 from the start; PaceLimit replaces or clears that.
func (s *Server) PaceLimit(method string, perSecond int) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if perSecond <= 0 {
		delete(s.faults.pace, method)
		return
	}
	s.faults.pace[method] = &bucket{perSecond: float64(perSecond), size: float64(perSecond), tokens: float64(perSecond), last: time.Now()}
}

// RevokeToken makes every call with token answer ok:false with slackError
// (invalid_auth, token_revoked, account_inactive, not_authed…), including
// apps.connections.open for the app token. An empty slackError restores the
// token.
func (s *Server) RevokeToken(token, slackError string) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if slackError == "" {
		delete(s.faults.revoked, token)
		return
	}
	s.faults.revoked[token] = slackError
}

// Hold makes every call to method wait, unanswered, until release is
// called, the caller gives up, or the server closes: work that makes the
// call stays in flight while a test looks at it. release may be called
// more than once.
func (s *Server) Hold(method string) (release func()) { return s.hold(heldCall{method, ""}) }

// HoldFor is Hold for the calls to method about one user, named by their
// user_id (views.publish of that user's App Home): other users' calls go.
func (s *Server) HoldFor(method, user string) (release func()) {
	return s.hold(heldCall{method, user})
}

func (s *Server) hold(k heldCall) (release func()) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	ch := make(chan struct{})
	s.faults.held[k] = ch
	return sync.OnceFunc(func() {
		s.faults.mu.Lock()
		defer s.faults.mu.Unlock()
		if s.faults.held[k] == ch {
			close(ch)
			delete(s.faults.held, k)
		}
	})
}
