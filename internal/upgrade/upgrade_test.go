package upgrade_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/eks"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/upgrade"
)

var now = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

func live(version string) upgrade.Live {
	addons := map[string]string{}
	for name, v := range spec.AddonVersions[version] {
		addons[name] = v
	}
	return upgrade.Live{Version: version, Addons: addons,
		NodeGroups: map[string]string{"training-1": version, "general-1": version, "gpu-1": version}}
}

func TestNewPlanRefuses(t *testing.T) {
	for _, tc := range []struct {
		live, to, want string
		at             time.Time
	}{
		{"1.33", "1.35", "EKS upgrades one minor version at a time; cluster c runs 1.33: upgrade to 1.34 first", now},
		{"1.34", "1.34", "cluster c, its add-ons and node groups already run 1.34", now},
		{"1.35", "1.34", "cannot downgrade", now},
		{"1.35", "1.36", "EKS does not offer 1.36 on 2026-11-29 (support unknown; offered: 1.32, 1.33, 1.34, 1.35)", now},
		{"1.29", "1.30", "EKS does not offer 1.30 on 2026-11-29 (support ended", now},
		{"1.30", "1.31", "kubernetesVersion: 1.31 has no row in the reviewed add-on version table", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"1.34", "v1.35", `--to: "v1.35" is not a Kubernetes minor version`, now},
	} {
		_, err := upgrade.NewPlan("c", live(tc.live), tc.to, tc.at)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s -> %s: %v, want %q", tc.live, tc.to, err, tc.want)
		}
	}
}

