package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// Feedback on a check-in: a leader presses Give feedback (or 👍) on a
// digest entry or in the daily thread; the rep reads it in the thread of
// their own check-in DM, in their language, and may Reply; the reply
// reaches the leader in the thread of their digest.

// feedbackTarget is a rep's check-in a button names: team, rep and day,
// checked against the team before anything is done with it.
type feedbackTarget struct {
	team *pulse.Team
	rep  string
	day  pulse.Date
}

// readFeedbackTarget reads a button's team|rep|day and checks that actor
// may give feedback on it.
func (b *Bot) readFeedbackTarget(ctx context.Context, r *Request, value string) (feedbackTarget, error) {
	parts, ok := unpackValue(value, 3)
	if !ok {
		return feedbackTarget{}, pulse.Errorf(pulse.EINVALID, "checkin.bad_request", nil, "feedback value of the wrong shape")
	}
	day, err := pulse.ParseDate(parts[2])
	if err != nil {
		return feedbackTarget{}, pulse.Errorf(pulse.EINVALID, "checkin.bad_request", nil, "feedback value: %v", err)
	}
	team, err := b.requestTeam(ctx, r, parts[0])
	if pulse.IsNotFound(err) {
		return feedbackTarget{}, pulse.CanGiveFeedback(r.Actor, nil, parts[1])
	}
	if err != nil {
		return feedbackTarget{}, err
	}
	if err := pulse.CanGiveFeedback(r.Actor, team, parts[1]); err != nil {
		return feedbackTarget{}, err
	}
	return feedbackTarget{team: team, rep: parts[1], day: day}, nil
}

// giveFeedbackButton opens the feedback modal.
func (b *Bot) giveFeedbackButton(ctx context.Context, r *Request) error {
	tg, err := b.readFeedbackTarget(ctx, r, r.Action.Value)
	if err != nil {
		return err
	}
	var opts []*slack.OptionBlockObject
	for _, k := range pulse.FeedbackKinds {
		opts = append(opts, slack.NewOptionBlockObject(string(k), plainText(r.T(limit("leader.kind_"+string(k), maxOptionText), nil)), nil))
	}
	kind := slack.NewRadioButtonsBlockElement("kind", opts...)
	kind.InitialOption = opts[0]
	meta := packValue(tg.team.ID, tg.rep, tg.day.String(), r.Interaction.Container.ChannelID, r.Interaction.Container.MessageTs)
	view := modal(r, ViewFeedback, "leader.feedback_title", meta,
		contextBlock(r.T("leader.feedback_intro", map[string]any{"Rep": mention(tg.rep), "Day": r.date(tg.day)})),
		slack.NewInputBlock("kind", plainText(r.T("leader.label_kind", nil)), nil, kind),
		textInput("feedback", r.T("leader.label_feedback", nil), "", true, false, pulse.MaxTextLen),
	)
	opened, err := b.api.OpenViewContext(ctx, r.Interaction.TriggerID, view)
	if err != nil {
		return fmt.Errorf("views.open %s: %w", view.CallbackID, err)
	}
	if r.Interaction.Container.IsEphemeral {
		b.feedbackOrigins.put(opened.View.ID, r.responseURL, b.clock.Now())
	}
	return nil
}

