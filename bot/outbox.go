package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// The outbox is the one way what follows an acknowledged command or event
// is sent: a channel post, a feedback and its replies, a daily-thread
// entry, an App Home. The handler writes the effect with its own write
// (pulse.WithEffects); its later work asks for a send at once, and every
// replica also sends what is pending every OutboxEvery, so an effect whose
// replica died after the ack goes out from another. Each message is claimed
// in the job ledger like a scheduled job and posted with the job metadata
// naming it, so that a claim whose run stopped is settled by asking Slack
// whether the post got through (Delivered) before it is sent again.

// A claim by another run that stood Config.EffectStale is taken for the
// claim of a run that stopped: a live run gives up a post after a quarter
// of that, so a claim this old is no longer being sent, and Slack's history
// tells whether its post got through.

// effectSince widens the window of history searched for an effect's post,
// for clocks that disagree a little.
const effectSince = 5 * time.Minute

// outboxState is the bot's side of the outbox.
type outboxState struct {
	owner string       // this run's ID in the ledger, so that a take-over names whose claim it ends
	homes *homeFlights // the App Home publishes in flight, one a person
}

func newOutboxState() outboxState {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return outboxState{owner: "bot-" + hex.EncodeToString(b), homes: newHomeFlights()}
}

// effectBody is an effect's message as the outbox stores it.
type effectBody struct {
	Text   string       `json:"text"`
	Blocks slack.Blocks `json:"blocks"`
}

// newEffect is the effect of posting m to a channel or a user of team.
func newEffect(team, to string, m Message) (pulse.Effect, error) {
	body, err := json.Marshal(effectBody{Text: m.Text, Blocks: slack.Blocks{BlockSet: m.Blocks}})
	if err != nil {
		return pulse.Effect{}, fmt.Errorf("encode effect to %s: %w", to, err)
	}
	return pulse.Effect{TeamID: team, To: to, Body: body}, nil
}

// sendEffectsLater asks for the effects that the write made with saved
// committed to be sent after r's ack; the loop of every replica sends them
// if this one cannot.
func (b *Bot) sendEffectsLater(r *Request, saved context.Context) {
	r.Later(func(ctx context.Context) error { return b.sendSaved(ctx, saved) })
}

// sendSaved sends the effects that the write made with saved committed.
func (b *Bot) sendSaved(ctx context.Context, saved context.Context) error {
	m := pulse.EffectsOf(saved)
	if m == nil {
		return nil
	}
	return b.sendEffects(ctx, m.Stored())
}

