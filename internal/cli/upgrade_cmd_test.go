package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/ekstoken"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/upgrade"
)

// atVersion sets the fake's cluster, its add-ons (to that minor's pins)
// and its node groups to version.
func atVersion(srv *awsfake.Server, cluster, version string) {
	srv.EditCluster(cluster, func(c *awsfake.Cluster) {
		c.Version = version
		for name, v := range spec.AddonVersions[version] {
			c.Addons[name] = &awsfake.Addon{Name: name, Version: v}
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

// deploysOf splits an upgrade's stderr at each "upgrade deploy N of M"
// line and returns, per deploy, the resources its preview updates.
func deploysOf(stderr string) [][]string {
	var out [][]string
	for _, part := range strings.Split(stderr, "upgrade deploy ")[1:] {
		var names []string
		for _, line := range strings.Split(part, "\n") {
			if f := strings.Fields(line); len(f) >= 3 && f[0] == "update" && strings.HasPrefix(f[2], "aws:") {
				names = append(names, f[1])
			}
		}
		out = append(out, names)
	}
	return out
}

// TestUpgradeRollsNodeGroupsOneByOne: dev at 1.34 upgrades to 1.35
// through the real engine as one deploy for the control plane and the
// add-on, then one per managed node group (general: training and GPU
// capacity are Karpenter NodePools, whose nodes roll by drift). The
// group's update fails: the error names what is done, what is not and the
// command that resumes; the rerun, reading the live versions, skips what
// is done and rolls the group.
func TestUpgradeRollsNodeGroupsOneByOne(t *testing.T) {
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
	srv.OfferAddonPins(spec.AddonVersions) // the add-on preflight of each deploy
	groups := map[string]*awsfake.Nodegroup{}
	groups["general-1"] = &awsfake.Nodegroup{Name: "general-1", Version: "1.34"}
	srv.PutCluster(awsfake.Cluster{Name: "mlops-platform-dev", Version: "1.34", Nodegroups: groups, Addons: map[string]*awsfake.Addon{}})
	atVersion(srv, "mlops-platform-dev", "1.34")
	// upgrade reads the live versions with the stack's AWS configuration.
	e.stackAWS = func(context.Context, ekstoken.Options) (aws.Config, error) {
		return srv.Config(awsclient.Options{}), nil
	}

	e.fail = "update:nodes-general"
	out, stderr, err := e.run("upgrade", "--stack", "dev", "--to", "1.35", "--yes")
	t.Logf("upgrade --stack dev --to 1.35 --yes (general fails):\n%s\n%s\n%v", out, stderr, err)
	wantCode(t, "interrupted upgrade", err, ExitDeployFailed, stderr)
	var interrupted *upgrade.InterruptedError
	if !errors.As(err, &interrupted) {
		t.Fatalf("%v, want an InterruptedError", err)
	}
	for _, want := range []string{
		"upgrade of mlops-platform-dev to 1.35 interrupted: deploy 2 of 2 failed",
		"done:     control-plane mlops-platform-dev 1.34 -> 1.35; add-on kube-proxy " + spec.AddonVersions["1.34"]["kube-proxy"] + " -> " + spec.AddonVersions["1.35"]["kube-proxy"],
		"not done: node-group general-1 1.34 -> 1.35",
		"resume with: mlops upgrade --stack dev --to 1.35 --yes",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	want := [][]string{{"cluster", "addons-kube-proxy"}, {"nodes-general"}}
	if got := deploysOf(stderr); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("deploys updated %v, want %v (one node group each, in order)", got, want)
	}

	// The live account after the interruption: the control plane, the
	// add-on upgraded, the group not.
	atVersion(srv, "mlops-platform-dev", "1.35")
	srv.EditCluster("mlops-platform-dev", func(c *awsfake.Cluster) {
		c.Nodegroups["general-1"].Version = "1.34"
	})
	e.fail = ""
	out, stderr, err = e.run("upgrade", "--stack", "dev", "--to", "1.35", "--yes")
	t.Logf("resumed:\n%s\n%s", out, stderr)
	wantCode(t, "resumed upgrade", err, ExitOK, stderr)
	for _, want := range []string{
		"1  control-plane  mlops-platform-dev  1.35  1.35  done", "node-group     general-1           1.34  1.35  1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("resumed plan lacks %q:\n%s", want, out)
		}
	}
	want = [][]string{{"nodes-general"}}
	if got := deploysOf(stderr); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("resumed deploys updated %v, want %v", got, want)
	}
	cfg, _ := os.ReadFile(file)
	if !strings.Contains(string(cfg), "general:") {
		t.Errorf("%s lacks the general group's pin:\n%s", file, cfg)
	}
}
