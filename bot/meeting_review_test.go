package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

// Pressing a review button on the weekly meeting prompt rewrites the
// prompt: the buttons give way to who marked what, and the list of last
// week's commitments at the top shows the new status too.
func TestMeetingPromptListShowsTheStatusAReviewSet(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	last := noticeDay.AddDays(-7)
	book := &pulse.Commitment{TeamID: team.ID, UserID: "U0REP1", Week: last, Text: "Book 5 demos", Due: last.AddDays(4), Status: pulse.CommitmentOpen}
	calls := &pulse.Commitment{TeamID: team.ID, UserID: "U0REP1", Week: last, Text: "Call 40 leads", Due: last.AddDays(4), Status: pulse.CommitmentKept}
	for _, c := range []*pulse.Commitment{book, calls} {
		if err := h.DB.SaveCommitment(t.Context(), c); err != nil {
			t.Fatal(err)
		}
	}
	_, m := deliver(h, pulse.Notice{Key: pulse.MeetingKey(team.ID, noticeDay), Team: team, To: team.Channel, Lang: pulse.English,
		Payload: pulse.MeetingNotice{Week: noticeDay, MeetingAt: time.Date(2026, 3, 2, 10, 0, 0, 0, team.Location()), LastWeek: last,
			Reps: []pulse.RepCommitments{{Rep: "U0REP1", Commitments: []pulse.Commitment{*book, *calls}}, {Rep: "U0REP2"}}}})
	line := func(emoji, status string, c *pulse.Commitment) string {
		return noticeText(h, "notices.meeting_line", map[string]any{"Emoji": emoji, "Rep": "<@U0REP1>", "Text": c.Text, "Status": noticeText(h, "notices.status_"+status, nil)})
	}
	if got := blocksText(m.Blocks); !strings.Contains(got, line("⏳", "open", book)) {
		t.Fatalf("the prompt does not list the open commitment as open:\n%s", got)
	}

	h.ack(pressNotice(h, "U0REP1", m, buttonsOf(t, m)[bot.ActionReviewKept]), 1)
	var got string
	h.waitFor("the prompt updated", func() bool {
		for _, u := range h.Slack.Messages(m.Channel) {
			if u.Updated && u.TS == m.TS {
				got = blocksText(u.Blocks)
				return true
			}
		}
		return false
	})
	marked := noticeText(h, "commands.review_marked_kept", map[string]any{"By": "<@U0REP1>", "Rep": "<@U0REP1>", "Text": book.Text})
	for _, want := range []string{line("✅", "kept", book), line("✅", "kept", calls), noticeText(h, "notices.meeting_rep_none", map[string]any{"Rep": "<@U0REP2>"}), marked} {
		if !strings.Contains(got, want) {
			t.Errorf("the updated prompt lacks %q:\n%s", want, got)
		}
	}
	if open := line("⏳", "open", book); strings.Contains(got, open) {
		t.Errorf("the updated prompt still lists %q above %q:\n%s", open, marked, got)
	}
}
