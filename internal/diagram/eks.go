package diagram

import (
	"fmt"
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
		name := plan.ClusterOf(cl).Name
		if name == "" {
			name = cl.Name
		}
		belongs := func(r plan.Resource) bool {
			return !placed[r.URN] && (clusterOf(r) == name || dependsOn(r, cl.URN))
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
				addons.Nodes = append(addons.Nodes, b.node("addon", a, plan.AddonOf(a).Name, style["addon"]))
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
func controlPlaneLabel(r plan.Resource) string {
	cl := plan.ClusterOf(r)
	pub, priv := cl.PublicEndpoint, cl.PrivateEndpoint
	endpoint := "none"
	switch {
	case pub && priv:
		endpoint = "public + private"
	case priv:
		endpoint = "private"
	case pub:
		endpoint = "public"
	}
	version := cl.Version
	if version != "" {
		version = "Kubernetes " + version
	}
	return lines("control plane", version, "endpoint: "+endpoint)
}

// nodeGroup is a node group's box: its name, instance types, capacity
// type and size range.
func (b *builder) nodeGroup(r plan.Resource) Node {
	ng := plan.ManagedNodeGroupOf(r)
	capacity := ng.CapacityType
	if capacity == "" {
		capacity = "ON_DEMAND"
	}
	size := "?-? nodes"
	if s := ng.Scaling; s != nil {
		size = fmt.Sprintf("%d-%d nodes", s.Min, s.Max)
	}
	label := lines("node group "+ng.Name, strings.Join(ng.InstanceTypes, " "), capacity+", "+size)
	return b.node("nodegroup", r, label, style["compute"])
}

// clusterOf is the cluster a node group or add-on names.
func clusterOf(r plan.Resource) string {
	if r.Type == typetoken.NodeGroup {
		return plan.ManagedNodeGroupOf(r).ClusterName
	}
	return plan.AddonOf(r).ClusterName
}