// outboxLoop sends the pending effects every OutboxEvery.
func (b *Bot) outboxLoop(ctx context.Context) {
	t := time.NewTicker(b.cfg.OutboxEvery)
	defer t.Stop()
	for {
		if err := b.SendEffects(ctx); err != nil && ctx.Err() == nil {
			b.log.Warn("send pending effects", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendEffects sends each pending effect that no live run is sending, and
// settles those whose sender stopped. Safe for concurrent use, also from
// several replicas: the ledger lets one sender post each message.
func (b *Bot) SendEffects(ctx context.Context) error {
	effects, err := b.store.PendingEffects(ctx)
	if err != nil {
		return err
	}
	return b.sendEffects(ctx, effects)
}

// sendEffects sends effects, read from the outbox or just written to it.
func (b *Bot) sendEffects(ctx context.Context, effects []pulse.Effect) error {
	pass := &effectPass{published: map[string]bool{}, since: b.outbox.homes.now()}
	var errs []error
	for _, e := range effects {
		if err := b.sendEffect(ctx, pass, e); err != nil {
			errs = append(errs, fmt.Errorf("effect %s: %w", e.Key, err))
		}
	}
	return errors.Join(errs...)
}

// effectPass is what one pass over the outbox has done so far.
type effectPass struct {
	// published holds the App Homes published in this pass: each shows
	// every write committed before the pass read its effects, so a later
	// effect of the pass asking for the same Home is done by it.
	published map[string]bool
	// since is when the pass began, after its effects' writes committed:
	// a Home publish that started later shows them (homeFlights).
	since uint64
}

// sendEffect sends e and forgets it once it is done: sent, found sent,
// or given up. One that waits (for a live sender, or for the day's thread
// to open) stays for a later pass.
func (b *Bot) sendEffect(ctx context.Context, pass *effectPass, e pulse.Effect) error {
	var done bool
	var err error
	switch e.Kind {
	case pulse.EffectPost:
		done, err = b.sendPost(ctx, e)
	case pulse.EffectFeedback:
		done, err = b.sendFeedbackEffect(ctx, e)
	case pulse.EffectThread:
		done, err = b.sendThreadEffect(ctx, e)
	case pulse.EffectHome:
		done, err = b.sendHomeEffect(ctx, pass, e)
	case pulse.EffectBlocker:
		done, err = b.sendBlockerEffect(ctx, e)
	default:
		// Written by a newer version: left for a replica that knows it.
		b.log.Debug("effect of an unknown kind left pending", "effect", e.Key.String(), "kind", e.Kind)
		return nil
	}
	if err != nil || !done {
		return err
	}
	return b.store.ForgetEffect(ctx, e.Key)
}

// claimDelivery claims the ledger entry key for this run before it sends
// what key names; send is true when this run must send it now. Otherwise
// job is the entry as it stands: sent or skipped (done, maybe by a run
// that stopped before recording it elsewhere), or claimed by a live run.
// A claim older than Config.EffectStale is a stopped run's, or one whose post
// failed in a way that leaves open whether Slack took it: when ask is set,
// Slack's history of to tells (the entry is then marked sent), else, or
// when Slack holds no such post, this run takes the claim over.
func (b *Bot) claimDelivery(ctx context.Context, key pulse.JobKey, to string, ask bool) (pulse.Job, bool, error) {
	now := b.clock.Now()
	job, won, err := b.store.Claim(ctx, key, b.outbox.owner, now)
	if err != nil || won {
		return job, won, err
	}
	if job.State != pulse.JobClaimed || now.Sub(job.ClaimedAt) < b.cfg.EffectStale {
		return job, false, nil
	}
	if ask {
		d, found, err := b.Delivered(ctx, key, to, job.ClaimedAt.Add(-effectSince))
		if err != nil {
			return job, false, fmt.Errorf("ask whether delivered: %w", err)
		}
		if found {
			b.log.Info("effect found delivered by an earlier run", "effect", key.String(), "claimed_by", job.Owner)
			if err := b.store.MarkSent(ctx, key, d.Channel, d.TS, now); err != nil {
				return job, false, err
			}
			job.State, job.Channel, job.TS = pulse.JobSent, d.Channel, d.TS
			return job, false, nil
		}
	}
	taken, won, err := b.store.TakeOverEffect(ctx, key, job, b.outbox.owner, now)
	if err != nil || !won {
		return job, false, err
	}
	b.log.Info("effect not delivered by an earlier run; sending it", "effect", key.String(), "claimed_by", job.Owner)
	return taken, true, nil
}

// postWindow bounds the work of sending what a claim holds to a quarter of
// Config.EffectStale from claiming, the wall-clock instant taken before
// the claim, however long the claim itself took: a post that lands later
// could land after another replica took the claim for a stopped run's and
// found no post in Slack. It is a span of real time, so it is measured on
// the wall clock, not the domain clock the demo and tests move by hours.
func (b *Bot) postWindow(ctx context.Context, claiming time.Time) (context.Context, context.CancelFunc) {
	return context.WithDeadline(ctx, claiming.Add(b.cfg.EffectStale/4))
}

// finished reports whether a ledger entry another run holds needs nothing
// more from this one.
func finished(j pulse.Job) bool { return j.State == pulse.JobSent || j.State == pulse.JobSkipped }

// sendPost posts a message the command made, once.
func (b *Bot) sendPost(ctx context.Context, e pulse.Effect) (bool, error) {
	return b.sendMade(ctx, e, func(context.Context) (Message, bool, error) {
		var body effectBody
		if err := json.Unmarshal(e.Body, &body); err != nil {
			return Message{}, false, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "decode effect %s: %v", e.Key, err)
		}
		return Message{Text: body.Text, Blocks: body.Blocks.BlockSet}, true, nil
	})
}

// sendMade claims e and posts to e.To the message compose makes, with the
// metadata naming e; compose's false means there is nothing to post any more,
// and e is given up.
func (b *Bot) sendMade(ctx context.Context, e pulse.Effect, compose func(context.Context) (Message, bool, error)) (bool, error) {
	claiming := time.Now()
	job, send, err := b.claimDelivery(ctx, e.Key, e.To, true)
	if err != nil || !send {
		return finished(job), err
	}
	pctx, cancel := b.postWindow(ctx, claiming)
	defer cancel()
	m, ok, err := compose(pctx)
	switch {
	case undeliverable(err) || err == nil && !ok:
		return true, b.store.MarkSkipped(ctx, e.Key, b.clock.Now())
	case err != nil:
		// Nothing was posted: the claim is let go for a later pass.
		return false, errors.Join(err, b.store.Release(ctx, e.Key))
	}
	d, err := b.postEffect(pctx, e.Key, e.To, m)
	switch {
	case undeliverable(err):
		b.log.Warn("effect cannot be delivered; given up", "effect", e.Key.String(), "err", err)
		return true, b.store.MarkSkipped(ctx, e.Key, b.clock.Now())
	case err != nil:
		// Left claimed: Slack may have taken the post (a timeout), so once
		// the claim is stale the history is read before it is sent again.
		return false, err
	}
	return true, b.store.MarkSent(ctx, e.Key, d.Channel, d.TS, b.clock.Now())
}

// postEffect posts m to to with the metadata naming the effect key.
func (b *Bot) postEffect(ctx context.Context, key pulse.JobKey, to string, m Message) (pulse.Delivery, error) {
	opts := append(msgOptions(m), slack.MsgOptionMetadata(jobMetadata(key)))
	ch, ts, err := b.api.PostMessageContext(ctx, to, opts...)
	if err != nil {
		return pulse.Delivery{}, deliveryError("chat.postMessage", key, err)
	}
	if ch == "" {
		ch = to
	}
	if isUserID(to) {
		b.dms.Store(to, ch)
	}
	return pulse.Delivery{Channel: ch, TS: ts}, nil
}
