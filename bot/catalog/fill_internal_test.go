package catalog

import (
	"fmt"
	"maps"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/salespulse/pulse"
)

// viaTemplate renders key in lang the way go-i18n does, through
// text/template: what fill must match.
func viaTemplate(t *testing.T, c *Catalog, lang pulse.Lang, key string, data map[string]any, count int, hasCount bool) string {
	t.Helper()
	cfg := &i18n.LocalizeConfig{MessageID: key, TemplateData: data}
	if hasCount {
		d := maps.Clone(data)
		if d == nil {
			d = map[string]any{}
		}
		d["Count"] = c.Count(lang, count)
		cfg.TemplateData, cfg.PluralCount = d, count
	}
	s, err := c.localizers[lang].Localize(cfg)
	if err != nil {
		t.Fatalf("%s %s: go-i18n: %v", lang, key, err)
	}
	return s
}

// TestFilledSentencesReadAsTextTemplateWritesThem renders every sentence of
// every language both ways, with values of each kind a caller passes, and
// every plural sentence for counts across each language's forms.
func TestFilledSentencesReadAsTextTemplateWritesThem(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	counts := []int{0, 1, 2, 3, 4, 5, 11, 12, 14, 21, 22, 25, 101, 102, 111, 112, 1000, 1001, 1234, -1, -3}
	filled, plurals := 0, 0
	for _, lang := range pulse.Langs {
		for key, m := range c.messages[lang] {
			f := c.fills[lang][key]
			if f == nil {
				continue
			}
			filled++
			data := map[string]any{}
			for i, field := range c.Placeholders(lang, key) {
				switch i % 3 {
				case 0:
					data[field] = fmt.Sprintf("<@U0%d|Åse & «Ola» \"{{x}}\">", i)
				case 1:
					data[field] = 40 + i
				default:
					data[field] = 2.5
				}
			}
			if m.One == "" {
				want := viaTemplate(t, c, lang, key, data, 0, false)
				if got := c.T(lang, key, data); got != want {
					t.Errorf("%s %s:\n filled   %q\n template %q", lang, key, got, want)
				}
				if got := string(c.AppendT([]byte("> "), lang, key, data)); got != "> "+want {
					t.Errorf("%s %s appended:\n filled   %q\n template %q", lang, key, got, "> "+want)
				}
				continue
			}
			plurals++
			for _, n := range counts {
				want := viaTemplate(t, c, lang, key, data, n, true)
				if got := c.Plural(lang, key, n, data); got != want {
					t.Errorf("%s %s, count %d:\n filled   %q\n template %q", lang, key, n, got, want)
				}
			}
		}
	}
	if filled < 100 || plurals < 10 {
		t.Errorf("only %d sentences (%d plural) are filled without text/template; the check covers too little", filled, plurals)
	}
}

func TestSplitKeepsRicherTemplatesForTextTemplate(t *testing.T) {
	for _, tt := range []struct {
		src string
		ok  bool
	}{
		{"Hello {{.Name}}, {{ .Count }} left.", true},
		{"no placeholders", true},
		{"{{.A}}{{.B}}", true},
		{"{{if .A}}yes{{end}}", false},
		{"{{.A | printf \"%d\"}}", false},
		{"{{- .A}}", false},
		{"{{.A.B}}", false},
	} {
		if _, ok := split(tt.src); ok != tt.ok {
			t.Errorf("split(%q) ok = %v, want %v", tt.src, ok, tt.ok)
		}
	}
}
