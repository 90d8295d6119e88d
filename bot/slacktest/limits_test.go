package slacktest_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/salespulse/pulse/bot/slacktest"
)

// Surfaces a limit case is sent on.
const (
	onMessage = "message" // chat.postMessage
	onModal   = "modal"   // views.open
	onHome    = "home"    // views.publish
)

func text(n int) string { return strings.Repeat("a", n) }

func plain(s string) map[string]any { return map[string]any{"type": "plain_text", "text": s} }

func mrkdwn(s string) map[string]any { return map[string]any{"type": "mrkdwn", "text": s} }

func section(s string) map[string]any { return map[string]any{"type": "section", "text": mrkdwn(s)} }

func divider() map[string]any { return map[string]any{"type": "divider"} }

func dividers(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = divider()
	}
	return out
}

func options(n, textLen, valueLen int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"text": plain(text(textLen)), "value": strings.Repeat("v", valueLen)}
	}
	return out
}

func header(s string) map[string]any { return map[string]any{"type": "header", "text": plain(s)} }

func image() map[string]any {
	return map[string]any{"type": "image", "image_url": "https://example.com/a.png", "alt_text": "chart"}
}

func actions(elem map[string]any) map[string]any {
	return map[string]any{"type": "actions", "elements": []any{elem}}
}

func button(label, value, actionID string) map[string]any {
	return map[string]any{"type": "button", "text": plain(label), "value": value, "action_id": actionID}
}

// modalView is a modal with the given blocks and fields.
func modalView(blocks []any, fields map[string]any) map[string]any {
	v := map[string]any{"type": "modal", "title": plain("Check-in"), "blocks": blocks}
	for k, x := range fields {
		v[k] = x
	}
	return v
}

