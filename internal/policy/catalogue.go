package policy

// Severity ranks how much a failed control matters.
type Severity string

// Severities, from worst to mildest.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
)

// Control is one row of the reference list of controls
// (third_party/reference/security-controls.md), or a platform control.
type Control struct {
	// ID is the row number ("14"), or a name for controls that are not
	// reference rows ("MLOPS-TAGS", user controls).
	ID string `json:"control"`
	// Title says what the control demands.
	Title string `json:"title"`
	// IDs are the public control IDs: Security Hub (SH), CIS EKS
	// Benchmark (CIS), Checkov (CKV) and Trivy (TV).
	IDs []string `json:"ids"`
	// Severity ranks a failure.
	Severity Severity `json:"severity"`
	// NotImplemented, when set, says why no policy checks this control.
	NotImplemented string `json:"notImplemented,omitempty"`
}

// Implemented reports whether a built-in policy checks the control.
func (c Control) Implemented() bool { return c.NotImplemented == "" }

// ReferenceRows is the number of rows of the reference list: it numbers
// them 1-62 and has no row 59. TestCatalogueCoversTheReference counts the
// rows of third_party/reference/security-controls.md.
const ReferenceRows = 61

// Catalogue lists every reference row, in order, and the platform controls.
// A row with NotImplemented set is counted as not implemented, with its reason.
var Catalogue = []Control{
	{ID: "1", Title: "EKS API endpoint private only", IDs: []string{"SH EKS.1", "CIS 5.4.2", "CKV_AWS_39", "TV AWS-0040"}, Severity: Critical},
	{ID: "2", Title: "Public endpoint restricted to named CIDRs", IDs: []string{"CIS 5.4.1", "CKV_AWS_38", "TV AWS-0041"}, Severity: Critical},
	{ID: "3", Title: "Kubernetes secrets encrypted with a customer-managed KMS key", IDs: []string{"SH EKS.3", "CIS 5.3.1", "CKV_AWS_58", "TV AWS-0039"}, Severity: High},
	{ID: "4", Title: "All control-plane log types enabled", IDs: []string{"SH EKS.8", "CIS 2.1.1", "CKV_AWS_37", "TV AWS-0038"}, Severity: Medium},
	{ID: "5", Title: "Kubernetes version in EKS standard support, STANDARD support policy", IDs: []string{"SH EKS.2", "CKV_AWS_339"}, Severity: High},
	{ID: "6", Title: "Authentication mode API (access entries)", IDs: []string{"CIS 4.1.7", "CIS 5.5.1"}, Severity: Medium},
	{ID: "7", Title: "VPC DNS support and hostnames enabled", IDs: []string{"EKS private-endpoint requirement"}, Severity: High},
	{ID: "8", Title: "VPC CNI network policy enabled; default-deny NetworkPolicy in workload namespaces", IDs: []string{"CIS 4.3.1", "CIS 4.3.2"}, Severity: Medium},
	{ID: "9", Title: "IAM OIDC provider for the cluster issuer, audience sts.amazonaws.com", IDs: []string{"CIS 5.2.1"}, Severity: High},
	{ID: "10", Title: "IRSA trust pinned to service account and audience; no \"*\" principal", IDs: []string{"CIS 5.2.1", "CKV_AWS_60"}, Severity: Critical},
	{ID: "11", Title: "No wildcard actions or administrator policies", IDs: []string{"SH IAM.1", "SH IAM.21", "CKV_AWS_62", "CKV_AWS_63", "TV AWS-0057"}, Severity: High},
	{ID: "12", Title: "Policies attached to roles only, never users", IDs: []string{"SH IAM.2", "CKV_AWS_40"}, Severity: Medium},
	{ID: "13", Title: "No kms:Decrypt on all keys; key use scoped with kms:ViaService", IDs: []string{"SH KMS.1", "SH KMS.2"}, Severity: High},
	{ID: "14", Title: "Node groups in private subnets only", IDs: []string{"CIS 5.4.3", "SH EC2.9"}, Severity: High},
	{ID: "15", Title: "Launch templates require IMDSv2", IDs: []string{"SH EC2.170", "SH Autoscaling.3", "CKV_AWS_79", "TV AWS-0028", "TV AWS-0130"}, Severity: High},
	{ID: "16", Title: "Instance metadata hop limit 1", IDs: []string{"SH Autoscaling.4", "CKV_AWS_341"}, Severity: Medium},
	{ID: "17", Title: "Root volumes encrypted gp3 with the customer-managed key", IDs: []string{"SH EC2.3", "TV AWS-0131"}, Severity: High},
	{ID: "18", Title: "Account EBS encryption by default", IDs: []string{"SH EC2.7", "CKV_AWS_106"}, Severity: Medium,
		NotImplemented: "account-level setting the program declares unless accountEbsEncryptionByDefault=false (a shared account's deliberate opt-out, so not a guardrail; node volumes stay encrypted per launch template, row 17)"},
	{ID: "19", Title: "No SSH remote access to nodes", IDs: []string{"CKV_AWS_100"}, Severity: Medium},
	{ID: "20", Title: "Launch templates assign no public IP", IDs: []string{"SH EC2.25"}, Severity: High},
	{ID: "21", Title: "Node groups span 3 AZs; diversified spot; scale-to-zero; GPU taint", IDs: []string{"SH Autoscaling.2", "SH Autoscaling.6"}, Severity: Medium},
	{ID: "22", Title: "VPC flow logs capture ALL traffic", IDs: []string{"SH EC2.6", "CKV2_AWS_11", "TV AWS-0178"}, Severity: Medium},
	{ID: "23", Title: "Default security group has no rules", IDs: []string{"SH EC2.2", "CKV2_AWS_12", "TV AWS-0173"}, Severity: Medium},
	{ID: "24", Title: "Subnets do not map public IPs on launch", IDs: []string{"SH EC2.15", "CKV_AWS_130", "TV AWS-0164"}, Severity: Medium},
	{ID: "25", Title: "Only the load balancer admits 0.0.0.0/0, on 443/80", IDs: []string{"SH EC2.18", "SH EC2.19", "CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "TV AWS-0107"}, Severity: Critical},
	{ID: "26", Title: "Unrestricted egress only where documented", IDs: []string{"CKV_AWS_382", "TV AWS-0104"}, Severity: Low},
	{ID: "27", Title: "Security groups and rules have descriptions", IDs: []string{"CKV_AWS_23", "TV AWS-0099", "TV AWS-0124"}, Severity: Low},
	{ID: "28", Title: "S3 gateway VPC endpoint on the private route tables", IDs: []string{"SH EC2.10", "SH EC2.55", "SH EC2.56"}, Severity: Low},
	{ID: "29", Title: "Private default routes use the NAT gateway in their own AZ", IDs: []string{"CKV2_AWS_35", "reliability"}, Severity: Medium},
	{ID: "30", Title: "RDS storage encrypted with the customer-managed key", IDs: []string{"SH RDS.3", "CKV_AWS_16", "TV AWS-0080"}, Severity: High},
	{ID: "31", Title: "RDS Multi-AZ", IDs: []string{"SH RDS.5", "CKV_AWS_157"}, Severity: High},
	{ID: "32", Title: "RDS backups kept 7 days", IDs: []string{"SH RDS.11", "CKV_AWS_133", "TV AWS-0077"}, Severity: High},
	{ID: "33", Title: "RDS deletion protection, final snapshot, protected resource", IDs: []string{"SH RDS.8", "CKV_AWS_293", "TV AWS-0177"}, Severity: High},
	{ID: "34", Title: "RDS not publicly accessible, private subnet group", IDs: []string{"SH RDS.2", "SH RDS.18", "CKV_AWS_17", "TV AWS-0180"}, Severity: Critical},
	{ID: "35", Title: "RDS postgresql and upgrade logs exported", IDs: []string{"SH RDS.9", "SH RDS.36", "CKV_AWS_129"}, Severity: Medium},
	{ID: "36", Title: "RDS enhanced monitoring with a role", IDs: []string{"SH RDS.6", "CKV_AWS_118"}, Severity: Low},
	{ID: "37", Title: "RDS IAM database authentication", IDs: []string{"SH RDS.10", "CKV_AWS_161", "TV AWS-0176"}, Severity: Medium},
	{ID: "38", Title: "RDS automatic minor version upgrades", IDs: []string{"SH RDS.13", "CKV_AWS_226"}, Severity: Low},
	{ID: "39", Title: "RDS copies tags to snapshots", IDs: []string{"SH RDS.17", "CKV2_AWS_60"}, Severity: Low},
	{ID: "40", Title: "Performance Insights encrypted with the customer-managed key", IDs: []string{"CKV_AWS_353", "CKV_AWS_354", "TV AWS-0133", "TV AWS-0078"}, Severity: Low},
	{ID: "41", Title: "RDS forces TLS, current CA", IDs: []string{"CKV2_AWS_69", "CKV_AWS_211"}, Severity: High},
	{ID: "42", Title: "RDS logs slow statements", IDs: []string{"CKV2_AWS_30"}, Severity: Low},
	{ID: "43", Title: "RDS master user not postgres, password managed in Secrets Manager", IDs: []string{"SH RDS.23", "SH RDS.25"}, Severity: Medium},
	{ID: "44", Title: "S3 versioning enabled", IDs: []string{"SH S3.14", "CKV_AWS_21", "TV AWS-0090"}, Severity: High},
	{ID: "45", Title: "S3 public access block, all four flags", IDs: []string{"SH S3.1", "SH S3.2", "SH S3.3", "SH S3.8", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "TV AWS-0086", "TV AWS-0087", "TV AWS-0091", "TV AWS-0093", "TV AWS-0094"}, Severity: Critical},
	{ID: "46", Title: "S3 SSE-KMS with the customer-managed key and a bucket key", IDs: []string{"SH S3.17", "CKV_AWS_19", "CKV_AWS_145", "TV AWS-0088", "TV AWS-0132"}, Severity: High},
	{ID: "47", Title: "S3 bucket policy denies plain HTTP", IDs: []string{"SH S3.5"}, Severity: High},
	{ID: "48", Title: "S3 ownership BucketOwnerEnforced (no ACLs)", IDs: []string{"SH S3.12", "CKV2_AWS_65"}, Severity: Medium},
	{ID: "49", Title: "S3 lifecycle expires noncurrent versions, aborts uploads after 7 days", IDs: []string{"SH S3.10", "SH S3.13", "CKV2_AWS_61", "CKV_AWS_300"}, Severity: Low},
	{ID: "50", Title: "S3 server access logging", IDs: []string{"SH S3.9", "CKV_AWS_18"}, Severity: Low},
	{ID: "51", Title: "S3 bucket without force_destroy, protected against deletion", IDs: []string{"prod data safety"}, Severity: High},
	{ID: "52", Title: "ALB HTTPS listener with a TLS 1.2+ policy", IDs: []string{"SH ELB.18", "SH ELB.17", "CKV_AWS_2", "CKV_AWS_103", "TV AWS-0054", "TV AWS-0047"}, Severity: High},
	{ID: "53", Title: "ALB redirects port 80 to HTTPS", IDs: []string{"SH ELB.1"}, Severity: Medium},
	{ID: "54", Title: "ALB drops invalid header fields", IDs: []string{"SH ELB.4", "CKV_AWS_131"}, Severity: Medium},
	{ID: "55", Title: "ALB access logs to S3", IDs: []string{"SH ELB.5", "CKV_AWS_91"}, Severity: Low},
	{ID: "56", Title: "ALB deletion protection in prod", IDs: []string{"SH ELB.6", "CKV_AWS_150"}, Severity: Low},
	{ID: "57", Title: "ALB desync mitigation defensive or strictest", IDs: []string{"SH ELB.12", "CKV_AWS_328"}, Severity: Low},
	{ID: "58", Title: "ALB subnets in 3 AZs; UIs on an internal scheme", IDs: []string{"SH ELB.13"}, Severity: Medium},
	{ID: "60", Title: "Log groups kept 30 days, all platform log groups pre-created", IDs: []string{"CKV_AWS_66"}, Severity: Medium},
	{ID: "61", Title: "Log groups encrypted with the customer-managed key admitting CloudWatch Logs", IDs: []string{"CKV_AWS_158", "TV AWS-0017"}, Severity: Medium},
	{ID: "62", Title: "KMS rotation, 30-day deletion window, explicit policy, protected", IDs: []string{"SH KMS.3", "SH KMS.4", "CKV_AWS_7", "CKV_AWS_33", "CKV_AWS_227", "TV AWS-0065"}, Severity: High},
	// PSS is the reference's unnumbered section. Pod specs are rendered by
	// Helm at deploy time, outside the plan: the control checks the
	// namespace labels Pod Security Admission enforces them by.
	{ID: "PSS", Title: "Pod Security Standards restricted on every namespace; lower levels carry a named exemption", IDs: []string{"Kubernetes PSS restricted"}, Severity: High},
	{ID: "MLOPS-TAGS", Title: "Every AWS resource carries the platform's default tags", IDs: []string{"requirements: tagging"}, Severity: Medium},
}

// lookup returns the catalogue entry of a control ID.
func lookup(id string) (Control, bool) {
	for _, c := range Catalogue {
		if c.ID == id {
			return c, true
		}
	}
	return Control{}, false
}
