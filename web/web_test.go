package web_test

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

var (
	csrfField      = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	chartThenTable = regexp.MustCompile(`</figure>\s*<div class="table"`)
)

// get fetches a page and returns its status and body.
func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// post sends a form and returns the status and body of the answer (after
// redirects).
func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// csrfOf returns the CSRF token of the first form on a page.
func csrfOf(t *testing.T, body string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form with a CSRF token on the page:\n%s", body)
	}
	return m[1]
}

// signIn opens the link and presses "Sign in", and returns the home page.
func signIn(t *testing.T, c *http.Client, link string) (int, string) {
	t.Helper()
	status, body := get(t, c, link)
	if status != http.StatusOK {
		t.Fatalf("GET of the link: %d", status)
	}
	return post(t, c, link, url.Values{"csrf": {csrfOf(t, body)}})
}

func TestSigningInFromALinkShowsTheTeamAndARep(t *testing.T) {
	f := newFixture(t)
	c := client(t)
	status, home := signIn(t, c, f.link(t, manager))
	if status != http.StatusOK || !strings.Contains(home, "Nordic Sales") {
		t.Fatalf("home after sign-in: %d\n%s", status, home)
	}
	for _, weeks := range []string{"4", "13", "52"} {
		status, team := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"?weeks="+weeks)
		if status != http.StatusOK {
			t.Fatalf("team page of %s weeks: %d", weeks, status)
		}
		for _, want := range []string{"Participation", "Energy", "Numbers against plan", "Commitments kept", "Training applied", "Kudos", "Blockers open", "<svg", "<table", "Ingrid Dahl", "Download CSV"} {
			if !strings.Contains(team, want) {
				t.Errorf("team page of %s weeks lacks %q", weeks, want)
			}
		}
		if n, m := strings.Count(team, "<svg"), len(chartThenTable.FindAllString(team, -1)); n != m {
			t.Errorf("%d charts but %d followed by their table: every chart has its table", n, m)
		}
	}
	status, rep := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"/reps/"+rep1+"?weeks=13")
	if status != http.StatusOK {
		t.Fatalf("rep page: %d", status)
	}
	for _, want := range []string{"Ingrid Dahl", "Check-ins", "Commitments and their reviews", "Objection handling", "Kudos received", "1:1s", "Secret: wants to move"} {
		if !strings.Contains(rep, want) {
			t.Errorf("rep page lacks %q", want)
		}
	}
	_, erik := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"/reps/"+rep3)
	if strings.Contains(erik, "Baltic-only praise") {
		t.Error("a rep's page in one team shows their kudos from another team")
	}
}

func TestAPageIsInThePersonsLanguage(t *testing.T) {
	f := newFixture(t)
	p, err := f.db.Person(t.Context(), manager)
	if err != nil {
		t.Fatal(err)
	}
	p.Lang = "ru"
	if err := f.db.SavePerson(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	c := client(t)
	signIn(t, c, f.link(t, manager))
	_, team := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"?weeks=52")
	for _, want := range []string{`lang="ru"`, "Участие", "52 недели", "13 недель", "4 недели"} {
		if !strings.Contains(team, want) {
			t.Errorf("Russian team page lacks %q", want)
		}
	}
}

func TestTheGETOfALinkDoesNotUseIt(t *testing.T) {
	f := newFixture(t)
	link := f.link(t, manager)
	preview := client(t)
	for range 3 { // Slack's unfurler, a mail scanner, the person
		if status, _ := get(t, preview, link); status != http.StatusOK {
			t.Fatalf("GET of a fresh link: %d", status)
		}
	}
	if status, home := signIn(t, client(t), link); status != http.StatusOK || !strings.Contains(home, "Nordic Sales") {
		t.Fatalf("sign-in after previews: %d", status)
	}
}

