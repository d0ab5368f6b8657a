package policy

import (
	"cmp"
	"io/fs"
	"slices"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestRegoUnitTests runs the embedded *_test.rego files against the
// built-in policies with OPA's own test runner, as `opa test
// internal/policy/rego` would, and reports each Rego test as a subtest.
func TestRegoUnitTests(t *testing.T) {
	mods, err := loadModules("")
	if err != nil {
		t.Fatal(err)
	}
	parsed := map[string]*ast.Module{}
	for _, m := range mods {
		if parsed[m.file], err = ast.ParseModuleWithOpts(m.file, m.source, ast.ParserOptions{RegoVersion: ast.RegoV1}); err != nil {
			t.Fatal(err)
		}
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
		if parsed[file], err = ast.ParseModuleWithOpts(file, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1}); err != nil {
			t.Fatal(err)
		}
	}

	ch, err := tester.NewRunner().
		SetDefaultRegoVersion(ast.RegoV1).
		CapturePrintOutput(true).
		SetModules(parsed).
		RunTests(t.Context(), nil)
	if err != nil {
		t.Fatalf("compiling the policies and their tests: %v", err)
	}
	var results []*tester.Result
	for r := range ch {
		results = append(results, r)
	}
	if len(results) == 0 {
		t.Fatal("OPA's runner found no test_ rules in the embedded *_test.rego files")
	}
	slices.SortFunc(results, func(a, b *tester.Result) int {
		return cmp.Or(cmp.Compare(a.Package, b.Package), cmp.Compare(a.Name, b.Name))
	})
	for _, r := range results {
		t.Run(r.Package+"."+r.Name, func(t *testing.T) {
			if len(r.Output) > 0 {
				t.Logf("print output:\n%s", r.Output)
			}
			switch {
			case r.Error != nil:
				t.Fatalf("%s: %v", r.Location, r.Error)
			case r.Skip:
				t.Skipf("%s: marked todo_", r.Location)
			case r.Fail:
				t.Errorf("%s: %s is not true", r.Location, r.Name)
			}
		})
	}
}
