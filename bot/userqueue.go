package bot

import (
	"context"
	"sync"
)

// userQueue holds people to do one thing for, each once however often they
// are queued: publish their App Home again, or ask Slack about them again.
// Both were a goroutine each, waiting on Slack's pace for the method (100
// calls a minute), and at a busy hour, or when a day's profiles went stale
// at once, they came faster than that and the waiting goroutines grew
// without bound. A queue of people instead holds one entry per person, and
// since the work reads the person's data when their turn comes, one turn
// covers every change made while they waited.
type userQueue struct {
	mu      sync.Mutex
	order   []string        // FIFO, but for what addFirst puts in front
	pending map[string]bool // users in order
	wake    chan struct{}   // has a value when order may be non-empty
}

func newUserQueue() *userQueue {
	return &userQueue{pending: make(map[string]bool), wake: make(chan struct{}, 1)}
}

// add queues user behind the others, unless they are queued already.
func (q *userQueue) add(user string) { q.put(user, false) }

// addFirst queues user ahead of the others, moving them to the front when
// they are queued already.
func (q *userQueue) addFirst(user string) { q.put(user, true) }

func (q *userQueue) put(user string, first bool) {
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

// next returns the next user, waiting for one until ctx ends.
func (q *userQueue) next(ctx context.Context) (string, bool) {
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

// len returns how many people wait.
func (q *userQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.order)
}

// work runs do for each queued user on workers goroutines until ctx ends;
// who is still queued then is dropped.
func (q *userQueue) work(ctx context.Context, workers int, do func(ctx context.Context, user string)) {
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				user, ok := q.next(ctx)
				if !ok {
					return
				}
				do(ctx, user)
			}
		})
	}
	wg.Wait()
}
