package bot_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse/bot"
)

// drainQueue takes everyone queued, in order.
func drainQueue(t *testing.T, q *bot.UserQueue) []string {
	t.Helper()
	var out []string
	for q.Len() > 0 {
		u, ok := q.Next(t.Context())
		if !ok {
			t.Fatal("Next ended with people queued")
		}
		out = append(out, u)
	}
	return out
}

func TestUserQueue(t *testing.T) {
	t.Run("a person queued many times comes out once, in the order first queued", func(t *testing.T) {
		q := bot.NewUserQueue()
		for range 50 {
			for _, u := range []string{"U1", "U2", "U3"} {
				q.Add(u)
			}
		}
		if got := drainQueue(t, q); !slices.Equal(got, []string{"U1", "U2", "U3"}) {
			t.Errorf("took %v, want each once in order", got)
		}
	})

	t.Run("addFirst puts a person in front, also when already queued", func(t *testing.T) {
		q := bot.NewUserQueue()
		for _, u := range []string{"U1", "U2", "U3", "U4"} {
			q.Add(u)
		}
		q.AddFirst("U9")
		q.AddFirst("U3")
		if got := drainQueue(t, q); !slices.Equal(got, []string{"U3", "U9", "U1", "U2", "U4"}) {
			t.Errorf("took %v", got)
		}
	})

	t.Run("a person queued again while taken comes out again", func(t *testing.T) {
		q := bot.NewUserQueue()
		q.Add("U1")
		if u, _ := q.Next(t.Context()); u != "U1" {
			t.Fatalf("Next = %q", u)
		}
		q.Add("U1") // their data changed after the render began
		if got := drainQueue(t, q); !slices.Equal(got, []string{"U1"}) {
			t.Errorf("took %v, want U1 again", got)
		}
	})

	t.Run("a waiting worker wakes for a person queued later, and stops with its context", func(t *testing.T) {
		q := bot.NewUserQueue()
		got := make(chan string)
		go func() {
			u, _ := q.Next(t.Context())
			got <- u
		}()
		q.Add("U7")
		select {
		case u := <-got:
			if u != "U7" {
				t.Errorf("Next = %q, want U7", u)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the waiting worker never woke")
		}
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if u, ok := q.Next(ctx); ok {
			t.Errorf("Next on an ended context = %q, true", u)
		}
	})

	t.Run("workers taking at once take each person once", func(t *testing.T) {
		q := bot.NewUserQueue()
		const people = 500
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var mu sync.Mutex
		seen := map[string]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					u, ok := q.Next(ctx)
					if !ok {
						return
					}
					mu.Lock()
					seen[u]++
					mu.Unlock()
				}
			})
		}
		for i := range people {
			q.Add(string(rune('A'+i%26)) + string(rune('a'+i/26)))
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			mu.Lock()
			n := len(seen)
			mu.Unlock()
			if n == people || time.Now().After(deadline) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cancel()
		wg.Wait()
		if len(seen) != people {
			t.Fatalf("%d of %d people taken", len(seen), people)
		}
		for u, n := range seen {
			if n != 1 {
				t.Errorf("%s taken %d times", u, n)
			}
		}
	})
}
