package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// awayCommand answers /pulse away <from> [<to>]: the rep is away on those
// days, both included, and no check-in is asked of them. With no dates it
// opens the away modal.
func (b *Bot) awayCommand(ctx context.Context, r *Request) error {
	team, _, err := repTeam(r)
	if err != nil {
		return err
	}
	words, rest := SplitArgs(r.Args, 2)
	if len(words) == 0 {
		today := b.today(b.personZone(r, team.Location()))
		return openModal(ctx, r, awayModal(r, today))
	}
	if rest != "" {
		return pulse.Errorf(pulse.EINVALID, "commands.away_usage", nil, "away with extra words")
	}
	from, err := ParseDate(words[0])
	if err != nil {
		return err
	}
	to := from
	if len(words) == 2 {
		if to, err = ParseDate(words[1]); err != nil {
			return err
		}
	}
	a, err := b.saveAway(ctx, r, from, to)
	if err != nil {
		return err
	}
	r.Reply(Message{Text: awaySaved(r, a)})
	return nil
}

// awaySubmit saves the away modal; dates out of order show under "to".
func (b *Bot) awaySubmit(ctx context.Context, r *Request) error {
	if _, _, err := repTeam(r); err != nil {
		return err
	}
	var errs pulse.ValidationErrors
	from, ferr := stateDate(r, "from")
	if ferr != nil {
		errs = append(errs, ferr)
	}
	to, terr := stateDate(r, "to")
	if terr != nil {
		errs = append(errs, terr)
	}
	if len(errs) > 0 {
		return errs
	}
	a, err := b.saveAway(ctx, r, from, to)
	if err != nil {
		return err
	}
	r.Reply(Message{Text: awaySaved(r, a)})
	return nil
}

// saveAway validates and stores one away period of the person.
func (b *Bot) saveAway(ctx context.Context, r *Request, from, to pulse.Date) (*pulse.AwayPeriod, error) {
	a := &pulse.AwayPeriod{UserID: r.Actor.UserID, From: from, To: to}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := b.store.AddAway(ctx, a); err != nil {
		return nil, fmt.Errorf("save away %s %s–%s: %w", a.UserID, a.From, a.To, err)
	}
	return a, nil
}

func awaySaved(r *Request, a *pulse.AwayPeriod) string {
	if a.From == a.To {
		return r.T("commands.away_saved_day", map[string]any{"Day": r.date(a.From)})
	}
	return r.T("commands.away_saved", map[string]any{"From": r.date(a.From), "To": r.date(a.To)})
}

// awayModal asks for the first and last day away, both today at first.
func awayModal(r *Request, today pulse.Date) slack.ModalViewRequest {
	return modal(r, ViewAway, "commands.away_title", "",
		dateInput("from", r.T("commands.away_from", nil), today),
		dateInput("to", r.T("commands.away_to", nil), today),
	)
}
