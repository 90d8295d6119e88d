package storage_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestASignInLinkIsUsedOnceAndNotAfterItExpires(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db.Clock = pulse.ClockFunc(func() time.Time { return at })
	token, hash, err := pulse.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSignIn(ctx, &pulse.SignIn{Hash: hash, UserID: "UREP1", CreatedAt: at, ExpiresAt: at.Add(pulse.SignInTTL)}); err != nil {
		t.Fatal(err)
	}

	// Two uses at once: exactly one signs in.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := db.UseSignIn(ctx, pulse.HashToken(token), at.Add(time.Minute))
			if err == nil && s.UserID == "UREP1" {
				mu.Lock()
				won++
				mu.Unlock()
			} else if !pulse.IsNotFound(err) {
				t.Errorf("second use: %v, want not found", err)
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d uses of one link signed in, want 1", won)
	}

	_, late, _ := pulse.NewToken()
	if err := db.SaveSignIn(ctx, &pulse.SignIn{Hash: late, UserID: "UREP1", CreatedAt: at, ExpiresAt: at.Add(pulse.SignInTTL)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UseSignIn(ctx, late, at.Add(10*time.Minute)); !pulse.IsNotFound(err) {
		t.Fatalf("use after ten minutes: %v, want not found", err)
	}
	if _, err := db.UseSignIn(ctx, late, at.Add(time.Minute)); !pulse.IsNotFound(err) {
		t.Fatalf("an expired link came back: %v", err)
	}
	for _, forged := range []string{"", "x", strings.Repeat("g", 64), "../" + strings.Repeat("a", 61)} {
		if _, err := db.UseSignIn(ctx, forged, at); !pulse.IsNotFound(err) {
			t.Errorf("forged hash %q: %v, want not found", forged, err)
		}
	}
}

func TestAWebSessionLastsUntilItEndsOrExpires(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db.Clock = pulse.ClockFunc(func() time.Time { return at })
	token, hash, _ := pulse.NewToken()
	s := &pulse.WebSession{Hash: hash, UserID: "UMGR1", CreatedAt: at, ExpiresAt: at.Add(pulse.SessionTTL)}
	if err := db.SaveWebSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, err := db.WebSession(ctx, pulse.HashToken(token), at.Add(11*time.Hour))
	if err != nil || got.UserID != "UMGR1" {
		t.Fatalf("session after 11 h: %+v, %v", got, err)
	}
	if _, err := db.WebSession(ctx, hash, at.Add(12*time.Hour)); !pulse.IsNotFound(err) {
		t.Fatalf("session after 12 h: %v, want not found", err)
	}
	if err := db.EndWebSession(ctx, hash); err != nil {
		t.Fatal(err)
	}
	if _, err := db.WebSession(ctx, hash, at); !pulse.IsNotFound(err) {
		t.Fatalf("ended session: %v, want not found", err)
	}
	if err := db.EndWebSession(ctx, hash); err != nil {
		t.Fatalf("ending it again: %v", err)
	}
}

func TestExpiredCredentialsAreSweptAndTokensNeverStored(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now := at
	db.Clock = pulse.ClockFunc(func() time.Time { return now })
	oldToken, old, _ := pulse.NewToken()
	if err := db.SaveWebSession(ctx, &pulse.WebSession{Hash: old, UserID: "UMGR1", CreatedAt: at, ExpiresAt: at.Add(pulse.SessionTTL)}); err != nil {
		t.Fatal(err)
	}
	now = at.Add(13 * time.Hour)
	newToken, fresh, _ := pulse.NewToken()
	if err := db.SaveWebSession(ctx, &pulse.WebSession{Hash: fresh, UserID: "UMGR1", CreatedAt: now, ExpiresAt: now.Add(pulse.SessionTTL)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.WebSession(ctx, old, at); !pulse.IsNotFound(err) {
		t.Fatalf("an expired session survived the next sign-in: %v", err)
	}
	if onPostgres {
		return // the rest reads the bbolt file's bytes
	}
	path := db.Path()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{oldToken, newToken} {
		if strings.Contains(string(raw), tok) {
			t.Fatal("a session token is in the database file in clear")
		}
	}
}
