package infra_test

import (
	"fmt"

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
		{"general: on demand with labels", both, func(g *plan.Graph) error {
			ng, _ := plan.NodeGroup(g, "general")
			if err := expect(ng, "capacityType", "ON_DEMAND"); err != nil {
				return err
			}
			return expect(ng, "labels.mlops-platform/workload", "general")
		}, func(g *plan.Graph) { set(g, tNodeGroup, "nodes-general", "labels", map[string]any{}) }},
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
