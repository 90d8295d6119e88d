package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
)

func TestBadInputInEveryFieldIsAnsweredPlainly(t *testing.T) {
	f := newFixture(t)
	c := client(t)
	_, home := signIn(t, c, f.link(t, manager))
	team := f.srv.URL + "/teams/" + f.team.ID
	for _, weeks := range []string{"", "abc", "-1", "0", "7", "99999999999999999999", "52;drop"} {
		status, body := get(t, c, team+"?weeks="+url.QueryEscape(weeks))
		if status != http.StatusOK || !strings.Contains(body, `aria-current="page">13 weeks`) {
			t.Errorf("weeks=%q: %d, want the 13-week page", weeks, status)
		}
	}
	for name, path := range map[string]string{
		"a forged team ID":            "/teams/t0000000001x",
		"a team ID with a slash":      "/teams/..%2F" + f.team.ID,
		"a rep ID with markup":        "/teams/" + f.team.ID + "/reps/%3Cscript%3E",
		"a rep of the team's manager": "/teams/" + f.team.ID + "/reps/" + manager,
		"a very long rep ID":          "/teams/" + f.team.ID + "/reps/U" + strings.Repeat("X", 5000),
	} {
		status, body := get(t, c, f.srv.URL+path)
		if status != http.StatusForbidden && status != http.StatusNotFound {
			t.Errorf("%s: %d, want a refusal", name, status)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "XXXXXXXX") {
			t.Errorf("%s: the refusal echoes the request", name)
		}
	}
	csrf := csrfOf(t, home)
	status, _ := post(t, c, team+"/export", url.Values{"csrf": {csrf}, "weeks": {"-5"}})
	if status != http.StatusOK {
		t.Errorf("export with weeks=-5: %d, want the default span", status)
	}

	// A forged or oversized cookie is no session.
	for _, value := range []string{"", "x", strings.Repeat("a", 4000), "../../etc"} {
		req, _ := http.NewRequest("GET", f.srv.URL+"/", nil)
		req.AddCookie(&http.Cookie{Name: "pulse_session", Value: value})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("cookie %.10q: %d, want 401", value, resp.StatusCode)
		}
	}
}

func TestWhatPeopleTypedIsEscapedOnThePage(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	if _, err := f.db.UpdatePerson(ctx, rep2, func(p *pulse.Person) error { p.Name = `<script>alert("name")</script>`; return nil }); err != nil {
		t.Fatal(err)
	}
	day := pulse.DateOf(fixtureNow)
	if err := f.db.SaveCheckIn(ctx, &pulse.CheckIn{TeamID: f.team.ID, UserID: rep2, Date: day, Status: pulse.CheckInOnTime, Energy: 3,
		Results: `<img src=x onerror="alert(1)">`, Plan: `=HYPERLINK("http://evil")`, SubmittedAt: fixtureNow, UpdatedAt: fixtureNow}); err != nil {
		t.Fatal(err)
	}
	c := client(t)
	signIn(t, c, f.link(t, manager))
	for _, path := range []string{"/teams/" + f.team.ID, "/teams/" + f.team.ID + "/reps/" + rep2} {
		_, body := get(t, c, f.srv.URL+path)
		for _, raw := range []string{`<script>alert`, `<img src=x`} {
			if strings.Contains(body, raw) {
				t.Errorf("%s shows %s unescaped", path, raw)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("%s does not show the name, escaped", path)
		}
	}
}
