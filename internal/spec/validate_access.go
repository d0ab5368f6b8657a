package spec

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
)

var (
	securityGroupIDRe = regexp.MustCompile(`^sg-([0-9a-f]{8}|[0-9a-f]{17})$`)
	assumedRoleRe     = regexp.MustCompile(`^arn:(aws[a-z-]*):sts::([0-9]{12}):assumed-role/([\w+=,.@-]+)/`)
	rdsIdentifierRe   = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

// DatabaseIdentifierSuffix follows the cluster name in the RDS instance
// identifier.
const DatabaseIdentifierSuffix = "-mlflow"

// DatabaseIdentifier is the RDS instance identifier derived from the
// cluster name.
func (s *Spec) DatabaseIdentifier() string { return s.ClusterName + DatabaseIdentifierSuffix }

// reservedRanges are IPv4 ranges that are not public internet addresses
// (RFC 6890 special-purpose registry); EKS rejects them as public access
// CIDRs. 0.0.0.0/0 itself is judged separately.
var reservedRanges = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "\"this network\" (RFC 791)"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private (RFC 1918)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT (RFC 6598)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback (RFC 1122)"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local (RFC 3927)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private (RFC 1918)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments (RFC 6890)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private (RFC 1918)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking (RFC 2544)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast (RFC 5771)"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved (RFC 1112)"},
}

// reservedRange names the special-purpose range p overlaps, if any.
func reservedRange(p netip.Prefix) (string, bool) {
	if p.Bits() == 0 {
		return "", false
	}
	for _, r := range reservedRanges {
		if r.prefix.Overlaps(p) {
			return fmt.Sprintf("%s %s", r.prefix, r.what), true
		}
	}
	return "", false
}

// validatePrivateAccess checks who may reach the private endpoint: prod
// must name a network, a security group or the bastion.
func validatePrivateAccess(c *collector, s *Spec) {
	const cidrKey, sgKey = "clusterEndpointPrivateAccessCidrs", "clusterEndpointPrivateAccessSecurityGroups"
	for i, cidr := range s.ClusterEndpointPrivateAccessCidrs {
		p, err := netip.ParsePrefix(cidr)
		switch {
		case err != nil || !p.Addr().Is4() || p != p.Masked():
			c.errf(fmt.Sprintf("%s[%d]", cidrKey, i), "%q is not an IPv4 CIDR block without host bits", cidr)
		case p.Bits() < 8:
			c.errf(fmt.Sprintf("%s[%d]", cidrKey, i), "%s is wider than /8; name your VPN or peered networks", cidr)
		}
	}
	for i, id := range s.ClusterEndpointPrivateAccessSecurityGroups {
		if !securityGroupIDRe.MatchString(id) {
			c.errf(fmt.Sprintf("%s[%d]", sgKey, i), "%q is not a security group ID such as sg-0123456789abcdef0", id)
		}
	}
	named := len(s.ClusterEndpointPrivateAccessCidrs) + len(s.ClusterEndpointPrivateAccessSecurityGroups)
	if s.IsProd() && !s.ClusterEndpointPublicAccess && named == 0 && !s.Bastion.Enabled {
		c.errf(cidrKey, "the prod endpoint is private and nobody outside the cluster can reach it: set %s (VPN or peered networks), %s, or bastion.enabled=true", cidrKey, sgKey)
	}
}

// validateAdminPrincipals rejects STS session ARNs: an access entry needs
// the IAM role ARN, and a session ARN names one session only. The same
// holds for clusterDeployerPrincipal.
func validateAdminPrincipals(c *collector, s *Spec) {
	for i, arn := range s.ClusterAdminPrincipals {
		validatePrincipal(c, fmt.Sprintf("clusterAdminPrincipals[%d]", i), arn)
	}
	if s.ClusterDeployerPrincipal != "" {
		validatePrincipal(c, "clusterDeployerPrincipal", s.ClusterDeployerPrincipal)
	}
}

// validatePrincipal checks that arn, at key p, names an IAM role or user.
func validatePrincipal(c *collector, p, arn string) {
	if m := assumedRoleRe.FindStringSubmatch(arn); m != nil {
		c.errf(p, "%q is an STS assumed-role session; EKS access entries need the IAM role ARN, such as arn:%s:iam::%s:role/%s (include the role's path if it has one)", arn, m[1], m[2], m[3])
		return
	}
	if !principalARNRe.MatchString(arn) || strings.Contains(arn, ":sts::") {
		c.errf(p, "%q is not an IAM role or user ARN", arn)
	}
}

// s3ReservedPrefixes may not start a bucket name (S3 general purpose bucket
// naming rules).
var s3ReservedPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}

// InterruptionRuleSuffixLen is the length of the longest suffix Karpenter's
// interruption rules add to the cluster's name ("-state-change";
// internal/infra/karpenter RuleName, whose test keeps the two equal).
const InterruptionRuleSuffixLen = 13

// validateDerivedNames checks the names derived from clusterName: the RDS
// instance identifier, the S3 buckets (<cluster>-artifacts-<suffix>,
// <cluster>-access-logs-<account>) and the interruption rules
// (<cluster>-<rule>, at most 64 characters: EventBridge API Reference,
// PutRule Name).
func validateDerivedNames(c *collector, s *Spec) {
	if n := len(s.ClusterName) + InterruptionRuleSuffixLen; n > 64 {
		c.errf("clusterName", "the interruption rule names <cluster>-<rule> would exceed EventBridge's 64 characters (%d); use at most %d characters",
			n, 64-InterruptionRuleSuffixLen)
	}
	id := s.DatabaseIdentifier()
	switch {
	case len(id) > 63:
		c.errf("clusterName", "the database identifier %q would exceed RDS's 63 characters; use at most %d characters", id, 63-len(DatabaseIdentifierSuffix))
	case !rdsIdentifierRe.MatchString(id):
		c.errf("clusterName", "the database identifier %q must start with a letter and hold only lower-case letters, digits and '-' (RDS)", id)
	case strings.Contains(id, "--"):
		c.errf("clusterName", "the database identifier %q may not contain \"--\" (RDS)", id)
	}
	lower := strings.ToLower(strings.ReplaceAll(s.ClusterName, "_", "-"))
	for _, pre := range s3ReservedPrefixes {
		if strings.HasPrefix(lower, pre) {
			c.errf("clusterName", "bucket names derived from it would start with %q, which S3 reserves", pre)
		}
	}
}
