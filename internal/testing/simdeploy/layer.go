// Package simdeploy deploys the in-cluster layer into the simulated
// cluster (internal/testing/simcluster): the program's own Kubernetes objects and
// every Helm release's rendered manifests (internal/testing/rendercheck), server-
// side applied with client-go in the program's release order, CRDs first,
// each release's hooks and kinds in Helm's install order; then it reads
// back what runs: workloads' availability, pods refused by admission,
// DaemonSet placement. What the simulation cannot run is stood in and
// listed in StandIns.
package simdeploy

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/rendercheck"
)

// Layer is what one stack deploys into the cluster, in apply order.
type Layer struct {
	// Foundation are the program's objects that wait for no release
	// (namespaces, quotas, LimitRanges, network policies, service
	// accounts, the StorageClass ...), in dependency order.
	Foundation []apiserver.Object
	// Releases are the rendered releases in the program's order.
	Releases []rendercheck.Rendered
	// Dependents are the program's objects that wait for a release (the
	// UIs' Ingresses), applied after the releases.
	Dependents []apiserver.Object
}

// NewLayer splits the graph's own objects around the releases and orders
// the rendered releases as order names them (the program's order).
func NewLayer(g *plan.Graph, rendered []rendercheck.Rendered, order []string) (Layer, error) {
	var l Layer
	objs, err := apiserver.Objects(g)
	if err != nil {
		return l, err
	}
	var releaseURNs []string
	for _, r := range g.ByType(apiserver.HelmRelease) {
		releaseURNs = append(releaseURNs, r.URN)
	}
	for _, o := range objs {
		waits := false
		for _, rel := range releaseURNs {
			waits = waits || g.DependsOn(o.URN, rel)
		}
		if waits {
			l.Dependents = append(l.Dependents, o)
		} else {
			l.Foundation = append(l.Foundation, o)
		}
	}
	byName := map[string]rendercheck.Rendered{}
	for _, r := range rendered {
		byName[r.Name] = r
	}
	for _, name := range order {
		r, ok := byName[name]
		if !ok {
			return l, fmt.Errorf("release %s is in the program's order but was not rendered", name)
		}
		if r.Err != nil {
			return l, fmt.Errorf("release %s did not render: %w", name, r.Err)
		}
		l.Releases = append(l.Releases, r)
		delete(byName, name)
	}
	if len(byName) > 0 {
		var left []string
		for n := range byName {
			left = append(left, n)
		}
		return l, fmt.Errorf("releases %s are rendered but not in the program's order", strings.Join(left, ", "))
	}
	return l, nil
}

// Workloads are the Deployments, StatefulSets and DaemonSets of every
// release (status not read), in release order.
func (l Layer) Workloads() []Workload {
	var out []Workload
	for _, r := range l.Releases {
		out = append(out, workloadRefs(r.Objects)...)
	}
	return out
}
