package extract

import (
	"fmt"
	"go/ast"
	"os"
	"path/filepath"
	"sort"
)

// packageVars returns the package variables and constants the other
// upstream files of the same package directory under dir declare:
// upstream they share one Go package, so a schema may name a variable
// another file declares (aws_default_security_group's "ingress":
// securityGroupRuleSetNestedBlock, declared in vpc_security_group.go).
// The file's own declarations take precedence (withPackage).
func packageVars(dir string, s Source) (map[string]ast.Expr, error) {
	own := SourcePath(dir, s)
	files, err := filepath.Glob(filepath.Join(filepath.Dir(own), "*.go"))
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
		name := filepath.Base(p)
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
