package catalog_test

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

func mustNew(t *testing.T) *catalog.Catalog {
	t.Helper()
	c, err := catalog.New()
	if err != nil {
		t.Fatalf("catalog.New: %v", err)
	}
	return c
}

// callSite is one place in Go source that names a catalogue key, with the
// data fields it passes.
type callSite struct {
	pos  string
	key  string
	data []string // nil when the call passes no data
}

var (
	keyLiteral = regexp.MustCompile(`"((?:err|deny)\.[a-z_]+)"`)
	keyWithMap = regexp.MustCompile(`"((?:err|deny)\.[a-z_]+)",\s*map\[string\]any\{([^}]*)\}`)
	mapField   = regexp.MustCompile(`"([A-Za-z_][A-Za-z0-9_]*)"\s*:`)
)

// rootCallSites scans the non-test Go files of the root package and of
// storage (whose not-found and conflict errors reach people too) for error
// and denial keys, and for each the fields of the map literal passed with it.
func rootCallSites(t *testing.T) []callSite {
	t.Helper()
	var files []string
	for _, dir := range []string{filepath.Join("..", ".."), filepath.Join("..", "..", "storage")} {
		found, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(found) == 0 {
			t.Fatalf("list Go files in %s: %v (found %d)", dir, err, len(found))
		}
		files = append(files, found...)
	}
	var sites []callSite
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			pos := filepath.Base(f) + ":" + strconv.Itoa(i+1)
			withData := map[string][]string{}
			for _, m := range keyWithMap.FindAllStringSubmatch(line, -1) {
				var fields []string
				for _, fm := range mapField.FindAllStringSubmatch(m[2], -1) {
					fields = append(fields, fm[1])
				}
				withData[m[1]] = fields
			}
			for _, m := range keyLiteral.FindAllStringSubmatch(line, -1) {
				sites = append(sites, callSite{pos: pos, key: m[1], data: withData[m[1]]})
			}
		}
	}
	return sites
}

func TestEveryKeyTheDomainUsesHasAnEnglishSentence(t *testing.T) {
	c := mustNew(t)
	sites := rootCallSites(t)
	// The domain names some thirty keys; finding far fewer means the scan broke.
	if len(sites) < 30 {
		t.Fatalf("found %d key uses in the root package, want at least 30", len(sites))
	}
	for _, s := range sites {
		if !c.Has(pulse.English, s.key) {
			t.Errorf("%s uses %q, which en.toml lacks", s.pos, s.key)
		}
	}
}

func TestEveryPlaceholderOfADomainSentenceIsPassedByItsCaller(t *testing.T) {
	c := mustNew(t)
	for _, s := range rootCallSites(t) {
		for _, p := range c.Placeholders(pulse.English, s.key) {
			if !slices.Contains(s.data, p) {
				t.Errorf("%s: %q uses {{.%s}} but the call passes %v", s.pos, s.key, p, s.data)
			}
		}
		data := map[string]any{}
		for _, f := range s.data {
			data[f] = "x"
		}
		if got := c.T(pulse.English, s.key, data); strings.Contains(got, "<no value>") || got == s.key {
			t.Errorf("%s: %q rendered as %q", s.pos, s.key, got)
		}
	}
}

// botKey matches catalogue keys written as literals in the bot package.
var botKey = regexp.MustCompile(`"((?:err|deny|help|command)\.[a-z_]+)"`)

