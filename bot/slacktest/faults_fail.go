package slacktest

// failing answers the next n calls of a method with an error.
type failing struct {
	code string
	n    int
}

// fail returns the error this call to method must answer, or "".
func (f *faultState) fail(method string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.fails[method]
	if e == nil {
		return ""
	}
	if e.n--; e.n <= 0 {
		delete(f.fails, method)
	}
	return e.code
}

// Fail answers the next n calls to method (after any hold or rate limit)
// with ok:false and slackError, as Slack does when it cannot serve a call
// (internal_error, fatal_error, service_unavailable). n <= 0 clears it.
func (s *Server) Fail(method, slackError string, n int) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if n <= 0 {
		delete(s.faults.fails, method)
		return
	}
	s.faults.fails[method] = &failing{code: slackError, n: n}
}