func TestBlockKitLimits(t *testing.T) {
	tests := []struct {
		name    string
		surface string
		limit   int
		rule    string
		build   func(n int) map[string]any // message: {"text", "blocks"}; views: the view
		wantErr string                     // invalid_blocks unless set
	}{
		{"a message holds at most 50 blocks", onMessage, 50, "blocks in a message",
			func(n int) map[string]any { return map[string]any{"blocks": dividers(n)} }, ""},
		{"a modal holds at most 100 blocks", onModal, 100, "blocks in a modal or Home tab",
			func(n int) map[string]any { return modalView(dividers(n), nil) }, ""},
		{"a Home tab holds at most 100 blocks", onHome, 100, "blocks in a modal or Home tab",
			func(n int) map[string]any { return map[string]any{"type": "home", "blocks": dividers(n)} }, ""},
		{"section text is at most 3000 characters", onMessage, 3000, "section text",
			func(n int) map[string]any { return map[string]any{"blocks": []any{section(text(n))}} }, ""},
		{"section text counts characters, not bytes", onMessage, 3000, "section text",
			func(n int) map[string]any { return map[string]any{"blocks": []any{section(strings.Repeat("é", n))}} }, ""},
		{"a section has at most 10 fields", onMessage, 10, "section fields",
			func(n int) map[string]any {
				fields := make([]any, n)
				for i := range fields {
					fields[i] = mrkdwn("f")
				}
				return map[string]any{"blocks": []any{map[string]any{"type": "section", "fields": fields}}}
			}, ""},
		{"a section field is at most 2000 characters", onMessage, 2000, "section field text",
			func(n int) map[string]any {
				return map[string]any{"blocks": []any{map[string]any{"type": "section", "fields": []any{mrkdwn(text(n))}}}}
			}, ""},
		{"header text is at most 150 characters", onMessage, 150, "header text",
			func(n int) map[string]any {
				return map[string]any{"blocks": []any{map[string]any{"type": "header", "text": plain(text(n))}}}
			}, ""},
		{"button text is at most 75 characters", onMessage, 75, "button text",
			func(n int) map[string]any { return map[string]any{"blocks": []any{actions(button(text(n), "v", "a"))}} }, ""},
		{"a button value is at most 2000 characters", onMessage, 2000, "button value",
			func(n int) map[string]any {
				return map[string]any{"blocks": []any{actions(button("Done", text(n), "a"))}}
			}, ""},
		{"an action_id is at most 255 characters", onMessage, 255, "action_id",
			func(n int) map[string]any {
				return map[string]any{"blocks": []any{actions(button("Done", "v", text(n)))}}
			}, ""},
		{"a block_id is at most 255 characters", onMessage, 255, "block_id",
			func(n int) map[string]any {
				return map[string]any{"blocks": []any{map[string]any{"type": "divider", "block_id": text(n)}}}
			}, ""},
		{"a callback_id is at most 255 characters", onModal, 255, "callback_id",
			func(n int) map[string]any { return modalView(dividers(1), map[string]any{"callback_id": text(n)}) }, ""},
		{"a modal title is at most 24 characters", onModal, 24, "modal title",
			func(n int) map[string]any { return modalView(dividers(1), map[string]any{"title": plain(text(n))}) }, ""},
		{"a modal submit is at most 24 characters", onModal, 24, "modal submit",
			func(n int) map[string]any { return modalView(dividers(1), map[string]any{"submit": plain(text(n))}) }, ""},
		{"a modal close is at most 24 characters", onModal, 24, "modal close",
			func(n int) map[string]any { return modalView(dividers(1), map[string]any{"close": plain(text(n))}) }, ""},
		{"private_metadata is at most 3000 characters", onModal, 3000, "private_metadata",
			func(n int) map[string]any { return modalView(dividers(1), map[string]any{"private_metadata": text(n)}) }, ""},
		{"a plain_text_input max_length is at most 3000", onModal, 3000, "plain_text_input max_length",
			func(n int) map[string]any {
				input := map[string]any{"type": "input", "label": plain("Note"),
					"element": map[string]any{"type": "plain_text_input", "action_id": "note", "max_length": n}}
				return modalView([]any{input}, nil)
			}, ""},
		{"checkboxes have at most 10 options", onMessage, 10, "checkboxes/radio options",
			func(n int) map[string]any {
				return map[string]any{"blocks": []any{actions(map[string]any{"type": "checkboxes", "action_id": "c", "options": options(n, 5, 5)})}}
			}, ""},
		{"radio buttons have at most 10 options", onModal, 10, "checkboxes/radio options",
			func(n int) map[string]any {
				input := map[string]any{"type": "input", "label": plain("Energy"),
					"element": map[string]any{"type": "radio_buttons", "action_id": "r", "options": options(n, 5, 5)}}
				return modalView([]any{input}, nil)
			}, ""},
		{"a static_select has at most 100 options", onMessage, 100, "static_select options",
			func(n int) map[string]any {
				return map[string]any{"blocks": []any{actions(map[string]any{"type": "static_select", "action_id": "s", "options": options(n, 5, 5)})}}
			}, ""},
		{"a select option's text is at most 75 characters", onMessage, 75, "option text",
			func(n int) map[string]any {
				return map[string]any{"blocks": []any{actions(map[string]any{"type": "static_select", "action_id": "s", "options": options(1, n, 5)})}}
			}, ""},
		{"a select option's value is at most 150 characters", onMessage, 150, "option value",
			func(n int) map[string]any {
				return map[string]any{"blocks": []any{actions(map[string]any{"type": "static_select", "action_id": "s", "options": options(1, 5, n)})}}
			}, ""},
		{"a context block has at most 10 elements", onMessage, 10, "context elements",
			func(n int) map[string]any {
				elems := make([]any, n)
				for i := range elems {
					elems[i] = mrkdwn("x")
				}
				return map[string]any{"blocks": []any{map[string]any{"type": "context", "elements": elems}}}
			}, ""},
		{"a context block counts image and text elements alike", onMessage, 10, "context elements",
			func(n int) map[string]any {
				elems := make([]any, n)
				for i := range elems {
					elems[i] = image()
					if i%2 == 1 {
						elems[i] = plain("x")
					}
				}
				return map[string]any{"blocks": []any{map[string]any{"type": "context", "elements": elems}}}
			}, ""},
		{"a section's accessory button text is at most 75 characters", onMessage, 75, "button text",
			func(n int) map[string]any {
				return map[string]any{"blocks": []any{map[string]any{"type": "section", "text": mrkdwn("Due today"),
					"accessory": button(text(n), "v", "a")}}}
			}, ""},
		{"a button url is at most 3000 characters", onMessage, 3000, "button url",
			func(n int) map[string]any {
				link := button("Open", "v", "a")
				link["url"] = "https://example.com/" + text(n-len("https://example.com/"))
				return map[string]any{"blocks": []any{actions(link)}}
			}, ""},
		{"an option group of a static_select has at most 100 options", onMessage, 100, "static_select options",
			func(n int) map[string]any {
				groups := []any{
					map[string]any{"label": plain("Mine"), "options": options(3, 5, 5)},
					map[string]any{"label": plain("Team"), "options": options(n, 5, 5)},
				}
				return map[string]any{"blocks": []any{actions(map[string]any{"type": "static_select", "action_id": "s", "option_groups": groups})}}
			}, ""},
		{"a grouped option of a multi_static_select has text of at most 75 characters", onModal, 75, "option text",
			func(n int) map[string]any {
				groups := []any{map[string]any{"label": plain("Team"), "options": options(1, n, 5)}}
				input := map[string]any{"type": "input", "label": plain("Reps"),
					"element": map[string]any{"type": "multi_static_select", "action_id": "m", "option_groups": groups}}
				return modalView([]any{input}, nil)
			}, ""},
		{"an input hint is at most 2000 characters", onModal, 2000, "input hint",
			func(n int) map[string]any {
				input := map[string]any{"type": "input", "label": plain("Note"), "hint": plain(text(n)),
					"element": map[string]any{"type": "plain_text_input", "action_id": "note"}}
				return modalView([]any{input}, nil)
			}, ""},
		{"an external_id is at most 255 characters", onHome, 255, "external_id",
			func(n int) map[string]any {
				return map[string]any{"type": "home", "external_id": text(n), "blocks": dividers(1)}
			}, ""},
		{"blocks of an unexpected shape are skipped and the rest still checked", onMessage, 150, "header text",
			func(n int) map[string]any {
				return map[string]any{"blocks": []any{
					"not a block",
					map[string]any{"type": "section", "text": "a bare string", "fields": "not a list"},
					map[string]any{"type": "actions", "elements": []any{"x", 3, map[string]any{"type": "button", "text": "bare"}}},
					map[string]any{"type": "input", "element": "not an element", "label": 7},
					header(text(n)),
				}}
			}, ""},
		{"message text is at most 40000 characters", onMessage, 40000, "message text",
			func(n int) map[string]any { return map[string]any{"text": text(n)} }, "msg_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			s.AddChannel("C1", "sales")
			if err := send(t, s, tt.surface, tt.build(tt.limit)); err != nil {
				t.Fatalf("right at the limit (%d): %v", tt.limit, err)
			}
			err := send(t, s, tt.surface, tt.build(tt.limit+1))
			want := tt.wantErr
			if want == "" {
				want = "invalid_blocks"
			}
			if got := slackError(err); got != want {
				t.Fatalf("over the limit (%d): error %v, want %s", tt.limit+1, err, want)
			}
			vs := s.Violations()
			if len(vs) != 1 || vs[0].Rule != tt.rule || vs[0].Limit != tt.limit || vs[0].Got != tt.limit+1 || vs[0].Pointer == "" {
				t.Errorf("violations = %+v, want one %q of %d over %d", vs, tt.rule, tt.limit+1, tt.limit)
			}
		})
	}
}

