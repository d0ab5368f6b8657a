package spec

import (
	"fmt"
	"sort"
	"time"
)

// DefaultKubernetesVersion is inside EKS standard support until 2027-03-27.
const DefaultKubernetesVersion = "1.35"

// DefaultPostgresVersion is the RDS PostgreSQL major version the database uses.
const DefaultPostgresVersion = "17"

// SupportedPostgresVersions are the PostgreSQL majors RDS offers in standard
// support (RDS for PostgreSQL release calendar; 13 left standard support in
// February 2026).
var SupportedPostgresVersions = []string{"14", "15", "16", "17"}

// KubernetesRelease is one EKS minor version and its support window.
type KubernetesRelease struct {
	Version       string
	Released      time.Time
	EndOfStandard time.Time
	EndOfExtended time.Time
}

// EKSReleases is the EKS release calendar (docs.aws.amazon.com/eks, "Understand
// the Kubernetes version lifecycle on EKS", and endoflife.date/amazon-eks,
// read 2026-11-29). Standard support lasts 14 months, extended 12 more.
var EKSReleases = []KubernetesRelease{
	{Version: "1.29", Released: day("2024-01-23"), EndOfStandard: day("2025-03-23"), EndOfExtended: day("2026-03-23")},
	{Version: "1.30", Released: day("2024-05-23"), EndOfStandard: day("2025-07-23"), EndOfExtended: day("2026-07-23")},
	{Version: "1.31", Released: day("2024-09-26"), EndOfStandard: day("2025-11-26"), EndOfExtended: day("2026-11-26")},
	{Version: "1.32", Released: day("2025-01-25"), EndOfStandard: day("2026-03-23"), EndOfExtended: day("2027-03-23")},
	{Version: "1.33", Released: day("2025-05-28"), EndOfStandard: day("2026-07-29"), EndOfExtended: day("2027-07-29")},
	{Version: "1.34", Released: day("2025-10-06"), EndOfStandard: day("2026-12-02"), EndOfExtended: day("2027-12-02")},
	{Version: "1.35", Released: day("2026-01-28"), EndOfStandard: day("2027-03-27"), EndOfExtended: day("2028-03-27")},
}

// SupportStatus says where a Kubernetes version stands on EKS at a date.
type SupportStatus int

// Support statuses, from best to worst.
const (
	SupportStandard SupportStatus = iota
	SupportExtended
	SupportEnded
	SupportUnknown
)

func (s SupportStatus) String() string {
	return [...]string{"standard", "extended", "ended", "unknown"}[s]
}

// KubernetesSupport reports the EKS support status of version at date now.
func KubernetesSupport(version string, now time.Time) (KubernetesRelease, SupportStatus) {
	for _, r := range EKSReleases {
		if r.Version != version {
			continue
		}
		switch {
		case now.Before(r.Released):
			return r, SupportUnknown
		case now.Before(r.EndOfStandard):
			return r, SupportStandard
		case now.Before(r.EndOfExtended):
			return r, SupportExtended
		default:
			return r, SupportEnded
		}
	}
	return KubernetesRelease{}, SupportUnknown
}

// OfferedKubernetesVersions lists the versions EKS offers for new clusters at now.
func OfferedKubernetesVersions(now time.Time) []string {
	var out []string
	for _, r := range EKSReleases {
		if _, st := KubernetesSupport(r.Version, now); st == SupportStandard || st == SupportExtended {
			out = append(out, r.Version)
		}
	}
	sort.Strings(out)
	return out
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(fmt.Sprintf("spec: bad built-in date %q: %v", s, err))
	}
	return t
}

// AddonVersions pins the EKS managed add-ons whose releases follow the
// Kubernetes minor, one reviewed row per minor, so `plan` shows them and
// raising kubernetesVersion changes them visibly. Sources (read 2026-11-29):
// the EKS user guide's "latest version of the Amazon EKS add-on type for
// each Kubernetes version" tables, docs.amazonaws.cn/zh_cn/eks/latest/
// userguide/managing-kube-proxy.md and managing-coredns.md (the same tables
// as docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html and
// managing-coredns.html).
//
// The other add-ons are built once for every supported minor, so one
// version serves each row: vpc-cni, aws-ebs-csi-driver and
// eks-pod-identity-agent as `aws eks describe-addon-versions
// --kubernetes-version 1.35` reported them in May 2026 (VPC CNI's table in
// managing-vpc-cni lists the same build for every minor; the EBS CSI
// driver's README states compatibility with every EKS-supported version),
// amazon-cloudwatch-observability at v6.0.1-eksbuild.1, the minimum the
// CloudWatch user guide names for OTel Container Insights (built from
// chart 6.0.1, recorded in third_party/amazon-cloudwatch-observability; a
// test in internal/infra/addons fails while the two differ). Reviewed
// 2026-11-29; raise them deliberately, the plan shows the change.
var AddonVersions = map[string]map[string]string{
	"1.32": addonRow("v1.32.13-eksbuild.5", "v1.11.4-eksbuild.33"),
	"1.33": addonRow("v1.33.10-eksbuild.2", "v1.13.2-eksbuild.4"),
	"1.34": addonRow("v1.34.6-eksbuild.2", "v1.13.2-eksbuild.4"),
	"1.35": addonRow("v1.35.3-eksbuild.2", "v1.13.2-eksbuild.4"),
}

// addonRow is one minor's pins: kube-proxy and CoreDNS follow the minor,
// the rest are the same build for every minor.
func addonRow(kubeProxy, coreDNS string) map[string]string {
	return map[string]string{
		"kube-proxy":                      kubeProxy,
		"coredns":                         coreDNS,
		"vpc-cni":                         "v1.21.1-eksbuild.8",
		"aws-ebs-csi-driver":              "v1.59.0-eksbuild.1",
		"eks-pod-identity-agent":          "v1.3.10-eksbuild.3",
		"amazon-cloudwatch-observability": "v6.0.1-eksbuild.1",
	}
}