func TestALinkWorksOnceAndForTenMinutes(t *testing.T) {
	f := newFixture(t)
	link := f.link(t, manager)
	if status, _ := signIn(t, client(t), link); status != http.StatusOK {
		t.Fatalf("first use: %d", status)
	}
	status, body := signIn(t, client(t), link)
	if status != http.StatusForbidden || !strings.Contains(body, "used or has expired") {
		t.Errorf("second use: %d, want 403 with a sentence", status)
	}
	late := f.link(t, manager)
	f.advance(10 * time.Minute)
	if status, _ := signIn(t, client(t), late); status != http.StatusForbidden {
		t.Errorf("use after ten minutes: %d, want 403", status)
	}
	if status, _ := signIn(t, client(t), f.srv.URL+"/signin/forged-token"); status != http.StatusForbidden {
		t.Errorf("forged link: %d, want 403", status)
	}
}

func TestRefusalsRevealNothing(t *testing.T) {
	f := newFixture(t)
	c := client(t)
	signIn(t, c, f.link(t, rep1))
	if status, own := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"/reps/"+rep1); status != http.StatusOK || strings.Contains(own, "Secret: wants to move") {
		t.Errorf("a rep's own page: %d, and 1:1 notes shown: %v", status, strings.Contains(own, "Secret"))
	}
	refused := map[string]string{
		"another rep's page":             "/teams/" + f.team.ID + "/reps/" + rep2,
		"the team page":                  "/teams/" + f.team.ID,
		"another team's page":            "/teams/" + f.other.ID,
		"a team that does not exist":     "/teams/t9999999999",
		"their own page in another team": "/teams/" + f.other.ID + "/reps/" + rep1,
	}
	var bodies []string
	for name, path := range refused {
		status, body := get(t, c, f.srv.URL+path)
		if status != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, status)
		}
		for _, secret := range []string{"Jonas Lie", "Nordic Sales", "Baltic Sales", "<table", "<svg"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s: the refusal shows %q", name, secret)
			}
		}
		bodies = append(bodies, body)
	}
	for _, b := range bodies[1:] {
		if b != bodies[0] {
			t.Error("refusals differ, so they tell which teams and reps exist")
		}
	}
	if status, _ := post(t, c, f.srv.URL+"/teams/"+f.team.ID+"/export", nil); status != http.StatusForbidden {
		t.Errorf("a rep's export: %d, want 403", status)
	}
}