// feedbackSubmit saves the feedback, then delivers it to the rep and
// tells the leader it went.
func (b *Bot) feedbackSubmit(ctx context.Context, r *Request) error {
	parts, ok := unpackValue(r.Interaction.View.PrivateMetadata, 5)
	if !ok {
		return pulse.Errorf(pulse.EINVALID, "checkin.bad_request", nil, "feedback metadata of the wrong shape")
	}
	tg, err := b.readFeedbackTarget(ctx, r, packValue(parts[0], parts[1], parts[2]))
	if err != nil {
		return err
	}
	kind := pulse.FeedbackKind("")
	if v := stateValue(r, "kind"); v != nil {
		kind = pulse.FeedbackKind(v.SelectedOption.Value)
	}
	if kind == pulse.FeedbackAck {
		kind = "" // the modal offers no acknowledgement: a forged value
	}
	f := &pulse.Feedback{TeamID: tg.team.ID, RepID: tg.rep, Date: tg.day, From: r.Actor.UserID, Kind: kind, Text: stateText(r, "feedback"), At: b.clock.Now()}
	if err := f.Validate(); err != nil {
		return err
	}
	saved, err := b.saveFeedback(ctx, f)
	if err != nil {
		return fmt.Errorf("save feedback to %s in %s: %w", f.RepID, f.TeamID, err)
	}
	origin := pulse.Delivery{Channel: parts[3], TS: parts[4]}
	url, _ := b.feedbackOrigins.take(r.Interaction.View.ID)
	r.Later(func(ctx context.Context) error {
		if url == "" {
			return b.afterFeedback(ctx, r, tg.team, f, origin, saved)
		}
		// The button sat on /pulse digest's answer: rewrite it.
		if err := b.sendSaved(ctx, saved); err != nil {
			b.log.Warn("send the feedback", "team", f.TeamID, "err", err)
		}
		m, err := b.digestAnswer(ctx, digestTeams(r, ""), f.From, r.lang, r.Person)
		if err != nil {
			return err
		}
		m.ReplaceOriginal = true
		return b.postResponseURL(ctx, url, m)
	})
	return nil
}

// feedbackAck is the quick 👍: an acknowledgement in the catalogue's
// words, saved and delivered like any feedback, once per leader, rep and day.
func (b *Bot) feedbackAck(ctx context.Context, r *Request) error {
	tg, err := b.readFeedbackTarget(ctx, r, r.Action.Value)
	if err != nil {
		return err
	}
	loc := tg.team.Location()
	given, err := b.store.TeamFeedback(ctx, tg.team.ID, pulse.WallClock(tg.day.AddDays(-1), 0, loc), time.Time{})
	if err != nil {
		return fmt.Errorf("feedback of %s: %w", tg.team.ID, err)
	}
	if pulse.Acknowledged(given, r.Actor.UserID, tg.rep, tg.day) {
		return nil
	}
	f := &pulse.Feedback{TeamID: tg.team.ID, RepID: tg.rep, Date: tg.day, From: r.Actor.UserID, Kind: pulse.FeedbackAck, At: b.clock.Now()}
	saved, err := b.saveFeedback(ctx, f)
	if err != nil {
		return fmt.Errorf("save acknowledgement to %s in %s: %w", f.RepID, f.TeamID, err)
	}
	origin := pulse.Delivery{Channel: r.Interaction.Container.ChannelID, TS: r.Interaction.Container.MessageTs}
	r.Later(func(ctx context.Context) error { return b.afterFeedback(ctx, r, tg.team, f, origin, saved) })
	return nil
}

// afterFeedback delivers saved feedback to the rep and confirms it to the
// leader: their digest is rewritten when the button sat on it, else they
// are told where they pressed it.
func (b *Bot) afterFeedback(ctx context.Context, r *Request, team *pulse.Team, f *pulse.Feedback, origin pulse.Delivery, saved context.Context) error {
	if err := b.sendSaved(ctx, saved); err != nil {
		// Pending in the outbox, which every replica sends again.
		b.log.Warn("send the feedback", "team", f.TeamID, "err", err)
	}
	if digest, ok := b.sentMessage(ctx, pulse.DigestKey(team.ID, f.From, f.Date)); ok && digest.Channel == origin.Channel && digest.TS == origin.TS {
		return b.refreshDigest(ctx, team, f.From, f.Date, digest)
	}
	text := r.T("leader.sent_to", map[string]any{"Rep": mention(f.RepID), "Time": r.clock(f.At, zoneIn(r.Person, team))})
	if origin.Channel == "" {
		_, err := b.PostMessage(ctx, f.From, Message{Text: text})
		return err
	}
	_, err := b.api.PostEphemeralContext(ctx, origin.Channel, f.From, slack.MsgOptionText(text, false))
	return wrapAPI("chat.postEphemeral", err)
}

