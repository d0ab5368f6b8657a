package policy

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// TestRegoUnitTests runs every test_ rule of the embedded *_test.rego files.
func TestRegoUnitTests(t *testing.T) {
	mods, err := loadModules("")
	if err != nil {
		t.Fatal(err)
	}
	tests, err := fs.Glob(builtin, "rego/*_test.rego")
	if err != nil || len(tests) == 0 {
		t.Fatalf("no Rego unit tests embedded (%v)", err)
	}
	for _, file := range tests {
		src, err := fs.ReadFile(builtin, file)
		if err != nil {
			t.Fatal(err)
		}
		m, err := ast.ParseModuleWithOpts(file, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range m.Rules {
			name := r.Head.Name.String()
			if !strings.HasPrefix(name, "test_") {
				continue
			}
			t.Run(name, func(t *testing.T) {
				opts := []func(*rego.Rego){rego.Query(m.Package.Path.String() + "." + name), rego.Module(file, string(src))}
				for _, mod := range mods {
					opts = append(opts, rego.Module(mod.file, mod.source))
				}
				rs, err := rego.New(opts...).Eval(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				if !rs.Allowed() {
					t.Errorf("%s is not true", name)
				}
			})
		}
	}
}
