package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot/slacktest"
)

// webAddr waits for the log line that says where the dashboard is.
func (p *runningPulse) webAddr(t *testing.T, s *slacktest.Server) string {
	t.Helper()
	return p.loggedAddr(t, s, "serving the web dashboard")
}

// From /pulse web in Slack to a signed-in page on the real binary, with
// the operator's endpoints unaffected.
func TestPulseRunServesTheDashboardFromASlackLink(t *testing.T) {
	s := slacktest.NewServer()
	defer s.Close()
	p := startPulseRun(t, s, filepath.Join(t.TempDir(), "pulse.db"), "PULSE_WEB_ADDR=127.0.0.1:0", "PULSE_PUBLIC_URL=https://pulse.example.com")
	ops, dash := p.opsAddr(t, s), p.webAddr(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatalf("pulse never connected: %v", err)
	}
	if err := s.WaitFor(ctx, func() bool { return httpStatus("http://"+ops+"/readyz") == 200 }); err != nil {
		t.Fatalf("/readyz with the dashboard on: %v", err)
	}
	id, err := s.SendSlashCommand(ctx, slack.SlashCommand{Command: "/pulse", Text: "web", UserID: "UWEB00001", ChannelID: "CGENERAL1"})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := s.WaitAck(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`https://pulse\.example\.com(/signin/[A-Za-z0-9_-]+)`).FindStringSubmatch(string(ack.Payload))
	if m == nil || !strings.Contains(string(ack.Payload), `"ephemeral"`) {
		t.Fatalf("/pulse web answered %s, want an ephemeral link", ack.Payload)
	}
	if strings.Contains(p.stderr.String(), m[1]) {
		t.Fatal("the sign-in link is in the log")
	}
	link := "http://" + dash + m[1]
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(body))
	if resp.StatusCode != 200 || csrf == nil {
		t.Fatalf("GET of the link: %d\n%s", resp.StatusCode, body)
	}
	// The cookies are Secure (the public URL is https), so a plain-http
	// client keeps them by hand.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("POST", link, strings.NewReader(url.Values{"csrf": {csrf[1]}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range resp.Cookies() {
		req.AddCookie(ck)
	}
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "pulse_session" {
			session = ck
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil || !session.Secure || !session.HttpOnly {
		t.Fatalf("sign-in: %d, session cookie %+v", resp.StatusCode, session)
	}
	req, _ = http.NewRequest("GET", "http://"+dash+"/", nil)
	req.AddCookie(session)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("home page: %d", resp.StatusCode)
	}
	if httpStatus("http://"+ops+"/healthz") != 200 || httpStatus("http://"+ops+"/readyz") != 200 {
		t.Error("the operator's endpoints changed with the dashboard on")
	}
}
