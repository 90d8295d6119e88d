package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// reviewStatus maps each review button to the status it sets.
var reviewStatus = map[string]pulse.CommitmentStatus{
	ActionReviewKept:   pulse.CommitmentKept,
	ActionReviewPartly: pulse.CommitmentPartly,
	ActionReviewMissed: pulse.CommitmentMissed,
}

// reviewButton marks a commitment kept, partly kept or missed. The rep
// whose commitment it is, or a manager of its team, may set it; the last
// word stands. The message the buttons sit on is updated in place: the
// buttons' block gives way to a line saying what was marked and by whom,
// the meeting prompt's list of commitments, when it is that, shows their
// statuses as they stand now, and the rest of the message is kept.
func (b *Bot) reviewButton(ctx context.Context, r *Request) error {
	status, ok := reviewStatus[r.Action.ActionID]
	if !ok {
		return fmt.Errorf("review action %q has no status", r.Action.ActionID)
	}
	parts, ok := unpackValue(r.Action.Value, 1)
	if !ok || parts[0] == "" {
		return fmt.Errorf("review value %q is not a commitment ID", r.Action.Value)
	}
	c, err := b.store.Commitment(ctx, parts[0])
	if err != nil {
		return err
	}
	team, err := b.store.Team(ctx, c.TeamID)
	if err != nil {
		return err
	}
	// The people who may see the rep's commitments are the rep and the
	// team's managers: the same people who hold the rep to account.
	if err := pulse.CanSeeRep(r.Actor, team, c.UserID); err != nil {
		return err
	}
	now := b.clock.Now()
	c, err = b.store.UpdateCommitment(ctx, c.ID, func(c *pulse.Commitment) error {
		c.Status, c.ReviewedAt = status, now
		return nil
	})
	if err != nil {
		return fmt.Errorf("review commitment %s: %w", parts[0], err)
	}
	lang := reviewLang(r, team)
	line := b.voice(lang).T("commands.review_marked_"+string(status), map[string]any{
		"Rep": mention(c.UserID), "By": mention(r.Actor.UserID), "Text": inlineText(c.Text, 200),
	})
	blocks := reviewedBlocks(r, line)
	if slices.ContainsFunc(blocks, isMeetingList) {
		cs, err := b.store.TeamCommitments(ctx, team.ID, c.Week, c.Week)
		if err != nil {
			return fmt.Errorf("load commitments of team %s for %s: %w", team.ID, c.Week, err)
		}
		list, _ := meetingList(b.voice(lang), pulse.CommitmentsByRep(team.Reps, cs))
		blocks = withMeetingList(blocks, list)
	}
	r.Reply(Message{Text: line, Blocks: blocks, ReplaceOriginal: true})
	return nil
}

// isMeetingList reports whether a block is one of the meeting prompt's
// sections listing commitments.
func isMeetingList(bl slack.Block) bool { return strings.HasPrefix(bl.ID(), meetingListBlock) }

// withMeetingList puts list in place of the meeting prompt's list sections.
func withMeetingList(blocks, list []slack.Block) []slack.Block {
	out := make([]slack.Block, 0, len(blocks)+len(list))
	placed := false
	for _, bl := range blocks {
		switch {
		case !isMeetingList(bl):
			out = append(out, bl)
		case !placed:
			out = append(out, list...)
			placed = true
		}
	}
	return out
}

// reviewLang is the language of the line that replaces the review buttons:
// on the meeting prompt in the team channel the whole team reads it, in the
// team's language; anywhere else (an answer only the presser sees, a DM) it
// is the presser's.
func reviewLang(r *Request, team *pulse.Team) pulse.Lang {
	c := r.Interaction.Container
	if !c.IsEphemeral && c.ChannelID != "" && c.ChannelID == team.Channel {
		return langFor(nil, team)
	}
	return r.lang
}

// reviewedBlocks is the message the buttons sat on, with the pressed
// buttons' block replaced by line; just line when the interaction did not
// carry the message.
func reviewedBlocks(r *Request, line string) []slack.Block {
	done := contextBlockID(r.Action.BlockID, line)
	orig := r.Interaction.Message.Blocks.BlockSet
	if len(orig) == 0 {
		return []slack.Block{mrkdwnSection(line)}
	}
	out := make([]slack.Block, 0, len(orig))
	replaced := false
	for _, bl := range orig {
		if a, ok := bl.(*slack.ActionBlock); ok && a.BlockID == r.Action.BlockID && !replaced {
			out = append(out, done)
			replaced = true
			continue
		}
		out = append(out, bl)
	}
	if !replaced {
		out = append(out, done)
	}
	if len(out) > 50 {
		out = out[len(out)-50:]
	}
	return out
}
