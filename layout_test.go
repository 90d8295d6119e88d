package pulse_test

import (
	"go/build"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// module is the import path of the root package.
const module = "github.com/salespulse/pulse"

// moduleDeps returns the packages of this module that pkg (a path inside
// it, "" for the root) imports, directly or not, leaving out test files.
func moduleDeps(t *testing.T, pkg string) []string {
	t.Helper()
	seen := map[string]bool{}
	var walk func(rel string)
	walk = func(rel string) {
		p, err := build.ImportDir(filepath.FromSlash("./"+rel), 0)
		if err != nil {
			t.Fatalf("read package %q: %v", rel, err)
		}
		for _, imp := range p.Imports {
			if imp != module && !strings.HasPrefix(imp, module+"/") {
				continue
			}
			dep := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
			if !seen[dep] {
				seen[dep] = true
				walk(dep)
			}
		}
	}
	walk(pkg)
	deps := make([]string, 0, len(seen))
	for d := range seen {
		deps = append(deps, d)
	}
	slices.Sort(deps)
	return deps
}

// The arrows of README's Layout that keep the Slack transport apart from
// the product: the socket and the Web API client know no Pulse type and
// no handler, and the handlers reach storage only through the root's
// interfaces.
func TestTheLayoutsArrowsHold(t *testing.T) {
	tests := []struct {
		pkg     string
		allowed []string // the only packages of the module it may depend on; nil: any but forbidden
		banned  []string // packages of the module it must not depend on
	}{
		{pkg: "bot/webapi", allowed: []string{}},
		{pkg: "bot/socket", allowed: []string{"bot/webapi"}},
		{pkg: "bot", banned: []string{"storage", "storage/kv", "cadence", "cmd/pulse"}},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			deps := moduleDeps(t, tt.pkg)
			for _, d := range deps {
				name := d
				if name == "" {
					name = "the root package"
				}
				if tt.allowed != nil && !slices.Contains(tt.allowed, d) {
					t.Errorf("%s depends on %s; it may depend only on %q of this module", tt.pkg, name, tt.allowed)
				}
				for _, b := range tt.banned {
					if d == b || strings.HasPrefix(d, b+"/") {
						t.Errorf("%s depends on %s", tt.pkg, name)
					}
				}
			}
		})
	}
}
