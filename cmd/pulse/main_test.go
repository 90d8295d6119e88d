package main

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// result is what one in-process run of pulse returned and printed.
type result struct {
	code           int
	stdout, stderr string
}

// runPulse runs Main in-process with the given environment. The deadline
// guards against a command that hangs; it is not a timing assertion.
func runPulse(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, args, envOf(env), &stdout, &stderr) }()
	select {
	case code := <-done:
		return result{code, stdout.String(), stderr.String()}
	case <-time.After(15 * time.Second):
		t.Fatalf("pulse %s did not return", strings.Join(args, " "))
		return result{}
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"no command prints usage on stderr", nil, 2, "", "Usage: pulse <command>"},
		{"an unknown command is named and gets usage on stderr", []string{"launch"}, 2, "", `unknown command "launch"`},
		{"help prints usage on stdout", []string{"help"}, 0, "Usage: pulse <command>", ""},
		{"--help prints usage on stdout", []string{"--help"}, 0, "Usage: pulse <command>", ""},
		{"help lists the environment with defaults", []string{"help"}, 0, "PULSE_DB_PATH", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runPulse(t, nil, tt.args...)
			if r.code != tt.wantCode {
				t.Errorf("exit code %d, want %d; stderr: %s", r.code, tt.wantCode, r.stderr)
			}
			if tt.wantStdout != "" && !strings.Contains(r.stdout, tt.wantStdout) {
				t.Errorf("stdout does not contain %q:\n%s", tt.wantStdout, r.stdout)
			}
			if tt.wantStdout == "" && r.stdout != "" {
				t.Errorf("stdout should be empty, got:\n%s", r.stdout)
			}
			if tt.wantStderr != "" && !strings.Contains(r.stderr, tt.wantStderr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.wantStderr, r.stderr)
			}
		})
	}
}

func TestUsageListsEveryCommandAndVariable(t *testing.T) {
	r := runPulse(t, nil, "help")
	for _, c := range commands {
		if !strings.Contains(r.stdout, "  "+c.name) {
			t.Errorf("help does not list %s:\n%s", c.name, r.stdout)
		}
	}
	for _, v := range configVars() {
		if !strings.Contains(r.stdout, v.Key) {
			t.Errorf("help does not list %s:\n%s", v.Key, r.stdout)
		}
	}
}

func TestVersionPrintsPulseAndGoVersions(t *testing.T) {
	r := runPulse(t, nil, "version")
	if r.code != 0 {
		t.Fatalf("exit code %d; stderr: %s", r.code, r.stderr)
	}
	for _, want := range []string{"pulse " + pulse.Version, runtime.Version()} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("version output does not contain %q:\n%s", want, r.stdout)
		}
	}
}
