package slacktest_test

import (
	"encoding/json"
	"fmt"
	"net/url"
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

func TestEphemeralUpdateAndDelete(t *testing.T) {
	s := newServer(t)
	s.AddChannel("C1", "sales")
	api := webClient(s)
	ctx := testCtx(t)

	if _, err := api.PostEphemeralContext(ctx, "C1", "U1", slack.MsgOptionText("only you", false)); err != nil {
		t.Fatal(err)
	}
	_, ts, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("v1", false))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C1", ts, slack.MsgOptionText("v2", false)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := api.DeleteMessageContext(ctx, "C1", ts); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages("C1")
	if len(msgs) != 4 {
		t.Fatalf("messages = %+v, want ephemeral, post, update, delete", msgs)
	}
	if !msgs[0].Ephemeral || msgs[0].User != "U1" || msgs[0].Text != "only you" {
		t.Errorf("ephemeral = %+v", msgs[0])
	}
	if !msgs[2].Updated || msgs[2].TS != ts || msgs[2].Text != "v2" {
		t.Errorf("update = %+v, want v2 at %s", msgs[2], ts)
	}
	if !msgs[3].Deleted || msgs[3].TS != ts {
		t.Errorf("delete = %+v, want %s deleted", msgs[3], ts)
	}

	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"updating a message that does not exist", func() error {
			_, _, _, err := api.UpdateMessageContext(ctx, "C1", "1.000001", slack.MsgOptionText("x", false))
			return err
		}, "message_not_found"},
		{"updating a deleted message", func() error {
			_, _, _, err := api.UpdateMessageContext(ctx, "C1", ts, slack.MsgOptionText("x", false))
			return err
		}, "message_not_found"},
		{"posting to an unknown channel", func() error {
			_, _, err := api.PostMessageContext(ctx, "C404", slack.MsgOptionText("x", false))
			return err
		}, "channel_not_found"},
		{"posting nothing", func() error {
			_, _, err := api.PostMessageContext(ctx, "C1")
			return err
		}, "no_text"},
		{"posting blocks that are not JSON", func() error {
			_, err := postForm(ctx, s, "chat.postMessage", url.Values{"channel": {"C1"}, "blocks": {"[{"}})
			return err
		}, "invalid_blocks_format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slackError(tt.call()); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDirectMessagesLandInOneDChannel(t *testing.T) {
	s := newServer(t)
	api := webClient(s)
	ctx := testCtx(t)
	ch, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1"}})
	if err != nil {
		t.Fatal(err)
	}
	posted, _, err := api.PostMessageContext(ctx, "U1", slack.MsgOptionText("hi", false))
	if err != nil {
		t.Fatal(err)
	}
	if ch.ID != "D1" || posted != "D1" {
		t.Errorf("conversations.open gave %q and posting to U1 landed in %q, want both D1", ch.ID, posted)
	}
	if len(s.Messages("U1")) != 1 || len(s.Messages("D1")) != 1 {
		t.Errorf("messages by user %+v and by channel %+v, want the same one", s.Messages("U1"), s.Messages("D1"))
	}
}

func TestConversationHistoryPagesAndCarriesMetadata(t *testing.T) {
	s := newServer(t)
	s.AddChannel("C1", "sales")
	api := webClient(s)
	ctx := testCtx(t)
	var stamps []string
	for i := range 5 {
		meta := slack.SlackMetadata{EventType: "pulse_job", EventPayload: map[string]any{"key": fmt.Sprintf("job-%d", i)}}
		_, ts, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText(fmt.Sprintf("m%d", i), false), slack.MsgOptionMetadata(meta))
		if err != nil {
			t.Fatal(err)
		}
		stamps = append(stamps, ts)
	}

	page, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: 2, IncludeAllMetadata: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) != 2 || !page.HasMore || page.Messages[0].Text != "m4" || page.Messages[0].Metadata.EventPayload["key"] != "job-4" {
		t.Fatalf("first page = %+v, want m4 and m3 with metadata and more to come", page.Messages)
	}
	next, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1", Limit: 2, Cursor: page.ResponseMetaData.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Messages) != 2 || next.Messages[0].Text != "m2" || next.Messages[0].Metadata.EventType != "" {
		t.Errorf("second page = %+v, want m2 and m1 without metadata", next.Messages)
	}
	window, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1", Oldest: stamps[1], Latest: stamps[3]})
	if err != nil {
		t.Fatal(err)
	}
	if len(window.Messages) != 1 || window.Messages[0].Text != "m2" {
		t.Errorf("between m1 and m3 exclusive = %+v, want m2", window.Messages)
	}
	if _, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C404"}); slackError(err) != "channel_not_found" {
		t.Errorf("history of an unknown channel: %v, want channel_not_found", err)
	}
}

func TestUsersInfoAnswersFromAddedUsers(t *testing.T) {
	s := newServer(t)
	s.AddUser(slack.User{ID: "U1", Name: "ana", TZ: "Europe/Oslo", TZOffset: 7200, IsAdmin: true, IsOwner: true, Locale: "en-US"})
	api := webClient(s)
	ctx := testCtx(t)

	u, err := api.GetUserInfoContext(ctx, "U1")
	if err != nil {
		t.Fatal(err)
	}
	if u.TZ != "Europe/Oslo" || u.TZOffset != 7200 || !u.IsAdmin || !u.IsOwner || u.Locale != "en-US" || u.TeamID != s.TeamID() {
		t.Errorf("user = %+v, want Oslo, admin, owner, en-US", u)
	}
	u, err = api.GetUserInfoContext(ctx, "U1", slack.GetUserInfoOptionIncludeLocale(false))
	if err != nil {
		t.Fatal(err)
	}
	if u.Locale != "" {
		t.Errorf("locale without include_locale = %q, want none", u.Locale)
	}
	if _, err := api.GetUserInfoContext(ctx, "U404"); slackError(err) != "user_not_found" {
		t.Errorf("unknown user: %v, want user_not_found", err)
	}
}

func TestUploadFileEndToEnd(t *testing.T) {
	s := newServer(t)
	s.AddChannel("C1", "sales")
	content := "rep,energy\nana,4\n"
	f, err := webClient(s).UploadFileContext(testCtx(t), slack.UploadFileParameters{
		Filename: "pulse.csv", Title: "Pulse export", Content: content, FileSize: len(content), Channel: "C1", InitialComment: "Here it is",
	})
	if err != nil {
		t.Fatal(err)
	}
	files := s.Files()
	if len(files) != 1 || files[0].ID != f.ID || files[0].Name != "pulse.csv" || files[0].Title != "Pulse export" ||
		files[0].Channel != "C1" || files[0].InitialComment != "Here it is" || string(files[0].Bytes) != content {
		t.Errorf("files = %+v, want pulse.csv in C1 with its bytes", files)
	}
	_, err = webClient(s).CompleteUploadExternalContext(testCtx(t), slack.CompleteUploadExternalParameters{Files: []slack.FileSummary{{ID: "F404"}}, Channel: "C1"})
	if slackError(err) != "file_not_found" {
		t.Errorf("completing an unknown file: %v, want file_not_found", err)
	}
}

func TestUnknownMethodsFailVisibly(t *testing.T) {
	s := newServer(t)
	_, err := webClient(s).GetTeamInfoContext(testCtx(t))
	if slackError(err) != "unknown_method" {
		t.Errorf("team.info: %v, want unknown_method", err)
	}
	calls := s.CallsTo("team.info")
	if len(calls) != 1 || calls[0].SlackError != "unknown_method" || calls[0].Token != s.BotToken() {
		t.Errorf("calls = %+v, want the refused call recorded", calls)
	}
}