// feedbackMessage is a piece of feedback or a reply as its reader sees it,
// naming who wrote it, with a Reply button.
func feedbackMessage(p voice, f *pulse.Feedback, from string, kind pulse.FeedbackKind, text string, first bool) Message {
	key := "leader.reply_from"
	if first {
		key = "leader.feedback_" + string(kind)
	}
	head := p.T(key, map[string]any{"From": mention(from), "Day": p.date(f.Date)})
	blocks := []slack.Block{mrkdwnSection(head)}
	if text != "" {
		blocks = append(blocks, mrkdwnSection(quoteText(text, maxQuoteChars)))
	}
	blocks = append(blocks, slack.NewActionBlock("feedback_"+f.ID,
		slack.NewButtonBlockElement(ActionFeedbackReply, f.ID, plainText(p.T(limit("leader.button_reply", maxButtonText), nil)))))
	return Message{Text: head, Blocks: blocks}
}

// postIn posts m to channel (a user ID for their DM), in thread when one
// is given, and returns the conversation and ts Slack gave it.
func (b *Bot) postIn(ctx context.Context, channel, thread string, m Message, extra ...slack.MsgOption) (string, string, error) {
	opts := append(msgOptions(m), extra...)
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	ch, ts, err := b.api.PostMessageContext(ctx, channel, opts...)
	if err == nil && ch == "" {
		ch = channel
	}
	return ch, ts, wrapAPI("chat.postMessage", err)
}

// loadFeedbackFor reads the feedback a button or modal names, and its team,
// and checks that actor may reply to it.
func (b *Bot) loadFeedbackFor(ctx context.Context, r *Request, id string) (*pulse.Feedback, *pulse.Team, error) {
	f, err := b.store.Feedback(ctx, id)
	if pulse.IsNotFound(err) || pulse.ErrorCode(err) == pulse.EINVALID {
		return nil, nil, pulse.CanReplyFeedback(r.Actor, nil, nil)
	}
	if err != nil {
		return nil, nil, err
	}
	team, err := b.requestTeam(ctx, r, f.TeamID)
	if err != nil {
		return nil, nil, err
	}
	if err := pulse.CanReplyFeedback(r.Actor, team, f); err != nil {
		return nil, nil, err
	}
	return f, team, nil
}

// feedbackReplyButton opens the reply modal.
func (b *Bot) feedbackReplyButton(ctx context.Context, r *Request) error {
	f, _, err := b.loadFeedbackFor(ctx, r, r.Action.Value)
	if err != nil {
		return err
	}
	view := modal(r, ViewFeedbackReply, "leader.reply_title", f.ID,
		textInput("reply", r.T("leader.label_reply", nil), "", true, false, pulse.MaxTextLen))
	return openModal(ctx, r, view)
}

// feedbackReplySubmit saves the reply and posts it to the other side: the
// rep's reply to the leader's digest thread (or DM), the leader's to the
// rep's check-in thread.
func (b *Bot) feedbackReplySubmit(ctx context.Context, r *Request) error {
	f, _, err := b.loadFeedbackFor(ctx, r, r.Interaction.View.PrivateMetadata)
	if err != nil {
		return err
	}
	reply := pulse.FeedbackReply{From: r.Actor.UserID, Text: stateText(r, "reply"), At: b.clock.Now()}
	deliver, err := pulse.NewFeedbackEffect(f)
	if err != nil {
		return err
	}
	saved := pulse.WithEffects(ctx, deliver)
	if _, err := b.store.UpdateFeedback(saved, f.ID, func(s *pulse.Feedback) error {
		s.Replies = append(s.Replies, reply)
		return s.Validate()
	}); err != nil {
		return err
	}
	b.sendEffectsLater(r, saved)
	return nil
}

// saveFeedback saves new feedback with its delivery to the rep and the
// giver's App Home (its leadership pulse counts it) in the outbox, so that
// both follow even if this replica stops right after the ack.
// It returns the context the write was made with, whose effects
// sendSaved sends.
func (b *Bot) saveFeedback(ctx context.Context, f *pulse.Feedback) (context.Context, error) {
	deliver, err := pulse.NewFeedbackEffect(f)
	if err != nil {
		return nil, err
	}
	saved := pulse.WithEffects(ctx, deliver, homeEffect(f.TeamID, f.From))
	return saved, b.store.SaveFeedback(saved, f)
}
