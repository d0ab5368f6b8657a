package codeshape

import (
	"go/ast"
	"strconv"
	"strings"
	"testing"
)

// printsReports reports why a file prints a table or JSON report itself
// instead of handing the report to internal/output, or "".
func printsReports(f *ast.File) string {
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "text/tabwriter" {
			return "imports text/tabwriter"
		}
	}
	why := ""
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || why != "" {
			return why == ""
		}
		if x, ok := sel.X.(*ast.Ident); ok && x.Name == "json" && (sel.Sel.Name == "NewEncoder" || sel.Sel.Name == "MarshalIndent") {
			why = "calls json." + sel.Sel.Name
		}
		return true
	})
	return why
}

// TestOnlyOutputPrintsReports: every table and JSON report of the CLI
// goes through internal/output (one printer, one --output check). Test
// harnesses under internal/testing are not the CLI's output.
func TestOnlyOutputPrintsReports(t *testing.T) {
	for _, s := range moduleSources(t) {
		if strings.HasPrefix(s.rel, "internal/output/") || strings.HasPrefix(s.rel, "internal/testing/") {
			continue
		}
		if why := printsReports(s.file); why != "" {
			t.Errorf("%s %s: hand the report to internal/output instead", s.rel, why)
		}
	}
}
