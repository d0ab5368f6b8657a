package platform

import (
	"testing"

	networkingv1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/networking/v1"
)

// TestLoadBalancerHostname: the UI URLs the cluster layer exports come from
// the first hostname the load balancer controller writes into the
// Ingress status, and are empty until it has written one.
func TestLoadBalancerHostname(t *testing.T) {
	host := func(s string) *string { return &s }
	lb := func(entries ...networkingv1.IngressLoadBalancerIngress) *networkingv1.IngressStatus {
		return &networkingv1.IngressStatus{LoadBalancer: &networkingv1.IngressLoadBalancerStatus{Ingress: entries}}
	}
	for _, tc := range []struct {
		name   string
		status *networkingv1.IngressStatus
		want   string
	}{
		{"no status yet", nil, ""},
		{"no load balancer", &networkingv1.IngressStatus{}, ""},
		{"empty list", lb(), ""},
		{"ip only", lb(networkingv1.IngressLoadBalancerIngress{Ip: host("10.0.0.1")}), ""},
		{"hostname", lb(networkingv1.IngressLoadBalancerIngress{Hostname: host("k8s-mlflow-1234.eu-west-1.elb.amazonaws.com")}), "k8s-mlflow-1234.eu-west-1.elb.amazonaws.com"},
		{"first with a hostname", lb(networkingv1.IngressLoadBalancerIngress{Hostname: host("")}, networkingv1.IngressLoadBalancerIngress{Hostname: host("b.elb.amazonaws.com")}), "b.elb.amazonaws.com"},
	} {
		if got := loadBalancerHostname(tc.status); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
