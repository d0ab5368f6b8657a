package diagram

import (
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// link draws the relations between drawn resources, once every node
// exists: only what the graph states through inputs or dependencies.
func (b *builder) link() {
	b.egress()
	b.placement()
	b.assumedBy()
	b.releases()
	b.karpenter()
}

// placement: node groups → the subnets they launch into, databases → the
// subnets of their subnet group.
func (b *builder) placement() {
	for _, ng := range b.byType(typetoken.NodeGroup) {
		for _, s := range b.refs(ng, "subnetIds", typetoken.Subnet) {
			b.edge(ng.URN, s.URN, style["placement"])
		}
	}
	for _, db := range b.byType(typetoken.DBInstance) {
		for _, sg := range b.refs(db, "dbSubnetGroupName", typetoken.DBSubnetGroup) {
			for _, s := range b.refs(sg, "subnetIds", typetoken.Subnet) {
				b.edge(db.URN, s.URN, style["placement"])
			}
		}
	}
}

// assumedBy: each role → every drawn resource that depends on it
// directly: the release, service account or add-on an IRSA role serves,
// the cluster, node group or database a service role works for.
func (b *builder) assumedBy() {
	for _, x := range b.byType(b.drawnTypes()...) {
		if x.Type == typetoken.Role {
			continue
		}
		for _, r := range b.deps(x, typetoken.Role) {
			b.edge(r.URN, x.URN, style["assumes"])
		}
	}
}

// releases: the Kubernetes box → the EKS cluster it runs on (when the
// stack has exactly one), and each release or job → the databases and
// buckets it depends on directly.
func (b *builder) releases() {
	if cls := b.byType(typetoken.Cluster); len(cls) == 1 && b.k8sAnchor != "" {
		if to, ok := b.nodeOf[cls[0].URN]; ok {
			b.edgeIDs(b.k8sAnchor, to, Attrs{"ltail": kubernetesID, "lhead": "cluster_eks:" + cls[0].Name, "label": "runs on", "style": "bold"})
		}
	}
	for _, r := range b.byType(typetoken.HelmRelease, typetoken.Job) {
		for _, typ := range []string{typetoken.DBInstance, typetoken.Bucket, typetoken.BucketLegacy} {
			for _, d := range b.deps(r, typ) {
				b.edge(r.URN, d.URN, style["uses"])
			}
		}
	}
}

// drawnTypes are the types of the resources that have a node.
func (b *builder) drawnTypes() []string {
	seen := map[string]bool{}
	var out []string
	for urn := range b.nodeOf {
		if t := b.byURN[urn].Type; !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
