// Package stacktest is the tests' way to the graph: it evaluates each
// stack as the repository configures it, through internal/stack, once per
// test binary, and offers small queries on the result.
package stacktest

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// Now is the date the tests judge support windows by.
var Now = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

var (
	mu      sync.Mutex
	results = map[string]*stack.Result{}
)

// RepoRoot is the directory holding Pulumi.yaml.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// Source is a stack as the repository configures it, plus sets.
func Source(name string, sets ...string) stack.Source {
	return stack.Source{Dir: RepoRoot(), Stack: name, Sets: sets, Now: Now}
}

// Spec resolves a stack from the repository's Pulumi.<stack>.yaml and sets.
func Spec(t testing.TB, name string, sets ...string) *spec.Spec {
	t.Helper()
	r, err := Source(name, sets...).Resolve()
	if err != nil {
		t.Fatalf("resolving %s: %v", name, err)
	}
	return r.Spec
}

// Result evaluates a stack as the repository configures it, once per
// binary. Callers must not change the graph; Clone it first.
func Result(t testing.TB, name string) *stack.Result {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if r, ok := results[name]; ok {
		return r
	}
	r, err := Source(name).Evaluate(context.Background())
	if err != nil {
		t.Fatalf("evaluating %s: %v", name, err)
	}
	results[name] = r
	return r
}

// Graph is the graph of Result.
func Graph(t testing.TB, name string) *plan.Graph {
	t.Helper()
	return Result(t, name).Graph
}

// Evaluate evaluates a stack with extra --set overrides (not cached).
func Evaluate(t testing.TB, name string, sets ...string) *plan.Graph {
	t.Helper()
	r, err := Source(name, sets...).Evaluate(context.Background())
	if err != nil {
		t.Fatalf("evaluating %s with %v: %v", name, sets, err)
	}
	return r.Graph
}

// One returns the single resource of a type, or fails.
func One(t testing.TB, g *plan.Graph, typ string) plan.Resource {
	t.Helper()
	rs := g.ByType(typ)
	if len(rs) != 1 {
		t.Fatalf("want one %s, got %d", typ, len(rs))
	}
	return rs[0]
}

// Named returns the resource of a type with a logical name.
func Named(g *plan.Graph, typ, name string) (plan.Resource, error) {
	for _, r := range g.ByType(typ) {
		if r.Name == name {
			return r, nil
		}
	}
	return plan.Resource{}, fmt.Errorf("no %s named %s", typ, name)
}

// PolicyDoc parses a JSON policy document input.
func PolicyDoc(r plan.Resource, input string) (map[string]any, error) {
	raw := r.String(input)
	if raw == "" {
		return nil, fmt.Errorf("%s has no %s document", r.Name, input)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return nil, fmt.Errorf("%s.%s is not JSON: %w", r.Name, input, err)
	}
	return doc, nil
}

// Statements returns a policy document's statements.
func Statements(doc map[string]any) []map[string]any {
	var out []map[string]any
	list, _ := doc["Statement"].([]any)
	for _, s := range list {
		if m, ok := s.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Strings turns a JSON string or list of strings into a slice: plan's
// one reading (plan.StringList), kept under this name for the tests that
// call it.
func Strings(v any) []string { return plan.StringList(v) }
