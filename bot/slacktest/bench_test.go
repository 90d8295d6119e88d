package slacktest_test

import (
	"context"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/salespulse/pulse/bot/slacktest"
)

// BenchmarkSlashCommandRoundTrip measures one envelope out to slack-go's
// Socket Mode client and its ack back, over a real socket.
func BenchmarkSlashCommandRoundTrip(b *testing.B) {
	s := slacktest.NewServer()
	defer s.Close()
	sm := socketmode.New(webClient(s))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = sm.RunContext(ctx)
	}()
	defer func() { cancel(); <-done }()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-sm.Events:
				if evt.Type == socketmode.EventTypeSlashCommand {
					sm.Ack(*evt.Request)
				}
			}
		}
	}()
	if err := s.WaitConnected(ctx); err != nil {
		b.Fatal(err)
	}
	cmd := slack.SlashCommand{Command: "/pulse", UserID: "U1", ChannelID: "C1"}
	b.ResetTimer()
	for b.Loop() {
		id, err := s.SendSlashCommand(ctx, cmd)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.WaitAck(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPostMessage measures one chat.postMessage through slack-go's
// client, Block Kit checks included.
func BenchmarkPostMessage(b *testing.B) {
	s := slacktest.NewServer()
	defer s.Close()
	s.AddChannel("C1", "sales")
	api := webClient(s)
	blocks := slack.MsgOptionBlocks(
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "Daily pulse", false, false)),
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*4/5* energy across the team", false, false), nil, nil),
	)
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("Daily pulse", false), blocks); err != nil {
			b.Fatal(err)
		}
	}
}
