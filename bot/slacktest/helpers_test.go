package slacktest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/salespulse/pulse/bot/slacktest"
)

// waitTimeout bounds every wait in these tests; nothing should take long.
const waitTimeout = 10 * time.Second

// newServer starts a stand-in closed when the test ends.
func newServer(t *testing.T, opts ...slacktest.Option) *slacktest.Server {
	t.Helper()
	s := slacktest.NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// webClient is slack-go's Web API client pointed at the stand-in.
func webClient(s *slacktest.Server) *slack.Client {
	return slack.New(s.BotToken(), slack.OptionAppLevelToken(s.AppToken()), slack.OptionAPIURL(s.APIURL()))
}

// testCtx is a context that ends with the test or after waitTimeout.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	t.Cleanup(cancel)
	return ctx
}

// socketClient runs slack-go's own Socket Mode client against the stand-in
// until the test ends.
type socketClient struct {
	*socketmode.Client
	t *testing.T
}

func startSocketMode(t *testing.T, s *slacktest.Server) *socketClient {
	t.Helper()
	sm := socketmode.New(webClient(s))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = sm.RunContext(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return &socketClient{Client: sm, t: t}
}

// next returns the next event of type want, skipping others.
func (c *socketClient) next(want socketmode.EventType) socketmode.Event {
	c.t.Helper()
	deadline := time.After(waitTimeout)
	for {
		select {
		case evt := <-c.Events:
			if evt.Type == want {
				return evt
			}
		case <-deadline:
			c.t.Fatalf("no %s event within %s", want, waitTimeout)
		}
	}
}

// waitFor fails the test unless cond holds within waitTimeout.
func waitFor(t *testing.T, s *slacktest.Server, what string, cond func() bool) {
	t.Helper()
	if err := s.WaitFor(testCtx(t), cond); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// slackError returns the Slack error code err carries, or "".
func slackError(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return ""
}

// postForm calls a Web API method with a plain form post and the bot token,
// for requests slack-go's client would not build; a refusal comes back as
// slack.SlackErrorResponse.
func postForm(ctx context.Context, s *slacktest.Server, method string, form url.Values) (map[string]any, error) {
	form.Set("token", s.BotToken())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.APIURL()+method, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("%s: status %d: %w", method, resp.StatusCode, err)
	}
	if out["ok"] != true {
		code, _ := out["error"].(string)
		return out, slack.SlackErrorResponse{Err: code}
	}
	return out, nil
}

// postJSON calls a Web API method with a JSON body and the bot token as
// Bearer, as slack-go does for views.*; a refusal comes back as
// slack.SlackErrorResponse.
func postJSON(ctx context.Context, s *slacktest.Server, method string, body any) (map[string]any, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.APIURL()+method, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+s.BotToken())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("%s: status %d: %w", method, resp.StatusCode, err)
	}
	if out["ok"] != true {
		code, _ := out["error"].(string)
		return out, slack.SlackErrorResponse{Err: code}
	}
	return out, nil
}
