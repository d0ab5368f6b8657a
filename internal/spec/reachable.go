package spec

import (
	"fmt"
	"net/netip"
)

// documentationRanges are the IPv4 blocks RFC 5737 reserves for
// documentation (TEST-NET-1, -2 and -3). No client has such an address, so
// a public endpoint admitting only these admits nobody.
var documentationRanges = []netip.Prefix{
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
}

// UnreachablePublicAccess lists the clusterEndpointPublicAccessCidrs a
// deploy refuses: documentation ranges (RFC 5737), which the stack files
// ship as placeholders. `mlops plan` only warns about them, so a plan of
// the repository's stacks works before the operator has set their own
// ranges; preview and up refuse with these errors, naming the key.
func UnreachablePublicAccess(s *Spec) Errors {
	const key = "clusterEndpointPublicAccessCidrs"
	if !s.ClusterEndpointPublicAccess {
		return nil
	}
	var out Errors
	for i, cidr := range s.ClusterEndpointPublicAccessCidrs {
		p, err := netip.ParsePrefix(cidr)
		if err != nil {
			continue // validation reports it
		}
		for _, d := range documentationRanges {
			if d.Overlaps(p) && p.Bits() > 0 {
				out = append(out, FieldError{Path: fmt.Sprintf("%s[%d]", key, i), Msg: fmt.Sprintf(
					"%s is a documentation range (RFC 5737, %s): no client has such an address, so nobody could reach the "+
						"public endpoint and the cluster layer would stop at its endpoint probe; set %s to your VPN or office "+
						"ranges (in Pulumi.<stack>.yaml, or --set %s=[<cidr>])", cidr, d, key, key)})
				break
			}
		}
	}
	return out
}

// validateReachable warns about what UnreachablePublicAccess refuses at
// deploy time.
func validateReachable(c *collector, s *Spec) {
	for _, e := range UnreachablePublicAccess(s) {
		c.warnf(e.Path, "%s; `mlops preview` and `mlops up` refuse it", e.Msg)
	}
}
