package demo_test

import (
	"bytes"
	"context"
	"html"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
	"github.com/salespulse/pulse/demo"
)

// mark stands for a placeholder's value when a sentence is cut into the
// literal pieces around its placeholders.
const mark = "\x00"

// markCount is a count no sentence holds literally, to cut plural
// sentences at {{.Count}} too.
const markCount = 987654

var (
	codeSpan    = regexp.MustCompile("`[^`]*`")
	pulseCmd    = regexp.MustCompile(`/pulse(\s+[a-z0-9]+)?`)
	countInText = regexp.MustCompile(`987,654`)
)

// englishFragments cuts every English sentence of the catalogue into its
// literal pieces of at least 12 characters that hold words to translate:
// not just mrkdwn, punctuation or a slash command a person types as is.
func englishFragments(t *testing.T, c *catalog.Catalog) map[string]string {
	t.Helper()
	out := map[string]string{} // fragment → key
	for _, key := range c.Keys() {
		data := map[string]any{}
		for _, f := range c.Placeholders(pulse.English, key) {
			data[f] = mark
		}
		var forms []string
		if c.IsPlural(key) {
			for _, n := range []int{1, markCount} {
				forms = append(forms, countInText.ReplaceAllString(c.Plural(pulse.English, key, n, data), mark))
			}
		} else {
			forms = append(forms, c.T(pulse.English, key, data))
		}
		for _, form := range forms {
			for _, line := range strings.Split(form, "\n") {
				for _, frag := range strings.Split(line, mark) {
					frag = strings.TrimSpace(frag)
					if len([]rune(frag)) < 12 {
						continue
					}
					words := pulseCmd.ReplaceAllString(codeSpan.ReplaceAllString(frag, ""), "")
					letters := 0
					for _, r := range words {
						if unicode.IsLetter(r) {
							letters++
						}
					}
					if letters < 8 {
						continue
					}
					out[frag] = key
				}
			}
		}
	}
	return out
}

// demoFragments cuts the English sentences of the catalogue's [demo] table,
// the demo's own narration and its people's words, into their literal
// pieces of at least 12 characters.
func demoFragments(t *testing.T, c *catalog.Catalog) map[string]string {
	t.Helper()
	out := map[string]string{} // fragment → key
	for _, key := range c.Keys() {
		if !strings.HasPrefix(key, "demo.") {
			continue
		}
		data := map[string]any{}
		for _, f := range c.Placeholders(pulse.English, key) {
			data[f] = mark
		}
		for _, line := range strings.Split(c.T(pulse.English, key, data), "\n") {
			for _, frag := range strings.Split(line, mark) {
				if frag = strings.TrimSpace(frag); len([]rune(frag)) >= 12 {
					out[frag] = key
				}
			}
		}
	}
	return out
}

// englishWords may not stand as whole words in a Russian transcript: the
// narration a Russian reader would otherwise meet in English.
var englishWords = regexp.MustCompile(`\b(DM|modal|presses|submits|types|sees|edited|removed|refused|file in|App Home|week of|` +
	`Monday|Tuesday|Wednesday|Thursday|Friday|Mon|Tue|Wed|Thu|Fri|January|November|checks in|` +
	`Calls|Meetings booked|Simulated|chart|objection handling|Oslo|New York)\b`)

// pageText cuts an HTML page down to the text a reader sees: its style,
// script and tags go.
var pageText = regexp.MustCompile(`(?s)<style>.*?</style>|<script>.*?</script>|<[^>]*>`)

// englishLabels are the page's own labels and job badges, in English.
var englishLabels = regexp.MustCompile(`\b(optional|updated|checkin|reminder|missed|meeting|nudge|coaching|summary|blocker|thread)\b`)

func TestDemoInEachLanguageLeavesNoEnglishSentence(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a whole simulated week per language")
	}
	c, err := catalog.New()
	if err != nil {
		t.Fatalf("catalog.New: %v", err)
	}
	frags := englishFragments(t, c)
	if len(frags) < 100 {
		t.Fatalf("only %d English fragments found; is the cut right?", len(frags))
	}
	demoFrags := demoFragments(t, c)
	if len(demoFrags) < 50 {
		t.Fatalf("only %d English fragments found in [demo]; is the cut right?", len(demoFrags))
	}
	for _, lang := range []pulse.Lang{pulse.Russian, pulse.Norwegian, pulse.Polish} {
		t.Run(string(lang), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			var out bytes.Buffer
			res, err := demo.Run(ctx, demo.Options{Out: t.TempDir(), Lang: lang, Stdout: &out})
			if err != nil {
				t.Fatalf("demo.Run in %s: %v\n%s", lang, err, out.String())
			}
			if err := res.WriteSummary(&out); err != nil {
				t.Fatalf("WriteSummary: %v", err)
			}
			transcript := out.String()
			page, err := os.ReadFile(res.HTML)
			if err != nil {
				t.Fatalf("read the HTML page: %v", err)
			}
			for frag, key := range demoFrags {
				if strings.Contains(transcript, frag) {
					t.Errorf("the %s week narrates in English from %s: %q", lang, key, frag)
				}
				if strings.Contains(html.UnescapeString(string(page)), frag) {
					t.Errorf("the %s HTML page narrates in English from %s: %q", lang, key, frag)
				}
			}
			if lang == pulse.Russian {
				for _, line := range strings.Split(transcript, "\n") {
					if w := englishWords.FindString(line); w != "" {
						t.Errorf("the ru week shows the English word %q: %s", w, line)
					}
				}
				text := html.UnescapeString(pageText.ReplaceAllString(string(page), "\n"))
				for _, line := range strings.Split(text, "\n") {
					if w := englishWords.FindString(line); w != "" {
						t.Errorf("the ru HTML page shows the English word %q: %s", w, line)
					}
					if w := englishLabels.FindString(line); w != "" {
						t.Errorf("the ru HTML page shows the English label %q: %s", w, line)
					}
				}
			}
			if !strings.Contains(transcript, c.T(lang, "notices.button_checkin", nil)) {
				t.Fatalf("the %s week shows no check-in button in %s:\n%s", lang, lang, transcript)
			}
			for frag, key := range frags {
				if strings.Contains(transcript, frag) {
					t.Errorf("the %s week shows English from %s: %q", lang, key, frag)
				}
			}
		})
	}
}
