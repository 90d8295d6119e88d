package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

// goalHandler is a writing handler, like /pulse goal: it stores the text
// as the person's goal, commits, then says saved. calls counts its runs.
func goalHandler(calls *atomic.Int32) bot.Handler {
	return func(ctx context.Context, r *bot.Request) error {
		calls.Add(1)
		p := r.Person
		if p == nil {
			p = &pulse.Person{ID: r.Actor.UserID}
		}
		p.Goal = r.Args
		if err := r.Store().SavePerson(ctx, p); err != nil {
			return err
		}
		r.Reply(bot.Message{Text: "saved"})
		return nil
	}
}

// slashEnvelope builds a slash command envelope by hand, so a test can
// deliver the same envelope again as Slack's retry would.
func slashEnvelope(t *testing.T, h *harness, user, text string) slacktest.Envelope {
	t.Helper()
	payload, err := json.Marshal(slack.SlashCommand{Command: "/pulse", Text: text, UserID: user, ChannelID: "C0SALES", TeamID: h.Slack.TeamID()})
	if err != nil {
		t.Fatal(err)
	}
	return slacktest.Envelope{Type: "slash_commands", EnvelopeID: h.Slack.NewEnvelopeID(), Payload: payload, AcceptsResponsePayload: true}
}

func send(t *testing.T, h *harness, env slacktest.Envelope) {
	t.Helper()
	if err := h.Slack.SendEnvelope(t.Context(), env); err != nil {
		t.Fatal(err)
	}
}

func redeliver(env slacktest.Envelope, attempt int) slacktest.Envelope {
	env.RetryAttempt, env.RetryReason = attempt, "timeout"
	return env
}

func TestARedeliveredEnvelopeIsAppliedOnce(t *testing.T) {
	var calls atomic.Int32
	register := withHandlers(func(b *bot.Bot) { b.HandleCommand("goal", goalHandler(&calls)) })
	h := start(t, register)

	env := slashEnvelope(t, h, "UREP1", "goal close the Acme deal")
	send(t, h, env)
	first := h.ack(env.EnvelopeID, 1)
	send(t, h, redeliver(env, 1))
	second := h.ack(env.EnvelopeID, 2)
	if n := calls.Load(); n != 1 {
		t.Fatalf("handler ran %d times for one envelope delivered twice, want 1", n)
	}
	// The redelivery gets the same answer, in case the first ack was lost.
	if string(second.Payload) != string(first.Payload) {
		t.Errorf("redelivery acked with %s, first delivery with %s", second.Payload, first.Payload)
	}
	if r := decodeReply(t, first); r.Text != "saved" {
		t.Errorf("first ack says %q, want saved", r.Text)
	}
	p, err := h.DB.Person(t.Context(), "UREP1")
	if err != nil || p.Goal != "close the Acme deal" {
		t.Fatalf("stored person = %+v, %v; want the goal saved", p, err)
	}

	// A new process on the same database knows the envelope too.
	calls.Store(0)
	h.restart()
	send(t, h, redeliver(env, 2))
	h.ack(env.EnvelopeID, 3)
	if n := calls.Load(); n != 0 {
		t.Errorf("handler ran %d times for a redelivery after a restart, want 0", n)
	}
	// And it still handles what is new.
	fresh := slashEnvelope(t, h, "UREP1", "goal two deals")
	send(t, h, fresh)
	if r := decodeReply(t, h.ack(fresh.EnvelopeID, 1)); r.Text != "saved" || calls.Load() != 1 {
		t.Errorf("a new envelope after the restart: ack %q, %d runs; want saved, 1", r.Text, calls.Load())
	}
}