// TestNewPlanOrdersSteps: control plane, then the add-ons whose pins
// differ for the target minor, then node groups, general first.
func TestNewPlanOrdersSteps(t *testing.T) {
	p, err := upgrade.NewPlan("c", live("1.34"), "1.35", now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range p.Steps {
		got = append(got, s.Kind+" "+s.Name+" "+s.From+" -> "+s.To)
	}
	want := []string{
		"control-plane c 1.34 -> 1.35",
		"add-on kube-proxy " + spec.AddonVersions["1.34"]["kube-proxy"] + " -> " + spec.AddonVersions["1.35"]["kube-proxy"],
		"node-group general-1 1.34 -> 1.35",
		"node-group gpu-1 1.34 -> 1.35",
		"node-group training-1 1.34 -> 1.35",
	}
	sameLines(t, "steps", got, want)
}

// sameLines fails the test unless got and want hold the same lines.
func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDeploysRollGroupsOneByOne: the first deploy moves the control plane
// and add-ons with every group pinned at its live version; then one
// deploy per group, general first, each moving only that group's pin.
func TestDeploysRollGroupsOneByOne(t *testing.T) {
	p, err := upgrade.NewPlan("c", live("1.34"), "1.35", now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range p.Deploys() {
		var names []string
		for _, s := range d.Steps {
			names = append(names, s.Name)
		}
		got = append(got, fmt.Sprintf("%d %s: %s", d.N, d.Setting(), strings.Join(names, ",")))
	}
	want := []string{
		"1 kubernetesVersion=1.35 nodeGroups.general.version=1.34 nodeGroups.gpu.version=1.34 nodeGroups.training.version=1.34: c,kube-proxy",
		"2 nodeGroups.general.version=1.35: general-1",
		"3 nodeGroups.gpu.version=1.35: gpu-1",
		"4 nodeGroups.training.version=1.35: training-1",
	}
	sameLines(t, "deploys", got, want)
}

// TestResumeSkipsWhatIsDone: after an interruption the control plane and
// the general group run the target; the plan marks them done and deploys
// the others only, pinning them first without a deploy of its own.
func TestResumeSkipsWhatIsDone(t *testing.T) {
	l := live("1.35")
	l.NodeGroups["training-1"], l.NodeGroups["gpu-1"] = "1.34", "1.34"
	p, err := upgrade.NewPlan("c", l, "1.35", now)
	if err != nil {
		t.Fatal(err)
	}
	var done []string
	for _, s := range p.Steps {
		if s.Done {
			done = append(done, s.Name)
		}
	}
	ds := p.Deploys()
	if strings.Join(done, ",") != "c,general-1" || len(ds) != 3 || ds[0].N != 0 ||
		ds[0].Setting() != "kubernetesVersion=1.35 nodeGroups.gpu.version=1.34 nodeGroups.training.version=1.34" ||
		ds[1].N != 1 || ds[1].Steps[0].Name != "gpu-1" || ds[2].N != 2 || ds[2].Steps[0].Name != "training-1" {
		t.Errorf("done %v, deploys %+v", done, ds)
	}
	l.NodeGroups["weird-1"] = "1.34"
	if _, err := upgrade.NewPlan("c", l, "1.35", now); err == nil || !strings.Contains(err.Error(), "node group weird-1 of cluster c is none of the program's") {
		t.Errorf("unknown group: %v", err)
	}
}

func fake(t *testing.T, insights []awsfake.Insight) (*awsfake.Server, *eks.Client) {
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	srv.PutCluster(awsfake.Cluster{Name: "c", Version: "1.34", Insights: insights,
		Addons:     map[string]*awsfake.Addon{"coredns": {Name: "coredns", Version: "v1.13.2-eksbuild.4"}},
		Nodegroups: map[string]*awsfake.Nodegroup{"general-1": {Name: "general-1", Version: "1.33"}}})
	return srv, eks.NewFromConfig(srv.Config(awsclient.Options{Backoff: &awsfake.Backoffs{}}))
}

func TestReadLive(t *testing.T) {
	srv, c := fake(t, nil)
	srv.Fail("DescribeAddon", awsfake.TooManyRequests, 2)
	l, err := upgrade.ReadLive(context.Background(), c, "c")
	if err != nil {
		t.Fatal(err)
	}
	if l.Version != "1.34" || l.Addons["coredns"] != "v1.13.2-eksbuild.4" || l.NodeGroups["general-1"] != "1.33" {
		t.Errorf("live %+v", l)
	}
	if _, err := upgrade.ReadLive(context.Background(), c, "nope"); err == nil || !strings.Contains(err.Error(), "reading cluster nope") {
		t.Errorf("missing cluster: %v", err)
	}
}

// TestInsightsBlockOnEachError: every ERROR insight for the target is
// named with its reason and recommendation; WARNING and PASSING are not,
// nor an ERROR for another version.
func TestInsightsBlockOnEachError(t *testing.T) {
	_, c := fake(t, []awsfake.Insight{
		{ID: "a", Name: "Deprecated APIs removed in Kubernetes v1.35", KubernetesVersion: "1.35", Status: "ERROR", Reason: "flowcontrol v1beta3 in use", Recommendation: "move to flowcontrol v1"},
		{ID: "b", Name: "Kubelet version skew", KubernetesVersion: "1.35", Status: "ERROR", Reason: "nodes at 1.32", Recommendation: "upgrade node groups first"},
		{ID: "c", Name: "Add-on compatibility", KubernetesVersion: "1.35", Status: "WARNING", Reason: "x", Recommendation: "y"},
		{ID: "d", Name: "Cluster health", KubernetesVersion: "1.35", Status: "PASSING"},
		{ID: "e", Name: "Old", KubernetesVersion: "1.34", Status: "ERROR", Reason: "z"},
	})
	err := upgrade.CheckInsights(context.Background(), c, "c", "1.35")
	var blocked *upgrade.BlockedError
	if !errors.As(err, &blocked) || len(blocked.Blockers) != 2 {
		t.Fatalf("%v, want 2 blockers", err)
	}
	for _, want := range []string{
		"Deprecated APIs removed in Kubernetes v1.35 (a): flowcontrol v1beta3 in use; move to flowcontrol v1",
		"Kubelet version skew (b): nodes at 1.32; upgrade node groups first",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %q", err, want)
		}
	}
	_, clean := fake(t, []awsfake.Insight{{ID: "c", Name: "Add-on compatibility", KubernetesVersion: "1.35", Status: "WARNING"}})
	if err := upgrade.CheckInsights(context.Background(), clean, "c", "1.35"); err != nil {
		t.Errorf("a warning blocked: %v", err)
	}
}
