package platform_test

import (
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/kube"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

func TestDefaultDenyInWorkloadNamespaces(t *testing.T) {
	for _, e := range stacks(t) {
		pols := byName(e.g, tNetpol)
		for _, ns := range append(kube.WorkloadNamespaces(), kube.NSMLflow) {
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
	cidr    bool
	port    int64
	proto   string
}

func TestAllowPolicies(t *testing.T) {
	for _, e := range stacks(t) {
		pols := byName(e.g, tNetpol)
		rules := []rule{
			{policy: "serving/allow-dns", peerNS: "kube-system", port: 53, proto: "UDP"},
			{policy: "training/allow-dns", peerNS: "kube-system", port: 53, proto: "UDP"},
			{policy: "mlflow/allow-dns", peerNS: "kube-system", port: 53, proto: "TCP"},
			{policy: "mlflow/allow-rds", cidr: true, port: 5432, proto: "TCP"},
			{policy: "serving/allow-alb", ingress: true, cidr: true, port: platform.ModelServerPort, proto: "TCP"},
			{policy: "mlflow/allow-alb", ingress: true, cidr: true, port: platform.MLflowPort, proto: "TCP"},
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
				checkRule(t, r, want, e.spec.VpcCidr)
			})
		}
	}
}

func checkRule(t *testing.T, r plan.Resource, want rule, vpcCidr string) {
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
	if want.cidr {
		if got, _ := lookup(peer, "ipBlock.cidr"); got != vpcCidr {
			t.Errorf("peer CIDR = %v, want the VPC's %s", got, vpcCidr)
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