func TestARedeliveryWhileTheFirstIsRunningWaitsForItsAnswer(t *testing.T) {
	var calls atomic.Int32
	entered, release := make(chan struct{}), make(chan struct{})
	h := start(t, withHandlers(func(b *bot.Bot) {
		b.HandleCommand("goal", func(ctx context.Context, r *bot.Request) error {
			calls.Add(1)
			close(entered)
			<-release
			return goalHandler(new(atomic.Int32))(ctx, r)
		})
	}))
	env := slashEnvelope(t, h, "UREP1", "goal one")
	send(t, h, env)
	<-entered
	send(t, h, redeliver(env, 1))
	close(release)
	a1, a2 := h.ack(env.EnvelopeID, 1), h.ack(env.EnvelopeID, 2)
	if n := calls.Load(); n != 1 {
		t.Fatalf("handler ran %d times, want 1", n)
	}
	for _, a := range []slacktest.Ack{a1, a2} {
		if r := decodeReply(t, a); r.Text != "saved" {
			t.Errorf("ack says %q, want saved on both", r.Text)
		}
	}
}

func TestAReadOnlyCommandIsAnsweredAgainOnRedelivery(t *testing.T) {
	h := start(t)
	env := slashEnvelope(t, h, "UREP1", "help")
	send(t, h, env)
	first := h.ack(env.EnvelopeID, 1)
	send(t, h, redeliver(env, 1))
	second := h.ack(env.EnvelopeID, 2)
	if first.Payload == nil || string(first.Payload) != string(second.Payload) {
		t.Errorf("help redelivered: acks %s and %s, want the same help twice", first.Payload, second.Payload)
	}
}

func TestAPanickingHandlerIsRecoveredAndAnswered(t *testing.T) {
	h := start(t, withHandlers(func(b *bot.Bot) {
		b.HandleCommand("boom", func(context.Context, *bot.Request) error { panic("nil map somewhere") })
	}))
	r := decodeReply(t, h.ack(h.slash("UREP1", "boom"), 1))
	if want := h.Bot.Catalog().T(pulse.English, "err.internal", nil); r.Text != want {
		t.Errorf("panic answered %q, want %q", r.Text, want)
	}
	if !strings.Contains(h.Logs.String(), "handler panicked") {
		t.Errorf("the panic is not logged:\n%s", h.Logs)
	}
	// The bot goes on serving.
	if r := decodeReply(t, h.ack(h.slash("UREP1", "help"), 1)); r.ResponseType != "ephemeral" {
		t.Error("help after a panic was not answered")
	}
}

func TestHandlerErrorsAreAnsweredInThePersonsWords(t *testing.T) {
	h := start(t, withHandlers(func(b *bot.Bot) {
		b.HandleCommand("away", func(_ context.Context, r *bot.Request) error {
			_, err := pulse.ParseDate(r.Args)
			return err
		})
		b.HandleCommand("broken", func(context.Context, *bot.Request) error {
			return errors.New("bbolt: database not open /var/lib/secret/path")
		})
	}))
	cat := h.Bot.Catalog()
	tests := []struct {
		name, text, want, outcome string
	}{
		{"a bad date gets the date sentence", "away 2026-13-40",
			mrkdwn(cat.T(pulse.English, "err.date", map[string]any{"Value": "2026-13-40"})), "outcome=refused"},
		{"an internal failure gets the apology, not the Go error", "broken",
			cat.T(pulse.English, "err.internal", nil), "outcome=error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decodeReply(t, h.ack(h.slash("UREP1", tt.text), 1))
			if r.Text != tt.want {
				t.Errorf("answered %q, want %q", r.Text, tt.want)
			}
			// The envelope's line is written just after its ack.
			h.waitFor("the envelope's log line", func() bool { return strings.Contains(h.Logs.String(), tt.outcome) })
		})
	}
	// The operator sees the internal error; nobody's typed date is logged.
	if logs := h.Logs.String(); !strings.Contains(logs, "database not open") || strings.Contains(logs, "2026-13-40") {
		t.Errorf("log should hold the internal error and not the typed date:\n%s", logs)
	}
}

