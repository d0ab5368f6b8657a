package extract

import (
	"fmt"
	"go/ast"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// packageVars returns the package variables and constants the other
// excerpts vendored in the same upstream package directory declare:
// upstream they share one Go package, so a schema may name a variable
// another file declares (aws_default_security_group's "ingress":
// securityGroupRuleSetNestedBlock, declared in vpc_security_group.go).
// The excerpt's own declarations take precedence (withPackage).
func packageVars(dir string, s Source) (map[string]ast.Expr, error) {
	own := ExcerptPath(dir, s)
	files, err := filepath.Glob(filepath.Join(filepath.Dir(own), "*.go.txt"))
	if err != nil {
		return nil, fmt.Errorf("package of %s: %w", s.Path, err)
	}
	sort.Strings(files)
	out := map[string]ast.Expr{}
	for _, p := range files {
		if p == own {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("package of %s: %w", s.Path, err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".txt")
		f, err := parseSource(name, src)
		if err != nil {
			return nil, fmt.Errorf("package of %s: %s: %w", s.Path, name, err)
		}
		for k, v := range vars(f) {
			if _, dup := out[k]; !dup {
				out[k] = v
			}
		}
	}
	return out, nil
}

// withPackage adds to the excerpt's own declarations those of its package
// it does not declare itself.
func withPackage(own, pkg map[string]ast.Expr) map[string]ast.Expr {
	for k, v := range pkg {
		if _, ok := own[k]; !ok {
			own[k] = v
		}
	}
	return own
}
