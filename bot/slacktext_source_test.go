package bot_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestBlockTextGoesThroughTheOneClip holds the bot to building section,
// context and header blocks and text objects only in slacktext.go, whose
// constructors clip after escaping: a block built anywhere else could pass
// Slack's limits once escaped, and Slack would show nothing.
func TestBlockTextGoesThroughTheOneClip(t *testing.T) {
	guarded := map[string]bool{
		"NewSectionBlock": true, "NewContextBlock": true, "NewHeaderBlock": true, "NewTextBlockObject": true,
		"SectionBlock": true, "ContextBlock": true, "HeaderBlock": true, "TextBlockObject": true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "slacktext.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			var sel *ast.SelectorExpr
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, _ = n.Fun.(*ast.SelectorExpr)
			case *ast.CompositeLit:
				sel, _ = n.Type.(*ast.SelectorExpr)
			}
			if sel == nil {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "slack" && guarded[sel.Sel.Name] {
				t.Errorf("%s: slack.%s: build it with mrkdwnSection, fieldsSection, contextBlock, headerBlock or plainText (slacktext.go)",
					fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
	if checked < 20 {
		t.Fatalf("checked %d files; is the test run from the bot package's folder?", checked)
	}
}
