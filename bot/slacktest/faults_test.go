package slacktest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/salespulse/pulse/bot/slacktest"
)

func TestTokensAreChecked(t *testing.T) {
	s := newServer(t)
	tests := []struct {
		name   string
		client func() *slack.Client
		revoke string
		want   string
	}{
		{"no token is not_authed", func() *slack.Client { return slack.New("", slack.OptionAPIURL(s.APIURL())) }, "", "not_authed"},
		{"a wrong token is invalid_auth", func() *slack.Client { return slack.New("xoxb-wrong", slack.OptionAPIURL(s.APIURL())) }, "", "invalid_auth"},
		{"the app token is the wrong type", func() *slack.Client { return slack.New(s.AppToken(), slack.OptionAPIURL(s.APIURL())) }, "", "not_allowed_token_type"},
		{"a revoked bot token answers token_revoked", func() *slack.Client { return webClient(s) }, "token_revoked", "token_revoked"},
		{"an inactive account answers account_inactive", func() *slack.Client { return webClient(s) }, "account_inactive", "account_inactive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.RevokeToken(s.BotToken(), tt.revoke)
			defer s.RevokeToken(s.BotToken(), "")
			_, _, err := tt.client().PostMessageContext(testCtx(t), "U1", slack.MsgOptionText("hi", false))
			if got := slackError(err); got != tt.want {
				t.Errorf("error = %v, want %s", err, tt.want)
			}
		})
	}
	if _, err := webClient(s).AuthTestContext(testCtx(t)); err != nil {
		t.Errorf("after restoring the token: %v", err)
	}
}

func TestRevokedAppTokenStopsSocketMode(t *testing.T) {
	s := newServer(t)
	s.RevokeToken(s.AppToken(), "token_revoked")
	sm := socketmode.New(webClient(s))
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	go func() { // keep the client from blocking on its events
		for {
			select {
			case <-ctx.Done():
				return
			case <-sm.Events:
			}
		}
	}()
	err := sm.RunContext(ctx)
	if err == nil || err.Error() != "token_revoked" {
		t.Errorf("run = %v, want token_revoked", err)
	}
	calls := s.CallsTo("apps.connections.open")
	if len(calls) != 1 || calls[0].SlackError != "token_revoked" || s.ConnectionsOpened() != 0 {
		t.Errorf("calls = %+v, opened %d: want one refused call", calls, s.ConnectionsOpened())
	}
}

func TestRateLimitsAnswer429WithRetryAfter(t *testing.T) {
	post := func(t *testing.T, api *slack.Client) error {
		_, _, err := api.PostMessageContext(testCtx(t), "U1", slack.MsgOptionText("hi", false))
		return err
	}
	tests := []struct {
		name    string
		inject  func(*slacktest.Server)
		limited []bool // per call, in order
		wait    time.Duration
	}{
		{"the next two calls", func(s *slacktest.Server) {
			s.RateLimit("chat.postMessage", 2, 1500*time.Millisecond)
		}, []bool{true, true, false, false}, 2 * time.Second},
		{"every third call", func(s *slacktest.Server) {
			s.RateLimitEvery("chat.postMessage", 3, time.Second)
		}, []bool{false, false, true, false, false, true}, time.Second},
		{"calls beyond two a second", func(s *slacktest.Server) {
			s.PaceLimit("chat.postMessage", 2)
		}, []bool{false, false, true}, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			api := webClient(s)
			tt.inject(s)
			for i, want := range tt.limited {
				err := post(t, api)
				var rl *slack.RateLimitedError
				got := errors.As(err, &rl)
				if got != want {
					t.Fatalf("call %d: error %v, want limited=%v", i+1, err, want)
				}
				if got && rl.RetryAfter != tt.wait {
					t.Errorf("call %d: retry after %s, want %s", i+1, rl.RetryAfter, tt.wait)
				}
			}
			calls := s.CallsTo("chat.postMessage")
			for i, c := range calls {
				if (c.Status == 429) != tt.limited[i] || (c.Status == 429 && c.SlackError != "ratelimited") {
					t.Errorf("call %d recorded as %d %q", i+1, c.Status, c.SlackError)
				}
			}
		})
	}
}

func TestAHeldMethodWaitsForItsRelease(t *testing.T) {
	s := newServer(t)
	release := s.Hold("auth.test")
	done := make(chan error, 1)
	go func() {
		_, err := webClient(s).AuthTestContext(testCtx(t))
		done <- err
	}()
	// The call is held: another method goes through meanwhile.
	if _, _, err := webClient(s).PostMessageContext(testCtx(t), "U1", slack.MsgOptionText("hi", false)); err != nil {
		t.Fatalf("a method not held: %v", err)
	}
	heldUntilReleased(t, "auth.test", done, release)
}

// heldUntilReleased checks that the held call what, whose answer done
// carries, has not answered, releases it (twice, which is harmless) and
// checks that it then answers without an error.
func heldUntilReleased(t *testing.T, what string, done <-chan error, release func()) {
	t.Helper()
	select {
	case err := <-done:
		t.Fatalf("%s answered while held: %v", what, err)
	default:
	}
	release()
	release()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("%s after release: %v", what, err)
		}
	case <-time.After(waitTimeout):
		t.Fatalf("%s still held after release", what)
	}
}