func TestBlockKitStructuralRules(t *testing.T) {
	labelled := map[string]any{"type": "input", "block_id": "note", "label": plain("Note"),
		"element": map[string]any{"type": "plain_text_input", "action_id": "note"}}
	unlabelled := map[string]any{"type": "input", "block_id": "note",
		"element": map[string]any{"type": "plain_text_input", "action_id": "note"}}
	titled := modalView(dividers(1), nil)
	untitled := modalView(dividers(1), nil)
	delete(untitled, "title")
	stringTitled := modalView(dividers(1), map[string]any{"title": "Check-in"})
	tests := []struct {
		name      string
		surface   string
		ok, wrong map[string]any
		rule      string
	}{
		{"block_ids are unique within a message", onMessage,
			map[string]any{"blocks": []any{map[string]any{"type": "divider", "block_id": "a"}, map[string]any{"type": "divider", "block_id": "b"}}},
			map[string]any{"blocks": []any{map[string]any{"type": "divider", "block_id": "a"}, map[string]any{"type": "divider", "block_id": "a"}}},
			"duplicate block_id"},
		{"block_ids are unique within a Home tab", onHome,
			map[string]any{"type": "home", "blocks": []any{map[string]any{"type": "divider", "block_id": "a"}, map[string]any{"type": "divider", "block_id": "b"}}},
			map[string]any{"type": "home", "blocks": []any{map[string]any{"type": "divider", "block_id": "a"}, map[string]any{"type": "divider", "block_id": "a"}}},
			"duplicate block_id"},
		{"a modal's input block needs a label", onModal,
			modalView([]any{labelled}, nil), modalView([]any{unlabelled}, nil), "input label"},
		{"a modal needs a title", onModal, titled, untitled, "modal title required"},
		{"a modal's title is a text object, not a string", onModal, titled, stringTitled, "modal title required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			s.AddChannel("C1", "sales")
			if err := send(t, s, tt.surface, tt.ok); err != nil {
				t.Fatalf("valid %s refused: %v", tt.surface, err)
			}
			if got := slackError(send(t, s, tt.surface, tt.wrong)); got != "invalid_blocks" {
				t.Fatalf("error %q, want invalid_blocks", got)
			}
			if vs := s.Violations(); len(vs) != 1 || vs[0].Rule != tt.rule {
				t.Errorf("violations = %+v, want one %q", vs, tt.rule)
			}
		})
	}
}

