package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// atVersion sets the fake's cluster, its add-ons (to that minor's pins)
// and its node groups to version.
func atVersion(srv *awsfake.Server, cluster, version string) {
	srv.EditCluster(cluster, func(c *awsfake.Cluster) {
		c.Version = version
		for name, a := range c.Addons {
			a.Version = spec.AddonVersions[version][name]
		}
		for _, ng := range c.Nodegroups {
			ng.Version = version
		}
	})
}

func TestUpgradePlanAndRefusals(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		setup func(srv *awsfake.Server)
		code  int
		// want is in the error; golden names the stdout's golden file.
		want, golden string
	}{
		{"plan", []string{"--to", "1.35"}, func(srv *awsfake.Server) {
			atVersion(srv, "mlops-platform-prod", "1.34")
			srv.Fail("DescribeCluster", awsfake.TooManyRequests, 2)
			srv.Fail("ListInsights", awsfake.ServiceUnavailable, 1)
		}, ExitOK, "", "upgrade-prod-plan-table"},
		{"plan json", []string{"--to", "1.35", "-o", "json"}, func(srv *awsfake.Server) { atVersion(srv, "mlops-platform-prod", "1.34") }, ExitOK, "", "upgrade-prod-plan-json"},
		{"two minors", []string{"--to", "1.35"}, func(srv *awsfake.Server) { atVersion(srv, "mlops-platform-prod", "1.33") }, ExitRefused,
			"refused: --to: EKS upgrades one minor version at a time; cluster mlops-platform-prod runs 1.33: upgrade to 1.34 first", ""},
		{"not offered", []string{"--to", "1.36"}, nil, ExitRefused, "refused: --to: EKS does not offer 1.36 on 2026-", ""},
		{"insight errors", []string{"--to", "1.35"}, func(srv *awsfake.Server) {
			atVersion(srv, "mlops-platform-prod", "1.34")
			srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) {
				c.Insights = []awsfake.Insight{
					{ID: "i-1", Name: "Deprecated APIs removed in Kubernetes v1.35", KubernetesVersion: "1.35", Status: "ERROR", Reason: "v1beta1 calls in the last 30 days", Recommendation: "update the clients"},
					{ID: "i-2", Name: "Cluster health issues", KubernetesVersion: "1.35", Status: "ERROR", Reason: "a subnet is out of IPs", Recommendation: "free addresses"},
					{ID: "i-3", Name: "kube-proxy version skew", KubernetesVersion: "1.35", Status: "WARNING", Reason: "skew", Recommendation: "update"},
				}
			})
		}, ExitRefused, "blocked by 2 EKS upgrade insight(s) in ERROR:\n  Deprecated APIs removed in Kubernetes v1.35 (i-1): v1beta1 calls in the last 30 days; update the clients\n  Cluster health issues (i-2): a subnet is out of IPs; free addresses", ""},
		{"no target", nil, nil, ExitUsage, "--to is required", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeProd(t)
			if tc.setup != nil {
				tc.setup(srv)
			}
			out, _, err := runAWS(t, append([]string{"upgrade", "--stack", "prod", "--plan-only"}, tc.args...)...)
			if code := ExitCode(err); code != tc.code || (tc.want != "" && !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("exit code %d (%v), want %d and %q", code, err, tc.code, tc.want)
			}
			if tc.golden != "" {
				golden(t, tc.golden, out)
			}
		})
	}
}

// TestUpgradeRunsUp: dev at 1.34 upgrades to 1.35 through the real engine:
// the plan, kubernetesVersion written, and an up that updates the control
// plane, the add-on whose pin changes and the node groups.
func TestUpgradeRunsUp(t *testing.T) {
	e := newEngineCLI(t)
	e.stackDir = stackDirCopy(t)
	file := filepath.Join(e.stackDir, "Pulumi.dev.yaml")
	b, _ := os.ReadFile(file)
	b, err := spec.SetStackConfig(b, map[string]any{"kubernetesVersion": "1.34"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := e.run("up", "--stack", "dev", "--layer", "aws")
	wantCode(t, "up at 1.34", err, ExitOK, stderr)
	srv := fakeAWS(t)
	srv.PutCluster(awsfake.Cluster{Name: "mlops-platform-dev", Version: "1.34",
		Addons:     map[string]*awsfake.Addon{"kube-proxy": {Name: "kube-proxy", Version: spec.AddonVersions["1.34"]["kube-proxy"]}},
		Nodegroups: map[string]*awsfake.Nodegroup{"general-1": {Name: "general-1", Version: "1.34"}}})
	out, stderr, err := e.run("upgrade", "--stack", "dev", "--to", "1.35")
	wantCode(t, "upgrade", err, ExitOK, stderr)
	t.Logf("upgrade --stack dev --to 1.35:\n%s\n%s", out, stderr)
	for _, want := range []string{"1  control-plane  mlops-platform-dev", "add-on         kube-proxy", "node-group     general-1"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{"kubernetesVersion: 1.34 -> 1.35", "update  cluster", "update  nodes-general", "update  addons-kube-proxy"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}
