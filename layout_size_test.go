package pulse_test

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Limits that keep the code readable: a file of bot/ or its packages holds
// one thing, and a function anywhere in the module fits on a screen, from
// its func line to its closing brace. Tests are left out.
const (
	maxBotFileLines = 400
	maxFuncLines    = 80
)

// longFuncsAllowed are the functions that may be longer because they are
// table data, not steps to follow: "dir/file.go:Name" → why. None is now.
var longFuncsAllowed = map[string]string{}

func TestFilesAndFunctionsStaySmall(t *testing.T) {
	checked := 0
	eachPackage(t, func(dir string, p *build.Package) {
		inBot := dir == "bot" || strings.HasPrefix(filepath.ToSlash(dir), "bot/")
		for _, name := range append(p.GoFiles, p.CgoFiles...) {
			if inBot {
				checked++
			}
			checkSizes(t, filepath.Join(dir, name), inBot)
		}
	})
	if checked < 50 {
		t.Fatalf("checked %d files of bot/; is the test run from the module's root?", checked)
	}
}

// checkSizes reports the file if it is a bot/ file over maxBotFileLines,
// and each of its functions over maxFuncLines that is not allowed.
func checkSizes(t *testing.T, path string, inBot bool) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Errorf("parse %s: %v", path, err)
		return
	}
	rel := filepath.ToSlash(path)
	if n := fset.File(f.Pos()).LineCount(); inBot && n > maxBotFileLines {
		t.Errorf("%s has %d lines, over %d: split it by what it holds", rel, n, maxBotFileLines)
	}
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
		key := rel + ":" + fn.Name.Name
		if _, ok := longFuncsAllowed[key]; n > maxFuncLines && !ok {
			t.Errorf("%s has %d lines, over %d: split it by what its parts do", key, n, maxFuncLines)
		}
	}
}

// TestTheReadmesBotFilesExist keeps the Layout's walk through bot/ true:
// every file it names is there, in bot/ or, for the layout tests, in the
// root.
func TestTheReadmesBotFilesExist(t *testing.T) {
	parts := strings.Split(readmeLayout(t), "`")
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
