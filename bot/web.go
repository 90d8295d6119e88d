package bot

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse"
)

// webCommand answers /pulse web with a one-time link that signs the
// person in to the web dashboard. The answer is ephemeral, so the link
// reaches no one else; only its hash is stored.
func (b *Bot) webCommand(ctx context.Context, r *Request) error {
	if b.cfg.WebURL == "" {
		r.Reply(Message{Text: r.T("web.off", nil)})
		return nil
	}
	token, hash, err := pulse.NewToken()
	if err != nil {
		return err
	}
	now := b.clock.Now()
	link := &pulse.SignIn{Hash: hash, UserID: r.Actor.UserID, CreatedAt: now, ExpiresAt: now.Add(pulse.SignInTTL)}
	if err := b.store.SaveSignIn(ctx, link); err != nil {
		return fmt.Errorf("sign-in link for %s: %w", r.Actor.UserID, err)
	}
	r.Reply(Message{Text: r.T("web.link", map[string]any{"URL": pulse.SignInURL(b.cfg.WebURL, token)})})
	return nil
}
