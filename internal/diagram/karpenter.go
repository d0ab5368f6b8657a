package diagram

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// nodePools are the Karpenter NodePools, drawn in the EKS box beside the
// managed node groups: their name, families, capacity types and limits.
func (b *builder) nodePools() []Node {
	var out []Node
	for _, p := range b.byType(typetoken.NodePool) {
		reqs := map[string][]string{}
		v, _ := p.Input("spec.template.spec.requirements")
		list, _ := v.([]any)
		for _, r := range list {
			m, _ := r.(map[string]any)
			vals, _ := m["values"].([]any)
			for _, x := range vals {
				reqs[fmt.Sprint(m["key"])] = append(reqs[fmt.Sprint(m["key"])], fmt.Sprint(x))
			}
		}
		lim, _ := p.Input("spec.limits")
		limits, _ := lim.(map[string]any)
		keys := make([]string, 0, len(limits))
		for k := range limits {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %v", k, limits[k]))
		}
		label := lines("Karpenter NodePool "+str(p, "metadata.name"),
			strings.Join(reqs["karpenter.k8s.aws/instance-family"], " "),
			strings.Join(reqs["karpenter.sh/capacity-type"], " / ")+", from 0",
			"limits: "+strings.Join(parts, ", "))
		out = append(out, b.node("nodepool", p, label, style["compute"]))
	}
	return out
}

// karpenter links the NodePools to the private subnets their classes
// select (the discovery tags), and the Karpenter release to the pools it
// provisions and the interruption queue it reads.
func (b *builder) karpenter() {
	var tagged []plan.Resource
	for _, t := range b.byType(typetoken.EC2Tag) {
		if str(t, "key") == "karpenter.sh/discovery" {
			tagged = append(tagged, b.refs(t, "resourceId", typetoken.Subnet)...)
		}
	}
	var release []plan.Resource
	for _, r := range b.byType(typetoken.HelmRelease) {
		if str(r, "name") == "karpenter" {
			release = append(release, r)
		}
	}
	for _, p := range b.byType(typetoken.NodePool) {
		for _, s := range tagged {
			b.edge(p.URN, s.URN, style["placement"])
		}
		for _, r := range release {
			b.edge(r.URN, p.URN, style["uses"])
		}
	}
	for _, r := range release {
		for _, q := range b.deps(r, typetoken.SQSQueue) {
			b.edge(r.URN, q.URN, style["uses"])
		}
	}
}
