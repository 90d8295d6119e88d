// Package web serves the sales leader's dashboard: a team over weeks and
// quarters, one rep's timeline, and the CSV export, in the person's own
// language. Pages are rendered on the server with html/template, charts
// are inline SVG drawn by the same templates, and the few assets are
// embedded, so the binary needs no build step and the pages no script.
//
// A person signs in from a one-time link that /pulse web gives them in
// Slack; who may see what is decided by the root package's Can* rules,
// the same as in Slack.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Config is what a Server needs.
type Config struct {
	Store   pulse.Store
	Catalog *catalog.Catalog
	// PublicURL is where people reach the dashboard, such as
	// https://pulse.example.com; sign-in links start with it, and its
	// scheme decides whether cookies are marked Secure.
	PublicURL string
	Clock     pulse.Clock  // pulse.SystemClock when nil
	Log       *slog.Logger // slog.Default() when nil
}

// Server serves the dashboard. It is safe for concurrent use.
type Server struct {
	cfg    Config
	secure bool
	tmpl   *template.Template
	mux    *http.ServeMux
}

// New checks cfg and returns a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Catalog == nil {
		return nil, errors.New("web: a store and a catalogue are needed")
	}
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("web: the public URL must be an http:// or https:// URL, got %q", cfg.PublicURL)
	}
	cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")
	if cfg.Clock == nil {
		cfg.Clock = pulse.SystemClock
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	tmpl, err := template.ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	s := &Server{cfg: cfg, secure: u.Scheme == "https", tmpl: tmpl, mux: http.NewServeMux()}
	s.routes()
	return s, nil
}

// SignInURL returns the link that signs in with token.
func (s *Server) SignInURL(token string) string { return pulse.SignInURL(s.cfg.PublicURL, token) }

// routes lists every page and form of the dashboard.
func (s *Server) routes() {
	assets, _ := fs.Sub(assetFS, "assets")
	s.mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(assets)))
	s.mux.HandleFunc("GET /signin/{token}", s.signInForm)
	s.mux.HandleFunc("POST /signin/{token}", s.signIn)
	s.mux.HandleFunc("GET /signed-out", s.signedOut)
	s.mux.HandleFunc("POST /logout", s.signedIn(s.logout))
	s.mux.HandleFunc("GET /{$}", s.signedIn(s.home))
	s.mux.HandleFunc("GET /teams/{team}", s.signedIn(s.teamPage))
	s.mux.HandleFunc("GET /teams/{team}/reps/{rep}", s.signedIn(s.repPage))
	s.mux.HandleFunc("GET /teams/{team}/leaders/{manager}", s.signedIn(s.leaderPage))
	s.mux.HandleFunc("POST /teams/{team}/export", s.signedIn(s.export))
	s.mux.HandleFunc("/", s.notFound)
}

// ServeHTTP serves the dashboard with headers that keep its pages to
// themselves: no script, no frame, no referrer (a sign-in link's token
// must not travel on), and no cache of a person's data.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

// page is what the "page" template shows. Every page is a list of
// sections (a chart, its table, a form), so a new area adds sections to a
// page's list rather than a new template.
type page struct {
	Lang        pulse.Lang
	Title, Lead string
	Skip        string
	User        string // the signed-in person's name
	Logout      string // the sign-out button's label; empty hides it
	CSRF        string
	HomeURL     string
	Assets      string // where style.css is: /assets/ when served
	PeriodLabel string
	Periods     []period
	Form        *form
	Groups      []group
	Sections    []section
}

type period struct {
	URL, Label string
	Current    bool
}

type form struct {
	Action, Label, CSRF string
	Hidden              []field
}

type field struct{ Name, Value string }

type group struct {
	ID, Title, Empty string
	Links            []link
}

type link struct{ URL, Label string }

// section is one part of a page: a chart with the table of its figures,
// a table on its own, or a form.
type section struct {
	ID, Title, Note string
	Chart           *chart
	Table           *table
	Tables          []*table // further tables, such as one per contest
	Form            *form
	Links           []link
	Empty           string
}

// table is a table of text: Rows' first cell heads its row.
type table struct {
	ID, Caption string
	Head        []string
	Rows        [][]string
}

// row is a table row as the template writes it: its heading cell apart,
// so the template needs no function call per cell.
type row struct {
	Head  string
	Cells []string
}

// Body returns the rows for the template.
func (t *table) Body() []row {
	out := make([]row, len(t.Rows))
	for i, r := range t.Rows {
		if len(r) > 0 {
			out[i] = row{Head: r[0], Cells: r[1:]}
		}
	}
	return out
}

// render writes p with the status code.
func (s *Server) render(w http.ResponseWriter, status int, p *page) {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, "page", p); err != nil {
		s.cfg.Log.Error("render page", "title", p.Title, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// message shows a page with one sentence and nothing else: refusals say
// what the person cannot do, never what the page would have held.
func (s *Server) message(w http.ResponseWriter, status int, lang pulse.Lang, key string) {
	text := s.cfg.Catalog.T(lang, key, nil)
	s.render(w, status, &page{Lang: lang, Title: text, Skip: s.cfg.Catalog.T(lang, "web.skip", nil), HomeURL: "/", Assets: "/assets/"})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.message(w, http.StatusNotFound, langOf(r), "web.not_found")
}

// fail logs err for the operator and shows the person a sentence.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, lang pulse.Lang, err error) {
	if pulse.ErrorCode(err) == pulse.EFORBIDDEN || pulse.IsNotFound(err) {
		// A team or rep that does not exist is refused like one that is
		// not theirs, so a refusal does not tell which IDs exist.
		s.message(w, http.StatusForbidden, lang, "web.forbidden")
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	s.cfg.Log.Error("web page", "route", r.Pattern, "err", err) // the pattern: a path may hold a token
	s.message(w, http.StatusInternalServerError, lang, "web.failed")
}

// langOf guesses a signed-out visitor's language from their browser.
func langOf(r *http.Request) pulse.Lang {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l, ok := pulse.ParseLang(tag); ok {
			return l
		}
	}
	return pulse.English
}
