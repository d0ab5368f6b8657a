package infra_test

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// computeChecks assert the node group items of the foundation.
func computeChecks() []check {
	return []check{
		{"launch templates: IMDSv2 required, hop limit 1, no SSH key", both, func(g *plan.Graph) error {
			for _, lt := range g.ByType(tLT) {
				if err := expect(lt, "metadataOptions.httpTokens", "required"); err != nil {
					return err
				}
				if err := expect(lt, "metadataOptions.httpPutResponseHopLimit", 1); err != nil {
					return err
				}
				if lt.Inputs["keyName"] != nil {
					return fmt.Errorf("%s sets an SSH key", lt.Name)
				}
			}
			for _, ng := range g.ByType(tNodeGroup) {
				if ng.Inputs["remoteAccess"] != nil {
					return fmt.Errorf("%s allows remote access", ng.Name)
				}
			}
			return nil
		}, func(g *plan.Graph) { set(g, tLT, "nodes-general", "metadataOptions.httpTokens", "optional") }},
		{"training: spot, scales to zero, tainted for training", both, func(g *plan.Graph) error {
			return groupShape(g, "training", "SPOT", "AL2023_x86_64_STANDARD", "mlops-platform/training")
		}, func(g *plan.Graph) { set(g, tNodeGroup, "nodes-training", "taints", []any{}) }},
		{"gpu: spot, scales to zero, GPU AMI, nvidia.com/gpu=true:NoSchedule", both, func(g *plan.Graph) error {
			return groupShape(g, "gpu", "SPOT", "AL2023_x86_64_NVIDIA", "nvidia.com/gpu")
		}, func(g *plan.Graph) { set(g, tNodeGroup, "nodes-gpu", "amiType", "AL2023_x86_64_STANDARD") }},
		{"general: on demand with labels", both, func(g *plan.Graph) error {
			ng, _ := plan.NodeGroup(g, "general")
			if err := expect(ng, "capacityType", "ON_DEMAND"); err != nil {
				return err
			}
			return expect(ng, "labels.mlops-platform/workload", "general")
		}, func(g *plan.Graph) { set(g, tNodeGroup, "nodes-general", "labels", map[string]any{}) }},
		{"autoscaler: ASG tags let the GPU group scale up from zero", both, autoscalerTags,
			func(g *plan.Graph) { drop(g, tASGTag, "nodes-gpu-resources") }},
		{"autoscaler: the running count is not reset by a deploy", both, func(g *plan.Graph) error {
			for _, ng := range g.ByType(tNodeGroup) {
				if len(ng.IgnoreChanges) != 1 || ng.IgnoreChanges[0] != "scalingConfig.desiredSize" {
					return fmt.Errorf("%s ignores %v, want scalingConfig.desiredSize", ng.Name, ng.IgnoreChanges)
				}
			}
			return nil
		}, func(g *plan.Graph) { g.Resources[indexOf(g, tNodeGroup)].IgnoreChanges = nil }},
	}
}

func indexOf(g *plan.Graph, typ string) int {
	for i, r := range g.Resources {
		if r.Type == typ {
			return i
		}
	}
	return -1
}

func groupShape(g *plan.Graph, name, capacity, ami, taintKey string) error {
	ng, ok := plan.NodeGroup(g, name)
	if !ok {
		return fmt.Errorf("no %s node group", name)
	}
	for path, want := range map[string]any{
		"capacityType":                   capacity,
		"amiType":                        ami,
		"scalingConfig.minSize":          0,
		"taints[0].key":                  taintKey,
		"taints[0].value":                "true",
		"taints[0].effect":               "NO_SCHEDULE",
		"labels.mlops-platform/workload": name,
	} {
		if err := expect(ng, path, want); err != nil {
			return err
		}
	}
	return nil
}

func autoscalerTags(g *plan.Graph) error {
	want := map[string]string{
		"k8s.io/cluster-autoscaler/node-template/label/nvidia.com/gpu.present":  "true",
		"k8s.io/cluster-autoscaler/node-template/label/mlops-platform/workload": "gpu",
		"k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu":          "true:NoSchedule",
		"k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu":      "1",
	}
	ng, _ := plan.NodeGroup(g, "gpu")
	for _, t := range g.ByType(tASGTag) {
		if !strings.HasPrefix(t.Name, "nodes-gpu-") {
			continue
		}
		asg := fmt.Sprint(t.Inputs["autoscalingGroupName"])
		if !strings.HasPrefix(asg, "eks-gpu-") {
			return fmt.Errorf("%s tags %s, not the GPU group's ASG", t.Name, asg)
		}
		if !g.DependsOn(t.URN, ng.URN) {
			return fmt.Errorf("%s does not wait for the GPU node group", t.Name)
		}
		k, _ := t.Input("tag.key")
		v, _ := t.Input("tag.value")
		if want[fmt.Sprint(k)] == fmt.Sprint(v) {
			delete(want, fmt.Sprint(k))
		}
	}
	if len(want) > 0 {
		return fmt.Errorf("GPU ASG lacks autoscaler tags %v", want)
	}
	return nil
}
