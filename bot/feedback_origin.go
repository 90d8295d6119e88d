package bot

import (
	"sync"
	"time"
)

// feedbackOrigins remembers, by the view ID of a feedback modal, the
// response_url of the message its Give feedback button sat on: a digest
// answered ephemerally to /pulse digest can only be rewritten through it,
// and a submission names no message Pulse could trust. It is kept in
// memory for as long as a modal is likely open; after a restart the
// leader is told in a message of their own instead.
type feedbackOrigins struct {
	mu sync.Mutex
	m  map[string]feedbackOrigin
}

type feedbackOrigin struct {
	url string
	at  time.Time
}

// feedbackOriginTTL is how long a feedback modal's origin is kept.
const feedbackOriginTTL = time.Hour

// put remembers url for the view, and forgets what has expired.
func (o *feedbackOrigins) put(viewID, url string, now time.Time) {
	if viewID == "" || url == "" {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = make(map[string]feedbackOrigin)
	}
	for id, v := range o.m {
		if now.Sub(v.at) > feedbackOriginTTL {
			delete(o.m, id)
		}
	}
	o.m[viewID] = feedbackOrigin{url: url, at: now}
}

// take returns and forgets the view's origin.
func (o *feedbackOrigins) take(viewID string) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	v, ok := o.m[viewID]
	delete(o.m, viewID)
	return v.url, ok
}
