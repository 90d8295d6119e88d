package pulse_test

import (
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestTokensAreRandomAndStoredOnlyAsHashes(t *testing.T) {
	token, hash, err := pulse.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	other, otherHash, err := pulse.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case token == other || hash == otherHash:
		t.Fatal("two tokens are the same")
	case len(token) < 43:
		t.Fatalf("token %q is shorter than 256 bits", token)
	case hash != pulse.HashToken(token):
		t.Fatal("the hash NewToken returns is not HashToken of its token")
	case strings.Contains(hash, token) || hash == token:
		t.Fatal("the hash holds the token")
	case pulse.CSRFToken(token) == hash || pulse.CSRFToken(token) == token:
		t.Fatal("the CSRF token is the session's token or its stored hash")
	case pulse.CSRFToken(token) == pulse.CSRFToken(other):
		t.Fatal("two sessions share a CSRF token")
	}
}

func TestSignInsAndSessionsExpire(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	link := pulse.SignIn{CreatedAt: at, ExpiresAt: at.Add(pulse.SignInTTL)}
	session := pulse.WebSession{CreatedAt: at, ExpiresAt: at.Add(pulse.SessionTTL)}
	tests := []struct {
		name string
		live bool
		want bool
	}{
		{"a link just given", link.Live(at), true},
		{"a link a second before ten minutes", link.Live(at.Add(10*time.Minute - time.Second)), true},
		{"a link at ten minutes", link.Live(at.Add(10 * time.Minute)), false},
		{"a session after eleven hours", session.Live(at.Add(11 * time.Hour)), true},
		{"a session at twelve hours", session.Live(at.Add(12 * time.Hour)), false},
	}
	for _, tt := range tests {
		if tt.live != tt.want {
			t.Errorf("%s: live = %v, want %v", tt.name, tt.live, tt.want)
		}
	}
}
