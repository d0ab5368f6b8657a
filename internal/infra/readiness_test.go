package infra_test

import (
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// names returns the names of a resource's direct dependencies.
func names(g *plan.Graph, r plan.Resource) map[string]bool {
	out := map[string]bool{}
	for _, u := range r.Dependencies {
		if d, ok := g.Get(u); ok {
			out[d.Name] = true
		}
	}
	return out
}

// TestInClusterObjectsWaitOnlyForWhatTheyNeed: the in-cluster layer waits
// for cluster-admin access (its component), pods for the general nodes and
// the networking and DNS add-ons, claimed volumes for the EBS CSI driver,
// the Ingresses' ALBs for the access-log policy, and nothing else of the
// AWS layer (the CloudWatch add-on serves no platform object: it was the
// first-deploy path's 1.5 minutes).
func TestInClusterObjectsWaitOnlyForWhatTheyNeed(t *testing.T) {
	pods := []string{"nodes-general", "addons-vpc-cni", "addons-kube-proxy", "addons-coredns"}
	for _, stack := range both {
		g := stacktest.Graph(t, stack)
		comp := stacktest.One(t, g, typetoken.Platform)
		for _, u := range comp.Dependencies {
			if d, _ := g.Get(u); d.Type != typetoken.AccessPolicyAssociation {
				t.Errorf("%s: the platform component waits for %s (%s), want only the admins' access", stack, d.Name, d.Type)
			}
		}
		if len(comp.Dependencies) == 0 {
			t.Errorf("%s: the platform component does not wait for cluster-admin access", stack)
		}
		need := func(r plan.Resource, want ...string) {
			deps := names(g, r)
			for _, w := range want {
				if !deps[w] {
					t.Errorf("%s: %s does not wait for %s", stack, r.Name, w)
				}
			}
		}
		for _, r := range g.Resources {
			deps := names(g, r)
			if strings.HasPrefix(r.Name, "platform") && deps["addons-amazon-cloudwatch-observability"] {
				t.Errorf("%s: %s waits for the CloudWatch add-on", stack, r.Name)
			}
			switch {
			case r.Type == typetoken.HelmRelease:
				need(r, pods...)
				if r.Name == "platform-kube-prometheus-stack" {
					need(r, "addons-aws-ebs-csi-driver", "platform-storageclass-gp3")
				} else if deps["addons-aws-ebs-csi-driver"] {
					t.Errorf("%s: %s claims no volume but waits for the EBS CSI driver", stack, r.Name)
				}
			case r.Type == typetoken.Job:
				need(r, pods...)
			case r.Type == typetoken.Ingress:
				need(r, "access-logs-policy")
			}
		}
	}
}
