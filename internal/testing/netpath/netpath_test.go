package netpath_test

import (
	"net/netip"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/mlops-platform/mlops-platform/internal/testing/netpath"
)

func sel(kv ...string) *metav1.LabelSelector {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return &metav1.LabelSelector{MatchLabels: m}
}

func ingress(ns string, peers []networkingv1.NetworkPolicyPeer, ports ...networkingv1.NetworkPolicyPort) networkingv1.NetworkPolicy {
	return networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "in"}, Spec: networkingv1.NetworkPolicySpec{
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
		Ingress:     []networkingv1.NetworkPolicyIngressRule{{From: peers, Ports: ports}},
	}}
}

func tcp(port, end int) networkingv1.NetworkPolicyPort {
	p := intstr.FromInt32(int32(port))
	proto := corev1.ProtocolTCP
	out := networkingv1.NetworkPolicyPort{Protocol: &proto, Port: &p}
	if end > 0 {
		e := int32(end)
		out.EndPort = &e
	}
	return out
}

// TestSemantics checks the evaluator against the NetworkPolicy API's
// rules, one case each.
func TestSemantics(t *testing.T) {
	web := netpath.Endpoint{Name: "web", Namespace: "a", Labels: map[string]string{"app": "web"}, IP: netip.MustParseAddr("10.0.0.1")}
	client := netpath.Endpoint{Name: "client", Namespace: "b", Labels: map[string]string{"role": "client"}, IP: netip.MustParseAddr("10.0.1.1")}
	other := netpath.Endpoint{Name: "other", Namespace: "b", Labels: map[string]string{"role": "other"}, IP: netip.MustParseAddr("10.0.1.2")}
	outside := netpath.Endpoint{Name: "outside", IP: netip.MustParseAddr("192.0.2.1")}
	nsB := sel("kubernetes.io/metadata.name", "b")
	cases := []struct {
		name     string
		pols     []networkingv1.NetworkPolicy
		from, to netpath.Endpoint
		port     int
		want     bool
	}{
		{"no policy: open", nil, client, web, 80, true},
		{"selected with no rule: isolated", []networkingv1.NetworkPolicy{{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "deny"}, Spec: networkingv1.NetworkPolicySpec{
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}}}}, client, web, 80, false},
		{"a rule with no peer and no port admits all", []networkingv1.NetworkPolicy{ingress("a", nil)}, client, web, 80, true},
		{"policy of another namespace does not isolate", []networkingv1.NetworkPolicy{ingress("c", nil)}, client, web, 80, true},
		{"namespace and pod selector in one peer: both", []networkingv1.NetworkPolicy{ingress("a", []networkingv1.NetworkPolicyPeer{{NamespaceSelector: nsB, PodSelector: sel("role", "client")}})}, other, web, 80, false},
		{"namespace and pod selector in one peer: match", []networkingv1.NetworkPolicy{ingress("a", []networkingv1.NetworkPolicyPeer{{NamespaceSelector: nsB, PodSelector: sel("role", "client")}})}, client, web, 80, true},
		{"pod selector alone: own namespace only", []networkingv1.NetworkPolicy{ingress("a", []networkingv1.NetworkPolicyPeer{{PodSelector: sel("role", "client")}})}, client, web, 80, false},
		{"ipBlock matches an address", []networkingv1.NetworkPolicy{ingress("a", []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "192.0.2.0/24"}}})}, outside, web, 80, true},
		{"ipBlock except", []networkingv1.NetworkPolicy{ingress("a", []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "192.0.2.0/24", Except: []string{"192.0.2.0/28"}}}})}, outside, web, 80, false},
		{"ipBlock matches a pod's address", []networkingv1.NetworkPolicy{ingress("a", []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "10.0.0.0/16"}}})}, client, web, 80, true},
		{"port range", []networkingv1.NetworkPolicy{ingress("a", nil, tcp(8000, 8100))}, client, web, 8080, true},
		{"port outside the range", []networkingv1.NetworkPolicy{ingress("a", nil, tcp(8000, 8100))}, client, web, 9000, false},
		{"egress isolates the sender", []networkingv1.NetworkPolicy{{ObjectMeta: metav1.ObjectMeta{Namespace: "b", Name: "deny"}, Spec: networkingv1.NetworkPolicySpec{
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}}}}, client, web, 80, false},
		{"policyTypes defaulted from egress rules", []networkingv1.NetworkPolicy{{ObjectMeta: metav1.ObjectMeta{Namespace: "b", Name: "eg"}, Spec: networkingv1.NetworkPolicySpec{
			Egress: []networkingv1.NetworkPolicyEgressRule{{Ports: []networkingv1.NetworkPolicyPort{tcp(53, 0)}}}}}}, client, web, 80, false},
		{"allows add up", []networkingv1.NetworkPolicy{ingress("a", nil, tcp(81, 0)), ingress("a", nil, tcp(80, 0))}, client, web, 80, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := netpath.Policies{List: c.pols, NamespaceLabels: map[string]map[string]string{}}
			got, by, err := p.Allowed(c.from, c.to, "TCP", c.port)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("allowed = %v (%s), want %v", got, by, c.want)
			}
		})
	}
}
