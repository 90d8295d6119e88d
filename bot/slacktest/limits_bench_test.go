package slacktest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/slack-go/slack"
)

// teamSummaryBlocks is a message shaped like the bot's slash-command
// replies: a header, sections with fields and a button accessory, context
// lines with text and an image, and a row of buttons; about 5 KB as JSON.
func teamSummaryBlocks(tb testing.TB) json.RawMessage {
	tb.Helper()
	txt := func(typ, s string) *slack.TextBlockObject { return slack.NewTextBlockObject(typ, s, false, false) }
	blocks := []slack.Block{
		slack.NewHeaderBlock(txt(slack.PlainTextType, "Team pulse — week 19")),
	}
	for i := range 4 {
		fields := make([]*slack.TextBlockObject, 6)
		for j := range fields {
			fields[j] = txt(slack.MarkdownType, fmt.Sprintf("*Rep %d.%d*\nEnergy 4/5 · 3 calls booked · 1 demo · pipeline $%d,000", i, j, 10+j))
		}
		review := slack.NewButtonBlockElement(fmt.Sprintf("review_%d", i), fmt.Sprintf("team/2024-05-06/U%04d", i), txt(slack.PlainTextType, "Review"))
		blocks = append(blocks,
			slack.NewSectionBlock(txt(slack.MarkdownType, fmt.Sprintf("*Squad %d* checked in 5 of 6 today. Blockers: pricing sign-off for the Q2 renewal, a missing security questionnaire.", i)),
				fields, slack.NewAccessory(review), slack.SectionBlockOptionBlockID(fmt.Sprintf("squad_%d", i))),
		)
	}
	blocks = append(blocks,
		slack.NewDividerBlock(),
		slack.NewContextBlock("legend",
			txt(slack.MarkdownType, "Energy is the team's average of today's check-ins; pipeline counts open deals only."),
			slack.NewImageBlockElement("https://example.com/pulse/legend.png", "legend"),
			txt(slack.PlainTextType, "Updated 09:30 Europe/Oslo"),
		),
		slack.NewActionBlock("summary_actions",
			slack.NewButtonBlockElement("open_checkin", "checkin", txt(slack.PlainTextType, "Check in")),
			slack.NewButtonBlockElement("open_commitments", "commitments", txt(slack.PlainTextType, "Commitments")),
			slack.NewButtonBlockElement("open_kudos", "kudos", txt(slack.PlainTextType, "Give kudos")).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement("", "", txt(slack.PlainTextType, "Dashboard")).WithURL("https://example.com/pulse/teams/T1/2024-05-06"),
		),
		slack.NewContextBlock("footer", txt(slack.MarkdownType, "Reply `/pulse help` for commands.")),
	)
	raw, err := json.Marshal(blocks)
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// BenchmarkCheckMessage measures the Block Kit checks on one slash-command
// sized reply, from its JSON as the stand-in receives it.
func BenchmarkCheckMessage(b *testing.B) {
	raw := teamSummaryBlocks(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if vs := checkMessage("Team pulse — week 19", raw); len(vs) > 0 {
			b.Fatalf("violations in a valid message: %+v", vs)
		}
	}
}

// BenchmarkSlashCommandReply measures what the stand-in does with a slash
// command's ack reply: decode, check and record it. It runs in the same
// process as the bot under measurement, so its garbage is the bot's too.
func BenchmarkSlashCommandReply(b *testing.B) {
	s := NewServer()
	defer s.Close()
	cmd, err := json.Marshal(slack.SlashCommand{Command: "/pulse", UserID: "U1", ChannelID: "C1"})
	if err != nil {
		b.Fatal(err)
	}
	env := Envelope{Type: "slash_commands", EnvelopeID: "1", Payload: cmd}
	reply, err := json.Marshal(map[string]any{"text": "Team pulse — week 19", "response_type": "ephemeral", "blocks": teamSummaryBlocks(b)})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(reply)))
	b.ReportAllocs()
	for b.Loop() {
		s.mu.Lock()
		s.applyAckPayloadLocked(env, reply)
		if len(s.rec.messages) != 1 || len(s.rec.violations) != 0 {
			s.mu.Unlock()
			b.Fatalf("reply recorded as %d messages and %+v", len(s.rec.messages), s.rec.violations)
		}
		s.rec.messages = s.rec.messages[:0]
		s.mu.Unlock()
	}
}
