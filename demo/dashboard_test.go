package demo_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTheDemoWritesTheDashboardBesideItsTranscriptAndLinksIt(t *testing.T) {
	res, _ := runWeek(t)
	if len(res.Dashboard) < 5 || filepath.Base(res.Dashboard[0]) != "team.html" {
		t.Fatalf("dashboard pages %v, want the team page and four reps'", res.Dashboard)
	}
	transcript, err := os.ReadFile(res.HTML)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(transcript), `<a href="dashboard/team.html">`) {
		t.Error("transcript.html does not link the dashboard")
	}
	team, err := os.ReadFile(res.Dashboard[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Ingrid Berg", "Participation", "<svg", "<table", `href="rep-U0OLA.html"`, "Ola Nordmann"} {
		if !strings.Contains(string(team), want) {
			t.Errorf("the dashboard's team page lacks %q", want)
		}
	}
	rep, err := os.ReadFile(filepath.Join(res.Dir, "dashboard", "rep-U0PIOTR.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Piotr Nowak", "Kudos received", "Trainings and reports"} {
		if !strings.Contains(string(rep), want) {
			t.Errorf("Piotr's page lacks %q", want)
		}
	}
}

// The screenshots of the demo's dashboard go to .artifacts/, which git
// ignores, for people to look at.
func TestTheDemosDashboardRendersInABrowser(t *testing.T) {
	bin := chromium(t)
	res, _ := runWeek(t)
	dir := filepath.Join("..", ".artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, page := range map[string]string{
		"demo-team.png":   res.Dashboard[0],
		"demo-rep.png":    filepath.Join(res.Dir, "dashboard", "rep-U0PIOTR.html"),
		"demo-leader.png": filepath.Join(res.Dir, "dashboard", "leader-U0INGRID.html"),
	} {
		shot, err := filepath.Abs(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		_ = os.Remove(shot)
		browse(t, bin, page, "--screenshot="+shot)
		if fi, err := os.Stat(shot); err != nil || fi.Size() < 10_000 {
			t.Errorf("screenshot of %s: %v", page, err)
		}
	}
}