func TestBlockKitLimitsApplyOnEverySurface(t *testing.T) {
	headerBlock := func(n int) slack.Block {
		return slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, text(n), false, false))
	}
	tests := []struct {
		name    string
		method  string // Violation.Method
		pointer string
		// send delivers a header n characters long and reports whether
		// the stand-in accepted it, when the surface answers at all.
		send func(t *testing.T, s *slacktest.Server, sm *socketClient, n int) (accepted bool)
	}{
		{"a slash command's reply in its ack", "ack", "/blocks/0/text/text",
			func(t *testing.T, s *slacktest.Server, sm *socketClient, n int) bool {
				id, err := s.SendSlashCommand(testCtx(t), slack.SlashCommand{Command: "/pulse", UserID: "U1", ChannelID: "C1"})
				if err != nil {
					t.Fatal(err)
				}
				evt := sm.next(socketmode.EventTypeSlashCommand)
				sm.Ack(*evt.Request, map[string]any{"text": "Team pulse", "response_type": "in_channel", "blocks": []slack.Block{headerBlock(n)}})
				if _, err := s.WaitAck(testCtx(t), id); err != nil {
					t.Fatal(err)
				}
				return true
			}},
		{"a view_submission's update in its ack", "ack", "/view/blocks/1/text/text",
			func(t *testing.T, s *slacktest.Server, sm *socketClient, n int) bool {
				id, err := s.SendInteraction(testCtx(t), slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: "U1"}, View: slack.View{ID: "V1"}})
				if err != nil {
					t.Fatal(err)
				}
				evt := sm.next(socketmode.EventTypeInteractive)
				next := modal("Thanks")
				next.Blocks.BlockSet = append(next.Blocks.BlockSet, headerBlock(n))
				sm.Ack(*evt.Request, slack.NewUpdateViewSubmissionResponse(&next))
				if _, err := s.WaitAck(testCtx(t), id); err != nil {
					t.Fatal(err)
				}
				return true
			}},
		{"a post to a response_url", "response_url", "/blocks/0/text/text",
			func(t *testing.T, s *slacktest.Server, sm *socketClient, n int) bool {
				msg := &slack.WebhookMessage{Text: "Team pulse", Blocks: &slack.Blocks{BlockSet: []slack.Block{headerBlock(n)}}}
				return slack.PostWebhookContext(testCtx(t), slashResponseURL(t, s, sm), msg) == nil
			}},
		{"chat.update", "chat.update", "/blocks/0/text/text",
			func(t *testing.T, s *slacktest.Server, sm *socketClient, n int) bool {
				ts := s.Messages("C1")[0].TS
				_, _, _, err := webClient(s).UpdateMessageContext(testCtx(t), "C1", ts, slack.MsgOptionBlocks(headerBlock(n)))
				return err == nil
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			s.AddChannel("C1", "sales")
			sm := startSocketMode(t, s)
			if _, _, err := webClient(s).PostMessageContext(testCtx(t), "C1", slack.MsgOptionText("Team pulse", false)); err != nil {
				t.Fatal(err)
			}
			recorded := func() int { return len(s.Messages("")) + len(s.Views()) }

			before := recorded()
			if !tt.send(t, s, sm, 150) {
				t.Fatal("a header of 150 characters was refused")
			}
			if vs := s.Violations(); len(vs) != 0 || recorded() == before {
				t.Fatalf("a header of 150 characters: violations %+v, %d recorded", vs, recorded()-before)
			}

			before = recorded()
			if tt.send(t, s, sm, 151) && tt.method != "ack" {
				t.Error("a header of 151 characters was accepted")
			}
			vs := s.Violations()
			if len(vs) != 1 || vs[0].Method != tt.method || vs[0].Pointer != tt.pointer || vs[0].Rule != "header text" || vs[0].Got != 151 {
				t.Errorf("violations = %+v, want one header text at %s from %s", vs, tt.pointer, tt.method)
			}
			if got := recorded() - before; got != 0 {
				t.Errorf("%d messages or views recorded for a header of 151 characters, want none", got)
			}
		})
	}
}

