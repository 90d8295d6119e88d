package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/chart"
)

// The Bot is the cadence engine's Notifier and Directory: it turns each
// Notice into a Slack message and tells who a Slack user is.
var (
	_ pulse.Notifier  = (*Bot)(nil)
	_ pulse.Directory = (*Bot)(nil)
)

// outgoing is a rendered notice: what to post, and where when it is not
// the notice's recipient as such.
type outgoing struct {
	text   string
	blocks []slack.Block
	// threadTS posts the message as a reply in that thread, of the
	// conversation channel (or the notice's To when empty); broadcast also
	// shows the reply in the conversation, which is where
	// conversations.history, and so Delivered, looks for it.
	channel   string
	threadTS  string
	broadcast bool
	// updateTS replaces the message of that ts in channel instead of
	// posting one: a contest's standings are one message, updated daily.
	updateTS string
}

// Deliver renders the notice in its language and posts it, with the
// metadata that names its job, to the recipient: a user ID for a direct
// message, the team's channel for a channel post. It returns the
// conversation and ts Slack gave the message. A summary's chart is
// uploaded to the message's thread afterwards; a failed upload is logged,
// not returned, since the summary itself went out.
//
// An error that retrying cannot cure (an archived channel, a deactivated
// user, a message Slack refuses) carries EINVALID, ENOTFOUND or EFORBIDDEN,
// for the engine to give the job up; a refused token is an *AuthError, and
// ends Run as every refused token does.
func (b *Bot) Deliver(ctx context.Context, n pulse.Notice) (pulse.Delivery, error) {
	if n.Payload == nil || n.Team == nil || n.To == "" {
		return pulse.Delivery{}, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "deliver %s: notice without payload, team or recipient", n.Key)
	}
	if n.Payload.Kind() != n.Key.Kind {
		return pulse.Delivery{}, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "deliver %s: a %T payload", n.Key, n.Payload)
	}
	out, err := b.render(ctx, n)
	if err != nil {
		return pulse.Delivery{}, fmt.Errorf("deliver %s: render: %w", n.Key, err)
	}
	channel := out.channel
	if channel == "" {
		channel = n.To
	}
	opts := []slack.MsgOption{
		slack.MsgOptionText(out.text, false),
		slack.MsgOptionBlocks(out.blocks...),
		slack.MsgOptionMetadata(jobMetadata(n.Key)),
	}
	if out.updateTS != "" {
		ch, ts, _, err := b.api.UpdateMessageContext(ctx, channel, out.updateTS, opts...)
		if err != nil {
			return pulse.Delivery{}, deliveryError("chat.update", n.Key, err)
		}
		return pulse.Delivery{Channel: ch, TS: ts}, nil
	}
	if out.threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(out.threadTS))
		if out.broadcast {
			opts = append(opts, slack.MsgOptionBroadcast())
		}
	}
	ch, ts, err := b.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return pulse.Delivery{}, deliveryError("chat.postMessage", n.Key, err)
	}
	d := pulse.Delivery{Channel: ch, TS: ts}
	if isUserID(channel) && ch != "" {
		b.dms.Store(channel, ch)
	}
	if s, ok := n.Payload.(pulse.SummaryNotice); ok {
		if err := b.uploadChart(ctx, n, s.Summary, d); err != nil {
			b.log.Warn("weekly summary posted without its chart", "job", n.Key.String(), "err", err)
		}
	}
	return d, nil
}

// jobMetadata marks a message as the delivery of the job key.
func jobMetadata(key pulse.JobKey) slack.SlackMetadata {
	return slack.SlackMetadata{
		EventType:    pulse.MetadataEventType,
		EventPayload: map[string]any{pulse.MetadataJobField: key.String()},
	}
}

// Slack's errors that no retry can cure, by what they mean to the engine.
var (
	goneCodes = map[string]bool{
		"channel_not_found": true, "user_not_found": true, "message_not_found": true, "thread_not_found": true,
	}
	refusedCodes = map[string]bool{
		"is_archived": true, "not_in_channel": true, "cannot_dm_bot": true, "user_disabled": true,
		"restricted_action": true, "restricted_action_read_only_channel": true,
		"restricted_action_thread_only_channel": true, "restricted_action_non_threadable_channel": true,
		"messages_tab_disabled": true, "team_access_not_granted": true, "ekm_access_denied": true,
		"missing_scope": true, "channel_is_archived": true,
	}
	malformedCodes = map[string]bool{
		"invalid_blocks": true, "invalid_blocks_format": true, "msg_too_long": true, "no_text": true,
		"too_many_attachments": true, "invalid_metadata_format": true, "invalid_metadata_schema": true,
		"metadata_too_large": true, "invalid_arguments": true,
	}
)

// deliveryError wraps a Web API error of a delivery with the method and the
// job. A refused token is returned as the *AuthError it is; an error no
// retry can cure becomes a *pulse.Error whose code tells the engine to give
// the job up; anything else (a timeout, Slack being down) is retried.
func deliveryError(method string, key pulse.JobKey, err error) error {
	if ae := authError(BotTokenVar, err); ae != nil {
		return fmt.Errorf("%s for job %s: %w", method, key, ae)
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		code := ""
		switch {
		case goneCodes[se.Err]:
			code = pulse.ENOTFOUND
		case refusedCodes[se.Err]:
			code = pulse.EFORBIDDEN
		case malformedCodes[se.Err]:
			code = pulse.EINVALID
		}
		if code != "" {
			return pulse.Errorf(code, "err.internal", nil, "%s for job %s: slack answered %s %v", method, key, se.Err, se.ResponseMetadata.Messages)
		}
	}
	return fmt.Errorf("%s for job %s: %w", method, key, err)
}

