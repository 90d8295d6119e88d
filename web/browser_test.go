package web_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axeSource is axe-core, the accessibility checker, vendored from npm
// (see testdata/README.md).
//
//go:embed testdata/axe.min.js
var axeSource string

// chromium finds Debian's headless browser. Without it the browser tests
// skip on a developer's machine, but fail in CI, where .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI is set: .ci/run should have installed it")
	}
	t.Skip("chromium is not installed; the browser tests run in CI")
	return ""
}

// browser starts headless Chromium for the test and returns a tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	bin := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // start the browser on a context without a deadline
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// step runs actions with a deadline, so a page that never comes fails the
// test instead of hanging it.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// value runs one action that returns something, with a deadline.
func value[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// status is the HTTP status of the page the tab shows.
func status(t *testing.T, ctx context.Context) int {
	t.Helper()
	return value(t, ctx, "status", chromedp.Evaluate[int](`performance.getEntriesByType("navigation")[0].responseStatus`))
}

// press clicks sel and waits for the page it leads to.
func press(t *testing.T, ctx context.Context, sel string) *network.Response {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	resp, err := chromedp.RunResponse(sctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	return resp
}

// signInWith opens a sign-in link and presses its button.
func signInWith(t *testing.T, ctx context.Context, link string) *network.Response {
	t.Helper()
	step(t, ctx, "open the link", chromedp.Navigate(link))
	if got := value(t, ctx, "button", chromedp.Text(chromedp.CSS("main form button"))); got != "Sign in" {
		t.Fatalf("the link's page shows %q, want a Sign in button", got)
	}
	return press(t, ctx, "main form button")
}

func clearCookies(t *testing.T, ctx context.Context) {
	t.Helper()
	step(t, ctx, "clear cookies", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
}

// axeViolation is what axe-core reports of one rule a page breaks.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// checkAccessible runs axe-core in the page the tab shows and fails on
// every serious or critical violation.
func checkAccessible(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	step(t, ctx, "load axe-core", chromedp.Evaluate[chromedp.Void](axeSource))
	raw := value(t, ctx, "run axe-core on "+page, chromedp.Evaluate[[]byte](
		`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	var violations []axeViolation
	if err := json.Unmarshal(raw, &violations); err != nil {
		t.Fatalf("axe-core's answer on %s: %v", page, err)
	}
	for _, v := range violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			var where []string
			for _, n := range v.Nodes {
				where = append(where, strings.Trim(strings.ReplaceAll(strings.Join(strings.Fields(strings.Trim(toJSON(n.Target), "[]")), " "), `"`, ""), " "))
			}
			t.Errorf("%s: %s (%s): %s, at %v", page, v.ID, v.Impact, v.Help, where)
		}
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// screenshot saves the page the tab shows under .artifacts/, which git ignores.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := value(t, ctx, "screenshot", chromedp.FullScreenshot(100))
	dir := filepath.Join("..", ".artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserSignsInFromALinkAndShowsTheTeamAndARep(t *testing.T) {
	ctx := browser(t)
	f := newFixture(t)

	link := f.link(t, manager)
	step(t, ctx, "open the link", chromedp.Navigate(link))
	checkAccessible(t, ctx, "the sign-in page")
	if resp := press(t, ctx, "main form button"); resp.Status != 200 {
		t.Fatalf("sign-in: %d", resp.Status)
	}
	if got := value(t, ctx, "home", chromedp.Text(chromedp.CSS("h1"))); got != "Home" {
		t.Fatalf("after sign-in the page says %q, want the home page", got)
	}
	checkAccessible(t, ctx, "the home page")

	// The keyboard reaches the skip link first.
	step(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
	if got := value(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.textContent`)); got != "Skip to the content" {
		t.Errorf("the first Tab lands on %q, want the skip link", got)
	}

	press(t, ctx, `a[href^="/teams/`+f.team.ID+`"]`)
	if got := value(t, ctx, "team", chromedp.Text(chromedp.CSS("h1"))); got != "Nordic Sales" {
		t.Fatalf("the team link leads to %q", got)
	}
	for _, weeks := range []string{"4", "13", "52"} {
		press(t, ctx, `.periods a[href$="weeks=`+weeks+`"]`)
		charts := value(t, ctx, "charts", chromedp.Evaluate[int](`document.querySelectorAll("section figure svg[role=img]").length`))
		tables := value(t, ctx, "tables", chromedp.Evaluate[int](`document.querySelectorAll("section figure + .table table").length`))
		points := value(t, ctx, "points", chromedp.Evaluate[int](`document.querySelectorAll("#participation circle title").length`))
		rows := value(t, ctx, "rows", chromedp.Evaluate[int](`document.querySelectorAll("#participation tbody tr").length`))
		if charts < 7 || tables != charts {
			t.Errorf("%s weeks: %d charts and %d tables right after them, want at least 7, each with its table", weeks, charts, tables)
		}
		if want := map[string]int{"4": 4, "13": 13, "52": 13}[weeks]; rows < want || points < 1 {
			t.Errorf("%s weeks: participation table of %d rows and chart of %d points", weeks, rows, points)
		}
		checkAccessible(t, ctx, "the team page of "+weeks+" weeks")
		if weeks == "13" {
			screenshot(t, ctx, "web-team.png")
		}
	}

	press(t, ctx, `#leaders a[href*="/leaders/`+manager+`"]`)
	if n := value(t, ctx, "leader charts", chromedp.Evaluate[int](`document.querySelectorAll("svg[role=img]").length`)); n != 6 {
		t.Errorf("the leader's pulse has %d charts, want 6", n)
	}
	checkAccessible(t, ctx, "the leader's pulse")
	step(t, ctx, "back to the team", chromedp.Navigate(f.srv.URL+"/teams/"+f.team.ID+"?weeks=52"))

	press(t, ctx, `#reps a[href*="/reps/`+rep4+`"]`)
	if got := value(t, ctx, "rep", chromedp.Text(chromedp.CSS("h1"))); !strings.HasPrefix(got, "Maja Holm") {
		t.Fatalf("the rep link leads to %q", got)
	}
	press(t, ctx, `.periods a[href$="weeks=13"]`)
	if n := value(t, ctx, "rep charts", chromedp.Evaluate[int](`document.querySelectorAll("svg[role=img]").length`)); n != 2 {
		t.Errorf("the rep page has %d charts, want energy and numbers", n)
	}
	checkAccessible(t, ctx, "a rep's page")
	screenshot(t, ctx, "web-rep.png")

	// Logout ends the session: the pages ask to sign in again.
	if resp := press(t, ctx, `header form button`); resp.Status != 200 {
		t.Fatalf("logout: %d", resp.Status)
	}
	checkAccessible(t, ctx, "the signed-out page")
	step(t, ctx, "team page after logout", chromedp.Navigate(f.srv.URL+"/teams/"+f.team.ID))
	if got := status(t, ctx); got != 401 {
		t.Errorf("the team page after logout answers %d, want 401", got)
	}
	checkAccessible(t, ctx, "the sign-in-first page")
}

func TestBrowserRefusesAUsedOrExpiredLinkAnotherRepsPageAndAFormWithoutItsToken(t *testing.T) {
	ctx := browser(t)
	f := newFixture(t)

	link := f.link(t, rep1)
	if resp := signInWith(t, ctx, link); resp.Status != 200 {
		t.Fatalf("first use: %d", resp.Status)
	}
	step(t, ctx, "own page", chromedp.Navigate(f.srv.URL+"/teams/"+f.team.ID+"/reps/"+rep1))
	if got := status(t, ctx); got != 200 {
		t.Fatalf("a rep's own page: %d", got)
	}
	step(t, ctx, "another rep's page", chromedp.Navigate(f.srv.URL+"/teams/"+f.team.ID+"/reps/"+rep2))
	body := value(t, ctx, "body", chromedp.Text(chromedp.CSS("body")))
	if got := status(t, ctx); got != 403 || strings.Contains(body, "Jonas") || strings.Contains(body, "Nordic") {
		t.Errorf("another rep's page: %d, showing %q", got, body)
	}
	checkAccessible(t, ctx, "the 403 page")

	clearCookies(t, ctx)
	if resp := signInWith(t, ctx, link); resp.Status != 403 {
		t.Errorf("the same link a second time: %d, want 403", resp.Status)
	}
	if got := value(t, ctx, "refusal", chromedp.Text(chromedp.CSS("h1"))); !strings.Contains(got, "used or has expired") {
		t.Errorf("second use says %q", got)
	}
	checkAccessible(t, ctx, "the refused link's page")

	late := f.link(t, manager)
	f.advance(10 * time.Minute)
	if resp := signInWith(t, ctx, late); resp.Status != 403 {
		t.Errorf("a link after ten minutes: %d, want 403", resp.Status)
	}

	// A manager's export form, with its CSRF token taken out, is refused.
	if resp := signInWith(t, ctx, f.link(t, manager)); resp.Status != 200 {
		t.Fatalf("manager sign-in: %d", resp.Status)
	}
	step(t, ctx, "team page", chromedp.Navigate(f.srv.URL+"/teams/"+f.team.ID+"?weeks=4"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#export input[name=csrf]').remove()`))
	if resp := press(t, ctx, "#export button"); resp.Status != 403 {
		t.Errorf("an export POST without the CSRF token: %d, want 403", resp.Status)
	}
	if got := value(t, ctx, "refusal", chromedp.Text(chromedp.CSS("h1"))); !strings.Contains(got, "out of date") {
		t.Errorf("the refusal says %q", got)
	}
	checkAccessible(t, ctx, "the refused form's page")
}
