// Package catalog is the one place that holds every sentence a person reads
// from Pulse, in each language Pulse speaks.
//
// Each language has one embedded message file (en.toml, and later nb.toml,
// ru.toml, pl.toml) read by go-i18n, which knows each language's CLDR plural
// rules. Keys are dotted paths such as "err.date" or "help.title"; a
// sentence's placeholders are Go template fields ({{.Value}}) filled from
// the data the caller passes.
//
// Numbers, percentages, dates and times are written here too (format.go),
// so that "1 234,5" and "пн, 23 ноября" come from one place per language.
//
// English is complete by rule (a test holds it to every key the code uses);
// another language may lag behind. A key missing in a language falls back to
// English, and a key missing everywhere shows the key itself, so a gap in a
// translation never crashes the bot or leaves a person with nothing.
package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/salespulse/pulse"
)

//go:embed *.toml
var files embed.FS

// Catalog looks up sentences by language and key. It is safe for concurrent
// use once New has returned.
type Catalog struct {
	bundle      *i18n.Bundle
	localizers  map[pulse.Lang]*i18n.Localizer
	messages    map[pulse.Lang]map[string]*i18n.Message
	printers    map[pulse.Lang]*message.Printer
	numberMarks map[pulse.Lang]numberMarks
	percents    map[pulse.Lang]*percentTexts
	log         *slog.Logger
	// fills holds, per language, each sentence whose placeholders are all
	// plain fields, split for filling without text/template (fill.go).
	fills map[pulse.Lang]map[string]*fillable

	warned sync.Map // lang+"\x00"+key → struct{}: each gap is logged once
}

// Option changes how New builds a Catalog.
type Option func(*Catalog)

// WithLogger sets where a missing key or a broken template is reported;
// the default is slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(c *Catalog) { c.log = l }
}

// New loads the embedded message files. A file that does not parse, or that
// is named after a language Pulse does not speak, is an error: it is a
// build mistake, not something to carry into production.
func New(opts ...Option) (*Catalog, error) {
	return load(files, opts...)
}

// load reads every *.toml file at the top of fsys.
func load(fsys fs.FS, opts ...Option) (*Catalog, error) {
	c := &Catalog{
		bundle:     i18n.NewBundle(language.English),
		localizers: make(map[pulse.Lang]*i18n.Localizer),
		messages:   make(map[pulse.Lang]map[string]*i18n.Message),
		printers:   printers(),
		percents:   percentCaches(),
		log:        slog.Default(),
	}
	c.numberMarks = numberMarksOf(c.printers)
	for _, o := range opts {
		o(c)
	}
	c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)

	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("list message files: %w", err)
	}
	for _, name := range names {
		lang, ok := fileLang(name)
		if !ok {
			return nil, fmt.Errorf("message file %s: not named <lang>.toml or <area>.<lang>.toml after a language Pulse speaks (%v)", name, pulse.Langs)
		}
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read message file %s: %w", name, err)
		}
		mf, err := c.bundle.ParseMessageFileBytes(buf, name)
		if err != nil {
			return nil, fmt.Errorf("parse message file %s: %w", name, err)
		}
		msgs := c.messages[lang]
		if msgs == nil {
			msgs = make(map[string]*i18n.Message, len(mf.Messages))
			c.messages[lang] = msgs
		}
		for _, m := range mf.Messages {
			if _, dup := msgs[m.ID]; dup {
				return nil, fmt.Errorf("message file %s: key %s is already defined in another %s file", name, m.ID, lang)
			}
			msgs[m.ID] = m
		}
	}
	if len(c.messages[pulse.English]) == 0 {
		return nil, fmt.Errorf("message files: no English messages, which every other language falls back to")
	}
	c.fills = make(map[pulse.Lang]map[string]*fillable, len(pulse.Langs))
	for _, l := range pulse.Langs {
		c.localizers[l] = i18n.NewLocalizer(c.bundle, string(l))
		c.fills[l] = make(map[string]*fillable)
		for id, m := range c.messages[l] {
			if f := newFillable(m); f != nil {
				c.fills[l][id] = f
			}
		}
	}
	return c, nil
}

// fileLang reads the language from a message file's name: "en.toml", or
// "<area>.en.toml" so that each part of the bot keeps its sentences in a
// file of its own.
func fileLang(name string) (pulse.Lang, bool) {
	base := strings.TrimSuffix(path.Base(name), ".toml")
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		if i == 0 {
			return "", false
		}
		base = base[i+1:]
	}
	lang, ok := pulse.ParseLang(base)
	return lang, ok && string(lang) == base
}

// Has reports whether lang has its own sentence for key (not a fallback).
func (c *Catalog) Has(lang pulse.Lang, key string) bool {
	_, ok := c.messages[lang][key]
	return ok
}

