package platform_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Type tokens of the in-cluster layer.
const (
	tNamespace   = typetoken.Namespace
	tQuota       = typetoken.ResourceQuota
	tLimitRange  = typetoken.LimitRange
	tNetpol      = typetoken.NetworkPolicy
	tIngress     = typetoken.Ingress
	tRelease     = typetoken.HelmRelease
	tStorage     = typetoken.StorageClass
	tSecret      = typetoken.Secret
	tSA          = typetoken.ServiceAccount
	tPDB         = typetoken.PodDisruptionBudget
	tComponent   = typetoken.Platform
	testCertArn  = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	testLogsBkt  = "alb-access-logs-example"
	stackHTTPS   = "prod-https"
	repoRootPath = "../../.."
)

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
			r, err := stacktest.Source(c.stack, c.sets...).Evaluate(context.Background())
			if err != nil {
				evalErr = fmt.Errorf("evaluating %s: %w", c.name, err)
				return
			}
			envs = append(envs, env{name: c.name, spec: r.Spec, g: r.Graph})
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
				if !strings.Contains(r.Provider, typetoken.ProviderKubernetes) {
					t.Errorf("%s uses provider %q, want the Kubernetes provider", r.URN, r.Provider)
				}
			}
			if n < 30 {
				t.Errorf("only %d Kubernetes resources declared", n)
			}
		})
	}
}
