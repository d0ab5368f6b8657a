package infra_test

// Karpenter NodePools and EC2NodeClasses: what the training and GPU node
// groups promised, now as NodePools.

import (
	"fmt"
	"slices"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// poolChecks assert the training and GPU NodePools and their classes.
func poolChecks() []check {
	return []check{
		{"training pool: spot first with on-demand fallback, compute families, limits, training taint", both, func(g *plan.Graph) error {
			return poolShape(g, "training", []string{"c5", "c5a", "c6i"}, "mlops-platform/training", "cpu")
		}, func(g *plan.Graph) {
			set(g, typetoken.NodePool, "platform-nodepool-training", "spec.template.spec.taints", []any{})
		}},
		{"gpu pool: spot first with on-demand fallback, A10G/L4 families, GPU limit, nvidia.com/gpu taint", both, func(g *plan.Graph) error {
			return poolShape(g, "gpu", []string{"g5", "g6"}, "nvidia.com/gpu", "nvidia.com/gpu")
		}, func(g *plan.Graph) {
			set(g, typetoken.NodePool, "platform-nodepool-gpu", "spec.limits", map[string]any{})
		}},
		{"pools: consolidate, expire, bounded disruption", both, func(g *plan.Graph) error {
			for _, np := range g.ByType(typetoken.NodePool) {
				for path, want := range map[string]any{
					"spec.disruption.consolidationPolicy": "WhenEmptyOrUnderutilized",
					"spec.disruption.consolidateAfter":    "5m",
					"spec.disruption.budgets[0].nodes":    "10%",
					"spec.template.spec.expireAfter":      "720h",
				} {
					if err := expect(np, path, want); err != nil {
						return err
					}
				}
			}
			return nil
		}, func(g *plan.Graph) {
			set(g, typetoken.NodePool, "platform-nodepool-gpu", "spec.disruption.budgets", []any{})
		}},
		{"node classes: IMDSv2 hop 1, encrypted gp3 with the data key, no public IP, AL2023", both, nodeClassesHardened,
			func(g *plan.Graph) {
				set(g, typetoken.EC2NodeClass, "platform-nodeclass-gpu", "spec.metadataOptions.httpTokens", "optional")
			}},
		{"node classes: select only the private subnets by tag", both, discoveryPrivateOnly,
			func(g *plan.Graph) {
				set(g, typetoken.EC2Tag, "karpenter-discovery-subnet-1", "resourceId", "subnet-public")
			}},
	}
}

func poolShape(g *plan.Graph, name string, families []string, taintKey, limit string) error {
	np, ok := plan.NodePool(g, name)
	if !ok {
		return fmt.Errorf("no %s NodePool", name)
	}
	reqs, _ := np.Input("spec.template.spec.requirements")
	got := map[string][]string{}
	for _, r := range reqs.([]any) {
		m, _ := r.(map[string]any)
		for _, v := range m["values"].([]any) {
			got[fmt.Sprint(m["key"])] = append(got[fmt.Sprint(m["key"])], fmt.Sprint(v))
		}
	}
	if c := got["karpenter.sh/capacity-type"]; !slices.Equal(c, []string{"on-demand", "spot"}) {
		return fmt.Errorf("%s: capacity types %v, want spot with on-demand fallback", name, c)
	}
	if f := got["karpenter.k8s.aws/instance-family"]; !slices.Equal(f, families) {
		return fmt.Errorf("%s: families %v, want %v", name, f, families)
	}
	limits, _ := np.Input("spec.limits")
	if v, ok := limits.(map[string]any)[limit]; !ok || fmt.Sprint(v) == "" || fmt.Sprint(v) == "0" {
		return fmt.Errorf("%s: no %s limit", name, limit)
	}
	for path, want := range map[string]any{
		"spec.template.spec.taints[0].key":                      taintKey,
		"spec.template.spec.taints[0].value":                    "true",
		"spec.template.spec.taints[0].effect":                   "NoSchedule",
		"spec.template.metadata.labels.mlops-platform/workload": name,
		"spec.template.spec.nodeClassRef.name":                  name,
	} {
		if err := expect(np, path, want); err != nil {
			return err
		}
	}
	return nil
}

func nodeClassesHardened(g *plan.Graph) error {
	classes := g.ByType(typetoken.EC2NodeClass)
	if len(classes) != 2 {
		return fmt.Errorf("%d EC2NodeClasses, want 2", len(classes))
	}
	for _, c := range classes {
		for path, want := range map[string]any{
			"spec.metadataOptions.httpTokens":              "required",
			"spec.metadataOptions.httpPutResponseHopLimit": 1,
			"spec.associatePublicIPAddress":                false,
			"spec.blockDeviceMappings[0].ebs.encrypted":    true,
			"spec.blockDeviceMappings[0].ebs.volumeType":   "gp3",
			"spec.amiSelectorTerms[0].alias":               "al2023@latest",
		} {
			if err := expect(c, path, want); err != nil {
				return err
			}
		}
		if err := usesOwnKey(g, c, "spec.blockDeviceMappings[0].ebs.kmsKeyID"); err != nil {
			return err
		}
	}
	return nil
}

// discoveryPrivateOnly: the subnets carrying the discovery tag the
// classes select by are exactly the private ones.
func discoveryPrivateOnly(g *plan.Graph) error {
	private := privateSubnetIDs(g)
	tagged := map[string]bool{}
	for _, t := range g.ByType(typetoken.EC2Tag) {
		if t.Inputs["key"] != "karpenter.sh/discovery" {
			continue
		}
		id := fmt.Sprint(t.Inputs["resourceId"])
		if _, ok := private[id]; ok {
			tagged[id] = true
		} else if len(id) > 7 && id[:7] == "subnet-" {
			return fmt.Errorf("%s tags %s, which is not a private subnet", t.Name, id)
		}
	}
	if len(tagged) != len(private) {
		return fmt.Errorf("%d of %d private subnets carry the discovery tag", len(tagged), len(private))
	}
	for _, c := range g.ByType(typetoken.EC2NodeClass) {
		for _, terms := range []string{"spec.subnetSelectorTerms[0].tags", "spec.securityGroupSelectorTerms[0].tags"} {
			v, _ := c.Input(terms)
			m, _ := v.(map[string]any)
			if len(m) != 1 || m["karpenter.sh/discovery"] == nil || m["karpenter.sh/discovery"] == "" {
				return fmt.Errorf("%s: %s = %v, want the discovery tag alone", c.Name, terms, v)
			}
		}
	}
	return nil
}
