package slacktest_test

import (
	"encoding/json"
	"testing"

	"github.com/slack-go/slack"
)

func TestAuthTestAnswersForTheBotToken(t *testing.T) {
	s := newServer(t)
	resp, err := webClient(s).AuthTestContext(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if resp.TeamID != s.TeamID() || resp.UserID == "" || resp.BotID == "" {
		t.Errorf("auth.test = %+v, want team %s with bot user and bot IDs", resp, s.TeamID())
	}
}

func TestPostMessageRecordsBlocksMetadataAndThread(t *testing.T) {
	s := newServer(t)
	s.AddChannel("C1", "sales")
	api := webClient(s)
	meta := slack.SlackMetadata{EventType: "pulse_job", EventPayload: map[string]any{"key": "checkin/2024-05-06/U1"}}
	blocks := slack.MsgOptionBlocks(slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*Hi*", false, false), nil, nil))

	ch, ts, err := api.PostMessageContext(testCtx(t), "C1", slack.MsgOptionText("hi", false), blocks, slack.MsgOptionMetadata(meta))
	if err != nil {
		t.Fatal(err)
	}
	_, reply, err := api.PostMessageContext(testCtx(t), "C1", slack.MsgOptionText("in thread", false), slack.MsgOptionTS(ts))
	if err != nil {
		t.Fatal(err)
	}
	if ch != "C1" || ts == "" || reply <= ts {
		t.Errorf("posted to %q at %q then %q, want C1 and increasing timestamps", ch, ts, reply)
	}
	msgs := s.Messages("C1")
	if len(msgs) != 2 {
		t.Fatalf("messages = %+v, want 2", msgs)
	}
	var got []map[string]any
	if err := json.Unmarshal(msgs[0].Blocks, &got); err != nil || len(got) != 1 || got[0]["type"] != "section" {
		t.Errorf("blocks = %s, want one section", msgs[0].Blocks)
	}
	if msgs[0].Metadata == nil || msgs[0].Metadata.EventType != "pulse_job" || msgs[0].Metadata.EventPayload["key"] != "checkin/2024-05-06/U1" {
		t.Errorf("metadata = %+v, want the job key", msgs[0].Metadata)
	}
	if msgs[1].ThreadTS != ts {
		t.Errorf("thread_ts = %q, want %q", msgs[1].ThreadTS, ts)
	}
}
