package bot

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/salespulse/pulse"
)

// kudosCommand answers /pulse kudos @rep <text>: recognition saved and
// posted to the team channel, in the team's language, naming both people.
func (b *Bot) kudosCommand(ctx context.Context, r *Request) error {
	words, text := SplitArgs(r.Args, 1)
	if len(words) == 0 {
		return pulse.Errorf(pulse.EINVALID, "commands.kudos_usage", nil, "kudos without a mention")
	}
	to, err := MentionArg(words[0])
	if err != nil {
		return err
	}
	if to == r.Actor.UserID {
		return pulse.FieldError("to", "err.kudos_self", nil, "kudos to oneself")
	}
	var team *pulse.Team
	for _, t := range byName(r.Teams) {
		if pulse.CanGiveKudos(r.Actor, t, to) == nil {
			team = t
			break
		}
	}
	if err := pulse.CanGiveKudos(r.Actor, team, to); err != nil {
		return err
	}
	if text == "" {
		return pulse.FieldError("text", "commands.kudos_usage", nil, "kudos without text")
	}
	k := &pulse.Kudos{TeamID: team.ID, From: r.Actor.UserID, To: to, Text: UnescapeText(text), CreatedAt: b.clock.Now()}
	if err := k.Validate(); err != nil {
		return err
	}
	// The channel post is written to the outbox with the kudos, so that it
	// goes out, once, even if this replica stops right after the ack.
	saveCtx := ctx
	if team.Channel != "" {
		post, err := newEffect(team.ID, team.Channel, Message{Text: b.voice(team.Lang).T("commands.kudos_post", map[string]any{
			"From": mention(k.From), "To": mention(k.To), "Text": escapeKeepingMentions(k.Text),
		})})
		if err != nil {
			return err
		}
		saveCtx = pulse.WithEffects(ctx, post)
	}
	if err := b.store.SaveKudos(saveCtx, k); err != nil {
		return fmt.Errorf("save kudos %s→%s in %s: %w", k.From, k.To, k.TeamID, err)
	}
	if team.Channel == "" {
		r.Reply(Message{Text: r.T("commands.kudos_saved_no_channel", map[string]any{"Rep": mention(to)})})
		return nil
	}
	r.Reply(Message{Text: r.T("commands.kudos_saved", map[string]any{"Rep": mention(to), "Channel": channelRef(team.Channel)})})
	b.sendEffectsLater(r, saveCtx)
	return nil
}

// slackRef matches what looks like Slack markup: <@U…>, <#C…>, <!here>, a link.
var slackRef = regexp.MustCompile(`<[^<>]*>`)

// escapeKeepingMentions escapes text for mrkdwn but keeps well-formed user
// and channel mentions, so "thanks to <@U123> too" still names the person
// in the channel. Broadcasts (<!channel>), links and anything else are
// escaped and read as typed.
func escapeKeepingMentions(text string) string {
	var b strings.Builder
	last := 0
	for _, loc := range slackRef.FindAllStringIndex(text, -1) {
		ref := text[loc[0]:loc[1]]
		_, isUser := ParseMention(ref)
		_, isChannel := ParseChannel(ref)
		if !isUser && !isChannel {
			continue
		}
		b.WriteString(mrkdwnEscape(text[last:loc[0]]))
		b.WriteString(ref)
		last = loc[1]
	}
	b.WriteString(mrkdwnEscape(text[last:]))
	return b.String()
}
