package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// readmeCodeLines returns the lines inside README.md's code blocks.
func readmeCodeLines(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			in = !in
			continue
		}
		if in {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	return lines
}

// TestCIRunsTheREADMEsTestCommand keeps CI honest: the test command in
// .ci/run is, character for character, one the README tells a newcomer.
func TestCIRunsTheREADMEsTestCommand(t *testing.T) {
	data, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	var ciTests []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "go test") {
			ciTests = append(ciTests, strings.TrimSpace(line))
		}
	}
	if len(ciTests) != 1 {
		t.Fatalf(".ci/run has %d go test lines %q, want exactly one", len(ciTests), ciTests)
	}
	code := readmeCodeLines(t)
	for _, want := range []string{ciTests[0], "go run ./cmd/pulse demo", "go test -race ./..."} {
		found := false
		for _, line := range code {
			if line == want {
				found = true
			}
		}
		if !found {
			t.Errorf("README.md has no code line %q", want)
		}
	}
}

// TestREADMEConfigurationTable checks that the README's table lists every
// variable Config reads, with its default.
func TestREADMEConfigurationTable(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{} // variable -> default cell
	row := regexp.MustCompile("^\\| `(PULSE_[A-Z_]+)` \\| ([^|]*) \\|")
	for _, line := range strings.Split(string(data), "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			rows[m[1]] = strings.TrimSpace(m[2])
		}
	}
	for _, v := range configVars() {
		cell, ok := rows[v.Key]
		switch {
		case !ok:
			t.Errorf("README.md's configuration table lacks %s", v.Key)
		case v.Default != "" && cell != "`"+v.Default+"`":
			t.Errorf("README.md gives %s the default %s, Config %q", v.Key, cell, v.Default)
		case v.Default == "" && strings.HasPrefix(cell, "`"):
			t.Errorf("README.md gives %s the default %s, but it has none", v.Key, cell)
		}
		delete(rows, v.Key)
	}
	for key := range rows {
		t.Errorf("README.md's configuration table lists %s, which Config does not read", key)
	}
}
