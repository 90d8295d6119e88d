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
