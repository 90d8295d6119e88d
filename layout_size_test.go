package pulse_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Limits that keep bot/ readable: a file holds one thing, and a function
// fits on a screen. Tests are left out.
const (
	maxBotFileLines = 400
	maxBotFuncLines = 80
)

func TestBotFilesAndFunctionsStaySmall(t *testing.T) {
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir("bot", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		if n := strings.Count(string(src), "\n"); n > maxBotFileLines {
			t.Errorf("%s has %d lines, over %d: split it by what it holds", path, n, maxBotFileLines)
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			if n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1; n > maxBotFuncLines {
				t.Errorf("%s: %s has %d lines, over %d", fset.Position(fn.Pos()), fn.Name.Name, n, maxBotFuncLines)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked %d files; is the test run from the module's root?", checked)
	}
}

// TestTheReadmesBotFilesExist keeps the Layout's walk through bot/ true:
// every file it names is there, in bot/ or, for the layout tests, in the
// root.
func TestTheReadmesBotFilesExist(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, layout, ok := strings.Cut(string(readme), "\n## Layout\n")
	if !ok {
		t.Fatal("README.md has no Layout section")
	}
	layout, _, _ = strings.Cut(layout, "\n## ")
	parts := strings.Split(layout, "`")
	named := 0
	for i := 1; i < len(parts); i += 2 {
		name := parts[i]
		if !strings.HasSuffix(name, ".go") || strings.ContainsAny(name, "*/ ") {
			continue
		}
		named++
		if _, err := os.Stat(filepath.Join("bot", name)); err == nil {
			continue
		}
		if _, err := os.Stat(name); err != nil {
			t.Errorf("README's Layout names %s, which is neither in bot/ nor in the root", name)
		}
	}
	if named < 10 {
		t.Fatalf("found %d file names in README's Layout; has its walk through bot/ moved?", named)
	}
}
