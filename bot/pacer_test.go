package bot_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse/bot"
)

func TestOneChannelsFloodLeavesTheWorkspaceBudgetToOthers(t *testing.T) {
	srv := apiServer(t, "", "")
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // the pacer's clock does not move
	p := bot.NewPacer(srv.Client(), func() time.Time { return now }, nil)
	parked := make(chan time.Duration, 256)
	p.SetSleep(func(ctx context.Context, d time.Duration) error {
		parked <- d
		<-ctx.Done() // a wait never ends by itself: a call goes at once or not at all
		return ctx.Err()
	})
	awaitParked := func(what string) time.Duration {
		t.Helper()
		select {
		case d := <-parked:
			return d
		case <-time.After(10 * time.Second):
			t.Fatalf("%s did not wait", what)
			return 0
		}
	}

	// One channel is flooded with 30 posts at once: its burst of 3 goes,
	// the other 27 queue behind the channel's one a second.
	flood, stopFlood := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for range 30 {
		wg.Go(func() { errs <- post(t, flood, p, srv.URL, "chat.postMessage", "C1", "xoxb-t") })
	}
	for i := range 27 {
		awaitParked(fmt.Sprintf("flood post %d", i+4))
	}
	// The burst's 3 finish on their own; wait for them, so stopping the
	// flood below cancels only the parked 27.
	var sent, cancelled int
	for range 3 {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatalf("a post of the flood's burst = %v, want it sent", err)
			}
			sent++
		case <-time.After(10 * time.Second):
			t.Fatal("the flood's burst of 3 did not finish")
		}
	}

	// The queued posts have taken no workspace token: the workspace's burst
	// of 20, less the 3 that went, is left for every other channel.
	hang, cancel := context.WithTimeout(t.Context(), 10*time.Second) // a parked post would hang
	defer cancel()
	for i := range 17 {
		if err := post(t, hang, p, srv.URL, "chat.postMessage", fmt.Sprintf("D%02d", i), "xoxb-t"); err != nil {
			t.Fatalf("post %d to another channel = %v, want it sent at once", i+1, err)
		}
	}
	// The next post to another channel waits for the workspace, not for C1.
	next, cancelNext := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- post(t, next, p, srv.URL, "chat.postMessage", "D99", "xoxb-t") }()
	if d := awaitParked("the workspace's 21st post"); d <= 0 || d > time.Second {
		t.Errorf("the 21st post waits %v, want one workspace token's refill (0.3 s)", d)
	}
	cancelNext()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("held post = %v, want it cancelled while waiting", err)
	}

	stopFlood()
	wg.Wait()
	close(errs)
	for err := range errs {
		switch {
		case err == nil:
			sent++
		case errors.Is(err, context.Canceled):
			cancelled++
		default:
			t.Errorf("flood post: %v", err)
		}
	}
	if sent != 3 || cancelled != 27 {
		t.Errorf("flood: %d sent, %d cancelled; want 3 and 27", sent, cancelled)
	}
}
