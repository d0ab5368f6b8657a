package policy

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// testNow is the clock the tests judge support windows by.
var testNow = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

var graphs struct {
	once      sync.Once
	prod, dev map[string]any
	err       error

	ingressOnce sync.Once
	ingress     map[string]any
	ingressErr  error
}

// Ingress settings prod needs and its stack does not set (rows 52, 53 and
// 55): an ACM certificate in the stack's region and an access-log bucket.
const (
	testCertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	testAccessLogs     = "mlops-platform-prod-alb-logs"
)

// ingressSets configure prod's ALBs with a certificate and access logs.
var ingressSets = []string{"ingress.certificateArn=" + testCertificateArn, "ingress.accessLogsBucket=" + testAccessLogs}

// configuredProdDoc returns a fresh copy of the plan document of prod with
// ingressSets, evaluated once per test binary.
func configuredProdDoc(t *testing.T) map[string]any {
	t.Helper()
	graphs.ingressOnce.Do(func() { graphs.ingress, graphs.ingressErr = planDoc("prod", ingressSets) })
	if graphs.ingressErr != nil {
		t.Fatalf("evaluating prod with %v: %v", ingressSets, graphs.ingressErr)
	}
	return deepCopy(t, graphs.ingress)
}

// baseDoc returns a fresh copy of the plan document of an unmodified
// stack ("prod" or "dev"), evaluated once per test binary.
func baseDoc(t *testing.T, stack string) map[string]any {
	t.Helper()
	graphs.once.Do(func() {
		if graphs.prod, graphs.err = planDoc("prod", nil); graphs.err != nil {
			return
		}
		graphs.dev, graphs.err = planDoc("dev", nil)
	})
	if graphs.err != nil {
		t.Fatalf("evaluating the plan: %v", graphs.err)
	}
	src := graphs.prod
	if stack == "dev" {
		src = graphs.dev
	}
	return deepCopy(t, src)
}

// planDoc evaluates a stack with --set overrides and returns its plan
// document as plain JSON values.
func planDoc(stack string, sets []string) (map[string]any, error) {
	r, err := stacktest.Source(stack, sets...).Evaluate(context.Background())
	if err != nil {
		return nil, err
	}
	return plainInput(r.Document())
}

func deepCopy(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	out, err := plainInput(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func evaluate(t *testing.T, doc map[string]any, opts Options) *Report {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	r, err := Evaluate(context.Background(), doc, opts)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return r
}

// resource returns the resource of a type and logical name in doc.
func resource(t *testing.T, doc map[string]any, typ, name string) map[string]any {
	t.Helper()
	for _, r := range doc["resources"].([]any) {
		m := r.(map[string]any)
		if m["type"] == typ && m["name"] == name {
			return m
		}
	}
	t.Fatalf("no %s %q in the plan", typ, name)
	return nil
}

// inputs returns the inputs of a resource.
func inputs(t *testing.T, doc map[string]any, typ, name string) map[string]any {
	t.Helper()
	return resource(t, doc, typ, name)["inputs"].(map[string]any)
}

// set writes v at a dotted path under m, creating objects on the way.
func set(m map[string]any, path []string, v any) {
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

// removeType drops every resource of a type from doc.
func removeType(doc map[string]any, typ string) {
	var kept []any
	for _, r := range doc["resources"].([]any) {
		if r.(map[string]any)["type"] != typ {
			kept = append(kept, r)
		}
	}
	doc["resources"] = kept
}

// addResource appends a resource to doc.
func addResource(doc map[string]any, r map[string]any) {
	doc["resources"] = append(doc["resources"].([]any), r)
}

// urnOf returns the URN of a resource.
func urnOf(t *testing.T, doc map[string]any, typ, name string) string {
	t.Helper()
	return resource(t, doc, typ, name)["urn"].(string)
}

// editPolicy parses the JSON policy document at inputs[key], lets edit
// change it, and stores it back as a string.
func editPolicy(t *testing.T, in map[string]any, key string, edit func(stmts []any)) {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal([]byte(in[key].(string)), &d); err != nil {
		t.Fatalf("parsing %s: %v", key, err)
	}
	edit(d["Statement"].([]any))
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	in[key] = string(raw)
}
