// Package diagram draws the evaluated graph of a stack as an architecture
// diagram in Graphviz DOT: the VPC, one box per availability zone with its
// subnets and NAT gateways; the EKS cluster with its node groups and
// add-ons; RDS, S3 and KMS; IAM roles with IRSA grouped; Helm releases by
// namespace; and edges for the relations the graph states. It reads a
// *plan.Graph only (no internal/infra) and renders nothing itself; see
// the render subpackage for SVG and PNG.
package diagram

import (
	"errors"
	"fmt"
	"sort"

	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// Build returns the architecture diagram of g. The same graph always gives
// the same diagram, whatever the order of its resources.
func Build(g *plan.Graph) (*Diagram, error) {
	if g == nil {
		return nil, errors.New("diagram: no graph")
	}
	b := newBuilder(g)
	d := &Diagram{
		Name:         "mlops-platform " + g.Stack,
		Graph:        graphAttrs(g),
		NodeDefaults: nodeDefaults,
		EdgeDefaults: edgeDefaults,
	}
	d.Clusters = append(d.Clusters, b.network()...)
	d.Clusters = append(d.Clusters, b.clusters()...)
	d.Clusters = append(d.Clusters, b.kubernetes()...)
	d.Clusters = append(d.Clusters, b.data()...)
	d.Clusters = append(d.Clusters, b.iam()...)
	d.Nodes = b.loose
	b.link()
	d.Edges = b.sortedEdges()
	return d, nil
}

// builder reads the graph once and collects nodes and edges.
type builder struct {
	g     *plan.Graph
	byURN map[string]plan.Resource
	// nodeOf is the node ID of each drawn resource, by URN.
	nodeOf map[string]string
	used   map[string]bool
	edges  map[[2]string]Attrs
	// loose are nodes drawn outside any box.
	loose []Node
	// k8sAnchor is a node inside the Kubernetes box, "" without one.
	k8sAnchor string
}

func newBuilder(g *plan.Graph) *builder {
	b := &builder{g: g, byURN: map[string]plan.Resource{}, nodeOf: map[string]string{}, used: map[string]bool{}, edges: map[[2]string]Attrs{}}
	for _, r := range g.Resources {
		b.byURN[r.URN] = r
	}
	return b
}

// byType returns the resources of a type sorted by logical name, then URN.
func (b *builder) byType(types ...string) []plan.Resource {
	var out []plan.Resource
	for _, t := range types {
		out = append(out, b.g.ByType(t)...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].URN < out[j].URN
	})
	return out
}

// node makes the node that draws r, with a short ID unique in the diagram.
func (b *builder) node(kind string, r plan.Resource, label string, a Attrs) Node {
	id := kind + ":" + r.Name
	for i := 2; b.used[id]; i++ {
		id = fmt.Sprintf("%s:%s#%d", kind, r.Name, i)
	}
	b.used[id] = true
	b.nodeOf[r.URN] = id
	return Node{ID: id, Label: label, URN: r.URN, Attrs: a}
}

// edge joins the nodes of two drawn resources; either missing, it does
// nothing. A second edge between the same pair keeps the first one.
func (b *builder) edge(fromURN, toURN string, a Attrs) {
	from, ok1 := b.nodeOf[fromURN]
	to, ok2 := b.nodeOf[toURN]
	if !ok1 || !ok2 || from == to {
		return
	}
	b.edgeIDs(from, to, a)
}

func (b *builder) edgeIDs(from, to string, a Attrs) {
	key := [2]string{from, to}
	if _, ok := b.edges[key]; !ok {
		b.edges[key] = a
	}
}

func (b *builder) sortedEdges() []Edge {
	out := make([]Edge, 0, len(b.edges))
	for k, a := range b.edges {
		out = append(out, Edge{From: k[0], To: k[1], Attrs: a})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].From != out[j].From {
			return out[i].From < out[j].From
		}
		return out[i].To < out[j].To
	})
	return out
}

// refs returns the resources of type typ that r names by cloud ID (ids,
// read from one of its inputs). Without such IDs it falls back to r's
// direct dependencies of that type.
func (b *builder) refs(r plan.Resource, cloudIDs []string, typ string) []plan.Resource {
	ids := map[string]bool{}
	for _, s := range cloudIDs {
		if s != "" {
			ids[s] = true
		}
	}
	var out []plan.Resource
	if len(ids) > 0 {
		for _, c := range b.byType(typ) {
			if c.ID != "" && ids[c.ID] {
				out = append(out, c)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return b.deps(r, typ)
}

// deps returns r's direct dependencies of type typ, sorted by name.
func (b *builder) deps(r plan.Resource, typ string) []plan.Resource {
	seen := map[string]bool{}
	var out []plan.Resource
	for _, u := range r.Dependencies {
		if d, ok := b.byURN[u]; ok && d.Type == typ && !seen[u] {
			seen[u] = true
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// dependsOn reports whether r lists u among its direct dependencies.
func dependsOn(r plan.Resource, u string) bool {
	for _, d := range r.Dependencies {
		if d == u {
			return true
		}
	}
	return false
}