func TestAViewSubmissionsErrorsShowUnderTheirInputs(t *testing.T) {
	h := start(t, withHandlers(func(b *bot.Bot) {
		b.HandleView("team.setup", func(context.Context, *bot.Request) error {
			return pulse.ValidationErrors{
				pulse.FieldError("name", "err.team_name_empty", nil, "empty"),
				pulse.FieldError("tz", "err.tz", map[string]any{"Value": "Mars/Base"}, "bad zone"),
				pulse.FieldError("color", "err.required", nil, "no such input"),
			}
		})
	}))
	input := func(id string) slack.Block {
		return slack.NewInputBlock(id, slack.NewTextBlockObject(slack.PlainTextType, id, false, false), nil,
			slack.NewPlainTextInputBlockElement(nil, id+"_input"))
	}
	id, err := h.Slack.SendInteraction(t.Context(), slack.InteractionCallback{
		Type: slack.InteractionTypeViewSubmission,
		User: slack.User{ID: "UMANAGER"},
		View: slack.View{ID: "V1", CallbackID: "team.setup", Type: slack.VTModal,
			Blocks: slack.Blocks{BlockSet: []slack.Block{input("name"), input("tz")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var resp struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(h.ack(id, 1).Payload, &resp); err != nil {
		t.Fatal(err)
	}
	cat := h.Bot.Catalog()
	if resp.ResponseAction != "errors" {
		t.Fatalf("response_action = %q, want errors", resp.ResponseAction)
	}
	if want := cat.T(pulse.English, "err.tz", map[string]any{"Value": "Mars/Base"}); resp.Errors["tz"] != want {
		t.Errorf("tz error = %q, want %q", resp.Errors["tz"], want)
	}
	// A field with no input of its own shows under the first input.
	name := resp.Errors["name"]
	if !strings.Contains(name, cat.T(pulse.English, "err.team_name_empty", nil)) || !strings.Contains(name, cat.T(pulse.English, "err.required", nil)) {
		t.Errorf("name error = %q, want the empty-name and the required sentences", name)
	}
	if len(resp.Errors) != 2 {
		t.Errorf("errors %v name blocks the modal does not have", resp.Errors)
	}
}

func TestEventsAndActionsReachTheirHandlers(t *testing.T) {
	type seen struct{ user, what string }
	got := make(chan seen, 4)
	h := start(t, withHandlers(func(b *bot.Bot) {
		b.HandleEvent("app_home_opened", func(_ context.Context, r *bot.Request) error {
			ev, ok := r.Event.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
			if !ok {
				return errors.New("app_home_opened without its event")
			}
			got <- seen{r.Actor.UserID, "home:" + ev.Tab}
			return nil
		})
		b.HandleAction("test.press", func(_ context.Context, r *bot.Request) error {
			got <- seen{r.Actor.UserID, "press:" + r.Action.Value}
			r.Reply(bot.Message{Text: "pressed " + r.Action.Value})
			return nil
		})
		b.HandleViewClosed("team.setup", func(_ context.Context, r *bot.Request) error {
			got <- seen{r.Actor.UserID, "closed:" + r.Interaction.View.ID}
			return nil
		})
	}))
	h.Slack.AddChannel("C0SALES", "sales")

	evID, err := h.Slack.SendEvent(t.Context(), "", slackevents.AppHomeOpenedEvent{Type: "app_home_opened", User: "UREP1", Tab: "home"})
	if err != nil {
		t.Fatal(err)
	}
	actID, err := h.Slack.SendInteraction(t.Context(), slack.InteractionCallback{
		Type:      slack.InteractionTypeBlockActions,
		User:      slack.User{ID: "UREP2"},
		Channel:   slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: "C0SALES"}}},
		Container: slack.Container{Type: "message", ChannelID: "C0SALES", MessageTs: "1700000000.000100"},
		ActionCallback: slack.ActionCallbacks{BlockActions: []*slack.BlockAction{
			{ActionID: "test.press", BlockID: "b1", Value: "42", Type: "button"},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	closeID, err := h.Slack.SendInteraction(t.Context(), slack.InteractionCallback{
		Type: slack.InteractionTypeViewClosed, User: slack.User{ID: "UMANAGER"},
		View: slack.View{ID: "V9", CallbackID: "team.setup", Type: slack.VTModal},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{evID, actID, closeID} {
		if a := h.ack(id, 1); a.Payload != nil {
			t.Errorf("ack of %s carries %s; events, actions and closes take none", id, a.Payload)
		}
	}
	want := map[seen]bool{{"UREP1", "home:home"}: true, {"UREP2", "press:42"}: true, {"UMANAGER", "closed:V9"}: true}
	for range 3 {
		select {
		case s := <-got:
			if !want[s] {
				t.Errorf("handler saw %+v, not one of %v", s, want)
			}
			delete(want, s)
		case <-time.After(5 * time.Second):
			t.Fatalf("handlers not reached: %v missing", want)
		}
	}
	// An action's reply goes back through its response_url.
	h.waitFor("the button's answer", func() bool {
		for _, m := range h.Slack.Messages("C0SALES") {
			if m.ViaResponseURL && m.Text == "pressed 42" && m.Ephemeral && m.User == "UREP2" {
				return true
			}
		}
		return false
	})
}

func TestEnvelopesNoHandlerTakesAreAckedAndLogged(t *testing.T) {
	h := start(t)
	tests := []struct {
		name string
		env  slacktest.Envelope
		log  string
	}{
		{"a type Slack may add one day",
			slacktest.Envelope{Type: "workflow_step", Payload: json.RawMessage(`{"x":1}`)}, "outcome=unhandled"},
		{"an event Pulse does not subscribe to",
			slacktest.Envelope{Type: "events_api", Payload: json.RawMessage(`{"type":"event_callback","team_id":"T1","event":{"type":"reaction_added","user":"U1"}}`)}, "event=reaction_added"},
		{"an interaction Pulse does not use",
			slacktest.Envelope{Type: "interactive", Payload: json.RawMessage(`{"type":"shortcut","user":{"id":"U1"},"callback_id":"x"}`)}, "unhandled_type=shortcut"},
		{"a slash command whose payload is the wrong shape",
			slacktest.Envelope{Type: "slash_commands", Payload: json.RawMessage(`[1,2,3]`)}, "outcome=bad_payload"},
		{"an interaction whose payload is a string",
			slacktest.Envelope{Type: "interactive", Payload: json.RawMessage(`"hello"`)}, "outcome=bad_payload"},
		{"block actions without an action",
			slacktest.Envelope{Type: "interactive", Payload: json.RawMessage(`{"type":"block_actions","user":{"id":"U1"},"actions":[]}`)}, "outcome=bad_payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env.EnvelopeID = h.Slack.NewEnvelopeID()
			send(t, h, tt.env)
			h.ack(tt.env.EnvelopeID, 1)
			h.waitFor("the envelope's log line", func() bool {
				for _, l := range strings.Split(h.Logs.String(), "\n") {
					if strings.Contains(l, tt.env.EnvelopeID) && strings.Contains(l, tt.log) {
						return true
					}
				}
				return false
			})
		})
	}
	// Still serving.
	h.ack(h.slash("UREP1", "help"), 1)
}

func TestASlowHandlersReplyArrivesThroughTheResponseURL(t *testing.T) {
	release := make(chan struct{})
	h := start(t,
		withConfig(func(c *bot.Config) { c.AckTimeout = 200 * time.Millisecond }),
		withHandlers(func(b *bot.Bot) {
			b.HandleCommand("report", func(ctx context.Context, r *bot.Request) error {
				<-release // work that ignores its deadline
				r.Reply(bot.Message{Text: "your report"})
				return nil
			}, bot.ReadOnly())
		}))
	id := h.slash("UREP1", "report")
	// The ack does not wait for the handler.
	if a := h.ack(id, 1); a.Payload != nil {
		t.Errorf("ack of a slow handler carries %s, want none", a.Payload)
	}
	close(release)
	h.waitFor("the late reply", func() bool {
		for _, m := range h.Slack.Messages("C0SALES") {
			if m.ViaResponseURL && m.Text == "your report" && m.Ephemeral {
				return true
			}
		}
		return false
	})
}

func TestLaterWorkRunsAfterTheAckAndItsErrorIsAnswered(t *testing.T) {
	var order []string
	var mu sync.Mutex
	note := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		order = append(order, s)
	}
	h := start(t, withHandlers(func(b *bot.Bot) {
		b.HandleCommand("export", func(_ context.Context, r *bot.Request) error {
			r.Reply(bot.Message{Text: "working on it"})
			r.Later(func(ctx context.Context) error {
				note("later")
				return pulse.Errorf(pulse.EFORBIDDEN, "deny.export", nil, "not a manager")
			})
			note("handler")
			return nil
		}, bot.ReadOnly())
	}))
	if r := decodeReply(t, h.ack(h.slash("UREP1", "export"), 1)); r.Text != "working on it" {
		t.Errorf("ack says %q", r.Text)
	}
	want := mrkdwn(h.Bot.Catalog().T(pulse.English, "deny.export", nil))
	h.waitFor("the later work's error answered", func() bool {
		for _, m := range h.Slack.Messages("C0SALES") {
			if m.ViaResponseURL && m.Text == want {
				return true
			}
		}
		return false
	})
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(order, ",") != "handler,later" {
		t.Errorf("ran %v, want the handler, then the later work", order)
	}
}

func TestRunFinishesHandlersInFlightBeforeItReturns(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	h := start(t, withHandlers(func(b *bot.Bot) {
		b.HandleCommand("goal", func(ctx context.Context, r *bot.Request) error {
			close(entered)
			<-release
			return goalHandler(&calls)(ctx, r)
		})
	}))
	env := slashEnvelope(t, h, "UREP1", "goal stay")
	send(t, h, env)
	<-entered

	stopped := make(chan error, 1)
	go func() { stopped <- h.stop() }()
	// Run may not return while the handler holds its envelope.
	h.waitFor("the bot to stop taking envelopes", func() bool { return !h.Bot.Ready() })
	select {
	case err := <-stopped:
		t.Fatalf("Run returned (%v) with a handler still running", err)
	default:
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if r := decodeReply(t, h.ack(env.EnvelopeID, 1)); r.Text != "saved" {
		t.Errorf("the handler finished at shutdown, but its ack says %q", r.Text)
	}
}

func TestEnvelopesAreForgottenAfterADay(t *testing.T) {
	h := start(t, withConfig(func(c *bot.Config) { c.PruneEvery = 20 * time.Millisecond }))
	ctx := t.Context()
	if first, err := h.DB.MarkEnvelope(ctx, "env-old", h.Clock.Now()); err != nil || !first {
		t.Fatalf("mark: %v %v", first, err)
	}
	h.Clock.Advance(25 * time.Hour)
	// Marking again succeeds only once the bot has pruned the old mark.
	h.waitFor("the day-old envelope pruned", func() bool {
		first, err := h.DB.MarkEnvelope(ctx, "env-old", h.Clock.Now())
		return err == nil && first
	})
	// A recent one is kept.
	if first, err := h.DB.MarkEnvelope(ctx, "env-old", h.Clock.Now()); err != nil || first {
		t.Errorf("a mark from just now was forgotten: first=%v err=%v", first, err)
	}
}

func TestAReplyTooBigForAnAckArrivesThroughTheResponseURL(t *testing.T) {
	long := strings.Repeat("Pipeline review. ", 1500) // 25,500 characters: over the ack's 20 KB, under a message's 40,000
	h := start(t, withHandlers(func(b *bot.Bot) {
		b.HandleCommand("report", func(_ context.Context, r *bot.Request) error {
			r.Reply(bot.Message{Text: long})
			return nil
		}, bot.ReadOnly())
	}))
	if a := h.ack(h.slash("UREP1", "report"), 1); a.Payload != nil {
		t.Errorf("an ack of %d bytes went out; Slack drops acks of 20 KB or more", len(a.Payload))
	}
	h.waitFor("the reply through the response_url", func() bool {
		for _, m := range h.Slack.Messages("C0SALES") {
			if m.ViaResponseURL && m.Text == long {
				return true
			}
		}
		return false
	})
}
