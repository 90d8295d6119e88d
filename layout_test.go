package pulse_test

import (
	"go/build"
	"io/fs"
	"os"
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

// README's Layout table names every package of the module, so that it
// stays true as packages are added.
func TestTheReadmesLayoutNamesEveryPackage(t *testing.T) {
	layout := readmeLayout(t)
	named := map[string]bool{}
	for _, line := range strings.Split(layout, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		for _, f := range strings.Split(cells[1], "`") {
			named[strings.TrimSpace(f)] = true
		}
	}
	eachPackage(t, func(dir string, p *build.Package) {
		want := filepath.ToSlash(dir)
		if dir == "." {
			want = p.Name
		}
		if !named[want] {
			t.Errorf("README's Layout does not name package %s", want)
		}
	})
}

// eachPackage calls fn with the folder and the package of each Go package
// of the module, the root first, leaving out hidden folders and testdata.
func eachPackage(t *testing.T, fn func(dir string, p *build.Package)) {
	t.Helper()
	err := filepath.WalkDir(".", func(dir string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); dir != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
			return filepath.SkipDir
		}
		p, err := build.ImportDir(dir, 0)
		if err != nil {
			return nil // no Go package here
		}
		fn(dir, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readmeLayout is README.md's Layout section, up to the next heading.
func readmeLayout(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, layout, ok := strings.Cut(string(readme), "\n## Layout\n")
	if !ok {
		t.Fatal("README.md has no Layout section")
	}
	layout, _, _ = strings.Cut(layout, "\n## ")
	return layout
}
