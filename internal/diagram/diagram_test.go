package diagram

import (
	"bytes"
	"sort"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

func build(t *testing.T, g *plan.Graph) *Diagram {
	t.Helper()
	d, err := Build(g)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// find returns the clusters, at any depth, whose ID starts with prefix.
func find(cs []Cluster, prefix string) []Cluster {
	var out []Cluster
	for _, c := range cs {
		if strings.HasPrefix(c.ID, prefix) {
			out = append(out, c)
		}
		out = append(out, find(c.Clusters, prefix)...)
	}
	return out
}

// labels are the first lines of the labels of a cluster's own nodes whose
// ID starts with prefix.
func labels(c Cluster, prefix string) []string {
	var out []string
	for _, n := range c.Nodes {
		if strings.HasPrefix(n.ID, prefix) {
			out = append(out, strings.SplitN(n.Label, "\n", 2)[0])
		}
	}
	return out
}

func hasEdge(d *Diagram, from, to string) bool {
	for _, e := range d.Edges {
		if e.From == from && e.To == to {
			return true
		}
	}
	return false
}

func TestProdDiagram(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	d := build(t, g)

	vpcs := find(d.Clusters, "cluster_vpc:")
	if len(vpcs) != 1 {
		t.Fatalf("%d VPC boxes, want 1", len(vpcs))
	}
	zones := find(vpcs[0].Clusters, "cluster_az:")
	if len(zones) != 3 {
		t.Fatalf("%d availability zone boxes, want 3", len(zones))
	}
	for _, z := range zones {
		got := labels(z, "")
		sort.Strings(got)
		for _, want := range []string{"NAT gateway", "private subnet", "public subnet"} {
			if n := count(got, want); n != 1 {
				t.Errorf("zone %s has %d %q, want 1 (nodes %v)", z.Label, n, want, got)
			}
		}
	}

	eks := find(d.Clusters, "cluster_eks:")
	if len(eks) != 1 {
		t.Fatalf("%d EKS boxes, want 1", len(eks))
	}
	groups := labels(eks[0], "nodegroup:")
	sort.Strings(groups)
	if want := []string{"node group general"}; strings.Join(groups, ",") != strings.Join(want, ",") {
		t.Errorf("node groups in the cluster box: %v, want %v", groups, want)
	}
	pools := labels(eks[0], "nodepool:")
	sort.Strings(pools)
	if want := []string{"Karpenter NodePool gpu", "Karpenter NodePool training"}; strings.Join(pools, ",") != strings.Join(want, ",") {
		t.Errorf("NodePools in the cluster box: %v, want %v", pools, want)
	}

	db := find(d.Clusters, "cluster_rds")
	if len(db) != 1 || len(db[0].Nodes) != 1 || !strings.Contains(db[0].Nodes[0].Label, "Multi-AZ") {
		t.Errorf("RDS box %+v: want one database labelled Multi-AZ", db)
	}

	drawn := map[string]string{} // release name → namespace box label
	for _, ns := range find(d.Clusters, "cluster_ns:") {
		for _, n := range ns.Nodes {
			if strings.HasPrefix(n.ID, "release:") {
				drawn[strings.SplitN(n.Label, "\n", 2)[0]] = ns.Label
			}
		}
	}
	releases := plan.Releases(g)
	if len(releases) < 5 {
		t.Fatalf("only %d releases in the prod graph", len(releases))
	}
	for _, r := range releases {
		if got := drawn[r.Release]; got != "namespace "+r.Namespace {
			t.Errorf("release %s drawn in %q, want namespace %s", r.Release, got, r.Namespace)
		}
	}
}

func count(xs []string, x string) int {
	n := 0
	for _, e := range xs {
		if e == x {
			n++
		}
	}
	return n
}

// TestProdEdges: the relations the diagram must draw, as the graph states
// them.
func TestProdEdges(t *testing.T) {
	d := build(t, stacktest.Graph(t, "prod"))
	private := []string{"subnet:network-private-eu-west-1a", "subnet:network-private-eu-west-1b", "subnet:network-private-eu-west-1c"}
	for _, from := range []string{"nodegroup:nodes-general", "nodepool:platform-nodepool-training", "nodepool:platform-nodepool-gpu", "rds:database"} {
		for _, to := range private {
			if !hasEdge(d, from, to) {
				t.Errorf("no edge %s -> %s", from, to)
			}
		}
		if hasEdge(d, from, "subnet:network-public-eu-west-1a") {
			t.Errorf("%s placed in a public subnet", from)
		}
	}
	for _, az := range []string{"a", "b", "c"} {
		if from, to := "subnet:network-private-eu-west-1"+az, "nat:network-nat-eu-west-1"+az; !hasEdge(d, from, to) {
			t.Errorf("no egress edge %s -> %s", from, to)
		}
	}
	cases := []struct{ from, to string }{
		{"role:irsa-mlflow", "release:platform-mlflow"},
		{"role:irsa-cluster-autoscaler", "release:platform-cluster-autoscaler"},
		{"role:irsa-aws-load-balancer-controller", "release:platform-aws-load-balancer-controller"},
		{"role:irsa-kserve", "sa:platform-sa-kserve-models"},
		{"role:irsa-vpc-cni", "addon:addons-vpc-cni"},
		{"role:cluster-role", "eks:cluster"},
		{"role:nodes-node-role", "nodegroup:nodes-general"},
		{"release:platform-karpenter", "nodepool:platform-nodepool-gpu"},
		{"release:platform-karpenter", "sqs:karpenter-interruption"},
		{"role:karpenter-controller", "release:platform-karpenter"},
		{"release:platform-mlflow", "rds:database"},
		{"release:platform-mlflow", "s3:artifacts"},
	}
	for _, c := range cases {
		if !hasEdge(d, c.from, c.to) {
			t.Errorf("no edge %s -> %s", c.from, c.to)
		}
	}
	var runsOn int
	for _, e := range d.Edges {
		if e.Attrs["ltail"] == kubernetesID && e.To == "eks:cluster" {
			runsOn++
		}
	}
	if runsOn != 1 {
		t.Errorf("%d edges from the Kubernetes box to the cluster, want 1", runsOn)
	}
}

// TestDevDiagram: one NAT gateway every private subnet leaves through, and
// a Single-AZ database.
func TestDevDiagram(t *testing.T) {
	d := build(t, stacktest.Graph(t, "dev"))
	var nats []string
	for _, n := range d.allNodes() {
		if strings.HasPrefix(n.ID, "nat:") {
			nats = append(nats, n.ID)
		}
	}
	if len(nats) != 1 {
		t.Fatalf("NAT gateways %v, want one", nats)
	}
	for _, az := range []string{"a", "b", "c"} {
		if from := "subnet:network-private-eu-west-1" + az; !hasEdge(d, from, nats[0]) {
			t.Errorf("no egress edge %s -> %s", from, nats[0])
		}
	}
	db := find(d.Clusters, "cluster_rds")
	if len(db) != 1 || !strings.Contains(db[0].Nodes[0].Label, "Single-AZ") {
		t.Errorf("RDS box %+v: want a Single-AZ database", db)
	}
}

// TestEveryShownResourceIsDrawn: each resource of a shown type has a node
// in a box, and every type the stacks declare is either shown or omitted
// on purpose, so a new kind of resource needs a decision.
func TestEveryShownResourceIsDrawn(t *testing.T) {
	for _, name := range []string{"dev", "prod"} {
		t.Run(name, func(t *testing.T) {
			g := stacktest.Graph(t, name)
			d := build(t, g)
			if m := missing(g, d); len(m) > 0 {
				t.Errorf("not drawn: %v", m)
			}
			if u := unclassified(g); len(u) > 0 {
				t.Errorf("types neither shown nor omitted (add them to shown or omitted): %v", u)
			}
			if len(d.Nodes) > 0 {
				t.Errorf("nodes outside any box: %+v", d.Nodes)
			}
		})
	}
}

// TestMissingCatchesADroppedType: with the nodes of one shown type taken
// out, missing names that type.
func TestMissingCatchesADroppedType(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	for _, typ := range shown {
		if len(g.ByType(typ)) == 0 {
			continue
		}
		t.Run(shortType(typ), func(t *testing.T) {
			d := build(t, g)
			drop(d, g, typ)
			m := missing(g, d)
			if len(m) != len(g.ByType(typ)) {
				t.Fatalf("missing %v, want the %d %s resources", m, len(g.ByType(typ)), typ)
			}
			for _, x := range m {
				if !strings.HasPrefix(x, typ+" ") {
					t.Errorf("missing names %q, want only %s", x, typ)
				}
			}
		})
	}
}

// drop removes the nodes drawing resources of typ, wherever they are.
func drop(d *Diagram, g *plan.Graph, typ string) {
	keep := func(ns []Node) []Node {
		var out []Node
		for _, n := range ns {
			if r, ok := g.Get(n.URN); !ok || r.Type != typ {
				out = append(out, n)
			}
		}
		return out
	}
	var walk func([]Cluster)
	walk = func(cs []Cluster) {
		for i := range cs {
			if r, ok := g.Get(cs[i].URN); ok && r.Type == typ {
				cs[i].URN = ""
			}
			cs[i].Nodes = keep(cs[i].Nodes)
			walk(cs[i].Clusters)
		}
	}
	d.Nodes = keep(d.Nodes)
	walk(d.Clusters)
}

func TestUnclassifiedNamesANewType(t *testing.T) {
	g := stacktest.Graph(t, "dev").Clone()
	g = plan.NewGraph(g.Stack, g.Project, append(g.Resources, plan.Resource{URN: "urn:x", Type: "aws:elasticache/cluster:Cluster", Name: "cache"}))
	if got := unclassified(g); len(got) != 1 || got[0] != "aws:elasticache/cluster:Cluster" {
		t.Errorf("unclassified = %v, want the ElastiCache type", got)
	}
}

// TestDOTIsStable: the same graph gives the same bytes, also from a copy
// whose dependency lists are reversed.
func TestDOTIsStable(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	first := build(t, g).DOT()
	c := g.Clone()
	for i := range c.Resources {
		deps := c.Resources[i].Dependencies
		for a, b := 0, len(deps)-1; a < b; a, b = a+1, b-1 {
			deps[a], deps[b] = deps[b], deps[a]
		}
	}
	for i, d := range []*Diagram{build(t, g), build(t, c)} {
		if got := d.DOT(); !bytes.Equal(got, first) {
			t.Errorf("build %d differs from the first", i+2)
		}
	}
	if !bytes.HasPrefix(first, []byte(`digraph "mlops-platform prod" {`)) {
		t.Errorf("DOT starts %q", first[:40])
	}
}

func TestBuildOddInputs(t *testing.T) {
	if _, err := Build(nil); err == nil {
		t.Error("Build(nil) succeeded")
	}
	odd := []plan.Resource{
		{URN: "urn:vpc", Type: typetoken.Vpc, Name: "vpc", Inputs: map[string]any{"cidrBlock": 42}},
		{URN: "urn:subnet", Type: typetoken.Subnet, Name: "sub", Inputs: map[string]any{"tags": "not a map", "availabilityZone": []any{1}}},
		{URN: "urn:ng", Type: typetoken.NodeGroup, Name: "ng", Inputs: map[string]any{"subnetIds": map[string]any{}, "scalingConfig": "x"}},
		{URN: "urn:db", Type: typetoken.DBInstance, Name: "db", Inputs: nil, Dependencies: []string{"urn:gone"}},
		{URN: "urn:role", Type: typetoken.Role, Name: "role", Inputs: map[string]any{"assumeRolePolicy": "{not json"}},
		{URN: "urn:rel", Type: typetoken.HelmRelease, Name: "rel", Inputs: map[string]any{"chart": 7}},
		{URN: "urn:nat", Type: typetoken.NatGateway, Name: "nat"},
	}
	g := plan.NewGraph("odd", "p", odd)
	d := build(t, g)
	if m := missing(g, d); len(m) > 0 {
		t.Errorf("not drawn: %v", m)
	}
	if dot := string(d.DOT()); !strings.Contains(dot, `"role:role"`) || !strings.Contains(dot, "Single-AZ") {
		t.Errorf("odd graph's DOT lacks its nodes:\n%s", dot)
	}
	empty := build(t, plan.NewGraph("empty", "p", nil))
	if len(empty.Clusters) != 0 || len(empty.allNodes()) != 0 || len(empty.Edges) != 0 {
		t.Errorf("empty graph drew %+v", empty)
	}
}

func TestQuote(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", `"plain"`},
		{`say "hi"`, `"say \"hi\""`},
		{"two\nlines", `"two\nlines"`},
		{`back\slash`, `"back\\slash"`},
		{"crlf\r\nend", `"crlf\nend"`},
	}
	for _, c := range cases {
		if got := quote(c.in); got != c.want {
			t.Errorf("quote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestReadTrust(t *testing.T) {
	cases := []struct {
		name, doc          string
		web                bool
		subjects, services string
	}{
		{"service list", `{"Statement":[{"Principal":{"Service":["eks.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}`, false, "", "eks"},
		{"service string", `{"Statement":[{"Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, false, "", "vpc-flow-logs"},
		{"irsa", `{"Statement":[{"Principal":{"Federated":"arn"},"Action":["sts:AssumeRoleWithWebIdentity"],"Condition":{"StringEquals":{"oidc.example/id/X:sub":"system:serviceaccount:mlflow:mlflow","oidc.example/id/X:aud":"sts.amazonaws.com"}}}]}`, true, "mlflow/mlflow", ""},
		{"not json", `{`, false, "", ""},
		{"empty", ``, false, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := readTrust(c.doc)
			if got.webIdentity != c.web || strings.Join(got.subjects, " ") != c.subjects || strings.Join(got.services, " ") != c.services {
				t.Errorf("readTrust = %+v", got)
			}
		})
	}
}
