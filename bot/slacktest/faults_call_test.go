package slacktest_test

import (
	"testing"

	"github.com/slack-go/slack"
)

// publishHome publishes a one-line App Home for user.
func publishHome(t *testing.T, c *slack.Client, user string) error {
	t.Helper()
	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "hi", false, false), nil, nil),
	}}}
	_, err := c.PublishViewContext(testCtx(t), slack.PublishViewContextRequest{UserID: user, View: view})
	return err
}

func TestACallAboutAHeldUserWaitsOthersGo(t *testing.T) {
	s := newServer(t)
	release := s.HoldFor("views.publish", "U1")
	done := make(chan error, 1)
	go func() { done <- publishHome(t, webClient(s), "U1") }()
	if err := publishHome(t, webClient(s), "U2"); err != nil {
		t.Fatalf("another user's Home: %v", err)
	}
	heldUntilReleased(t, "the held user's Home", done, release)
}

func TestFailAnswersTheNextCallsWithTheError(t *testing.T) {
	s := newServer(t)
	s.Fail("views.publish", "internal_error", 2)
	for i := range 2 {
		if err := publishHome(t, webClient(s), "U1"); slackError(err) != "internal_error" {
			t.Fatalf("call %d = %v, want internal_error", i+1, err)
		}
	}
	if err := publishHome(t, webClient(s), "U1"); err != nil {
		t.Fatalf("the third call: %v", err)
	}
	if n := len(s.Views()); n != 1 {
		t.Errorf("%d views recorded, want the one that went through", n)
	}
	calls := s.CallsTo("views.publish")
	if len(calls) != 3 || calls[0].SlackError != "internal_error" || calls[2].SlackError != "" {
		t.Errorf("calls recorded as %+v", calls)
	}
	s.Fail("views.publish", "fatal_error", 1)
	s.Fail("views.publish", "", 0) // cleared
	if err := publishHome(t, webClient(s), "U1"); err != nil {
		t.Errorf("after clearing: %v", err)
	}
}
