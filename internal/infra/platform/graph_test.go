package platform_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Type tokens of the in-cluster layer.
const (
	tNamespace   = "kubernetes:core/v1:Namespace"
	tQuota       = "kubernetes:core/v1:ResourceQuota"
	tLimitRange  = "kubernetes:core/v1:LimitRange"
	tNetpol      = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
	tIngress     = "kubernetes:networking.k8s.io/v1:Ingress"
	tRelease     = "kubernetes:helm.sh/v3:Release"
	tStorage     = "kubernetes:storage.k8s.io/v1:StorageClass"
	tSecret      = "kubernetes:core/v1:Secret"
	tSA          = "kubernetes:core/v1:ServiceAccount"
	tPDB         = "kubernetes:policy/v1:PodDisruptionBudget"
	tComponent   = "mlops:platform:Platform"
	testCertArn  = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	testLogsBkt  = "alb-access-logs-example"
	stackHTTPS   = "prod-https"
	repoRootPath = "../../.."
)

// testNow pins the date support windows are judged at, so the tests do
// not start failing when the default Kubernetes version ages.
var testNow = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

// env is one evaluated stack.
type env struct {
	name string
	spec *spec.Spec
	g    *plan.Graph
}

var (
	evalOnce sync.Once
	envs     []env
	evalErr  error
)

// stacks evaluates dev, prod and prod with HTTPS once per test binary.
func stacks(t *testing.T) []env {
	t.Helper()
	evalOnce.Do(func() {
		for _, c := range []struct {
			name, stack string
			sets        []string
		}{
			{"dev", "dev", nil},
			{"prod", "prod", nil},
			{stackHTTPS, "prod", []string{"ingress.certificateArn=" + testCertArn, "ingress.accessLogsBucket=" + testLogsBkt}},
		} {
			s, _, _, err := spec.Load(repoRootPath, c.stack, c.sets, testNow)
			if err != nil {
				evalErr = fmt.Errorf("resolving %s: %w", c.name, err)
				return
			}
			g, err := plan.Evaluate(context.Background(), c.stack, s)
			if err != nil {
				evalErr = fmt.Errorf("evaluating %s: %w", c.name, err)
				return
			}
			envs = append(envs, env{name: c.name, spec: s, g: g})
		}
	})
	if evalErr != nil {
		t.Fatal(evalErr)
	}
	return envs
}

// byName returns the resources of a type keyed by metadata.namespace/name
// (or the release's namespace/name).
func byName(g *plan.Graph, typ string) map[string]plan.Resource {
	out := map[string]plan.Resource{}
	for _, r := range g.ByType(typ) {
		ns, name := str(r, "metadata.namespace"), str(r, "metadata.name")
		if typ == tRelease {
			ns, name = str(r, "namespace"), str(r, "name")
		}
		out[strings.TrimPrefix(ns+"/"+name, "/")] = r
	}
	return out
}

func str(r plan.Resource, path string) string {
	v, _ := r.Input(path)
	s, _ := v.(string)
	return s
}

func obj(r plan.Resource, path string) map[string]any {
	v, _ := r.Input(path)
	m, _ := v.(map[string]any)
	return m
}

// lookup reads a dotted path in a plain map.
func lookup(m map[string]any, path string) (any, bool) {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func TestEveryKubernetesResourceIsParentedAndUsesTheKubernetesProvider(t *testing.T) {
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			n := 0
			for _, r := range e.g.Resources {
				if !strings.HasPrefix(r.Type, "kubernetes:") {
					continue
				}
				n++
				if c := e.g.Component(r); c != tComponent {
					t.Errorf("%s is in component %q, want %s", r.URN, c, tComponent)
				}
				if !strings.Contains(r.Provider, "pulumi:providers:kubernetes") {
					t.Errorf("%s uses provider %q, want the Kubernetes provider", r.URN, r.Provider)
				}
			}
			if n < 30 {
				t.Errorf("only %d Kubernetes resources declared", n)
			}
		})
	}
}