func TestEveryKeyTheBotUsesHasAnEnglishSentence(t *testing.T) {
	c := mustNew(t)
	files, err := filepath.Glob(filepath.Join("..", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range botKey.FindAllStringSubmatch(string(src), -1) {
			n++
			if !c.Has(pulse.English, m[1]) {
				t.Errorf("%s uses %q, which en.toml lacks", filepath.Base(f), m[1])
			}
		}
	}
	if n == 0 {
		t.Fatal("found no catalogue keys in the bot package; the scan is broken")
	}
}

func TestEveryLanguageFileTranslatesEveryEnglishKeyWithTheSameFields(t *testing.T) {
	c := mustNew(t)
	langs := c.Languages()
	if len(langs) == 0 || langs[0] != pulse.English {
		t.Fatalf("languages = %v, want English first", langs)
	}
	for _, l := range langs[1:] {
		for _, k := range c.Keys() {
			if !c.Has(l, k) {
				t.Errorf("%s.toml lacks %q", l, k)
				continue
			}
			if got, want := c.Placeholders(l, k), c.Placeholders(pulse.English, k); !slices.Equal(got, want) {
				t.Errorf("%s.toml %q uses fields %v, English uses %v", l, k, got, want)
			}
		}
	}
}

func TestLookups(t *testing.T) {
	const en = `
[err]
internal = "Something went wrong."
date = "Bad date {{.Value}}."
[help.your_teams]
one = "Your team: {{.Names}}."
other = "Your teams ({{.Count}}): {{.Names}}."
`
	const ru = `
[err]
date = "Неверная дата {{.Value}}."
[help.your_teams]
one = "{{.Count}} команда: {{.Names}}."
few = "{{.Count}} команды: {{.Names}}."
many = "{{.Count}} команд: {{.Names}}."
other = "{{.Count}} команды: {{.Names}}."
`
	var logs bytes.Buffer
	c, err := catalog.Load(fstest.MapFS{
		"en.toml": {Data: []byte(en)},
		"ru.toml": {Data: []byte(ru)},
	}, catalog.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	tests := []struct {
		name string
		got  func() string
		want string
	}{
		{"a key in the person's language is said in it",
			func() string { return c.T(pulse.Russian, "err.date", map[string]any{"Value": "2026-13-40"}) },
			"Неверная дата 2026-13-40."},
		{"a key the language lacks is said in English",
			func() string { return c.T(pulse.Russian, "err.internal", nil) }, "Something went wrong."},
		{"a language without a file is said in English",
			func() string { return c.T(pulse.Polish, "err.internal", nil) }, "Something went wrong."},
		{"an unknown language is said in English",
			func() string { return c.T(pulse.Lang("xx"), "err.internal", nil) }, "Something went wrong."},
		{"a sentence without placeholders ignores data it is given",
			func() string { return c.T(pulse.English, "err.internal", map[string]any{"Value": "x"}) }, "Something went wrong."},
		{"a key missing everywhere comes back as the key",
			func() string { return c.T(pulse.English, "err.nowhere", nil) }, "err.nowhere"},
		{"English takes the one form for 1",
			func() string { return c.Plural(pulse.English, "help.your_teams", 1, map[string]any{"Names": "A"}) },
			"Your team: A."},
		{"English takes the other form for 2",
			func() string { return c.Plural(pulse.English, "help.your_teams", 2, map[string]any{"Names": "A, B"}) },
			"Your teams (2): A, B."},
		{"Russian takes the one form for 21",
			func() string { return c.Plural(pulse.Russian, "help.your_teams", 21, map[string]any{"Names": "X"}) },
			"21 команда: X."},
		{"Russian takes the few form for 3",
			func() string { return c.Plural(pulse.Russian, "help.your_teams", 3, map[string]any{"Names": "X"}) },
			"3 команды: X."},
		{"Russian takes the many form for 5",
			func() string { return c.Plural(pulse.Russian, "help.your_teams", 5, map[string]any{"Names": "X"}) },
			"5 команд: X."},
		{"Russian takes the many form for 11",
			func() string { return c.Plural(pulse.Russian, "help.your_teams", 11, map[string]any{"Names": "X"}) },
			"11 команд: X."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}

	// A sentence without placeholders is kept as it reads: a status is
	// mostly such labels, said on every answer.
	if n := testing.AllocsPerRun(100, func() { c.T(pulse.English, "err.internal", nil) }); n != 0 {
		t.Errorf("a fixed sentence allocates %v times a call, want 0", n)
	}

	// Ask for the missing key again: the gap is logged once, not per call.
	c.T(pulse.English, "err.nowhere", nil)
	if n := strings.Count(logs.String(), "key=err.nowhere"); n != 1 {
		t.Errorf("missing key logged %d times, want once; logs:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("missing key not logged at warn; logs:\n%s", logs.String())
	}
}

func TestAreaFilesAddToTheirLanguage(t *testing.T) {
	c, err := catalog.Load(fstest.MapFS{
		"en.toml":         {Data: []byte(`a = "core"`)},
		"setup.en.toml":   {Data: []byte(`[setup]` + "\n" + `title = "Team setup"`)},
		"checkin.nb.toml": {Data: []byte(`[checkin]` + "\n" + `title = "Innsjekk"`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang      pulse.Lang
		key, want string
	}{
		{pulse.English, "a", "core"},
		{pulse.English, "setup.title", "Team setup"},
		{pulse.Norwegian, "checkin.title", "Innsjekk"},
	} {
		if got := c.T(tt.lang, tt.key, nil); got != tt.want {
			t.Errorf("T(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

func TestLoadRejectsBrokenFiles(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
	}{
		{"a file named after a language Pulse does not speak",
			fstest.MapFS{"en.toml": {Data: []byte(`a = "b"`)}, "de.toml": {Data: []byte(`a = "c"`)}}},
		{"a file that is not TOML",
			fstest.MapFS{"en.toml": {Data: []byte(`a = `)}}},
		{"no English file",
			fstest.MapFS{"nb.toml": {Data: []byte(`a = "b"`)}}},
		{"an area file named after a language Pulse does not speak",
			fstest.MapFS{"en.toml": {Data: []byte(`a = "b"`)}, "setup.de.toml": {Data: []byte(`c = "d"`)}}},
		{"the same key in two files of one language",
			fstest.MapFS{"en.toml": {Data: []byte(`a = "b"`)}, "setup.en.toml": {Data: []byte(`a = "c"`)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := catalog.Load(tt.files); err == nil {
				t.Error("Load succeeded, want an error")
			}
		})
	}
}

// TestAppendTSaysWhatTSays appends sentences the fast path fills, one
// that goes through text/template, a plural's other form and a key no
// language has, each after what dst held.
func TestAppendTSaysWhatTSays(t *testing.T) {
	c, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]any{"Metric": "Calls", "Done": "620", "Target": "1,000", "Attainment": "62%", "Elapsed": "55%", "Status": "on track", "Count": "3"}
	for _, lang := range pulse.Langs {
		for _, key := range append(c.Keys()[:40:40], "plan.pace_month", "notices.more", "no.such.key") {
			want := "· " + c.T(lang, key, data)
			if got := string(c.AppendT([]byte("· "), lang, key, data)); got != want {
				t.Errorf("%s %s: AppendT = %q, T = %q", lang, key, got, want)
			}
		}
	}
}
