package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// The week itself is tested in package demo; these check what pulse demo
// refuses before it starts one.
func TestDemoRefusesBadArguments(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"an unknown language is named", []string{"--lang", "xx"}, `unknown language "xx"`},
		{"an unknown flag is refused", []string{"--fast"}, "flag provided but not defined: -fast"},
		{"a stray argument is refused", []string{"monday"}, `unexpected argument "monday"`},
		{"--out without a folder is refused", []string{"--out"}, "flag needs an argument: -out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), append([]string{"demo"}, tc.args...), envOf(nil), &stdout, &stderr)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr.String(), tc.want) || !strings.Contains(stderr.String(), demoUsage) {
				t.Errorf("stderr %q lacks %q and the usage", stderr.String(), tc.want)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout %q, want nothing: no week ran", stdout.String())
			}
		})
	}
}
