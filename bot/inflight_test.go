package bot_test

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

func TestEnvelopesBeyondTheBoundsAreAnsweredBusy(t *testing.T) {
	release := make(chan struct{})
	var releaseOnce sync.Once
	var events atomic.Int32
	h := start(t,
		withConfig(func(c *bot.Config) { c.EnvelopesAtOnce, c.EnvelopesPerPerson = 3, 2 }),
		withHandlers(func(b *bot.Bot) {
			// "hold" answers at once and holds its envelope's place in
			// work left for after the ack, until the test lets go.
			b.HandleCommand("hold", func(_ context.Context, r *bot.Request) error {
				r.Reply(bot.Message{Text: "holding"})
				r.Later(func(ctx context.Context) error {
					select {
					case <-release:
					case <-ctx.Done():
					}
					return nil
				})
				return nil
			})
			b.HandleView("note", func(context.Context, *bot.Request) error {
				t.Error("the modal beyond the bound was handled")
				return nil
			})
			b.HandleEvent("app_home_opened", func(context.Context, *bot.Request) error {
				events.Add(1)
				return nil
			})
		}))
	letGo := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(letGo)
	busy := h.en("err.busy", nil)

	// One person holds two places, the most for one person.
	for range 2 {
		wantText(t, "hold", h.command("UONE", "hold"), "holding")
	}
	wantText(t, "a third envelope of the same person", h.command("UONE", "help"), busy)
	// A write answered "busy" is not in the envelope log: when Slack
	// sends it again, it is handled.
	payload, err := json.Marshal(slack.SlashCommand{Command: "/pulse", Text: "hold", UserID: "UONE", ChannelID: "C0SALES"})
	if err != nil {
		t.Fatal(err)
	}
	again := slacktest.Envelope{Type: "slash_commands", EnvelopeID: h.Slack.NewEnvelopeID(), Payload: payload, AcceptsResponsePayload: true}
	if err := h.Slack.SendEnvelope(t.Context(), again); err != nil {
		t.Fatal(err)
	}
	wantText(t, "a write beyond the bound", decodeReply(t, h.ack(again.EnvelopeID, 1)), busy)
	h.savePerson(&pulse.Person{ID: "UONE", Lang: pulse.Polish})
	wantText(t, "busy, in the person's language", h.command("UONE", "help"), h.said(pulse.Polish, "err.busy", nil))

	// Another person still gets in, up to the bound in all.
	wantText(t, "another person", h.command("UTWO", "hold"), "holding")
	wantText(t, "a fourth envelope in all", h.command("UTHREE", "help"), busy)

	// A modal submitted beyond the bound stays open, the answer under its
	// first input, so that nothing typed is lost.
	v := slack.View{ID: "V1", Type: slack.VTModal, CallbackID: "note", Blocks: slack.Blocks{BlockSet: []slack.Block{
		slack.NewInputBlock("text", slack.NewTextBlockObject(slack.PlainTextType, "Note", false, false), nil,
			slack.NewPlainTextInputBlockElement(nil, "text")),
	}}}
	resp := h.submit("UTHREE", v, state{"text": {Type: "plain_text_input", Value: "a long note"}})
	if resp.ResponseAction != "errors" || resp.Errors["text"] != busy {
		t.Errorf("the modal beyond the bound was answered %+v, want %q under its input", resp, busy)
	}

	// An event beyond the bound is acknowledged, and not handled.
	id, err := h.Slack.SendEvent(t.Context(), "", map[string]any{"type": "app_home_opened", "user": "UTHREE", "tab": "home"})
	if err != nil {
		t.Fatal(err)
	}
	if a := h.ack(id, 1); a.Payload != nil {
		t.Errorf("the event beyond the bound was acked with %s", a.Payload)
	}
	if n := events.Load(); n != 0 {
		t.Errorf("the event beyond the bound was handled %d times", n)
	}

	// Once the work is done, everyone is served again.
	letGo()
	h.waitFor("the places to be free", func() bool {
		return h.command("UONE", "help").Text != busy
	})
	id, err = h.Slack.SendEvent(t.Context(), "", map[string]any{"type": "app_home_opened", "user": "UTHREE", "tab": "home"})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(id, 1)
	again.RetryAttempt, again.RetryReason = 1, "timeout"
	if err := h.Slack.SendEnvelope(t.Context(), again); err != nil {
		t.Fatal(err)
	}
	wantText(t, "the write sent again", decodeReply(t, h.ack(again.EnvelopeID, 2)), "holding")
	if n := events.Load(); n != 1 {
		t.Errorf("the event within the bounds was handled %d times, want once", n)
	}
}
