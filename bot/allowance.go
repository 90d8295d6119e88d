package bot

import (
	"context"
	"sync"
	"time"

	"github.com/salespulse/pulse"
)

// PostsInPublic marks a command that posts to a channel for everyone to
// read, such as kudos. Each person's use of it draws on their
// pulse.PostAllowance, shared by every such command; beyond it the person
// is told key's sentence ("You're sending a lot of kudos") and the handler
// does not run. A handler that returns an error is taken to have posted
// nothing, and its post is given back.
func PostsInPublic(key string) RouteOption { return func(r *route) { r.postKey = key } }

// postAllowances holds each person's use of the posting allowance. It
// reads the wall clock, like the pacer, not the domain clock that tests
// and the demo move by days.
type postAllowances struct {
	allow pulse.PostAllowance
	now   func() time.Time

	mu    sync.Mutex
	used  map[string]*pulse.PostsUsed
	swept time.Time
}

func newPostAllowances(a pulse.PostAllowance) *postAllowances {
	if a.Burst <= 0 || a.Every <= 0 {
		a = pulse.DefaultPostAllowance
	}
	return &postAllowances{allow: a, now: time.Now, used: make(map[string]*pulse.PostsUsed)}
}

// take counts one post of user's, or refuses it with key's sentence.
func (p *postAllowances) take(user, key string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.sweep(now)
	u := p.used[user]
	if u == nil {
		u = &pulse.PostsUsed{}
		p.used[user] = u
	}
	return p.allow.Take(u, now, key)
}

// giveBack forgets a post of user's that was not made.
func (p *postAllowances) giveBack(user string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if u := p.used[user]; u != nil {
		p.allow.GiveBack(u, p.now())
	}
}

// sweep forgets, once a minute, the people whose posts are all forgotten,
// so that the map holds only those who posted lately.
// The caller holds p.mu.
func (p *postAllowances) sweep(now time.Time) {
	if now.Sub(p.swept) < time.Minute {
		return
	}
	p.swept = now
	for user, u := range p.used {
		if p.allow.Unused(*u, now) {
			delete(p.used, user)
		}
	}
}

// allowPosts wraps the handler of a command that posts in public: it runs
// only while the person's allowance has room.
func (b *Bot) allowPosts(key string, h Handler) Handler {
	return func(ctx context.Context, r *Request) error {
		user := r.Actor.UserID
		if err := b.posting.take(user, key); err != nil {
			return err
		}
		err := h(ctx, r)
		if err != nil {
			b.posting.giveBack(user)
		}
		return err
	}
}
