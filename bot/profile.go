package bot

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse"
)

// langCommand answers /pulse lang <en|nb|ru|pl>: it sets the language
// Pulse speaks to the person and answers in that language, so they see
// at once that it took.
func (b *Bot) langCommand(ctx context.Context, r *Request) error {
	arg := UnescapeText(r.Args)
	lang, ok := pulse.ParseLang(arg)
	if !ok || arg == "" {
		return pulse.FieldError("lang", "err.lang", map[string]any{"Value": arg}, "unknown language %q", arg)
	}
	p, err := b.loadPerson(ctx, r)
	if err != nil {
		return err
	}
	p.Lang = lang
	if err := p.Validate(); err != nil {
		return err
	}
	if err := b.store.SavePerson(ctx, p); err != nil {
		return fmt.Errorf("save language of %s: %w", p.ID, err)
	}
	r.voice = b.voice(lang) // the answer is in the new language
	r.Reply(Message{Text: r.T("commands.lang_saved", map[string]any{"Lang": langName(lang)})})
	return nil
}

// goalCommand answers /pulse goal <text>: the rep's personal goal, the
// "why" that check-ins remind them of.
func (b *Bot) goalCommand(ctx context.Context, r *Request) error {
	if _, _, err := repTeam(r); err != nil {
		return err
	}
	if r.Args == "" {
		return pulse.FieldError("goal", "commands.goal_usage", nil, "goal without text")
	}
	p, err := b.loadPerson(ctx, r)
	if err != nil {
		return err
	}
	p.Goal = UnescapeText(r.Args)
	if err := p.Validate(); err != nil {
		return err
	}
	if err := b.store.SavePerson(ctx, p); err != nil {
		return fmt.Errorf("save goal of %s: %w", p.ID, err)
	}
	r.Reply(Message{Text: r.T("commands.goal_saved", map[string]any{"Goal": mrkdwnEscape(p.Goal)})})
	return nil
}

// langName is a language's name in that language: a person looking for
// their own language finds it whatever language Pulse speaks now.
func langName(l pulse.Lang) string {
	switch l {
	case pulse.Norwegian:
		return "Norsk bokmål"
	case pulse.Russian:
		return "Русский"
	case pulse.Polish:
		return "Polski"
	}
	return "English"
}
