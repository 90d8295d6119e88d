package slacktest

import "sync"

// callFaults are faults of some calls of a method, guarded by faultState.mu.
type callFaults struct {
	held  map[heldCall]chan struct{} // closed on release
	fails map[string]*failing        // method -> the error its next calls answer
}

// heldCall names the calls of a method about one user (its user_id).
type heldCall struct{ method, user string }

// failing answers the next n calls of a method with an error.
type failing struct {
	code string
	n    int
}

// releaseAll lets every held call go; faultState.mu is held.
func (c *callFaults) releaseAll() {
	for k, ch := range c.held {
		close(ch)
		delete(c.held, k)
	}
}

// holdFor returns what a call to method about user must wait for, or nil.
func (f *faultState) holdFor(method, user string) <-chan struct{} {
	if user == "" {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls.held[heldCall{method, user}]
}

// fail returns the error this call to method must answer, or "".
func (f *faultState) fail(method string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.calls.fails[method]
	if e == nil {
		return ""
	}
	if e.n--; e.n <= 0 {
		delete(f.calls.fails, method)
	}
	return e.code
}

// HoldFor is Hold for the calls to method about one user, named by their
// user_id (views.publish of that user's App Home): other users' calls go.
func (s *Server) HoldFor(method, user string) (release func()) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if s.faults.calls.held == nil {
		s.faults.calls.held = map[heldCall]chan struct{}{}
	}
	ch := make(chan struct{})
	k := heldCall{method, user}
	s.faults.calls.held[k] = ch
	return sync.OnceFunc(func() {
		s.faults.mu.Lock()
		defer s.faults.mu.Unlock()
		if s.faults.calls.held[k] == ch {
			close(ch)
			delete(s.faults.calls.held, k)
		}
	})
}

// Fail answers the next n calls to method (after any hold or rate limit)
// with ok:false and slackError, as Slack does when it cannot serve a call
// (internal_error, fatal_error, service_unavailable). n <= 0 clears it.
func (s *Server) Fail(method, slackError string, n int) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if n <= 0 {
		delete(s.faults.calls.fails, method)
		return
	}
	if s.faults.calls.fails == nil {
		s.faults.calls.fails = map[string]*failing{}
	}
	s.faults.calls.fails[method] = &failing{code: slackError, n: n}
}
