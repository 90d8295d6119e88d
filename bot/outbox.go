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

// The outbox sends what a command committed to send after its ack (a
// channel post, a DM). The handler writes the effect with its own write
// (pulse.WithEffects); its later work asks for a send at once, and every
// replica also sends what is pending every OutboxEvery, so an effect whose
// replica died after the ack goes out from another. Each effect is claimed
// in the job ledger like a scheduled job and posted with the job metadata
// naming it, so that a claim whose run stopped is settled by asking Slack
// whether the post got through (Delivered) before it is sent again.

// effectStale is how long a claim by another run may stand before it is
// taken for the claim of a run that stopped. A live run posts within
// effectPostTimeout of its claim, so a claim this old is no longer being
// sent, and Slack's history tells whether its post got through.
const (
	effectStale       = 2 * time.Minute
	effectPostTimeout = 30 * time.Second
)

// effectSince widens the window of history searched for an effect's post,
// for clocks that disagree a little.
const effectSince = 5 * time.Minute

// outboxState is the bot's side of the outbox.
type outboxState struct {
	owner string // this run's ID in the ledger, so that a take-over names whose claim it ends
}

func newOutboxState() outboxState {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return outboxState{owner: "bot-" + hex.EncodeToString(b)}
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

// sendEffectsLater asks for the effects r's write committed to be sent
// after the ack, and the loop of every replica sends them if this one
// cannot.
func (b *Bot) sendEffectsLater(r *Request) {
	r.Later(func(ctx context.Context) error {
		return b.SendEffects(ctx)
	})
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
// several replicas: the ledger lets one sender post each effect.
func (b *Bot) SendEffects(ctx context.Context) error {
	effects, err := b.store.PendingEffects(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range effects {
		if err := b.sendEffect(ctx, e); err != nil {
			errs = append(errs, fmt.Errorf("effect %s: %w", e.Key, err))
		}
	}
	return errors.Join(errs...)
}

func (b *Bot) sendEffect(ctx context.Context, e pulse.Effect) error {
	now := b.clock.Now()
	job, won, err := b.store.Claim(ctx, e.Key, b.outbox.owner, now)
	if err != nil {
		return err
	}
	if !won {
		switch {
		case job.State != pulse.JobClaimed:
			// Sent or given up by a run that stopped before forgetting it.
			return b.store.ForgetEffect(ctx, e.Key)
		case now.Sub(job.ClaimedAt) < effectStale:
			return nil // being sent
		}
		// Its sender stopped after claiming it, or its post failed in a way
		// that leaves open whether Slack took it: Slack's history tells.
		d, found, err := b.Delivered(ctx, e.Key, e.To, job.ClaimedAt.Add(-effectSince))
		if err != nil {
			return fmt.Errorf("ask whether delivered: %w", err)
		}
		if found {
			b.log.Info("effect found delivered by an earlier run", "effect", e.Key.String(), "claimed_by", job.Owner)
			return b.finishEffect(ctx, e.Key, d, now)
		}
		if _, won, err = b.store.TakeOverEffect(ctx, e.Key, job.Owner, b.outbox.owner, now); err != nil || !won {
			return err
		}
		b.log.Info("effect not delivered by an earlier run; sending it", "effect", e.Key.String(), "claimed_by", job.Owner)
	}
	d, err := b.postEffect(ctx, e)
	switch {
	case undeliverable(err):
		b.log.Warn("effect cannot be delivered; given up", "effect", e.Key.String(), "err", err)
		if err := b.store.MarkSkipped(ctx, e.Key, now); err != nil {
			return err
		}
		return b.store.ForgetEffect(ctx, e.Key)
	case err != nil:
		// Left claimed: Slack may have taken the post (a timeout), so once
		// the claim is stale the history is read before it is sent again.
		return err
	}
	return b.finishEffect(ctx, e.Key, d, now)
}

// finishEffect records the effect sent and takes it out of the outbox.
func (b *Bot) finishEffect(ctx context.Context, key pulse.JobKey, d pulse.Delivery, now time.Time) error {
	if err := b.store.MarkSent(ctx, key, d.Channel, d.TS, now); err != nil {
		return err
	}
	return b.store.ForgetEffect(ctx, key)
}

// postEffect posts the effect's message with the metadata naming it.
func (b *Bot) postEffect(ctx context.Context, e pulse.Effect) (pulse.Delivery, error) {
	ctx, cancel := context.WithTimeout(ctx, effectPostTimeout)
	defer cancel()
	var body effectBody
	if err := json.Unmarshal(e.Body, &body); err != nil {
		return pulse.Delivery{}, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "decode effect %s: %v", e.Key, err)
	}
	opts := msgOptions(Message{Text: body.Text, Blocks: body.Blocks.BlockSet})
	opts = append(opts, slack.MsgOptionMetadata(jobMetadata(e.Key)))
	ch, ts, err := b.api.PostMessageContext(ctx, e.To, opts...)
	if err != nil {
		return pulse.Delivery{}, deliveryError("chat.postMessage", e.Key, err)
	}
	if ch == "" {
		ch = e.To
	}
	if isUserID(e.To) {
		b.dms.Store(e.To, ch)
	}
	return pulse.Delivery{Channel: ch, TS: ts}, nil
}
