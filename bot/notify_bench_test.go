package bot_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

// BenchmarkNoticesDirectoryCached measures Person for a profile fetched
// within the day: what the engine pays per team member at every tick.
func BenchmarkNoticesDirectoryCached(b *testing.B) {
	h := start(b)
	h.Slack.AddUser(slackUser("U0REP1", "Maria", "Europe/Oslo", false))
	ctx := context.Background()
	if _, err := h.Bot.Person(ctx, "U0REP1"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := h.Bot.Person(ctx, "U0REP1"); err != nil {
			b.Fatal(err)
		}
	}
	if n := len(h.Slack.CallsTo("users.info")); n != 1 {
		b.Errorf("%d calls to users.info, want 1", n)
	}
}

// BenchmarkNoticesDeliverMeeting250 measures rendering and posting the
// meeting prompt of a 250-rep team to the stand-in.
func BenchmarkNoticesDeliverMeeting250(b *testing.B) {
	h := start(b, withConfig(func(c *bot.Config) { c.NoPacing = true }))
	h.Slack.AddChannel("C0SALES", "sales")
	var reps []string
	for i := range 250 {
		reps = append(reps, "U1"+strconv.Itoa(1000+i))
	}
	team := h.createTeam("Everyone", []string{"U0MGR"}, reps)
	p := pulse.MeetingNotice{Week: noticeDay, MeetingAt: time.Date(2026, 3, 2, 10, 0, 0, 0, team.Location()), LastWeek: noticeDay.AddDays(-7)}
	for i, rep := range reps {
		p.Reps = append(p.Reps, pulse.RepCommitments{Rep: rep, Commitments: []pulse.Commitment{{ID: "c" + strconv.Itoa(i), UserID: rep, Text: "Book five demos with new accounts"}}})
	}
	n := pulse.Notice{Key: pulse.MeetingKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English, Payload: p}
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Bot.Deliver(ctx, n); err != nil {
			b.Fatal(err)
		}
	}
}
