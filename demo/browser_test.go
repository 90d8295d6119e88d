package demo_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromium finds the browser, and skips the test without one unless it
// runs in CI, where .ci/run installs it and its absence is a failure.
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
	t.Skip("chromium is not installed; the browser test runs in CI")
	return ""
}

// browse runs headless Chromium on a local file with args (--dump-dom,
// --screenshot=…) and returns what it printed.
func browse(t *testing.T, bin, file string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	all := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--window-size=1200,3000",
	}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, "file://"+abs)...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.String()
}

func TestDemoTranscriptRendersInABrowser(t *testing.T) {
	bin := chromium(t)
	res, _ := runWeek(t)

	dom := browse(t, bin, res.HTML, "--dump-dom")
	if strings.Contains(dom, `<div id="js-error">`) {
		i := strings.Index(dom, `<div id="js-error">`)
		t.Errorf("the page raised a script error: %s", dom[i:min(len(dom), i+300)])
	}
	for _, want := range []string{
		`<div class="bk-header">Weekly summary`,
		`<button class="btn primary" data-action="checkin.open">Check in</button>`,
		`<h2 class="day-header"><span>Friday 20 November</span></h2>`,
		`src="data:image/png;base64,`,
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered page lacks %s", want)
		}
	}

	shot := filepath.Join("..", ".artifacts", "demo-transcript.png")
	if err := os.MkdirAll(filepath.Dir(shot), 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(shot)
	browse(t, bin, res.HTML, "--screenshot="+abs)
	info, err := os.Stat(abs)
	if err != nil || info.Size() < 10_000 {
		t.Fatalf("screenshot %s not written or blank (%v)", abs, err)
	}
	t.Logf("screenshot of the transcript: %s", abs)
}

// The error marker the page's first script sets is what the test above
// looks for; a page that throws must show it, or that check proves nothing.
func TestDemoTranscriptMarksScriptErrors(t *testing.T) {
	bin := chromium(t)
	res, _ := runWeek(t)
	page, err := os.ReadFile(res.HTML)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(page), "</body>", `<script>throw new Error("probe")</script></body>`, 1)
	file := filepath.Join(t.TempDir(), "broken.html")
	if err := os.WriteFile(file, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if dom := browse(t, bin, file, "--dump-dom"); !strings.Contains(dom, `<div id="js-error">`) {
		t.Error("a page that throws shows no error marker")
	}
}
