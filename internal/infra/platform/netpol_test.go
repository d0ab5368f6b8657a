package platform_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

func TestDefaultDenyInWorkloadNamespaces(t *testing.T) {
	for _, e := range stacks(t) {
		pols := byName(e.g, tNetpol)
		for _, ns := range append(kubenames.WorkloadNamespaces(), kubenames.NSMLflow) {
			t.Run(e.name+"/"+ns, func(t *testing.T) {
				r, ok := pols[ns+"/default-deny"]
				if !ok {
					t.Fatalf("no default-deny policy in %s", ns)
				}
				if sel := obj(r, "spec.podSelector"); len(sel) != 0 {
					t.Errorf("default-deny selects %v, want every pod", sel)
				}
				types, _ := r.Input("spec.policyTypes")
				if l, _ := types.([]any); len(l) != 2 {
					t.Errorf("policyTypes = %v, want Ingress and Egress", types)
				}
				if _, has := r.Input("spec.ingress"); has {
					t.Error("default-deny has ingress rules")
				}
			})
		}
	}
}

// rule is an expected allow: namespace/policy, direction, peer and port.
type rule struct {
	policy  string
	ingress bool
	peerNS  string
	// cidrs, when set, are the peer's IP blocks, in order.
	cidrs []string
	port  int64
	proto string
}

// albSubnetCidrs are the blocks of the subnets the load balancer
// controller discovers for the stack's scheme: tagged
// kubernetes.io/role/internal-elb for internal ALBs,
// kubernetes.io/role/elb for internet-facing ones.
func albSubnetCidrs(t *testing.T, e env) []string {
	t.Helper()
	tag := "kubernetes.io/role/internal-elb"
	if e.spec.Ingress.Scheme == spec.SchemeInternetFacing {
		tag = "kubernetes.io/role/elb"
	}
	var out []string
	for _, sn := range e.g.ByType(typetoken.Subnet) {
		if tags, _ := sn.Inputs["tags"].(map[string]any); tags[tag] == "1" {
			out = append(out, str(sn, "cidrBlock"))
		}
	}
	if len(out) < 2 {
		t.Fatalf("%s: %d subnets tagged %s", e.name, len(out), tag)
	}
	return out
}

func TestAllowPolicies(t *testing.T) {
	for _, e := range stacks(t) {
		pols := byName(e.g, tNetpol)
		albs := albSubnetCidrs(t, e)
		rules := []rule{
			{policy: "serving/allow-dns", peerNS: "kube-system", port: 53, proto: "UDP"},
			{policy: "training/allow-dns", peerNS: "kube-system", port: 53, proto: "UDP"},
			{policy: "mlflow/allow-dns", peerNS: "kube-system", port: 53, proto: "TCP"},
			{policy: "mlflow/allow-rds", cidrs: []string{e.spec.VpcCidr}, port: 5432, proto: "TCP"},
			{policy: "serving/allow-alb", ingress: true, cidrs: albs, port: platform.ModelServerPort, proto: "TCP"},
			{policy: "mlflow/allow-alb", ingress: true, cidrs: albs, port: platform.MLflowPort, proto: "TCP"},
			{policy: "serving/allow-prometheus-scrape", ingress: true, peerNS: "monitoring"},
			{policy: "training/allow-prometheus-scrape", ingress: true, peerNS: "monitoring"},
			{policy: "mlflow/allow-prometheus-scrape", ingress: true, peerNS: "monitoring"},
			{policy: "serving/allow-from-namespace", ingress: true, peerNS: "serving"},
			{policy: "serving/allow-to-namespace", peerNS: "serving"},
			{policy: "training/allow-from-namespace", ingress: true, peerNS: "training"},
			{policy: "training/allow-to-namespace", peerNS: "training"},
		}
		for _, want := range rules {
			t.Run(e.name+"/"+want.policy, func(t *testing.T) {
				r, ok := pols[want.policy]
				if !ok {
					t.Fatalf("no policy %s", want.policy)
				}
				checkRule(t, r, want)
			})
		}
	}
}

func checkRule(t *testing.T, r plan.Resource, want rule) {
	t.Helper()
	dir, peers := "spec.egress[0]", "to"
	if want.ingress {
		dir, peers = "spec.ingress[0]", "from"
	}
	v, ok := r.Input(dir + "." + peers + "[0]")
	if !ok {
		t.Fatalf("no %s peer", dir)
	}
	peer, _ := v.(map[string]any)
	if want.cidrs != nil {
		all, _ := r.Input(dir + "." + peers)
		var got []string
		for _, p := range asList(all) {
			c, _ := lookup(p.(map[string]any), "ipBlock.cidr")
			got = append(got, fmt.Sprint(c))
		}
		if !slices.Equal(got, want.cidrs) {
			t.Errorf("peer CIDRs = %v, want %v", got, want.cidrs)
		}
	} else {
		labels, _ := lookup(peer, "namespaceSelector.matchLabels")
		m, _ := labels.(map[string]any)
		if m["kubernetes.io/metadata.name"] != want.peerNS {
			t.Errorf("peer namespace = %v, want %s", m, want.peerNS)
		}
	}
	if want.port == 0 {
		return
	}
	pv, _ := r.Input(dir + ".ports")
	found := false
	for _, p := range asList(pv) {
		pm, _ := p.(map[string]any)
		if pm["port"] == want.port && pm["protocol"] == want.proto {
			found = true
		}
	}
	if !found {
		t.Errorf("ports %v lack %s/%d", pv, want.proto, want.port)
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// TestNetworkPoliciesAreEnforced checks that the VPC CNI add-on, which
// enforces NetworkPolicies on EKS, keeps its network-policy agent on.
func TestNetworkPoliciesAreEnforced(t *testing.T) {
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			for _, a := range e.g.ByType(typetoken.Addon) {
				if str(a, "addonName") == "vpc-cni" {
					if !strings.Contains(str(a, "configurationValues"), `"enableNetworkPolicy":"true"`) {
						t.Errorf("vpc-cni configuration %q does not enable network policies", str(a, "configurationValues"))
					}
					return
				}
			}
			t.Error("no vpc-cni add-on: nothing would enforce the policies")
		})
	}
}
