package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"
)

// help answers /pulse help with the commands the person may use, in their
// language, seen by them only.
func (b *Bot) help(_ context.Context, r *Request) error {
	key := helpKey(r)
	if m, ok := b.helpCache.Load(key); ok {
		r.Reply(m.(Message))
		return nil
	}
	m := Message{Text: r.T("help.title", nil), Blocks: helpBlocks(r)}
	// Encode once: the same person asks the same help many times, and
	// the blocks are most of an ack's cost.
	if raw, err := m.MarshalJSON(); err == nil {
		m.raw = raw
	}
	if b.helpCached.Add(1) > helpCacheSize {
		b.helpCache.Clear()
		b.helpCached.Store(0)
	}
	b.helpCache.Store(key, m)
	r.Reply(m)
	return nil
}

// helpCacheSize bounds the distinct help messages kept: one per language,
// role and list of teams.
const helpCacheSize = 1024

// helpKey is everything helpBlocks depends on.
func helpKey(r *Request) string {
	var k strings.Builder
	k.WriteString(string(r.lang))
	if r.Actor.Admin {
		k.WriteString("|admin")
	}
	for _, t := range r.Teams {
		k.WriteString("|")
		if t.IsRep(r.Actor.UserID) {
			k.WriteString("r")
		}
		if t.IsManager(r.Actor.UserID) {
			k.WriteString("m")
		}
		k.WriteString(":")
		k.WriteString(t.Name)
	}
	return k.String()
}

// unknownCommand answers a /pulse word no handler takes: a sentence naming
// it, then the help.
func (b *Bot) unknownCommand(_ context.Context, r *Request) error {
	word, _, _ := strings.Cut(strings.TrimSpace(r.Command.Text), " ")
	word = echoText(UnescapeText(word))
	// Backticks would end the code span the sentence puts the word in.
	word = strings.ReplaceAll(word, "`", "'")
	text := mrkdwnEscape(r.T("command.unknown", map[string]any{"Command": word}))
	blocks := append([]slack.Block{mrkdwnSection(text)}, helpBlocks(r)...)
	r.Reply(Message{Text: text, Blocks: blocks})
	return nil
}

// helpBlocks lists the commands by role: everyone's, then a rep's, a
// manager's and an admin's, each only for those who are one.
func helpBlocks(r *Request) []slack.Block {
	user := r.Actor.UserID
	var rep, manager bool
	var names []string
	for _, t := range r.Teams {
		rep = rep || t.IsRep(user)
		manager = manager || t.IsManager(user)
		names = append(names, t.Name)
	}

	blocks := []slack.Block{
		headerBlock(r.T(limit("help.title", maxHeaderText), nil)),
		mrkdwnSection(mrkdwnEscape(r.T("help.intro", nil))),
	}
	if len(names) > 0 {
		const shown = 10
		list := strings.Join(names[:min(len(names), shown)], ", ")
		if len(names) > shown {
			list += ", …"
		}
		blocks = append(blocks, mrkdwnSection(mrkdwnEscape(r.Plural("help.your_teams", len(names), map[string]any{"Names": list}))))
	} else {
		blocks = append(blocks, mrkdwnSection(mrkdwnEscape(r.T("help.no_team", nil))))
	}

	group := func(heading string, keys ...string) slack.Block {
		lines := []string{r.T(heading, nil)}
		for _, k := range keys {
			lines = append(lines, "• "+r.T(k, nil))
		}
		return mrkdwnSection(mrkdwnEscape(strings.Join(lines, "\n")))
	}
	everyone := []string{"help.help", "help.lang", "help.holidays"}
	if len(r.Teams) > 0 {
		everyone = append(everyone, "help.kudos", "help.contest")
		if r.bot.cfg.WebURL != "" {
			everyone = append(everyone, "help.web")
		}
	}
	blocks = append(blocks, group("help.everyone_heading", everyone...))
	if rep {
		blocks = append(blocks, group("help.rep_heading",
			"help.status_rep", "help.checkin", "help.commit", "help.away", "help.goal", "help.plan_rep"))
	}
	if manager {
		blocks = append(blocks, group("help.manager_heading",
			"help.status_manager", "help.rep", "help.digest", "help.training", "help.oneonone", "help.export", "help.crm", "help.setup", "help.questions",
			"help.plan_manager", "help.contest_manager"))
	}
	if r.Actor.Admin && !manager {
		blocks = append(blocks, group("help.admin_heading", "help.setup"))
	}
	return blocks
}

// PostMessage posts m to a channel, or as a direct message to a user ID,
// and returns its ts. Like every call through API, it is paced per channel
// and waits out rate limits; ctx bounds the wait.
func (b *Bot) PostMessage(ctx context.Context, channel string, m Message) (ts string, err error) {
	_, ts, err = b.api.PostMessageContext(ctx, channel, msgOptions(m)...)
	return ts, wrapAPI("chat.postMessage", err)
}
