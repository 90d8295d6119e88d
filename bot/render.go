package bot

import (
	"context"
	"sync"

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
	k := newSectionPacker(t, maxSections)
	defer k.release()
	for i, l := range lines {
		if !k.line(func(b []byte) []byte { return append(b, l...) }) {
			return k.blocks(len(lines) - i)
		}
	}
	return k.blocks(0)
}

// sectionPacker writes lines into mrkdwn sections as packLines packs them,
// each line written once, straight into the section's text: a list of
// fifty reps' paces is fifty sentences, and a string for each, joined
// after, was a tenth of what a manager's /pulse allocated.
type sectionPacker struct {
	t    voice
	max  int
	buf  *[]byte // the section being written, pooled
	out  []slack.Block
	full bool // a line found no room in the last section
}

var sectionBufs = sync.Pool{New: func() any { b := make([]byte, 0, maxSectionChars+maxLineChars); return &b }}

// newSectionPacker packs lines into at most max sections.
func newSectionPacker(t voice, max int) *sectionPacker {
	return &sectionPacker{t: t, max: max, buf: sectionBufs.Get().(*[]byte)}
}

// line writes one line with write, which appends it to the bytes it is
// given; false when it found no room, and no line after it will.
func (k *sectionPacker) line(write func([]byte) []byte) bool {
	if k.full {
		return false
	}
	b := *k.buf
	mark := len(b)
	if mark > 0 {
		b = append(b, '\n')
	}
	start := len(b)
	b = write(b)
	// A line fits when it and a newline do, as the first of a section too.
	if len(b)-start+1 > maxSectionChars-mark {
		if len(k.out) == k.max-1 {
			*k.buf, k.full = b[:mark], true
			return false
		}
		// The line goes first in a section of its own.
		line := b[start:]
		k.flush(b[:mark])
		b = b[:copy(b, line)]
	}
	*k.buf = b
	return true
}

// flush ends the section holding text.
func (k *sectionPacker) flush(text []byte) {
	if len(text) > 0 {
		k.out = append(k.out, mrkdwnSection(string(text)))
	}
}

// blocks returns the sections written, the last saying how many lines
// more there were when more is not zero.
func (k *sectionPacker) blocks(more int) []slack.Block {
	b := *k.buf
	if more > 0 {
		b = append(b, '\n')
		b = append(b, k.t.Plural("notices.more", more, map[string]any{"Count": k.t.count(more)})...)
	}
	k.flush(b)
	*k.buf = b[:0]
	return k.out
}

// release hands the packer's buffer back.
func (k *sectionPacker) release() {
	if cap(*k.buf) <= 2*(maxSectionChars+maxLineChars) {
		*k.buf = (*k.buf)[:0]
		sectionBufs.Put(k.buf)
	}
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
