package platform

import "testing"

// TestLoadBalancerHostname: the UI URLs the cluster layer exports come from
// the first hostname the load balancer controller writes into the
// Ingress status, and are empty until it has written one.
func TestLoadBalancerHostname(t *testing.T) {
	lb := func(entries ...any) any {
		return map[string]any{"loadBalancer": map[string]any{"ingress": entries}}
	}
	for _, tc := range []struct {
		name   string
		status any
		want   string
	}{
		{"no status yet", nil, ""},
		{"no load balancer", map[string]any{}, ""},
		{"empty list", lb(), ""},
		{"ip only", lb(map[string]any{"ip": "10.0.0.1"}), ""},
		{"hostname", lb(map[string]any{"hostname": "k8s-mlflow-1234.eu-west-1.elb.amazonaws.com"}), "k8s-mlflow-1234.eu-west-1.elb.amazonaws.com"},
		{"first with a hostname", lb(map[string]any{"hostname": ""}, map[string]any{"hostname": "b.elb.amazonaws.com"}), "b.elb.amazonaws.com"},
	} {
		if got := loadBalancerHostname(tc.status); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
