package infra_test

// Node groups: names that survive a replacement, upgrades that reach the
// nodes and add-ons, and the tags that let the autoscaler scale from zero.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// TestNodeGroupNamesSurviveReplacement: changing the instance
// types replaces a group, and Pulumi creates the replacement first; a
// fixed EKS name would collide, a prefixed one cannot.
func TestNodeGroupNamesSurviveReplacement(t *testing.T) {
	before := stacktest.Graph(t, "prod")
	after := stacktest.Evaluate(t, "prod", "nodeGroups.general.instanceTypes=[m6i.xlarge]")
	for _, g := range []*plan.Graph{before, after} {
		for _, ng := range g.ByType(tNodeGroup) {
			if n, ok := ng.Inputs["nodeGroupName"]; ok {
				t.Errorf("%s fixes its EKS name %v: its replacement would collide with it", ng.Name, n)
			}
			prefix, _ := ng.Inputs["nodeGroupNamePrefix"].(string)
			if !strings.HasSuffix(prefix, "-") || plan.NodeGroupName(ng) == "" {
				t.Errorf("%s: nodeGroupNamePrefix %q, want <group>-", ng.Name, prefix)
			}
		}
	}
	old, _ := plan.NodeGroup(before, "general")
	replacement, _ := plan.NodeGroup(after, "general")
	if fmt.Sprint(old.Inputs["instanceTypes"]) == fmt.Sprint(replacement.Inputs["instanceTypes"]) {
		t.Fatal("the override did not change the general group")
	}
}

// TestUpgradesReachNodesAndAddons: node groups carry the cluster's
// version and pinned add-ons change with the minor.
func TestUpgradesReachNodesAndAddons(t *testing.T) {
	for _, v := range []string{"1.35", "1.34"} {
		g := stacktest.Evaluate(t, "prod", "kubernetesVersion="+v)
		for _, ng := range g.ByType(tNodeGroup) {
			if err := expect(ng, "version", v); err != nil {
				t.Error(err)
			}
		}
		for _, a := range g.ByType(tAddon) {
			name := fmt.Sprint(a.Inputs["addonName"])
			want, pinned := spec.AddonVersions[v][name]
			got, set := a.Inputs["addonVersion"]
			switch {
			case pinned && fmt.Sprint(got) != want:
				t.Errorf("%s on %s: addonVersion %v, want %s", name, v, got, want)
			case !pinned:
				t.Errorf("%s on %s has no reviewed version (set: %v)", name, v, set)
			}
		}
	}
}

// TestOnlyGeneralIsAManagedGroup: training and GPU capacity are Karpenter
// NodePools; the general group never scales from zero, so it carries no
// scale-from-zero template.
func TestOnlyGeneralIsAManagedGroup(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	var names []string
	for _, ng := range g.ByType(tNodeGroup) {
		names = append(names, plan.NodeGroupName(ng))
	}
	if fmt.Sprint(names) != "[general]" {
		t.Errorf("managed node groups %v, want [general]", names)
	}
	for _, tag := range g.ByType(tASGTag) {
		if k, _ := tag.Input("tag.key"); strings.Contains(fmt.Sprint(k), "ephemeral-storage") {
			t.Errorf("%s: general never scales from zero; it needs no ephemeral-storage template", tag.Name)
		}
	}
}
