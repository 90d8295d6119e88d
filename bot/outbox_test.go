package bot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/storage/pgtest"
)

// onEngines runs test on bbolt and, when PULSE_TEST_DATABASE_URL is set, on
// a PostgreSQL schema of its own (else says in one line how to).
func onEngines(t *testing.T, test func(t *testing.T, engine string)) {
	t.Run("engine=bolt", func(t *testing.T) { test(t, "bolt") })
	t.Run("engine=postgres", func(t *testing.T) { test(t, "postgres") })
}

// startOn starts the harness on the engine's database.
func startOn(t *testing.T, engine string, opts ...harnessOption) *harness {
	t.Helper()
	if engine == "bolt" {
		return start(t, opts...)
	}
	dsn, drop := pgtest.NewSchema(t)
	h := start(t, append(opts, withoutRun())...)
	if err := h.DB.Close(); err != nil {
		t.Fatal(err)
	}
	h.DBPath = dsn
	h.openDB()
	t.Cleanup(func() { _ = h.DB.Close(); drop() })
	h.Bot = h.newBot()
	h.run()
	h.waitReady()
	return h
}

// kudosPosts counts the kudos posts in the team channel (not the acks).
func kudosPosts(h *harness) int {
	n := 0
	for _, m := range h.Slack.Messages("C0SALES") {
		if !m.Ephemeral && !m.ViaAck {
			n++
		}
	}
	return n
}

