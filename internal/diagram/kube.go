package diagram

import (
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// kubernetesID is the box of everything the platform installs into the
// cluster.
const kubernetesID = "cluster_kubernetes"

// kubernetes draws the Helm releases, jobs and service accounts, one box
// per namespace.
func (b *builder) kubernetes() []Cluster {
	byNS := map[string][]Node{}
	for _, r := range b.byType(typetoken.HelmRelease) {
		ns := plan.ReleaseOf(r).Namespace
		byNS[ns] = append(byNS[ns], b.node("release", r, releaseLabel(r), style["release"]))
	}
	for _, r := range b.byType(typetoken.Job) {
		o := plan.ObjectOf(r)
		byNS[o.Namespace] = append(byNS[o.Namespace], b.node("job", r, lines("job", o.Name), style["job"]))
	}
	for _, r := range b.byType(typetoken.ServiceAccount) {
		o := plan.ObjectOf(r)
		ns, name := o.Namespace, o.Name
		if name == "" {
			name = r.Name
		}
		byNS[ns] = append(byNS[ns], b.node("sa", r, lines("service account", name), style["sa"]))
	}
	if len(byNS) == 0 {
		return nil
	}
	names := make([]string, 0, len(byNS))
	for ns := range byNS {
		names = append(names, ns)
	}
	sort.Strings(names)
	c := Cluster{ID: kubernetesID, Label: "Kubernetes: Helm releases by namespace", Attrs: style["kubernetes"]}
	for _, ns := range names {
		label := "namespace " + ns
		if ns == "" {
			label = "(default namespace)"
		}
		c.Clusters = append(c.Clusters, Cluster{ID: "cluster_ns:" + ns, Label: label, Attrs: style["namespace"], Nodes: byNS[ns]})
	}
	b.k8sAnchor = c.Clusters[0].Nodes[0].ID
	return []Cluster{c}
}

// releaseLabel is the release name, then the chart (the last part of an
// OCI reference) when it is named otherwise, and its version.
func releaseLabel(res plan.Resource) string {
	r := plan.ReleaseOf(res)
	name, chart := r.Name, r.Chart
	chart = chart[strings.LastIndexByte(chart, '/')+1:]
	if chart == name {
		chart = ""
	}
	return lines(name, strings.TrimSpace(chart+" "+r.Version))
}
