package main

import (
	"bytes"
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// testVersion is stamped into the test binary the way the Dockerfile stamps
// a release's version.
const testVersion = "0.0.0-buildtest"

var built struct {
	once sync.Once
	dir  string
	bin  string
	out  []byte
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// pulseBinary builds the command once per test run, the way the Dockerfile
// does: no cgo, -trimpath, the version set with -X.
func pulseBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "pulse-build-")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "pulse")
		cmd := exec.Command("go", "build", "-trimpath",
			"-ldflags", "-X github.com/salespulse/pulse.Version="+testVersion,
			"-o", built.bin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		built.out, built.err = cmd.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// runBinary runs the built pulse with only the given environment, the way
// `go run ./cmd/pulse` runs for someone who set nothing.
func runBinary(t *testing.T, env []string, args ...string) result {
	t.Helper()
	bin := pulseBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	cmd.Dir = t.TempDir()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("pulse %s did not exit: %v", strings.Join(args, " "), ctx.Err())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, stdout.String(), stderr.String()}
}

func TestBuiltBinaryRefusesToRunWithoutTokens(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		want    string
		secrets []string
	}{
		{"nothing set", nil, "pulse run: PULSE_SLACK_BOT_TOKEN is not set", nil},
		{"a user token as the app token",
			[]string{"PULSE_SLACK_BOT_TOKEN=" + testBotToken, "PULSE_SLACK_APP_TOKEN=xoxp-secretvalue"},
			"pulse run: PULSE_SLACK_APP_TOKEN must start with xapp-",
			[]string{"secretvalue", "botsecretvalue"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBinary(t, tt.env, "run")
			if r.code != 2 {
				t.Errorf("exit code %d, want 2; stderr: %s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, r.stderr)
			}
			for _, s := range tt.secrets {
				if strings.Contains(r.stdout+r.stderr, s) {
					t.Errorf("output prints %q:\n%s", s, r.stderr)
				}
			}
		})
	}
}

func TestBuiltBinaryCarriesItsVersion(t *testing.T) {
	r := runBinary(t, nil, "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "pulse "+testVersion+"\n") {
		t.Errorf("version: exit %d, stdout %q; want pulse %s", r.code, r.stdout, testVersion)
	}
}

func TestBuiltBinaryIsStatic(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the image is Linux; ELF checks need a Linux build")
	}
	bin := pulseBinary(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s asks for a dynamic loader (PT_INTERP); the distroless static image has none", bin)
		}
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		t.Fatal(err)
	}
	if len(libs) > 0 {
		t.Errorf("%s needs shared libraries %v", bin, libs)
	}

	// -trimpath keeps the build machine's paths out of the binary.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(wd)) {
		t.Errorf("%s contains the source path %s; was -trimpath dropped?", bin, wd)
	}
}

// dockerInstr is one instruction of a Dockerfile, continuation lines joined.
type dockerInstr struct {
	cmd  string // upper case: FROM, RUN, USER, ...
	args string
}

// parseDockerfile splits a Dockerfile into stages of instructions.
func parseDockerfile(t *testing.T, path string) [][]dockerInstr {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var stages [][]dockerInstr
	var line string
	for _, raw := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(raw)
		if line == "" && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			line += strings.TrimSuffix(trimmed, "\\") + " "
			continue
		}
		line += trimmed
		cmd, args, _ := strings.Cut(line, " ")
		line = ""
		in := dockerInstr{strings.ToUpper(cmd), strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			t.Fatalf("%s: %s before the first FROM", path, in.cmd)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	return stages
}

func TestDockerfile(t *testing.T) {
	stages := parseDockerfile(t, "../../Dockerfile")
	if len(stages) < 2 {
		t.Fatalf("Dockerfile has %d stages, want a build stage and a final one", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]
	find := func(stage []dockerInstr, cmd string) []string {
		var out []string
		for _, in := range stage {
			if in.cmd == cmd {
				out = append(out, in.args)
			}
		}
		return out
	}
	joined := func(stage []dockerInstr, cmd string) string { return strings.Join(find(stage, cmd), "\n") }

	if from := joined(build, "FROM"); !strings.HasPrefix(from, "golang:1.26") {
		t.Errorf("build stage FROM %q, want golang:1.26", from)
	}
	runs := joined(build, "RUN")
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-X github.com/salespulse/pulse.Version=${VERSION}", "./cmd/pulse"} {
		if !strings.Contains(runs, want) {
			t.Errorf("build stage's RUN lacks %q:\n%s", want, runs)
		}
	}
	if !strings.Contains(joined(build, "ARG"), "VERSION") {
		t.Errorf("build stage has no ARG VERSION")
	}

	users := find(final, "USER")
	if len(users) == 0 {
		t.Errorf("final stage sets no USER, so it runs as root")
	}
	for _, u := range users {
		name, _, _ := strings.Cut(u, ":")
		if name == "root" || name == "0" {
			t.Errorf("final stage runs as USER %s", u)
		}
	}
	checks := []struct {
		cmd  string
		want *regexp.Regexp
	}{
		{"VOLUME", regexp.MustCompile(`(^|[\s"\[])/data([\s"\]]|$)`)},
		{"ENV", regexp.MustCompile(`PULSE_DB_PATH=/data/pulse\.db`)},
		{"EXPOSE", regexp.MustCompile(`\b8080\b`)},
		{"HEALTHCHECK", regexp.MustCompile(`CMD \["/pulse", "healthcheck"\]`)},
		{"ENTRYPOINT", regexp.MustCompile(`^\["/pulse"\]$`)},
		{"CMD", regexp.MustCompile(`^\["run"\]$`)},
	}
	for _, c := range checks {
		if got := joined(final, c.cmd); !c.want.MatchString(got) {
			t.Errorf("final stage %s = %q, want it to match %s", c.cmd, got, c.want)
		}
	}
}
