package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// render turns a notice into the message that delivers it, in the notice's
// language. Each kind is rendered in one place: render_<kind>.go.
func (b *Bot) render(ctx context.Context, n pulse.Notice) (outgoing, error) {
	switch p := n.Payload.(type) {
	case pulse.CheckInNotice:
		rep, err := b.store.Person(ctx, p.Rep)
		if err != nil {
			rep = nil // greeted by mention, in the team's zone
		}
		return renderCheckIn(b.voice(n.Lang), n, p, rep, b.clock.Now()), nil
	case pulse.ReminderNotice:
		return b.renderReminder(n, p), nil
	case pulse.MeetingNotice:
		return b.renderMeeting(n, p), nil
	case pulse.NudgeNotice:
		return b.renderNudge(n, p), nil
	case pulse.CoachingNotice:
		// The rep's 1:1 agenda, gathered now, goes with the reminder.
		items, err := b.repAgenda(ctx, n.Team, p.Rep)
		if err != nil {
			return outgoing{}, err
		}
		return renderCoaching(b.voice(n.Lang), p, items), nil
	case pulse.SummaryNotice:
		return b.renderSummary(n, p), nil
	case pulse.BlockerNotice:
		return b.renderBlocker(n, p), nil
	case pulse.DailyThreadNotice:
		return b.renderDailyThread(n, p), nil
	case pulse.ContestNotice:
		return b.renderContest(n, p), nil
	case pulse.ContestEndNotice:
		return b.renderContestEnd(n, p), nil
	case pulse.EveningNotice:
		return b.renderEvening(n, p), nil
	case pulse.DigestNotice:
		d, err := b.gatherDigest(ctx, n.Team, p.Leader, p.Date)
		if err != nil {
			return outgoing{}, err
		}
		m := b.renderDigest(d, n.Lang, zoneIn(b.personOf(ctx, p.Leader), n.Team))
		return outgoing{text: m.Text, blocks: m.Blocks}, nil
	case pulse.LeaderWeekNotice:
		this, last, err := b.leaderWeek(ctx, n.Team, p)
		if err != nil {
			return outgoing{}, err
		}
		return renderLeaderWeek(b.voice(n.Lang), n.Team, p, this, last), nil
	case pulse.CRMRefusedNotice:
		return b.renderCRMRefused(n, p), nil
	}
	return outgoing{}, pulse.Errorf(pulse.EINVALID, "err.internal", nil, "no rendering for a %T payload", n.Payload)
}

// Limits a rendered message keeps to, inside Slack's (FACTS.md): a message
// holds at most 50 blocks and a section's text at most 3,000 characters.
const (
	maxMessageBlocks = 50
	maxSectionChars  = 2900 // a margin under 3,000 for escapes and joins
	maxQuoteChars    = 1000 // what a person wrote, quoted back in full
	maxLineChars     = 200  // what a person wrote, on one line of a list
)

// packLines packs lines into as few sections as fit Slack's section
// limit, at most maxSections; lines that do not fit are counted and, when
// any, a last line says how many more there are.
func packLines(t voice, lines []string, maxSections int) []slack.Block {
	var out []slack.Block
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, mrkdwnSection(cur.String()))
			cur.Reset()
		}
	}
	rest := 0 // the length of the lines not yet written, newlines included
	for _, l := range lines {
		rest += len(l) + 1
	}
	for i, l := range lines {
		fits := cur.Len()+len(l)+1 <= maxSectionChars
		if !fits {
			if len(out) == maxSections-1 {
				more := len(lines) - i
				cur.WriteString("\n" + t.Plural("notices.more", more, map[string]any{"Count": t.count(more)}))
				flush()
				return out
			}
			flush()
		}
		if cur.Len() > 0 {
			cur.WriteString("\n")
		} else {
			// A section's text is built in one buffer, not grown line by line.
			cur.Grow(min(rest, maxSectionChars))
		}
		cur.WriteString(l)
		rest -= len(l) + 1
	}
	flush()
	return out
}

// capNoticeBlocks keeps a message within Slack's block limit, whatever a
// renderer built: the last blocks (the buttons) are kept.
func capNoticeBlocks(blocks []slack.Block, keepLast int) []slack.Block {
	if len(blocks) <= maxMessageBlocks {
		return blocks
	}
	head := blocks[:maxMessageBlocks-keepLast]
	return append(head[:len(head):len(head)], blocks[len(blocks)-keepLast:]...)
}

// greetName is how a DM greets a person: the name Slack gave, as stored, else
// a mention of userID. p may be nil.
func greetName(p *pulse.Person, userID string) string {
	if p != nil && p.Name != "" {
		return mrkdwnEscape(p.Name)
	}
	return mention(userID)
}
