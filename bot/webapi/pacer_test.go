package webapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse/bot/webapi"
)

func TestOneChannelsFloodLeavesTheWorkspaceBudgetToOthers(t *testing.T) {
	srv := apiServer(t, "", "")
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // the pacer's clock does not move
	p := webapi.NewTestPacer(srv.Client(), func() time.Time { return now }, nil)
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

// apiServer answers every call ok, or with the given error for one token.
func apiServer(t *testing.T, refusedToken, code string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if refusedToken != "" && strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") == refusedToken {
			fmt.Fprintf(w, `{"ok":false,"error":%q}`, code)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func post(t *testing.T, ctx context.Context, p doer, base, method, channel, token string) error {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/"+method,
		strings.NewReader(url.Values{"channel": {channel}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := p.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func TestThePacerHoldsCallsBeyondAChannelsBurst(t *testing.T) {
	srv := apiServer(t, "", "")
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // the pacer's clock does not move
	p := webapi.NewTestPacer(srv.Client(), func() time.Time { return now }, nil)
	ctx := t.Context()

	// A channel takes a short burst at once.
	for i := range 3 {
		if err := post(t, ctx, p, srv.URL, "chat.postMessage", "C1", "xoxb-t"); err != nil {
			t.Fatalf("post %d to C1: %v", i+1, err)
		}
	}
	// The next must wait for the channel's one-a-second; with no time
	// to wait, it gives up with the context's error.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := post(t, short, p, srv.URL, "chat.postMessage", "C1", "xoxb-t"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("fourth post to C1 = %v, want it held past the deadline", err)
	}
	// Another channel is not held by C1's.
	if err := post(t, ctx, p, srv.URL, "chat.postMessage", "C2", "xoxb-t"); err != nil {
		t.Errorf("post to C2: %v", err)
	}
	// A method without a tier is not paced at all.
	for i := range 30 {
		if err := post(t, ctx, p, srv.URL, "auth.test", "", "xoxb-t"); err != nil {
			t.Fatalf("auth.test %d: %v", i+1, err)
		}
	}
}

func TestThePacerReportsARefusedToken(t *testing.T) {
	srv := apiServer(t, "xoxb-dead", "token_revoked")
	type refusal struct{ token, code string }
	var got []refusal
	p := webapi.NewTestPacer(srv.Client(), time.Now, func(token, code string) { got = append(got, refusal{token, code}) })
	if err := post(t, t.Context(), p, srv.URL, "auth.test", "", "xoxb-live"); err != nil {
		t.Fatal(err)
	}
	if err := post(t, t.Context(), p, srv.URL, "auth.test", "", "xoxb-dead"); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != (refusal{"xoxb-dead", "token_revoked"}) {
		t.Errorf("refusals %v, want one for xoxb-dead", got)
	}
}

// doer sends HTTP requests, as slack-go's client does.
type doer interface {
	Do(*http.Request) (*http.Response, error)
}
