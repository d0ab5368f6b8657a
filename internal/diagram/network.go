package diagram

import (
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Subnet roles the load balancer controller reads; the platform tags
// every subnet with one of them.
const (
	publicELBTag   = "kubernetes.io/role/elb"
	internalELBTag = "kubernetes.io/role/internal-elb"
)

// network draws each VPC with one box per availability zone holding its
// subnets, NAT gateways and instances, and the VPC-wide gateways beside
// them. Private subnets point at the NAT gateway their route table sends
// 0.0.0.0/0 to.
func (b *builder) network() []Cluster {
	var out []Cluster
	placed := map[string]bool{}
	for _, vpc := range b.byType(typetoken.Vpc) {
		in := func(r plan.Resource) bool {
			return !placed[r.URN] && (vpc.ID != "" && r.VpcID() == vpc.ID || dependsOn(r, vpc.URN))
		}
		v := plan.VpcOf(vpc)
		c := Cluster{ID: "cluster_vpc:" + vpc.Name, Label: lines("VPC "+v.CIDR, v.Tags["Name"]), URN: vpc.URN, Attrs: style["vpc"]}
		var subnets []plan.Resource
		for _, s := range b.byType(typetoken.Subnet) {
			if in(s) {
				subnets = append(subnets, s)
				placed[s.URN] = true
			}
		}
		c.Clusters = b.zones(vpc.Name, subnets)
		for _, r := range b.byType(typetoken.InternetGateway) {
			if in(r) {
				placed[r.URN] = true
				c.Nodes = append(c.Nodes, b.node("igw", r, "Internet gateway", style["gateway"]))
			}
		}
		for _, r := range b.byType(typetoken.VpcEndpoint) {
			if in(r) {
				placed[r.URN] = true
				c.Nodes = append(c.Nodes, b.node("endpoint", r, endpointLabel(r), style["gateway"]))
			}
		}
		out = append(out, c)
	}
	// Subnets of no VPC in this stack still get their zones.
	var rest []plan.Resource
	for _, s := range b.byType(typetoken.Subnet) {
		if !placed[s.URN] {
			rest = append(rest, s)
		}
	}
	out = append(out, b.zones("", rest)...)
	// NAT gateways and instances in no drawn subnet stand alone.
	for _, r := range b.byType(typetoken.NatGateway, typetoken.EC2Instance) {
		if _, ok := b.nodeOf[r.URN]; !ok {
			b.loose = append(b.loose, b.node("other", r, lines(r.Name, shortType(r.Type)), nil))
		}
	}
	return out
}

// zones groups subnets by availability zone, sorted, with the NAT
// gateways and instances that sit in them.
func (b *builder) zones(vpc string, subnets []plan.Resource) []Cluster {
	byZone := map[string][]plan.Resource{}
	for _, s := range subnets {
		az := plan.SubnetOf(s).Zone
		byZone[az] = append(byZone[az], s)
	}
	names := make([]string, 0, len(byZone))
	for az := range byZone {
		names = append(names, az)
	}
	sort.Strings(names)
	var out []Cluster
	for _, az := range names {
		label := az
		if label == "" {
			label = "(no availability zone)"
		}
		c := Cluster{ID: "cluster_az:" + vpc + ":" + az, Label: label, Attrs: style["az"]}
		zs := byZone[az]
		// Public subnets first, then private, then ALB, each by name.
		sort.SliceStable(zs, func(i, j int) bool { return subnetKind(zs[i]) > subnetKind(zs[j]) })
		in := map[string]bool{}
		for _, s := range zs {
			in[s.URN] = true
			c.Nodes = append(c.Nodes, b.node("subnet", s, lines(subnetKind(s)+" subnet", plan.SubnetOf(s).CIDR), style[subnetKind(s)]))
		}
		inZone := func(r plan.Resource) bool {
			for _, s := range b.refs(r, r.Strings("subnetId"), typetoken.Subnet) {
				if in[s.URN] {
					return true
				}
			}
			return false
		}
		for _, r := range b.byType(typetoken.NatGateway) {
			if inZone(r) {
				c.Nodes = append(c.Nodes, b.node("nat", r, "NAT gateway", style["gateway"]))
			}
		}
		for _, r := range b.byType(typetoken.EC2Instance) {
			if inZone(r) {
				c.Nodes = append(c.Nodes, b.node("ec2", r, lines(r.Name, "EC2 "+r.String("instanceType")), style["compute"]))
			}
		}
		out = append(out, c)
	}
	return out
}

// subnetKind is "public", "ALB" (internal load balancers) or "private":
// the load balancer role tag first,
// then mapPublicIpOnLaunch, then the Name tag; private when none says.
func subnetKind(r plan.Resource) string {
	s := plan.SubnetOf(r)
	_, public := s.Tags[publicELBTag]
	_, internal := s.Tags[internalELBTag]
	switch {
	case public:
		return "public"
	case internal:
		return "ALB"
	}
	if s.MapPublicIPOnLaunch {
		return "public"
	}
	if strings.Contains(s.Tags["Name"], "public") {
		return "public"
	}
	return "private"
}

// endpointLabel is "VPC endpoint" with the service's last name part and
// the endpoint type, e.g. "s3 (Gateway)".
func endpointLabel(r plan.Resource) string {
	ep := plan.VpcEndpointOf(r)
	svc := ep.Service
	if i := strings.LastIndexByte(svc, '.'); i >= 0 {
		svc = svc[i+1:]
	}
	kind := ep.Type
	if kind != "" {
		kind = "(" + kind + ")"
	}
	return lines("VPC endpoint", strings.TrimSpace(svc+" "+kind))
}

// egress draws subnet → NAT gateway for each route to a NAT gateway in a
// route table associated with the subnet.
func (b *builder) egress() {
	tables := map[string][]plan.Resource{} // subnet URN → its route tables
	for _, a := range b.byType(typetoken.RouteTableAssociation) {
		for _, s := range b.refs(a, a.Strings("subnetId"), typetoken.Subnet) {
			tables[s.URN] = append(tables[s.URN], b.refs(a, a.Strings("routeTableId"), typetoken.RouteTable)...)
		}
	}
	routes := b.byType(typetoken.Route)
	for _, s := range b.byType(typetoken.Subnet) {
		for _, t := range tables[s.URN] {
			for _, rt := range routes {
				natID := rt.String("natGatewayId")
				if t.ID == "" || rt.String("routeTableId") != t.ID || natID == "" {
					continue
				}
				for _, nat := range b.refs(rt, []string{natID}, typetoken.NatGateway) {
					b.edge(s.URN, nat.URN, style["egress"])
				}
			}
		}
	}
}