func TestAPostWithoutTheCSRFTokenIsRefused(t *testing.T) {
	f := newFixture(t)
	c := client(t)
	_, home := signIn(t, c, f.link(t, manager))
	token := csrfOf(t, home)
	exportURL := f.srv.URL + "/teams/" + f.team.ID + "/export"
	for name, form := range map[string]url.Values{
		"no token":                {"weeks": {"4"}},
		"an empty token":          {"weeks": {"4"}, "csrf": {""}},
		"another session's token": {"weeks": {"4"}, "csrf": {"x" + token[1:]}},
	} {
		if status, body := post(t, c, exportURL, form); status != http.StatusForbidden || strings.Contains(body, "Ingrid") {
			t.Errorf("export with %s: %d, want 403 without data", name, status)
		}
	}
	if status, _ := post(t, c, f.srv.URL+"/logout", url.Values{}); status != http.StatusForbidden {
		t.Errorf("logout without a token: %d, want 403", status)
	}
	status, csv := post(t, c, exportURL, url.Values{"weeks": {"4"}, "csrf": {token}})
	if status != http.StatusOK || !strings.Contains(csv, "Ingrid Dahl") || !strings.Contains(csv, "on_time") {
		t.Errorf("export with the token: %d\n%.300s", status, csv)
	}
	// The sign-in form has its own token, bound to a cookie of its own.
	link := f.link(t, manager)
	if status, _ := post(t, client(t), link, url.Values{}); status != http.StatusForbidden {
		t.Errorf("sign-in POST without the form's token: %d, want 403", status)
	}
	if status, _ := signIn(t, client(t), link); status != http.StatusOK {
		t.Error("a refused forged sign-in used up the link")
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	f := newFixture(t)
	c := client(t)
	_, home := signIn(t, c, f.link(t, manager))
	u, _ := url.Parse(f.srv.URL)
	cookies := c.Jar.Cookies(u)
	status, body := post(t, c, f.srv.URL+"/logout", url.Values{"csrf": {csrfOf(t, home)}})
	if status != http.StatusOK || !strings.Contains(body, "signed out") {
		t.Fatalf("logout: %d\n%s", status, body)
	}
	if status, _ := get(t, c, f.srv.URL+"/teams/"+f.team.ID); status != http.StatusUnauthorized {
		t.Errorf("team page after logout: %d, want 401", status)
	}
	// A copy of the old cookie is worthless too: the session is gone.
	thief := client(t)
	thief.Jar.SetCookies(u, cookies)
	if status, _ := get(t, thief, f.srv.URL+"/teams/"+f.team.ID); status != http.StatusUnauthorized {
		t.Errorf("team page with the old cookie: %d, want 401", status)
	}
}

func TestASessionEndsAfterTwelveHours(t *testing.T) {
	f := newFixture(t)
	c := client(t)
	signIn(t, c, f.link(t, manager))
	f.advance(12*time.Hour - time.Minute)
	if status, _ := get(t, c, f.srv.URL+"/"); status != http.StatusOK {
		t.Fatalf("after 11:59: %d", status)
	}
	f.advance(time.Minute)
	if status, _ := get(t, c, f.srv.URL+"/"); status != http.StatusUnauthorized {
		t.Errorf("after 12 h: %d, want 401", status)
	}
}

func TestWriteFilesWritesTheTeamAndItsRepsAsLinkedPages(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	paths, err := f.web.WriteFiles(t.Context(), dir, manager, f.team.ID, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 5 || filepath.Base(paths[0]) != "team.html" || filepath.Base(paths[4]) != "rep-"+rep4+".html" {
		t.Fatalf("wrote %v, want team.html and the four reps' pages first", paths)
	}
	team, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`href="rep-` + rep1 + `.html"`, `href="style.css"`, "Participation", "<svg"} {
		if !strings.Contains(string(team), want) {
			t.Errorf("team.html lacks %s", want)
		}
	}
	for _, unwanted := range []string{"<form", "csrf", `href="/`} {
		if strings.Contains(string(team), unwanted) {
			t.Errorf("team.html holds %s, which needs a server", unwanted)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "style.css")); err != nil {
		t.Error(err)
	}
	if _, err := f.web.WriteFiles(t.Context(), t.TempDir(), rep1, f.team.ID, 4); err == nil {
		t.Error("a rep's files of the whole team were written")
	}
}

// The team page counts, week by week, the blockers open at each week's end
// and those raised in it, one raised long before the span among them.
func TestTheTeamPageCountsItsBlockersWeekByWeek(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	loc := f.team.Location()
	old := &pulse.Blocker{TeamID: f.team.ID, UserID: rep1, Date: pulse.MustDate("2025-06-02"), Text: "Waiting for the pricing approval",
		Status: pulse.BlockerResolved, RaisedAt: pulse.MustDate("2025-06-02").At(9*60, loc), ResolvedBy: manager, ResolvedAt: pulse.MustDate("2026-03-17").At(15*60, loc)}
	if err := f.db.SaveBlocker(ctx, old); err != nil {
		t.Fatal(err)
	}
	c := client(t)
	signIn(t, c, f.link(t, manager))
	status, page := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"?weeks=4")
	if status != http.StatusOK {
		t.Fatalf("the team page: %d", status)
	}
	_, section, _ := strings.Cut(page, `<section id="blockers"`)
	section, _, _ = strings.Cut(section, "</section>")
	rows := strings.Split(section[strings.LastIndex(section, "<tbody>"):], "<tr>")[1:]
	// Weeks of 23 February to 16 March: the fixture's blocker was raised
	// on 9 March and is open; the old one was resolved on 17 March.
	want := []string{"<td>1</td><td>0</td>", "<td>1</td><td>0</td>", "<td>2</td><td>1</td>", "<td>1</td><td>0</td>"}
	if len(rows) != len(want) {
		t.Fatalf("%d weeks of blockers, want %d:\n%s", len(rows), len(want), section)
	}
	for i, row := range rows {
		if !strings.Contains(row, want[i]) {
			t.Errorf("week %d: %q, want open and raised %s", i, row, want[i])
		}
	}
}
