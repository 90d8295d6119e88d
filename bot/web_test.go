package bot_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

var signInLink = regexp.MustCompile(`<(https://pulse\.example\.com/signin/([A-Za-z0-9_-]+))\|`)

func TestWebAnswersOnlyThePersonWithAOneTimeLink(t *testing.T) {
	h := start(t, withConfig(func(c *bot.Config) { c.WebURL = "https://pulse.example.com/" }))
	h.createTeam("Nordic", []string{"UMANAGER"}, []string{"UREP1"})
	r := h.command("UREP1", "web")
	if r.ResponseType != "ephemeral" {
		t.Errorf("response_type %q, want ephemeral: the link is the person's alone", r.ResponseType)
	}
	m := signInLink.FindStringSubmatch(r.Text)
	if m == nil {
		t.Fatalf("no sign-in link in %q", r.Text)
	}
	token := m[2]
	if strings.Contains(h.Logs.String(), token) {
		t.Error("the sign-in token is in the log")
	}
	now := h.Clock.Now()
	link, err := h.DB.UseSignIn(t.Context(), pulse.HashToken(token), now.Add(9*time.Minute))
	if err != nil || link.UserID != "UREP1" {
		t.Fatalf("stored link: %+v, %v; want one for UREP1", link, err)
	}
	if _, err := h.DB.UseSignIn(t.Context(), pulse.HashToken(token), now); !pulse.IsNotFound(err) {
		t.Errorf("the link works twice: %v", err)
	}

	other := signInLink.FindStringSubmatch(h.command("UREP1", "web").Text)
	if other == nil || other[2] == token {
		t.Error("a second /pulse web gave the same link")
	}
	if _, err := h.DB.UseSignIn(t.Context(), pulse.HashToken(other[2]), now.Add(10*time.Minute)); !pulse.IsNotFound(err) {
		t.Errorf("a link works after ten minutes: %v", err)
	}
}

func TestWebSaysSoWhenTheDashboardIsOff(t *testing.T) {
	h := start(t)
	h.createTeam("Nordic", []string{"UMANAGER"}, []string{"UREP1"})
	r := h.command("UREP1", "web")
	wantText(t, "/pulse web without a dashboard", r, h.en("web.off", nil))
	if strings.Contains(h.command("UREP1", "help").allText(), "/pulse web") {
		t.Error("help offers /pulse web while the dashboard is off")
	}
}
