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

// TestScaleFromZeroTags.
func TestScaleFromZeroTags(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	tags := map[string]map[string]string{}
	for _, tag := range g.ByType(tASGTag) {
		group := strings.Split(strings.TrimPrefix(tag.Name, "nodes-"), "-")[0]
		k, _ := tag.Input("tag.key")
		v, _ := tag.Input("tag.value")
		if tags[group] == nil {
			tags[group] = map[string]string{}
		}
		tags[group][fmt.Sprint(k)] = fmt.Sprint(v)
	}
	const tpl = "k8s.io/cluster-autoscaler/node-template/"
	if got := tags["gpu"][tpl+"label/k8s.amazonaws.com/accelerator"]; got != "nvidia" {
		t.Errorf("gpu accelerator tag %q, want nvidia (T4 and A10G types)", got)
	}
	for _, group := range []string{"gpu", "training"} {
		if got := tags[group][tpl+"resources/ephemeral-storage"]; got != "100Gi" {
			t.Errorf("%s ephemeral-storage tag %q, want 100Gi (its disk)", group, got)
		}
	}
	if _, ok := tags["general"][tpl+"resources/ephemeral-storage"]; ok {
		t.Error("general never scales from zero; it needs no ephemeral-storage template")
	}
	gpu, _ := plan.NodeGroup(g, "gpu")
	if labels, _ := gpu.Inputs["labels"].(map[string]any); labels["k8s.amazonaws.com/accelerator"] != "nvidia" {
		t.Errorf("gpu nodes are labelled %v, want k8s.amazonaws.com/accelerator=nvidia as their template says", labels)
	}
	single := stacktest.Evaluate(t, "prod", "nodeGroups.gpu.instanceTypes=[g4dn.xlarge]")
	gpu, _ = plan.NodeGroup(single, "gpu")
	if labels, _ := gpu.Inputs["labels"].(map[string]any); labels["k8s.amazonaws.com/accelerator"] != "nvidia-tesla-t4" {
		t.Errorf("a g4dn-only group is labelled %v, want nvidia-tesla-t4", labels)
	}
}
