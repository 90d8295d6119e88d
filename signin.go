package pulse

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// How long the web dashboard's credentials last. A sign-in link is for the
// person who just typed /pulse web, so it is short-lived and single-use; a
// session lasts a working day.
const (
	SignInTTL  = 10 * time.Minute
	SessionTTL = 12 * time.Hour
)

// SignIn is a one-time link to the web dashboard, given by /pulse web.
// Only the hash of its token is stored: someone who reads the database
// cannot sign in with it.
type SignIn struct {
	Hash      string // HashToken of the token in the link
	UserID    string // who asked for it, and whom it signs in
	CreatedAt time.Time
	ExpiresAt time.Time
}

// WebSession is a signed-in browser. Its cookie holds the token; the store
// holds the token's hash.
type WebSession struct {
	Hash      string // HashToken of the cookie's token
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Live reports whether the session may still be used at now.
func (s *WebSession) Live(now time.Time) bool { return now.Before(s.ExpiresAt) }

// Live reports whether the link may still be used at now.
func (s *SignIn) Live(now time.Time) bool { return now.Before(s.ExpiresAt) }

// SignInStore holds the web dashboard's sign-in links and sessions, by the
// hashes of their tokens.
type SignInStore interface {
	// SaveSignIn stores a new link.
	SaveSignIn(ctx context.Context, s *SignIn) error
	// UseSignIn takes the link with the hash out of the store and returns
	// it, in one transaction, so that of two uses at once only one
	// succeeds. A link that is unknown, already used or expired at now is
	// an ENOTFOUND error, the same for each so a refusal tells nothing.
	UseSignIn(ctx context.Context, hash string, now time.Time) (*SignIn, error)
	// SaveWebSession stores a new session.
	SaveWebSession(ctx context.Context, s *WebSession) error
	// WebSession returns the session with the hash; an unknown or expired
	// one is ENOTFOUND.
	WebSession(ctx context.Context, hash string, now time.Time) (*WebSession, error)
	// EndWebSession deletes the session with the hash; ending one that is
	// gone already is not an error.
	EndWebSession(ctx context.Context, hash string) error
}

// NewToken returns a fresh random token for a link or a cookie, and the
// hash under which it is stored.
func NewToken() (token, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("new token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, HashToken(token), nil
}

// HashToken returns the form a token is stored and looked up in. The
// tokens are 256 random bits, so one unsalted SHA-256 is enough: there is
// nothing to guess.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte("pulse-token\x00" + token))
	return hex.EncodeToString(sum[:])
}

// CSRFToken returns the token every form of a session carries. It is
// derived from the session's own token (which only the cookie holds), under
// another label than HashToken, so it is bound to the session, needs no
// storage, and the stored hash does not reveal it.
func CSRFToken(sessionToken string) string {
	sum := sha256.Sum256([]byte("pulse-csrf\x00" + sessionToken))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// SignInURL returns the link that signs in with token on the dashboard
// served at base (PULSE_PUBLIC_URL).
func SignInURL(base, token string) string {
	return strings.TrimSuffix(base, "/") + "/signin/" + token
}