// Keys returns every key of the English catalogue, sorted. English is the
// reference: every other language translates these keys.
func (c *Catalog) Keys() []string {
	return slices.Sorted(maps.Keys(c.messages[pulse.English]))
}

// Languages returns the languages that have a message file, English first.
func (c *Catalog) Languages() []pulse.Lang {
	var out []pulse.Lang
	for _, l := range pulse.Langs {
		if len(c.messages[l]) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// T returns the sentence for key in lang, with its placeholders filled from
// data. A key lang lacks is said in English; a key English lacks too comes
// back as the key itself. Either gap is logged once, at warn.
func (c *Catalog) T(lang pulse.Lang, key string, data map[string]any) string {
	return c.localize(lang, key, data, 0, false)
}

// Plural returns the form of key's sentence that lang's plural rules pick for
// count (English: one, other; Russian and Polish: one, few, many, other).
// The count is also available to the sentence as {{.Count}}, written with
// lang's digit grouping (Count).
func (c *Catalog) Plural(lang pulse.Lang, key string, count int, data map[string]any) string {
	return c.localize(lang, key, data, count, true)
}

// AppendT is T appended to dst: a list of sentences written into one text
// is written without a string for each.
func (c *Catalog) AppendT(dst []byte, lang pulse.Lang, key string, data map[string]any) []byte {
	if f := c.fills[lang][key]; f != nil {
		return f.appendFill(dst, langTags[lang], data, 0, false, "")
	}
	return append(dst, c.localize(lang, key, data, 0, false)...)
}

func (c *Catalog) localize(lang pulse.Lang, key string, data map[string]any, count int, hasCount bool) string {
	// Most sentences are filled by hand in the language asked for: found
	// with one lookup, the language and the key known by it.
	if f := c.fills[lang][key]; f != nil {
		var countText string
		if hasCount {
			countText = c.Count(lang, count)
		}
		return f.fill(langTags[lang], data, count, hasCount, countText)
	}
	if _, ok := c.localizers[lang]; !ok {
		lang = pulse.English
	}
	use := lang
	if !c.Has(lang, key) {
		use = pulse.English
		if !c.Has(pulse.English, key) {
			c.warnOnce(lang, key, "catalogue has no sentence for key", nil)
			return key
		}
		c.warnOnce(lang, key, "catalogue has no sentence for key in this language; using English", nil)
	}
	var countText string
	if hasCount {
		countText = c.Count(lang, count)
	}
	if f := c.fills[use][key]; f != nil {
		return f.fill(langTags[use], data, count, hasCount, countText)
	}
	// go-i18n is handed a copy, so that data does not escape and a
	// caller's map literal can live on its stack.
	d := make(map[string]any, len(data)+1)
	maps.Copy(d, data)
	cfg := &i18n.LocalizeConfig{MessageID: key, TemplateData: d}
	if hasCount {
		d["Count"] = countText
		cfg.PluralCount = count
	}
	s, err := c.localizers[use].Localize(cfg)
	if err != nil {
		c.warnOnce(use, key, "catalogue sentence failed to render", err)
		if s == "" {
			return key
		}
	}
	return s
}

func (c *Catalog) warnOnce(lang pulse.Lang, key, msg string, err error) {
	if _, seen := c.warned.LoadOrStore(string(lang)+"\x00"+key, struct{}{}); seen {
		return
	}
	attrs := []any{"lang", string(lang), "key", key}
	if err != nil {
		attrs = append(attrs, "err", err)
	}
	c.log.Warn(msg, attrs...)
}

var (
	action = regexp.MustCompile(`\{\{(.*?)\}\}`)
	field  = regexp.MustCompile(`(?:^|[\s(])\.([A-Za-z_][A-Za-z0-9_]*)`)
)

// Placeholders returns the names of the data fields key's sentence in lang
// uses, in every plural form, sorted and without repeats; nil when lang has
// no sentence for key. Tests use it to check that callers pass what a
// sentence needs and that translations ask for the same fields as English.
func (c *Catalog) Placeholders(lang pulse.Lang, key string) []string {
	m, ok := c.messages[lang][key]
	if !ok {
		return nil
	}
	seen := map[string]bool{}
	for _, form := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
		for _, act := range action.FindAllStringSubmatch(form, -1) {
			for _, f := range field.FindAllStringSubmatch(act[1], -1) {
				seen[f[1]] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// IsPlural reports whether key's English sentence has plural forms, so it is
// meant for Plural rather than T.
func (c *Catalog) IsPlural(key string) bool {
	m, ok := c.messages[pulse.English][key]
	return ok && m.One != ""
}
