package bot

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/export"
)

// exportDays is what /pulse export covers without dates: the last four
// weeks, today included.
const exportDays = 28

// exportCSV answers /pulse export [team] [from] [to]: a team's check-ins as
// a CSV file, sent to the manager who asked in a DM. The permission and the
// range are checked before the ack; the file is built and uploaded after it.
// A manager of several teams names the team before the dates.
func (b *Bot) exportCSV(ctx context.Context, r *Request) error {
	// The team's name as typed: Slack sends "R&D" as "R&amp;D".
	words := strings.Fields(UnescapeText(r.Args))
	var dates []pulse.Date
	for len(words) > 0 && len(dates) < 2 {
		d, err := ParseDate(words[len(words)-1])
		if err != nil {
			if looksLikeDate(words[len(words)-1]) {
				return err
			}
			break
		}
		dates = append([]pulse.Date{d}, dates...)
		words = words[:len(words)-1]
	}
	name := strings.Join(words, " ")

	managed := managedTeams(r)
	var team *pulse.Team
	switch {
	case name != "":
		for _, t := range managed {
			if strings.EqualFold(t.Name, name) {
				team = t
			}
		}
	case len(managed) == 1:
		team = managed[0]
	case len(managed) > 1:
		r.Reply(Message{Text: r.T("export.which_team", nil)})
		return nil
	}
	if err := pulse.CanExport(r.Actor, team); err != nil {
		return err
	}

	today := pulse.DateOf(b.clock.Now().In(team.Location()))
	to := today
	if len(dates) == 2 {
		to = dates[1]
	}
	from := to.AddDays(1 - exportDays)
	if len(dates) > 0 {
		from = dates[0]
	}
	if len(dates) == 1 {
		to = today
	}
	switch {
	case to.Before(from):
		return pulse.FieldError("to", "err.date_order", map[string]any{"From": from.String(), "To": to.String()}, "export from %s to %s", from, to)
	case from.DaysUntil(to) >= export.MaxDays:
		return pulse.Errorf(pulse.EINVALID, "export.too_long", map[string]any{"Max": export.MaxDays}, "export of %d days", from.DaysUntil(to)+1)
	}

	release, err := b.exports.take(r.Actor.UserID)
	if err != nil {
		return err
	}
	data := map[string]any{"Team": mrkdwnEscape(team.Name), "From": r.date(from), "To": r.date(to)}
	r.Reply(Message{Text: r.T("export.preparing", data)})
	lang, user := r.lang, r.Actor.UserID
	r.Later(func(ctx context.Context) error {
		defer release()
		return b.sendExport(ctx, lang, user, team, from, to, today)
	})
	return nil
}

// exportSlots counts the exports being made, each person's and in all,
// so that pulse.CanStartExport can bound them.
type exportSlots struct {
	mu      sync.Mutex
	max     int
	all     int
	running map[string]int // by person
}

// take starts an export for user when CanStartExport allows it, and
// returns the function that ends it.
func (s *exportSlots) take(user string) (release func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := pulse.CanStartExport(s.running[user], s.all, s.max); err != nil {
		return nil, err
	}
	if s.running == nil {
		s.running = map[string]int{}
	}
	s.running[user]++
	s.all++
	return sync.OnceFunc(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.running[user]--; s.running[user] <= 0 {
			delete(s.running, user)
		}
		s.all--
	}), nil
}

// sendExport writes the file to a temporary file, reading the store a
// week at a time (export.Write), and uploads it from there into the
// manager's DM: neither the range nor the file is ever held in memory.
// The temporary file is removed afterwards, sent or not.
func (b *Bot) sendExport(ctx context.Context, lang pulse.Lang, user string, team *pulse.Team, from, to, today pulse.Date) error {
	f, err := os.CreateTemp(b.cfg.TempDir, "pulse-export-*.csv")
	if err != nil {
		return fmt.Errorf("export %s: %w", team.ID, err)
	}
	defer func() {
		f.Close()
		os.Remove(f.Name())
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	h := export.HeadersFrom(func(k string) string { return b.voice(lang).T(k, nil) })
	rows, err := export.Write(ctx, bw, b.store, team, from, to, today, h, export.Options{})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("write the export of %s to %s: %w", team.ID, f.Name(), err)
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		return fmt.Errorf("read back the export of %s: %w", team.ID, err)
	}
	dm, err := b.conversationOf(ctx, user)
	if err != nil {
		return wrapAPI("conversations.open", err)
	}
	data := map[string]any{"Team": mrkdwnEscape(team.Name), "From": b.voice(lang).date(from), "To": b.voice(lang).date(to), "Rows": b.voice(lang).count(rows)}
	_, err = b.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Reader:         f,
		FileSize:       int(size),
		Filename:       export.Filename(team.Name, from, to),
		Title:          export.Filename(team.Name, from, to),
		InitialComment: b.voice(lang).Plural("export.done", rows, data),
		Channel:        dm,
	})
	if err != nil {
		return fmt.Errorf("upload the export of %s: %w", team.ID, err)
	}
	return nil
}

// looksLikeDate tells a mistyped date (2026-13-40) from a word of a team's
// name, so the person hears about the date instead of an unknown team.
func looksLikeDate(s string) bool {
	return len(s) >= 8 && strings.Count(s, "-") == 2 && strings.Trim(s, "0123456789-") == ""
}