// send posts a message or opens/publishes a view built as JSON.
func send(t *testing.T, s *slacktest.Server, surface string, body map[string]any) error {
	t.Helper()
	ctx := testCtx(t)
	var err error
	switch surface {
	case onMessage:
		form := map[string][]string{"channel": {"C1"}}
		if txt, ok := body["text"].(string); ok {
			form["text"] = []string{txt}
		}
		if blocks, ok := body["blocks"]; ok {
			b, _ := json.Marshal(blocks)
			form["blocks"] = []string{string(b)}
		}
		_, err = postForm(ctx, s, "chat.postMessage", form)
	case onModal:
		_, err = postJSON(ctx, s, "views.open", map[string]any{"trigger_id": s.NewTriggerID(), "view": body})
	case onHome:
		_, err = postJSON(ctx, s, "views.publish", map[string]any{"user_id": "U1", "view": body})
	default:
		t.Fatalf("unknown surface %q", surface)
	}
	return err
}

func TestInvalidBlocksReachSlackGoWithTheirErrors(t *testing.T) {
	s := newServer(t)
	s.AddChannel("C1", "sales")
	header := slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, text(151), false, false))
	_, _, err := webClient(s).PostMessageContext(testCtx(t), "C1", slack.MsgOptionBlocks(header))
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "invalid_blocks" || len(se.Errors) != 1 || se.Errors[0].Message == nil ||
		!strings.Contains(*se.Errors[0].Message, "/blocks/0/text/text") || len(se.ResponseMetadata.Messages) != 1 {
		t.Fatalf("error = %#v, want invalid_blocks naming /blocks/0/text/text", err)
	}
	if len(s.Messages("C1")) != 0 {
		t.Errorf("a refused message was recorded: %+v", s.Messages("C1"))
	}
	if vs := s.Violations(); len(vs) != 1 || vs[0].Method != "chat.postMessage" {
		t.Errorf("violations = %+v, want one from chat.postMessage", vs)
	}
}
