package bot

import (
	"context"

	"github.com/salespulse/pulse"
)

// UserQueue is a queue of people to do one thing for, each once.
type UserQueue = userQueue

// NewUserQueue returns an empty queue.
func NewUserQueue() *UserQueue { return newUserQueue() }

// Add queues user behind the others.
func (q *userQueue) Add(user string) { q.add(user) }

// AddFirst queues user ahead of the others.
func (q *userQueue) AddFirst(user string) { q.addFirst(user) }

// Next waits for the next user.
func (q *userQueue) Next(ctx context.Context) (string, bool) { return q.next(ctx) }

// Len returns how many people wait.
func (q *userQueue) Len() int { return q.len() }

// NewThreadEffect is the outbox effect a handler writes with check-in c of
// a team that shares check-ins in its daily thread.
func NewThreadEffect(team *pulse.Team, c *pulse.CheckIn) (pulse.Effect, error) {
	e, _, err := newThreadEffect(team, c)
	return e, err
}

// HomesInFlight reports how many outbox effects wait for or run a publish
// of user's App Home in this process.
func (b *Bot) HomesInFlight(user string) int { return b.outbox.homes.inFlight(user) }

// HomeFlightPeople reports how many people the App Home publishes of this
// process keep an entry for.
func (b *Bot) HomeFlightPeople() int {
	b.outbox.homes.mu.Lock()
	defer b.outbox.homes.mu.Unlock()
	return len(b.outbox.homes.people)
}
