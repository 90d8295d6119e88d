package bot

import (
	"github.com/slack-go/slack"
)

// reviewActions is the row of Kept / Partly / Missed buttons for one open
// commitment, wherever it is reviewed (the meeting prompt, the rep's own
// /pulse). Its block ID is the commitment's own, so the review handler can
// replace just these buttons with what was marked.
func reviewActions(commitmentID string, kept, partly, missed *slack.TextBlockObject) *slack.ActionBlock {
	v := packValue(commitmentID)
	return slack.NewActionBlock(reviewBlockID(commitmentID),
		noticeButton(ActionReviewKept, v, kept, slack.StylePrimary),
		noticeButton(ActionReviewPartly, v, partly, slack.StyleDefault),
		noticeButton(ActionReviewMissed, v, missed, slack.StyleDanger),
	)
}

// reviewBlockID is the block ID of a commitment's review buttons.
func reviewBlockID(commitmentID string) string { return "review_" + clipText(commitmentID, 200) }
