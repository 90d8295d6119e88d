package bot_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
)

func TestARateLimitedPostIsWaitedOutAndPostedOnce(t *testing.T) {
	h := start(t)
	h.Slack.AddChannel("C0SALES", "sales")
	h.Slack.RateLimit("chat.postMessage", 2, time.Second)

	ts, err := h.Bot.PostMessage(t.Context(), "C0SALES", bot.Message{Text: "Weekly summary"})
	if err != nil {
		t.Fatalf("PostMessage: %v", err)
	}
	msgs := h.Slack.Messages("C0SALES")
	if len(msgs) != 1 || msgs[0].Text != "Weekly summary" || msgs[0].TS != ts {
		t.Fatalf("channel holds %+v, want exactly the one message with ts %s", msgs, ts)
	}
	var limited int
	for _, c := range h.Slack.CallsTo("chat.postMessage") {
		if c.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if calls := len(h.Slack.CallsTo("chat.postMessage")); calls != 3 || limited != 2 {
		t.Errorf("%d calls of which %d limited, want 3 and 2", calls, limited)
	}
}

func TestWaitingOutARateLimitEndsWithTheContext(t *testing.T) {
	h := start(t)
	h.Slack.AddChannel("C0SALES", "sales")
	h.Slack.RateLimit("chat.postMessage", 1, 30*time.Second)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	_, err := h.Bot.PostMessage(ctx, "C0SALES", bot.Message{Text: "late"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("PostMessage = %v, want the context's deadline", err)
	}
	if msgs := h.Slack.Messages("C0SALES"); len(msgs) != 0 {
		t.Errorf("posted %+v after giving up", msgs)
	}
}

func TestTheHarnessFailsATestThatBreaksABlockKitLimit(t *testing.T) {
	h := start(t)
	h.Slack.AddChannel("C0SALES", "sales")
	blocks := make([]slack.Block, 51) // Slack allows 50 in a message
	for i := range blocks {
		blocks[i] = slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, fmt.Sprint("line ", i), false, false), nil, nil)
	}
	_, err := h.Bot.PostMessage(t.Context(), "C0SALES", bot.Message{Text: "too long", Blocks: blocks})
	if err == nil || !strings.Contains(err.Error(), "invalid_blocks") {
		t.Errorf("PostMessage = %v, want Slack's invalid_blocks", err)
	}

	rec := &recordingTB{TB: t}
	h.checkViolations(rec)
	if len(rec.errors) == 0 {
		t.Fatal("the harness let a Block Kit violation pass")
	}
	if !strings.Contains(rec.errors[0], "/blocks") {
		t.Errorf("the failure does not point at the blocks: %q", rec.errors[0])
	}
	// Broken on purpose: the cleanup now checks that it was.
	h.violations = true
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

func post(t *testing.T, ctx context.Context, p bot.Doer, base, method, channel, token string) error {
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
	p := bot.NewPacer(srv.Client(), func() time.Time { return now }, nil)
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
	p := bot.NewPacer(srv.Client(), time.Now, func(token, code string) { got = append(got, refusal{token, code}) })
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

func TestTheTokenBucket(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		run  func(b *bot.Bucket) time.Duration
		want time.Duration
	}{
		{"a full bucket lets a call go at once",
			func(b *bot.Bucket) time.Duration { return b.Take(t0) }, 0},
		{"past the burst a call waits for one token's refill",
			func(b *bot.Bucket) time.Duration { b.Take(t0); b.Take(t0); return b.Take(t0) }, time.Second},
		{"callers past the burst queue one refill apart",
			func(b *bot.Bucket) time.Duration { b.Take(t0); b.Take(t0); b.Take(t0); return b.Take(t0) }, 2 * time.Second},
		{"time refills the bucket",
			func(b *bot.Bucket) time.Duration { b.Take(t0); b.Take(t0); return b.Take(t0.Add(time.Second)) }, 0},
		{"the bucket holds no more than its burst however long it rests",
			func(b *bot.Bucket) time.Duration {
				b.Take(t0)
				later := t0.Add(time.Hour)
				b.Take(later)
				b.Take(later)
				return b.Take(later)
			}, time.Second},
		{"a token given back serves the next caller",
			func(b *bot.Bucket) time.Duration { b.Take(t0); b.Take(t0); b.GiveBack(t0); return b.Take(t0) }, 0},
		{"a pause from a 429 holds even a full bucket",
			func(b *bot.Bucket) time.Duration { b.PauseUntil(t0.Add(3 * time.Second)); return b.Take(t0) }, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bot.NewBucket(60, 2) // one a second, bursts of two
			if got := tt.run(b); got != tt.want {
				t.Errorf("wait = %s, want %s", got, tt.want)
			}
		})
	}
}
