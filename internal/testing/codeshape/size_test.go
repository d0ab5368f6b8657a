package codeshape

import (
	"fmt"
	"go/ast"
	"sort"
	"strings"
	"testing"
)

// Limits of the module's standards: a non-test file over maxFileLines or
// a function over maxFuncLines needs a sizeMarker comment saying why.
const (
	maxFileLines = 300
	maxFuncLines = 80
	// sizeMarker starts the comment that justifies a size: in a
	// function's doc comment it exempts that function; in a comment
	// before the package clause it exempts the file's length.
	sizeMarker = "// size:"
)

// rewriting is why an internal/infra entry of infraAllowed is tolerated.
const rewriting = "being rewritten on branch conva/convb/convc"

// infraAllowed lists the offenders in internal/infra, which other
// branches are rewriting; the lead removes each entry after merging them.
// Keys are a file ("internal/infra/x.go") or a function
// ("internal/infra/x.go:Name", "internal/infra/x.go:Type.Name"). Only
// internal/infra may appear here.
var infraAllowed = map[string]string{}

// justified reports whether the comment group carries sizeMarker with a
// reason after it.
func justified(g *ast.CommentGroup) bool {
	if g == nil {
		return false
	}
	for _, c := range g.List {
		if r, ok := strings.CutPrefix(c.Text, sizeMarker); ok && strings.TrimSpace(r) != "" {
			return true
		}
	}
	return false
}

// funcName is Name, or Recv.Name for a method.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

// sizeOffenders returns each file over maxFileLines and each function
// over maxFuncLines without a sizeMarker, keyed as infraAllowed is, with
// what is wrong.
func sizeOffenders(sources []source) map[string]string {
	out := map[string]string{}
	for _, s := range sources {
		header := false
		for _, g := range s.file.Comments {
			if g.End() < s.file.Package && justified(g) {
				header = true
			}
		}
		if n := s.fset.File(s.file.Pos()).LineCount(); n > maxFileLines && !header {
			out[s.rel] = pluralLines(n, maxFileLines)
		}
		for _, d := range s.file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || justified(fn.Doc) {
				continue
			}
			n := s.fset.Position(fn.End()).Line - s.fset.Position(fn.Pos()).Line + 1
			if n > maxFuncLines {
				out[s.rel+":"+funcName(fn)] = pluralLines(n, maxFuncLines)
			}
		}
	}
	return out
}

func pluralLines(n, limit int) string {
	return fmt.Sprintf("%d lines, over %d", n, limit)
}

// TestSizeLimits: no non-test file over 300 lines and no function over
// 80, unless a "// size:" comment says why. Generated files,
// third_party and nested tool modules are not checked.
func TestSizeLimits(t *testing.T) {
	for key, reason := range infraAllowed {
		if !strings.HasPrefix(key, "internal/infra/") || reason != rewriting {
			t.Errorf("allow-list entry %s (%q): only internal/infra files, each %q", key, reason, rewriting)
		}
	}
	found := sizeOffenders(moduleSources(t))
	var keys []string
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := infraAllowed[k]; !ok {
			t.Errorf("%s: %s; split it, or say why with a %q comment", k, found[k], sizeMarker)
		}
	}
	for k := range infraAllowed {
		if _, ok := found[k]; !ok {
			t.Errorf("allow-list entry %s is no longer an offender: remove it", k)
		}
	}
}
