package bot

import (
	"context"
	"sync"
)

// homeQueue holds the people whose App Home is to be published again, each
// once. A check-in refreshes the rep's Home and every manager's, an away
// click the rep's; at a busy hour that is more than views.publish's 100 a
// minute, and a goroutine per refresh waiting on the pace grew without
// bound. Since a Home is rendered when its turn comes, one entry per person
// publishes everything that changed while they waited.
type homeQueue struct {
	mu      sync.Mutex
	order   []string        // FIFO; a Home just opened goes to the front
	pending map[string]bool // users in order
	wake    chan struct{}   // has a value when order may be non-empty
}

func newHomeQueue() *homeQueue {
	return &homeQueue{pending: make(map[string]bool), wake: make(chan struct{}, 1)}
}

// add queues user's Home behind the others, unless it is already queued.
func (q *homeQueue) add(user string) { q.put(user, false) }

// addFirst queues user's Home ahead of the refreshes: they are looking at
// it. A refresh already queued for them moves to the front.
func (q *homeQueue) addFirst(user string) { q.put(user, true) }

func (q *homeQueue) put(user string, first bool) {
	q.mu.Lock()
	switch {
	case q.pending[user] && first:
		for i, u := range q.order {
			if u == user {
				copy(q.order[1:i+1], q.order[:i])
				q.order[0] = user
				break
			}
		}
	case q.pending[user]:
	case first:
		q.pending[user] = true
		q.order = append(q.order, "")
		copy(q.order[1:], q.order)
		q.order[0] = user
	default:
		q.pending[user] = true
		q.order = append(q.order, user)
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// next returns the next user to publish, waiting for one until ctx ends.
func (q *homeQueue) next(ctx context.Context) (string, bool) {
	for {
		q.mu.Lock()
		if len(q.order) > 0 {
			user := q.order[0]
			q.order[0] = ""
			q.order = q.order[1:]
			delete(q.pending, user)
			more := len(q.order) > 0
			q.mu.Unlock()
			if more {
				// Pass the wake-up on to another worker.
				select {
				case q.wake <- struct{}{}:
				default:
				}
			}
			return user, true
		}
		q.mu.Unlock()
		select {
		case <-ctx.Done():
			return "", false
		case <-q.wake:
		}
	}
}

// len returns how many Homes wait.
func (q *homeQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.order)
}

// homeWorkers is how many Homes are published at once: views.publish's pace
// is the limit, and two keep one slow answer from holding up the rest.
const homeWorkers = 2

// homeLoop publishes the queued Homes until ctx ends; what is still queued
// then is published when its owner next opens it.
func (b *Bot) homeLoop(ctx context.Context) {
	var wg sync.WaitGroup
	for range homeWorkers {
		wg.Go(func() {
			for {
				user, ok := b.homes.next(ctx)
				if !ok {
					return
				}
				if err := b.publishHome(ctx, user); err != nil && ctx.Err() == nil {
					b.log.Warn("publish App Home", "user", user, "err", err)
				}
			}
		})
	}
	wg.Wait()
}