func pendingEffects(t *testing.T, h *harness) []pulse.Effect {
	t.Helper()
	got, err := h.DB.PendingEffects(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestOutboxKudosPostedOnceAndForgotten(t *testing.T) {
	onEngines(t, func(t *testing.T, engine string) {
		h := startOn(t, engine)
		seedTeams(h)
		h.command(repA2, "kudos <@UREPA1> great demo")
		h.waitFor("the kudos post", func() bool { return kudosPosts(h) == 1 })
		h.waitFor("the outbox emptied", func() bool { return len(pendingEffects(t, h)) == 0 })
		m := h.Slack.Messages("C0SALES")[len(h.Slack.Messages("C0SALES"))-1]
		if m.Metadata == nil || m.Metadata.EventType != pulse.MetadataEventType {
			t.Fatalf("the post carries metadata %+v, want the effect's job metadata", m.Metadata)
		}
		key, ok := pulse.ParseJobKey(m.Metadata.EventPayload[pulse.MetadataJobField].(string))
		if !ok || key.Kind != pulse.JobEffect {
			t.Fatalf("metadata names %v, want an effect", m.Metadata.EventPayload)
		}
		if j, err := h.DB.Job(t.Context(), key); err != nil || j.State != pulse.JobSent || j.TS != m.TS {
			t.Fatalf("ledger = %+v, %v; want sent as %s", j, err, m.TS)
		}
		// A later pass of any replica sends nothing more.
		if err := h.Bot.SendEffects(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n := kudosPosts(h); n != 1 {
			t.Fatalf("%d kudos posts, want 1", n)
		}
	})
}

// The process stops after the command's ack and before its post: the next
// run sends the post, once, when the stopped run's claim is stale.
func TestOutboxStoppedAfterAckAnotherRunSendsOnce(t *testing.T) {
	onEngines(t, func(t *testing.T, engine string) {
		h := startOn(t, engine, withConfig(func(c *bot.Config) { c.DrainTimeout = 50 * time.Millisecond }))
		seedTeams(h)
		release := h.Slack.Hold("chat.postMessage")
		got := h.command(repA2, "kudos <@UREPA1> great demo")
		wantText(t, "/pulse kudos", got, h.en("commands.kudos_saved", map[string]any{"Rep": "<@UREPA1>", "Channel": "<#C0SALES>"}))
		h.waitFor("the effect claimed", func() bool {
			js, err := h.DB.Unconfirmed(t.Context())
			return err == nil && len(js) == 1 && js[0].Key.Kind == pulse.JobEffect
		})
		if err := h.stop(); err != nil { // the post in flight is cut off
			t.Fatal(err)
		}
		if len(pendingEffects(t, h)) != 1 {
			t.Fatal("the acknowledged command's effect is not in the outbox")
		}
		// Slack may or may not complete the post cut off in flight: either
		// way the channel ends with one.
		release()
		h.restart()
		h.Clock.Advance(3 * time.Minute)
		if err := h.Bot.SendEffects(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := h.Bot.SendEffects(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n := kudosPosts(h); n != 1 {
			t.Fatalf("%d kudos posts after the restart, want 1\n%s", n, h.Logs)
		}
		if len(pendingEffects(t, h)) != 0 {
			t.Error("the outbox still holds the sent effect")
		}
	})
}

// A run posted the effect (Slack accepted it) and stopped before marking it
// sent: the next run finds the post in the channel's history and does not
// post again.
func TestOutboxPostAcceptedButNotMarkedIsNotSentAgain(t *testing.T) {
	onEngines(t, func(t *testing.T, engine string) {
		h := startOn(t, engine)
		seedTeams(h)
		nordic := h.createTeam("West", []string{mgrA}, []string{repA1})
		ctx := context.Background()
		// What the kudos handler commits: the kudos with its post.
		post := pulse.Effect{TeamID: nordic.ID, To: "C0SALES", Body: []byte(`{"text":"kudos from the stopped run"}`)}
		if err := h.DB.SaveKudos(pulse.WithEffects(ctx, post), &pulse.Kudos{TeamID: nordic.ID, From: mgrA, To: repA1, Text: "well done"}); err != nil {
			t.Fatal(err)
		}
		effects := pendingEffects(t, h)
		if len(effects) != 1 {
			t.Fatalf("pending %+v", effects)
		}
		key := effects[0].Key
		// The stopped run claimed it and Slack accepted its post.
		if _, won, err := h.DB.Claim(ctx, key, "stopped-run", h.Clock.Now()); err != nil || !won {
			t.Fatalf("claim: %v %v", won, err)
		}
		_, ts, err := h.Bot.API().PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("kudos from the stopped run", false),
			slack.MsgOptionMetadata(slack.SlackMetadata{EventType: pulse.MetadataEventType, EventPayload: map[string]any{pulse.MetadataJobField: key.String()}}))
		if err != nil {
			t.Fatal(err)
		}
		// While the claim is fresh its run may still be sending: left alone.
		reads := len(h.Slack.CallsTo("conversations.history"))
		if err := h.Bot.SendEffects(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(h.Slack.CallsTo("conversations.history")); n != reads {
			t.Fatalf("a fresh claim was settled: %d history reads", n-reads)
		}
		h.Clock.Advance(3 * time.Minute)
		if err := h.Bot.SendEffects(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(h.Slack.CallsTo("conversations.history")); n == reads {
			t.Fatal("a stale claim was settled without asking Slack")
		}
		if n := kudosPosts(h); n != 1 {
			t.Fatalf("%d posts, want the stopped run's one", n)
		}
		if j, err := h.DB.Job(ctx, key); err != nil || j.State != pulse.JobSent || j.TS != ts {
			t.Fatalf("ledger = %+v, %v; want sent as %s", j, err, ts)
		}
		if len(pendingEffects(t, h)) != 0 {
			t.Error("the outbox still holds the delivered effect")
		}
	})
}

// Replicas sending the same outbox at once post each effect once.
func TestOutboxReplicasSendEachEffectOnce(t *testing.T) {
	onEngines(t, func(t *testing.T, engine string) {
		h := startOn(t, engine)
		seedTeams(h)
		west := h.createTeam("West", []string{mgrA}, []string{repA1})
		ctx := context.Background()
		const effects = 8
		for i := range effects {
			post := pulse.Effect{TeamID: west.ID, To: "C0SALES", Body: []byte(fmt.Sprintf(`{"text":"kudos %d"}`, i))}
			if err := h.DB.SaveKudos(pulse.WithEffects(ctx, post), &pulse.Kudos{TeamID: west.ID, From: mgrA, To: repA1, Text: "well done"}); err != nil {
				t.Fatal(err)
			}
		}
		// Each replica has its own connection to the database (one bbolt
		// file allows one process: there the replicas share it).
		replicas := []*bot.Bot{h.Bot}
		own := h.DB
		for range 2 {
			if engine == "postgres" {
				h.openDB()
				db := h.DB
				t.Cleanup(func() { _ = db.Close() })
			}
			replicas = append(replicas, h.newBot())
		}
		h.DB = own
		var wg sync.WaitGroup
		for _, r := range replicas {
			wg.Go(func() {
				if err := r.SendEffects(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		seen := map[string]int{}
		for _, m := range h.Slack.Messages("C0SALES") {
			if !m.Ephemeral && !m.ViaAck {
				seen[m.Text]++
			}
		}
		if len(seen) != effects {
			t.Errorf("%d distinct posts, want %d", len(seen), effects)
		}
		for text, n := range seen {
			if n != 1 {
				t.Errorf("%q posted %d times", text, n)
			}
		}
		if len(pendingEffects(t, h)) != 0 {
			t.Error("the outbox still holds sent effects")
		}
	})
}
