package spec

import (
	"fmt"
	"net/netip"
	"strings"
)

func validateNetwork(c *collector, s *Spec) {
	vpc, err := netip.ParsePrefix(s.VpcCidr)
	vpcOK := err == nil && vpc.Addr().Is4() && vpc == vpc.Masked()
	switch {
	case err != nil || !vpc.Addr().Is4():
		c.errf("vpcCidr", "%q is not an IPv4 CIDR block such as 10.100.0.0/16", s.VpcCidr)
	case vpc != vpc.Masked():
		c.errf("vpcCidr", "%q has host bits set; did you mean %s?", s.VpcCidr, vpc.Masked())
	case vpc.Bits() < 16 || vpc.Bits() > 28:
		c.errf("vpcCidr", "a VPC block must be between /16 and /28, got /%d", vpc.Bits())
		vpcOK = false
	}

	n := len(s.AvailabilityZones)
	if s.IsProd() && n < MinProdAZs {
		c.errf("availabilityZones", "prod needs at least %d availability zones for HA, got %d", MinProdAZs, n)
	} else if n < 2 {
		c.errf("availabilityZones", "EKS needs subnets in at least 2 availability zones, got %d", n)
	}
	seen := map[string]bool{}
	for i, az := range s.AvailabilityZones {
		p := fmt.Sprintf("availabilityZones[%d]", i)
		if !strings.HasPrefix(az, s.Region) || len(az) != len(s.Region)+1 || az[len(az)-1] < 'a' || az[len(az)-1] > 'z' {
			c.errf(p, "%q is not a zone of region %s (for example %sa)", az, s.Region, s.Region)
		}
		if seen[az] {
			c.errf(p, "%q is listed twice", az)
		}
		seen[az] = true
	}

	var all []namedPrefix
	for _, set := range []struct {
		key   string
		cidrs []string
	}{{"privateSubnetCidrs", s.PrivateSubnetCidrs}, {"publicSubnetCidrs", s.PublicSubnetCidrs}, {"albSubnetCidrs", s.ALBSubnetCidrs}} {
		switch {
		case set.key == "albSubnetCidrs" && s.Ingress.Scheme == SchemeInternetFacing:
			if len(set.cidrs) > 0 {
				c.errf(set.key, "internet-facing ALBs live in the public subnets: leave it empty, or set ingress.scheme=internal")
			}
		case set.key == "albSubnetCidrs" && len(set.cidrs) != n:
			c.errf(set.key, "internal ALBs need a subnet of their own in every availability zone (%d), got %d", n, len(set.cidrs))
		case len(set.cidrs) != n:
			c.errf(set.key, "needs one block per availability zone (%d), got %d", n, len(set.cidrs))
		}
		for i, cidr := range set.cidrs {
			p := fmt.Sprintf("%s[%d]", set.key, i)
			sub, err := netip.ParsePrefix(cidr)
			switch {
			case err != nil || !sub.Addr().Is4():
				c.errf(p, "%q is not an IPv4 CIDR block", cidr)
				continue
			case sub != sub.Masked():
				c.errf(p, "%q has host bits set; did you mean %s?", cidr, sub.Masked())
				continue
			case sub.Bits() > 28:
				c.errf(p, "a subnet must be /28 or larger, got /%d", sub.Bits())
			case set.key == "albSubnetCidrs" && sub.Bits() > 27:
				c.errf(p, "a load balancer subnet must be /27 or larger (the ALB needs 8 free addresses to scale), got /%d", sub.Bits())
			}
			if vpcOK && !(vpc.Contains(sub.Addr()) && sub.Bits() >= vpc.Bits()) {
				c.errf(p, "%s lies outside vpcCidr %s", cidr, vpc)
			}
			all = append(all, namedPrefix{p, sub})
		}
	}
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			if all[i].prefix.Overlaps(all[j].prefix) {
				c.errf(all[j].path, "%s overlaps %s (%s)", all[j].prefix, all[i].path, all[i].prefix)
			}
		}
	}
}

type namedPrefix struct {
	path   string
	prefix netip.Prefix
}

func validateEndpoint(c *collector, s *Spec) {
	const key = "clusterEndpointPublicAccessCidrs"
	open := false
	for i, cidr := range s.ClusterEndpointPublicAccessCidrs {
		p, err := netip.ParsePrefix(cidr)
		if err != nil || p != p.Masked() {
			c.errf(fmt.Sprintf("%s[%d]", key, i), "%q is not a CIDR block without host bits", cidr)
			continue
		}
		if p.Bits() == 0 {
			open = true
		}
		if what, bad := reservedRange(p); bad {
			c.errf(fmt.Sprintf("%s[%d]", key, i), "%s overlaps %s, which is not a public address range; EKS rejects it (the private endpoint serves the VPC: see clusterEndpointPrivateAccessCidrs)", cidr, what)
		}
	}
	if !s.ClusterEndpointPublicAccess {
		if len(s.ClusterEndpointPublicAccessCidrs) > 0 {
			c.warnf(key, "ignored: clusterEndpointPublicAccess is false")
		}
	} else {
		switch {
		case len(s.ClusterEndpointPublicAccessCidrs) == 0:
			c.errf(key, "a public endpoint needs explicit CIDRs (your VPN or office ranges); EKS would otherwise allow 0.0.0.0/0")
		case open && s.IsProd():
			c.errf(key, "prod may not expose the API endpoint to the whole internet (0.0.0.0/0)")
		case open:
			c.warnf(key, "0.0.0.0/0 exposes the API endpoint to the whole internet")
		}
	}
	if !validDNSName(s.KserveIngressDomain) {
		c.errf("kserveIngressDomain", "%q is not a DNS name such as inference.example.com (lower-case labels of letters, digits and '-', at least two labels)", s.KserveIngressDomain)
	}
}

func validDNSName(name string) bool {
	if len(name) == 0 || len(name) > 253 {
		return false
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !dnsLabelRe.MatchString(l) {
			return false
		}
	}
	return true
}
