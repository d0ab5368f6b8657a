package cost

import (
	"fmt"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
	"strings"
)

// nat prices NAT gateway hours and data, their Elastic IPs, and every other
// Elastic IP (public IPv4 is charged whether attached or not since 2024).
func (b *builder) nat() {
	nats := b.g.NatGateways()
	natAlloc := map[string]bool{}
	for _, n := range nats {
		natAlloc[n.AllocationID] = true
	}
	if n := float64(len(nats)); n > 0 {
		b.add(Line{Group: GroupNAT, Item: "NAT gateway hours", Config: fmt.Sprintf("%g NAT gateways", n),
			Summary: fmt.Sprintf("%g NAT + %g-%g GB", n, b.u.NatGBProcessed.Low, b.u.NatGBProcessed.High)},
			"nat/hour", b.hours().Scale(n))
		gb := b.u.NatGBProcessed
		b.add(Line{Group: GroupNAT, Item: "NAT data processed", Config: fmt.Sprintf("%g-%g GB/month", gb.Low, gb.High),
			Usage: []string{"natGBProcessed"}}, "nat/gb", gb)
	}
	var natIPs, otherIPs float64
	for _, e := range b.g.ByType(typetoken.Eip) {
		if natAlloc[e.ID] {
			natIPs++
		} else {
			otherIPs++
		}
	}
	if natIPs > 0 {
		b.add(Line{Group: GroupNAT, Item: "NAT Elastic IPs", Config: fmt.Sprintf("%g public IPv4", natIPs)},
			"ipv4/hour", b.hours().Scale(natIPs))
	}
	if otherIPs > 0 {
		b.add(Line{Group: GroupOther, Item: "other Elastic IPs", Config: fmt.Sprintf("%g public IPv4", otherIPs)},
			"ipv4/hour", b.hours().Scale(otherIPs))
	}
}

// storageAndALB prices the buckets' stored GB and the load balancers: one
// per ALB Ingress (or per group.name) the graph declares, else the usage
// file's albCount. Internet-facing ALBs hold one public IPv4 per zone.
func (b *builder) storageAndALB() {
	buckets := b.g.Buckets()
	if len(buckets) > 0 {
		gb := b.u.ArtifactGB
		b.add(Line{Group: GroupS3ALB, Item: "S3 Standard storage", Resource: shortName(buckets[0].Resource.URN),
			Summary: fmt.Sprintf("S3 %g-%g GB", gb.Low, gb.High),
			Config:  fmt.Sprintf("%d bucket(s), %g-%g GB", len(buckets), gb.Low, gb.High), Usage: []string{"artifactGB"}},
			"s3/standard", gb)
	}
	n, public, src := b.albs()
	if n <= 0 {
		return
	}
	b.add(Line{Group: GroupS3ALB, Item: "ALB hours", Config: fmt.Sprintf("%g ALB (%s)", n, src),
		Summary: fmt.Sprintf("%g ALB", n)},
		"alb/hour", b.hours().Scale(n))
	lcu := b.u.ALBLCU.Scale(n * b.u.HoursPerMonth)
	b.add(Line{Group: GroupS3ALB, Item: "ALB LCUs", Config: fmt.Sprintf("%g-%g LCU average per ALB", b.u.ALBLCU.Low, b.u.ALBLCU.High),
		Usage: []string{"albLCU"}}, "alb/lcu", lcu)
	if public > 0 {
		b.add(Line{Group: GroupS3ALB, Item: "ALB public IPv4", Config: fmt.Sprintf("%g addresses (internet-facing, one per zone)", public)},
			"ipv4/hour", b.hours().Scale(public))
	}
}

// albs counts the ALBs the AWS Load Balancer Controller will create for the
// graph's Ingresses, and their public IPv4 addresses.
func (b *builder) albs() (n, publicIPs float64, src string) {
	zones := 0.0
	for _, s := range b.g.Subnets() {
		if s.Tags["kubernetes.io/role/elb"] == "1" {
			zones++
		}
	}
	groups := map[string]bool{}
	for _, ing := range b.g.ByType(typetoken.Ingress) {
		if ing.String("spec.ingressClassName") != "alb" {
			continue
		}
		a := plan.ObjectOf(ing).Annotations
		key := a["alb.ingress.kubernetes.io/group.name"]
		if key == "" {
			key = ing.URN
		}
		if groups[key] {
			continue
		}
		groups[key] = true
		n++
		if a["alb.ingress.kubernetes.io/scheme"] == "internet-facing" {
			publicIPs += zones
		}
	}
	if n > 0 {
		return n, publicIPs, "one per ALB Ingress in the graph"
	}
	return b.u.ALBCount, b.u.ALBCount * b.u.ALBPublicIPs, "usage albCount: no ALB Ingress in the graph"
}

// endpoints prices VPC endpoints: gateway endpoints are free, interface
// endpoints cost per zone-hour (one zone per subnet) plus data.
func (b *builder) endpoints() {
	eps := b.g.VpcEndpoints()
	var iface float64
	for _, ep := range eps {
		if !strings.EqualFold(ep.Type, "Interface") {
			continue
		}
		iface++
	}
	for _, ep := range eps {
		svc := ep.Service
		l := Line{Group: GroupOther, Item: "VPC endpoint " + svc, Resource: shortName(ep.Resource.URN)}
		if !strings.EqualFold(ep.Type, "Interface") {
			l.Config, l.Summary = "gateway endpoint", "gateway endpoint (free)"
			b.add(l, "vpce/gateway", Range{1, 1})
			continue
		}
		zones := float64(len(ep.SubnetIDs))
		if zones == 0 {
			zones = 1
		}
		l.Config = fmt.Sprintf("interface endpoint in %g zones", zones)
		l.Summary = "interface endpoint " + svc
		b.add(l, "vpce/interface", b.hours().Scale(zones))
		gb := b.u.VPCEndpointGB.Scale(1 / iface)
		if gb.High > 0 {
			d := withItem(l, l.Item+" data", fmt.Sprintf("%.0f-%.0f GB/month", gb.Low, gb.High))
			d.Usage = []string{"vpcEndpointGB (split evenly)"}
			b.add(d, "vpce/interface-gb", gb)
		}
	}
}
