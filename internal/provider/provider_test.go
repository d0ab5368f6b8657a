package provider

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TestObjectType: the apiVersion and kind a Kubernetes object is sent with
// come from its type token as the SDK's constructors set them.
func TestObjectType(t *testing.T) {
	for _, tc := range []struct{ token, apiVersion, kind string }{
		{"kubernetes:core/v1:Namespace", "v1", "Namespace"},
		{"kubernetes:networking.k8s.io/v1:Ingress", "networking.k8s.io/v1", "Ingress"},
		{"kubernetes:policy/v1:PodDisruptionBudget", "policy/v1", "PodDisruptionBudget"},
		{"kubernetes:batch/v1:Job", "batch/v1", "Job"},
	} {
		v, k, err := objectType(tc.token)
		if err != nil || v != tc.apiVersion || k != tc.kind {
			t.Errorf("%s: %q %q %v, want %q %q", tc.token, v, k, err, tc.apiVersion, tc.kind)
		}
	}
	for _, bad := range []string{"aws:ec2/vpc:Vpc", "kubernetes:Namespace", "pulumi:providers:kubernetes"} {
		if _, _, err := objectType(bad); err == nil {
			t.Errorf("%s: accepted as a Kubernetes object", bad)
		}
	}
}

// TestCLILinksNoProviderSDK: the CLI (and so the program) imports none of
// the providers' generated SDKs nor client-go's typed clientset, whose
// packages made up half of the binary (169 MB stripped with them, 84 MB
// without). The binary's size itself is checked by .ci/run.
func TestCLILinksNoProviderSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "../../cmd/mlops").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	heavy := []string{
		"github.com/pulumi/pulumi-aws/sdk/",
		"github.com/pulumi/pulumi-kubernetes/sdk/",
		"k8s.io/client-go/kubernetes",
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, h := range heavy {
			if strings.HasPrefix(pkg, h) {
				t.Errorf("cmd/mlops links %s: register by type token through internal/provider, read Kubernetes objects through internal/kubeclient", pkg)
			}
		}
	}
}

// TestStringAt reads nested outputs as the program does (a cluster's OIDC
// issuer, a node group's Auto Scaling group) and "" where the path ends.
func TestStringAt(t *testing.T) {
	identities := []any{map[string]any{"oidcs": []any{map[string]any{"issuer": "https://oidc.eks.example/id/ABC"}}}}
	for _, tc := range []struct {
		value any
		path  []any
		want  string
	}{
		{identities, []any{0, "oidcs", 0, "issuer"}, "https://oidc.eks.example/id/ABC"},
		{identities, []any{1, "oidcs", 0, "issuer"}, ""},
		{identities, []any{0, "missing", 0, "issuer"}, ""},
		{map[string]any{"data": "Y2E="}, []any{"data"}, "Y2E="},
		{nil, []any{"data"}, ""},
		{map[string]any{"data": 3}, []any{"data"}, ""},
	} {
		got := make(chan string, 1)
		StringAt(pulumi.Any(tc.value), tc.path...).ApplyT(func(s string) string { got <- s; return s })
		if g := <-got; g != tc.want {
			t.Errorf("%v at %v: %q, want %q", tc.value, tc.path, g, tc.want)
		}
	}
}
