package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// repoRoot is the main module's folder, two above this package.
const repoRoot = "../.."

// TestCommittedSDKIsGenerated fails when internal/sdk differs from what
// sdkgen generates from sdk.list and the pinned SDKs now.
func TestCommittedSDKIsGenerated(t *testing.T) {
	files, err := generate(repoRoot, "internal/sdk/sdk.list", "internal/sdk")
	if err != nil {
		t.Fatal(err)
	}
	if diff := compare(filepath.Join(repoRoot, "internal/sdk"), files); len(diff) > 0 {
		t.Errorf("internal/sdk is not what sdkgen generates; run go generate ./internal/sdk:\n%s", strings.Join(diff, "\n"))
	}
}

// TestListNamesWhatTheSDKLacks fails the generation of a list naming a
// token the pinned SDKs do not declare, or no type token at all.
func TestListNamesWhatTheSDKLacks(t *testing.T) {
	for _, tc := range []struct{ token, want string }{
		{"aws:ec2/vpc:Vpcc", "declares no resource or function"},
		{"aws:nosuchmodule/thing:Thing", "reading go/aws/nosuchmodule"},
		{"kubernetes:core/v1:NoSuchKind", "declares no resource or function"},
		{"vpc", "is no type token"},
	} {
		t.Run(tc.token, func(t *testing.T) {
			dir := scratchModule(t)
			if err := os.WriteFile(filepath.Join(dir, "sdk.list"), []byte("aws:ec2/vpc:Vpc\n"+tc.token+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := generate(dir, "sdk.list", "out")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("generate with %q: got %v, want an error containing %q", tc.token, err, tc.want)
			}
		})
	}
}

// TestListHoldsEveryTokenTheProgramUses fails when internal/typetoken
// names a resource or function (what the program declares, calls or reads
// in the graph) that the trimmed SDKs neither keep nor alias.
func TestListHoldsEveryTokenTheProgramUses(t *testing.T) {
	listed, err := readList(filepath.Join(repoRoot, "internal/sdk/sdk.list"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(repoRoot, "internal/sdk/sdk.list", "internal/sdk")
	if err != nil {
		t.Fatal(err)
	}
	var generated strings.Builder
	for _, src := range files {
		generated.Write(src)
	}
	for _, tok := range programTokens(t) {
		if slices.Contains(customResourceKinds, tok) {
			continue
		}
		if !slices.Contains(listed, tok) && !strings.Contains(generated.String(), strconv.Quote(tok)) {
			t.Errorf("internal/typetoken names %s, which internal/sdk/sdk.list lacks (add it and run go generate ./internal/sdk)", tok)
		}
	}
}

// customResourceKinds are the tokens internal/typetoken spells that no
// SDK can type: each is a CustomResourceDefinition's kind: no SDK type
// (Karpenter's, from karpenter-crd), declared through
// provider.KubernetesObject.
var customResourceKinds = []string{
	"kubernetes:karpenter.sh/v1:NodePool",
	"kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
}

// programTokens reads the type tokens of resources, functions and
// providers every non-test file of internal/typetoken spells.
func programTokens(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join(repoRoot, "internal/typetoken")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var tokens []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if b, ok := n.(*ast.BasicLit); ok {
				s, _ := strconv.Unquote(b.Value)
				if strings.Count(s, ":") == 2 && !strings.HasPrefix(s, "mlops:") && !strings.HasSuffix(s, ":") {
					tokens = append(tokens, s)
				}
			}
			return true
		})
	}
	if len(tokens) == 0 {
		t.Fatal("internal/typetoken spells no type tokens")
	}
	return tokens
}

// TestReadAndOutputVariantsLeftOut fails when the trimmed SDK keeps what
// the program never calls: a resource's Get (ReadResource) with its
// State structs, and an invoke's Output variant with its output types.
func TestReadAndOutputVariantsLeftOut(t *testing.T) {
	dir := scratchModule(t)
	if err := os.WriteFile(filepath.Join(dir, "sdk.list"), []byte("aws:iam/role:Role\naws:iam/getRole:getRole\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := generate(dir, "sdk.list", "out")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, src := range files {
		all.Write(src)
	}
	for _, tc := range []struct {
		decl string
		kept bool
	}{
		{"func NewRole(", true},
		{"func LookupRole(", true},
		{"type RoleArgs struct", true},
		{"func GetRole(", false},
		{"type RoleState struct", false},
		{"type roleState struct", false},
		{"func LookupRoleOutput(", false},
		{"type LookupRoleResultOutput struct", false},
	} {
		if got := strings.Contains(all.String(), tc.decl); got != tc.kept {
			t.Errorf("generated SDK holds %q: %v, want %v", tc.decl, got, tc.kept)
		}
	}
}

// scratchModule returns a folder holding the main module's go.mod and
// go.sum, to generate from a list of the test's own.
func scratchModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"go.mod", "go.sum"} {
		raw, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
