package plan

import (
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// NodePool returns the Karpenter NodePool of the graph with the given
// metadata.name.
func NodePool(g *Graph, name string) (Resource, bool) {
	for _, r := range g.ByType(typetoken.NodePool) {
		if n, _ := r.Input("metadata.name"); n == name {
			return r, true
		}
	}
	return Resource{}, false
}
