// Package infratest evaluates the program once per test binary for each
// default stack, and offers small queries on the evaluated graph.
package infratest

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
)

// Now is the date the tests judge support windows by.
var Now = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

var (
	mu     sync.Mutex
	graphs = map[string]*plan.Graph{}
	specs  = map[string]*spec.Spec{}
)

// RepoRoot is the directory holding Pulumi.yaml.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// Spec resolves a stack from the repository's Pulumi.<stack>.yaml and sets.
func Spec(t testing.TB, stack string, sets ...string) *spec.Spec {
	t.Helper()
	s, _, _, err := spec.Load(RepoRoot(), stack, sets, Now)
	if err != nil {
		t.Fatalf("resolving %s: %v", stack, err)
	}
	return s
}

// Graph evaluates a stack as the repository configures it, once per binary.
func Graph(t testing.TB, stack string) *plan.Graph {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if g, ok := graphs[stack]; ok {
		return g
	}
	s := Spec(t, stack)
	g, err := plan.Evaluate(context.Background(), stack, s)
	if err != nil {
		t.Fatalf("evaluating %s: %v", stack, err)
	}
	graphs[stack], specs[stack] = g, s
	return g
}

// Evaluate evaluates a stack with extra --set overrides (not cached).
func Evaluate(t testing.TB, stack string, sets ...string) *plan.Graph {
	t.Helper()
	g, err := plan.Evaluate(context.Background(), stack, Spec(t, stack, sets...))
	if err != nil {
		t.Fatalf("evaluating %s with %v: %v", stack, sets, err)
	}
	return g
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
	raw, ok := r.Inputs[input].(string)
	if !ok {
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

// Strings turns a JSON string or list of strings into a slice.
func Strings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}
