package bot_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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
