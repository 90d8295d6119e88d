package bot

import (
	"strconv"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// How much of a big team the meeting prompt lists: the commitments as lines
// in a few sections, and review buttons for the first open ones; the rest
// is counted. With every part at its cap the prompt has 41 blocks.
const (
	meetingCommitmentSections = 6
	meetingBlockerSections    = 2
	meetingReviewButtons      = 12
)

// renderMeeting prompts the team channel before the weekly meeting: last
// week's commitments per rep with their status, the open blockers and how
// long each has been open, the training in focus, review buttons for the
// open commitments, and the button to add this week's commitment.
func (b *Bot) renderMeeting(n pulse.Notice, p pulse.MeetingNotice) outgoing {
	t := b.voice(n.Lang)
	date, at := t.date(p.Week), t.clock(p.MeetingAt, n.Team.Location())
	if !p.MeetingAt.IsZero() {
		date = t.date(pulse.DateOf(p.MeetingAt))
	}
	blocks := []slack.Block{
		headerBlock(t.T(limit("notices.meeting_header", maxHeaderText), map[string]any{"Date": date, "Time": at})),
		mrkdwnSection(t.T("notices.meeting_intro", nil)),
	}

	list, open := meetingList(t, p.Reps)
	blocks = append(blocks, list...)

	// Review buttons for the open ones, as many as fit.
	if len(open) > 0 {
		blocks = append(blocks, slack.NewDividerBlock(), mrkdwnSection(t.T("notices.meeting_review_heading", nil)))
		for i, c := range open {
			if i == meetingReviewButtons {
				rest := len(open) - i
				blocks = append(blocks, contextBlock(t.Plural("notices.meeting_review_rest", rest, map[string]any{"Count": t.count(rest)})))
				break
			}
			blocks = append(blocks,
				mrkdwnSection(t.T("notices.meeting_review_item", map[string]any{"Rep": mention(c.UserID), "Text": listText(c.Text)})),
				reviewActions(c.ID, t.plainText(limit("notices.review_kept", maxButtonText)), t.plainText(limit("notices.review_partly", maxButtonText)), t.plainText(limit("notices.review_missed", maxButtonText))))
		}
	}

	// Open blockers, oldest first, with how long each has been open.
	blocks = append(blocks, slack.NewDividerBlock())
	if len(p.OpenBlockers) == 0 {
		blocks = append(blocks, mrkdwnSection(t.T("notices.meeting_no_blockers", nil)))
	} else {
		day := pulse.DateOf(p.MeetingAt)
		lines := []string{t.T("notices.meeting_blockers_heading", nil)}
		for _, bl := range p.OpenBlockers {
			days := max(bl.Date.DaysUntil(day), 0)
			lines = append(lines, t.Plural("notices.meeting_blocker_line", days, map[string]any{
				"Rep": mention(bl.UserID), "Text": listText(bl.Text), "Count": t.count(days),
			}))
		}
		blocks = append(blocks, packLines(t, lines, meetingBlockerSections)...)
	}
	if p.Focus != nil {
		blocks = append(blocks, mrkdwnSection(t.T("notices.meeting_focus", map[string]any{
			"Skill": listText(p.Focus.Skill), "Date": t.date(p.Focus.Date),
		})))
	}
	blocks = append(blocks,
		mrkdwnSection(t.T("notices.meeting_add_hint", nil)),
		slack.NewActionBlock("", noticeButton(ActionAddCommitment, packValue(n.Team.ID, p.Week.String()),
			t.plainText(limit("notices.button_add_commitment", maxButtonText)), slack.StylePrimary)),
	)
	return outgoing{
		text:   t.T("notices.meeting_text", map[string]any{"Date": date, "Time": at}),
		blocks: capNoticeBlocks(blocks, 2),
	}
}

// meetingListBlock begins the block IDs of the sections that list the
// prompt's commitments, so that a review can find them and show the status
// it set (see reviewButton).
const meetingListBlock = "meeting_list_"

// meetingList is the prompt's list of last week's commitments, one line
// each, a rep without any on a line of their own so that nobody is passed
// over, and the commitments still open.
func meetingList(t voice, reps []pulse.RepCommitments) (blocks []slack.Block, open []pulse.Commitment) {
	lines := []string{t.T("notices.meeting_commitments_heading", nil)}
	for _, rc := range reps {
		if len(rc.Commitments) == 0 {
			lines = append(lines, t.T("notices.meeting_rep_none", map[string]any{"Rep": mention(rc.Rep)}))
			continue
		}
		for _, c := range rc.Commitments {
			emoji, status := commitmentStatus(c.Status)
			lines = append(lines, t.T("notices.meeting_line", map[string]any{
				"Emoji": emoji, "Rep": mention(c.UserID), "Text": listText(c.Text), "Status": t.T(status, nil),
			}))
			if c.Status == pulse.CommitmentOpen || c.Status == "" {
				open = append(open, c)
			}
		}
	}
	if len(reps) == 0 {
		lines = append(lines, t.T("notices.meeting_no_reps", nil))
	}
	blocks = packLines(t, lines, meetingCommitmentSections)
	for i, bl := range blocks {
		bl.(*slack.SectionBlock).BlockID = meetingListBlock + strconv.Itoa(i)
	}
	return blocks, open
}

// commitmentStatus is a commitment's status as an emoji and its word's key.
func commitmentStatus(s pulse.CommitmentStatus) (emoji, key string) {
	switch s {
	case pulse.CommitmentKept:
		return "✅", "notices.status_kept"
	case pulse.CommitmentPartly:
		return "🟡", "notices.status_partly"
	case pulse.CommitmentMissed:
		return "❌", "notices.status_missed"
	}
	return "⏳", "notices.status_open"
}
