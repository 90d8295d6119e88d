package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/salespulse/pulse"
)

// The cookies. The session cookie holds the session's token; the sign-in
// cookie, set with the sign-in form, is the form's anti-forgery value
// until there is a session to bind one to.
const (
	sessionCookie = "pulse_session"
	signInCookie  = "pulse_signin"
)

// viewer is the signed-in person a page is rendered for.
type viewer struct {
	actor pulse.Actor
	name  string
	lang  pulse.Lang
	csrf  string
	teams []*pulse.Team
	token string // the session cookie's token
	hash  string
}

// signInForm answers a sign-in link with a button that posts it back. The
// GET changes nothing, so the link survives the previews that Slack and
// mail scanners fetch; only the person's own press of the button uses it.
func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	nonce, _, err := pulse.NewToken()
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: signInCookie, Value: nonce, Path: "/signin/", MaxAge: int(pulse.SignInTTL / time.Second),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	t := s.cfg.Catalog
	s.render(w, http.StatusOK, &page{
		Lang: lang, Title: t.T(lang, "web.signin_title", nil), Lead: t.T(lang, "web.signin_lead", nil),
		Skip: t.T(lang, "web.skip", nil), HomeURL: "/", Assets: "/assets/",
		Form: &form{Action: r.URL.Path, Label: t.T(lang, "web.signin_button", nil), CSRF: nonce},
	})
}

// signIn uses the link: it takes it out of the store and opens a session.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	c, err := r.Cookie(signInCookie)
	if err != nil || !sameToken(c.Value, r.PostFormValue("csrf")) {
		s.message(w, http.StatusForbidden, lang, "web.bad_form")
		return
	}
	now := s.cfg.Clock.Now()
	link, err := s.cfg.Store.UseSignIn(r.Context(), pulse.HashToken(r.PathValue("token")), now)
	if pulse.IsNotFound(err) {
		s.message(w, http.StatusForbidden, lang, "web.signin_refused")
		return
	}
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	token, hash, err := pulse.NewToken()
	if err != nil {
		s.fail(w, r, lang, err)
		return
	}
	session := &pulse.WebSession{Hash: hash, UserID: link.UserID, CreatedAt: now, ExpiresAt: now.Add(pulse.SessionTTL)}
	if err := s.cfg.Store.SaveWebSession(r.Context(), session); err != nil {
		s.fail(w, r, lang, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: signInCookie, Value: "", Path: "/signin/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: int(pulse.SessionTTL / time.Second),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	s.cfg.Log.Info("web sign-in", "user", link.UserID)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// signedIn wraps a handler that needs a session; a POST must also carry
// the session's CSRF token.
func (s *Server) signedIn(h func(http.ResponseWriter, *http.Request, *viewer)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := langOf(r)
		c, err := r.Cookie(sessionCookie)
		if err != nil {
			s.message(w, http.StatusUnauthorized, lang, "web.need_signin")
			return
		}
		hash := pulse.HashToken(c.Value)
		session, err := s.cfg.Store.WebSession(r.Context(), hash, s.cfg.Clock.Now())
		if pulse.IsNotFound(err) {
			s.message(w, http.StatusUnauthorized, lang, "web.need_signin")
			return
		}
		if err != nil {
			s.fail(w, r, lang, err)
			return
		}
		v := &viewer{actor: pulse.Actor{UserID: session.UserID}, token: c.Value, hash: hash, csrf: pulse.CSRFToken(c.Value)}
		if err := s.loadViewer(r.Context(), v); err != nil {
			s.fail(w, r, lang, err)
			return
		}
		if r.Method == http.MethodPost && !sameToken(v.csrf, r.PostFormValue("csrf")) {
			s.message(w, http.StatusForbidden, v.lang, "web.bad_form")
			return
		}
		h(w, r, v)
	}
}

// loadViewer reads the person's name, language and teams.
func (s *Server) loadViewer(ctx context.Context, v *viewer) error {
	teams, err := s.cfg.Store.TeamsOf(ctx, v.actor.UserID)
	if err != nil {
		return err
	}
	v.teams = byName(teams)
	p, err := s.cfg.Store.Person(ctx, v.actor.UserID)
	if err != nil && !pulse.IsNotFound(err) {
		return err
	}
	var teamLang pulse.Lang
	if len(v.teams) > 0 {
		teamLang = v.teams[0].Lang
	}
	v.lang = p.Language(teamLang)
	v.name = v.actor.UserID
	if p != nil && p.Name != "" {
		v.name = p.Name
	}
	return nil
}

// logout ends the session in the store, so the cookie is worthless even
// where the browser keeps it.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, v *viewer) {
	if err := s.cfg.Store.EndWebSession(r.Context(), v.hash); err != nil {
		s.fail(w, r, v.lang, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/signed-out", http.StatusSeeOther)
}

func (s *Server) signedOut(w http.ResponseWriter, r *http.Request) {
	s.message(w, http.StatusOK, langOf(r), "web.signed_out")
}

// sameToken compares a token a form sent with the one expected, in
// constant time; an empty one never matches.
func sameToken(want, got string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}
