package diagram

import (
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// clusters draws each EKS cluster as a box holding its control plane,
// node groups and managed add-ons.
func (b *builder) clusters() []Cluster {
	var out []Cluster
	placed := map[string]bool{}
	for _, cl := range b.byType(typetoken.Cluster) {
		name := str(cl, "name")
		if name == "" {
			name = cl.Name
		}
		belongs := func(r plan.Resource) bool {
			return !placed[r.URN] && (str(r, "clusterName") == name || dependsOn(r, cl.URN))
		}
		c := Cluster{ID: "cluster_eks:" + cl.Name, Label: "EKS " + name, Attrs: style["eks"]}
		c.Nodes = append(c.Nodes, b.node("eks", cl, controlPlaneLabel(cl), style["control"]))
		for _, ng := range b.byType(typetoken.NodeGroup) {
			if belongs(ng) {
				placed[ng.URN] = true
				c.Nodes = append(c.Nodes, b.nodeGroup(ng))
			}
		}
		if len(out) == 0 {
			c.Nodes = append(c.Nodes, b.nodePools()...)
		}
		addons := Cluster{ID: "cluster_addons:" + cl.Name, Label: "managed add-ons", Attrs: style["addons"]}
		for _, a := range b.byType(typetoken.Addon) {
			if belongs(a) {
				placed[a.URN] = true
				addons.Nodes = append(addons.Nodes, b.node("addon", a, str(a, "addonName"), style["addon"]))
			}
		}
		if len(addons.Nodes) > 0 {
			c.Clusters = append(c.Clusters, addons)
		}
		out = append(out, c)
	}
	for _, r := range b.byType(typetoken.NodeGroup, typetoken.Addon) {
		if !placed[r.URN] {
			b.loose = append(b.loose, b.node("other", r, lines(r.Name, shortType(r.Type)), nil))
		}
	}
	return out
}

// controlPlaneLabel names the Kubernetes version and the API endpoint's
// reach.
func controlPlaneLabel(cl plan.Resource) string {
	pub, _ := flag(cl, "vpcConfig.endpointPublicAccess")
	priv, _ := flag(cl, "vpcConfig.endpointPrivateAccess")
	endpoint := "none"
	switch {
	case pub && priv:
		endpoint = "public + private"
	case priv:
		endpoint = "private"
	case pub:
		endpoint = "public"
	}
	version := str(cl, "version")
	if version != "" {
		version = "Kubernetes " + version
	}
	return lines("control plane", version, "endpoint: "+endpoint)
}

// nodeGroup is a node group's box: its name, instance types, capacity
// type and size range.
func (b *builder) nodeGroup(ng plan.Resource) Node {
	capacity := str(ng, "capacityType")
	if capacity == "" {
		capacity = "ON_DEMAND"
	}
	size := num(ng, "scalingConfig.minSize") + "-" + num(ng, "scalingConfig.maxSize") + " nodes"
	label := lines("node group "+plan.NodeGroupName(ng), strings.Join(strs(ng, "instanceTypes"), " "), capacity+", "+size)
	return b.node("nodegroup", ng, label, style["compute"])
}