// How far Delivered reads back through a conversation: Slack's page limit
// is 999, and the engine asks about a window of a day at most, in which a
// person's DM or a team channel holds far fewer messages than this.
const (
	historyPage  = 200
	historyPages = 10
)

// Delivered reports whether the conversation holds a message, posted at or
// after since, whose metadata names the job key; it is how a job claimed
// before a crash is settled. The conversation is a channel ID or a user ID;
// a user's DM is found with conversations.open, since
// conversations.history only takes a conversation ID.
func (b *Bot) Delivered(ctx context.Context, key pulse.JobKey, conversation string, since time.Time) (pulse.Delivery, bool, error) {
	// A reply in a thread is only in the thread's own history.
	where, thread, err := b.threadOf(ctx, key)
	switch {
	case err != nil:
		return pulse.Delivery{}, false, fmt.Errorf("where %s went: %w", key, err)
	case thread != "":
		return b.deliveredInThread(ctx, key, where, thread)
	case where != "":
		conversation = where
	}
	channel, err := b.conversationOf(ctx, conversation)
	if err != nil {
		return pulse.Delivery{}, false, deliveryError("conversations.open", key, err)
	}
	want := key.String()
	params := &slack.GetConversationHistoryParameters{
		ChannelID:          channel,
		Limit:              historyPage,
		IncludeAllMetadata: true,
		Inclusive:          true,
	}
	if !since.IsZero() {
		params.Oldest = slackTS(since)
	}
	for range historyPages {
		page, err := b.api.GetConversationHistoryContext(ctx, params)
		if err != nil {
			return pulse.Delivery{}, false, deliveryError("conversations.history", key, err)
		}
		for _, m := range page.Messages {
			if m.Metadata.EventType == pulse.MetadataEventType && m.Metadata.EventPayload[pulse.MetadataJobField] == want {
				return pulse.Delivery{Channel: channel, TS: m.Timestamp}, true, nil
			}
		}
		if !page.HasMore || page.ResponseMetaData.NextCursor == "" {
			return pulse.Delivery{}, false, nil
		}
		params.Cursor = page.ResponseMetaData.NextCursor
	}
	b.log.Warn("job's message not found in the history read; taking it as not delivered",
		"job", want, "messages_read", historyPage*historyPages)
	return pulse.Delivery{}, false, nil
}

// conversationOf returns the conversation ID to read: a user's DM channel
// for a user ID, else the ID itself. A DM's ID never changes, so each is
// asked of Slack once per process (or learnt from a post to the user):
// conversations.open is paced at about 50 a minute, and recovery after a
// crash asks about every unconfirmed DM.
func (b *Bot) conversationOf(ctx context.Context, id string) (string, error) {
	if !isUserID(id) {
		return id, nil
	}
	if ch, ok := b.dms.Load(id); ok {
		return ch.(string), nil
	}
	ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{id}})
	if err != nil {
		return "", err
	}
	b.dms.Store(id, ch.ID)
	return ch.ID, nil
}

// sentMessage returns where the job's message went, as the job ledger
// recorded it when it was sent; false when it was not (yet), or is no
// longer recorded. A modal that updates the message it was opened from
// finds it here, not in what its submission carries back.
func (b *Bot) sentMessage(ctx context.Context, key pulse.JobKey) (pulse.Delivery, bool) {
	job, err := b.store.Job(ctx, key)
	switch {
	case pulse.IsNotFound(err):
		return pulse.Delivery{}, false
	case err != nil:
		b.log.Warn("look up a sent message", "job", key.String(), "err", err)
		return pulse.Delivery{}, false
	}
	return pulse.Delivery{Channel: job.Channel, TS: job.TS}, job.Channel != "" && job.TS != ""
}

// isUserID tells a user ID (U…, W…) from a conversation ID (C…, G…, D…).
func isUserID(id string) bool {
	return strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W")
}

// slackTS writes an instant as a Slack message timestamp.
func slackTS(t time.Time) string {
	return fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000)
}

// uploadChart draws the week's chart and uploads it as a reply under the
// posted summary, with files.getUploadURLExternal, the upload, and
// files.completeUploadExternal.
func (b *Bot) uploadChart(ctx context.Context, n pulse.Notice, s pulse.Summary, at pulse.Delivery) error {
	t := b.voice(n.Lang)
	labels := chart.Labels{
		Title:         t.T("notices.chart_title", map[string]any{"Date": t.date(s.Week)}),
		Participation: t.T("notices.chart_participation", nil),
		Energy:        t.T("notices.chart_energy", nil),
		Number:        func(v float64) string { return t.number(v, 1) },
	}
	for _, d := range s.Days {
		labels.Days = append(labels.Days, t.weekday(d.Date.Weekday()))
	}
	png, err := chart.WeekPNG(s, labels)
	if err != nil {
		return fmt.Errorf("draw the chart of %s: %w", n.Key, err)
	}
	_, err = b.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Reader:          bytes.NewReader(png),
		FileSize:        len(png),
		Filename:        "pulse-week-" + s.Week.String() + ".png",
		Title:           t.T("notices.chart_file_title", map[string]any{"Date": t.date(s.Week)}),
		AltTxt:          t.T("notices.chart_alt", nil),
		Channel:         at.Channel,
		ThreadTimestamp: at.TS,
	})
	if err != nil {
		return fmt.Errorf("upload the chart of %s: %w", n.Key, err)
	}
	return nil
}
