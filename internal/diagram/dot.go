package diagram

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Attrs are Graphviz attributes. They are written sorted by name, so the
// DOT text does not depend on map order.
type Attrs map[string]string

// Node is one box of the diagram.
type Node struct {
	ID    string
	Label string
	// URN is the graph resource the node draws ("" for none); it is not
	// written to the DOT text.
	URN   string
	Attrs Attrs
}

// Cluster is a box around nodes and further clusters: a DOT subgraph
// whose ID starts with "cluster".
type Cluster struct {
	ID    string
	Label string
	// URN is the graph resource the box draws ("" for none), not written
	// to the DOT text.
	URN      string
	Attrs    Attrs
	Nodes    []Node
	Clusters []Cluster
}

// Edge joins two nodes. With Attrs lhead or ltail it ends at the border
// of a cluster instead (the diagram sets compound=true).
type Edge struct {
	From, To string
	Attrs    Attrs
}

// Diagram is the whole picture: top-level nodes and clusters, then edges.
type Diagram struct {
	Name string
	// Graph, NodeDefaults and EdgeDefaults are the graph, node and edge
	// attribute statements.
	Graph, NodeDefaults, EdgeDefaults Attrs
	Clusters                          []Cluster
	Nodes                             []Node
	Edges                             []Edge
}

// DOT returns the diagram as Graphviz DOT text.
func (d *Diagram) DOT() []byte {
	var b bytes.Buffer
	d.WriteDOT(&b)
	return b.Bytes()
}

// WriteDOT writes the diagram as Graphviz DOT text. Equal diagrams give
// equal bytes.
func (d *Diagram) WriteDOT(w io.Writer) error {
	p := &printer{w: w}
	p.line(0, "digraph %s {", quote(d.Name))
	p.stmt(1, "graph", d.Graph)
	p.stmt(1, "node", d.NodeDefaults)
	p.stmt(1, "edge", d.EdgeDefaults)
	for _, c := range d.Clusters {
		p.cluster(1, c)
	}
	for _, n := range d.Nodes {
		p.node(1, n)
	}
	for _, e := range d.Edges {
		p.line(1, "%s -> %s%s;", quote(e.From), quote(e.To), attrList(e.Attrs))
	}
	p.line(0, "}")
	return p.err
}

// printer writes indented lines and keeps the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(depth int, format string, args ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.w, strings.Repeat("  ", depth)+format+"\n", args...)
}

func (p *printer) stmt(depth int, kind string, a Attrs) {
	if len(a) > 0 {
		p.line(depth, "%s%s;", kind, attrList(a))
	}
}

func (p *printer) cluster(depth int, c Cluster) {
	p.line(depth, "subgraph %s {", quote(c.ID))
	a := Attrs{"label": c.Label}
	for k, v := range c.Attrs {
		a[k] = v
	}
	p.stmt(depth+1, "graph", a)
	for _, sub := range c.Clusters {
		p.cluster(depth+1, sub)
	}
	for _, n := range c.Nodes {
		p.node(depth+1, n)
	}
	p.line(depth, "}")
}

func (p *printer) node(depth int, n Node) {
	a := Attrs{"label": n.Label}
	for k, v := range n.Attrs {
		a[k] = v
	}
	p.line(depth, "%s%s;", quote(n.ID), attrList(a))
}

// attrList is " [k1="v1", k2="v2"]" sorted by key, or "" for none.
func attrList(a Attrs) string {
	if len(a) == 0 {
		return ""
	}
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + quote(a[k])
	}
	return " [" + strings.Join(parts, ", ") + "]"
}

// quote makes s a DOT double-quoted string: quotes and backslashes are
// escaped, and a newline becomes the centred line break \n.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return `"` + r.Replace(s) + `"`
}
