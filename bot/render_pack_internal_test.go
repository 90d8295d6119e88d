package bot

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

// packPlainly is packLines written plainly, a string per line joined in a
// builder: what the packer writing lines in place must match.
func packPlainly(t voice, lines []string, maxSections int) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for i, l := range lines {
		if cur.Len()+len(l)+1 > maxSectionChars {
			if len(out) == maxSections-1 {
				cur.WriteString("\n" + t.Plural("notices.more", len(lines)-i, map[string]any{"Count": t.count(len(lines) - i)}))
				flush()
				return out
			}
			flush()
		}
		if cur.Len() > 0 {
			cur.WriteString("\n")
		}
		cur.WriteString(l)
	}
	flush()
	return out
}

// TestPackLinesPacksAsPlainJoiningDoes packs random lists (lines short,
// long, past a section on their own, empty) into one to four sections,
// and a list that packs again in the packer's reused buffer.
func TestPackLinesPacksAsPlainJoiningDoes(t *testing.T) {
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	p := voice{b: &Bot{cat: cat}, lang: pulse.Polish}
	r := rand.New(rand.NewPCG(7, 11))
	lengths := []int{0, 1, 40, 160, 1000, maxSectionChars - 2, maxSectionChars - 1, maxSectionChars, 3500}
	for round := range 400 {
		lines := make([]string, r.IntN(60))
		for i := range lines {
			n := lengths[r.IntN(len(lengths))]
			if r.IntN(3) > 0 {
				n = r.IntN(300)
			}
			lines[i] = strings.Repeat(string(rune('a'+i%26)), n)
		}
		max := 1 + r.IntN(4)
		want := packPlainly(p, lines, max)
		got := packLines(p, lines, max)
		if len(got) != len(want) {
			t.Fatalf("round %d (%d lines into %d): %d sections, want %d", round, len(lines), max, len(got), len(want))
		}
		for i, b := range got {
			if text, want := b.(*slack.SectionBlock).Text.Text, mrkdwnSection(want[i]).Text.Text; text != want {
				t.Fatalf("round %d (%d lines into %d), section %d:\n got  %.80q… (%d)\n want %.80q… (%d)", round, len(lines), max, i, text, len(text), want, len(want))
			}
		}
	}
	if got := fmt.Sprint(len(packLines(p, nil, 3))); got != "0" {
		t.Errorf("no lines packed into %s sections, want none", got)
	}
}

// TestTeamPacesPackAsTheirLinesDo writes a long team's paces, in every
// language (a Cyrillic line takes about twice the bytes, so the sections
// run out before the lines shown do), and holds them to packing the same
// lines, and the count of the rest, as strings.
func TestTeamPacesPackAsTheirLinesDo(t *testing.T) {
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	team := pulse.NewTeam("Enterprise", "Europe/Oslo")
	team.Metrics = []pulse.Metric{{Key: "calls", Name: strings.Repeat("Звонки ", 5), Target: 50}}
	start := pulse.MustDate("2026-03-02")
	var leads []repLead
	for i := range 120 {
		pace := pulse.Pace{Metric: "calls", Period: pulse.PeriodMonth, Start: start, End: start.AddDays(30), Target: 1000, Done: float64(10 * i), Workdays: 22, Gone: 11}
		leads = append(leads, repLead{rep: fmt.Sprintf("UBIG%05d", i), gap: float64(i), pace: pace})
	}
	for _, lang := range pulse.Langs {
		p := voice{b: &Bot{cat: cat}, lang: lang}
		words := newPaceWords(p, team)
		shown := min(len(leads), paceSections*maxSectionChars/paceLineChars)
		var lines []string
		for _, l := range leads[:shown] {
			lines = append(lines, mention(l.rep)+" · "+words.line(p, l.pace))
		}
		lines = append(lines, p.Plural("notices.more", len(leads)-shown, map[string]any{"Count": p.count(len(leads) - shown)}))
		want := append([]slack.Block{mrkdwnSection("*" + p.T("plan.team_title", nil) + "*")}, packLines(p, lines, paceSections)...)
		got := teamPaceBlocks(p, team, leads)
		if len(got) != len(want) {
			t.Fatalf("%s: %d blocks, want %d", lang, len(got), len(want))
		}
		for i := range got {
			if g, w := got[i].(*slack.SectionBlock).Text.Text, want[i].(*slack.SectionBlock).Text.Text; g != w {
				t.Errorf("%s, block %d:\n got  …%q\n want …%q", lang, i, g[max(0, len(g)-60):], w[max(0, len(w)-60):])
			}
		}
	}
}
