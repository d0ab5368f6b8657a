package spec

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// CloudWatchRetentionDays are the only retention values CloudWatch Logs accepts
// (PutRetentionPolicy API reference).
var CloudWatchRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// MinProdAZs is the number of zones prod needs for HA (one NAT per zone, RDS
// Multi-AZ, node groups spread over three zones).
const MinProdAZs = 3

// MinProdGeneralNodes is the document's "3 (min) for HA".
const MinProdGeneralNodes = 3

var (
	regionRe        = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$`)
	clusterNameRe   = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)
	instanceTypeRe  = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[0-9a-z]+$`)
	dbClassRe       = regexp.MustCompile(`^db\.[a-z0-9-]+\.[0-9a-z]+$`)
	principalARNRe  = regexp.MustCompile(`^arn:aws(-[a-z]+)*:(iam|sts)::[0-9]{12}:(role|user|assumed-role)/[\w+=,.@/-]+$`)
	acmARNRe        = regexp.MustCompile(`^arn:aws(-[a-z]+)*:acm:([a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]):[0-9]{12}:certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	bucketNameRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	dnsLabelRe      = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	tagKeyForbidden = "aws:"
)

// Validate checks s and returns warnings and, if any check failed, every
// error at once. now is the date EKS support windows are judged against.
func Validate(s *Spec, now time.Time) (Errors, error) {
	var c collector
	validateIdentity(&c, s, now)
	validateNetwork(&c, s)
	validateEndpoint(&c, s)
	validateReachable(&c, s)
	validatePrivateAccess(&c, s)
	validateAdminPrincipals(&c, s)
	validateDerivedNames(&c, s)
	validateNodeGroups(&c, s)
	validateDatabase(&c, s)
	validateArtifacts(&c, s)
	validateIngress(&c, s)
	validateALB(&c, s)
	validateCharts(&c, s)
	validateLifecycle(&c, s)
	validateWorkloads(&c, s)
	validateAlerting(&c, s)
	if !slices.Contains(CloudWatchRetentionDays, s.LogRetentionDays) {
		c.errf("logRetentionDays", "%d is not a retention CloudWatch Logs allows (one of %v)", s.LogRetentionDays, CloudWatchRetentionDays)
	}
	validateTags(&c, s.Tags)
	validateAccountDefaults(&c, s)
	validateAWS(&c, s.AWS)
	validateDeploy(&c, s)
	return c.warns, c.err()
}

func validateIdentity(c *collector, s *Spec, now time.Time) {
	if !regionRe.MatchString(s.Region) {
		c.errf("region", "%q is not an AWS region name such as eu-west-1", s.Region)
	}
	if !clusterNameRe.MatchString(s.ClusterName) {
		c.errf("clusterName", "%q must start with a letter or digit and hold at most 100 letters, digits, '-' or '_'", s.ClusterName)
	}
	rel, st := KubernetesSupport(s.KubernetesVersion, now)
	switch st {
	case SupportUnknown:
		c.errf("kubernetesVersion", "%q is not a version EKS offers; choose one of %v", s.KubernetesVersion, OfferedKubernetesVersions(now))
	case SupportEnded:
		c.errf("kubernetesVersion", "%s left EKS extended support on %s; choose one of %v", s.KubernetesVersion, rel.EndOfExtended.Format(time.DateOnly), OfferedKubernetesVersions(now))
	case SupportExtended:
		c.warnf("kubernetesVersion", "%s is in EKS extended support since %s ($0.60 per cluster-hour instead of $0.10); upgrade", s.KubernetesVersion, rel.EndOfStandard.Format(time.DateOnly))
	}
	if _, ok := AddonVersions[s.KubernetesVersion]; !ok && st != SupportUnknown {
		c.errf("kubernetesVersion", "%s has no row in the reviewed add-on version table (AddonVersions in internal/spec/versions.go); add the EKS add-on versions for it first", s.KubernetesVersion)
	}
}

func validateNodeGroups(c *collector, s *Spec) {
	type group struct {
		name string
		ng   NodeGroup
	}
	var groups []group
	for _, name := range NodeGroupNames {
		ng, _ := s.NodeGroups.ByName(name)
		groups = append(groups, group{name, *ng})
	}
	for _, g := range groups {
		p := "nodeGroups." + g.name
		if len(g.ng.InstanceTypes) == 0 {
			c.errf(p+".instanceTypes", "at least one instance type is required")
		}
		for i, t := range g.ng.InstanceTypes {
			if !instanceTypeRe.MatchString(t) {
				c.errf(fmt.Sprintf("%s.instanceTypes[%d]", p, i), "%q is not an EC2 instance type such as m5.xlarge", t)
			}
		}
		if _, ok := GroupArch(g.ng.InstanceTypes); !ok {
			c.errf(p+".instanceTypes", "mixes arm64 (Graviton) and x86_64 types; a node group runs one AMI architecture")
		}
		if g.ng.CapacityType != CapacityOnDemand && g.ng.CapacityType != CapacitySpot {
			c.errf(p+".capacityType", "must be %s or %s, got %q", CapacityOnDemand, CapacitySpot, g.ng.CapacityType)
		}
		if g.ng.MinSize < 0 {
			c.errf(p+".minSize", "must not be negative")
		}
		if g.ng.MaxSize < 1 {
			c.errf(p+".maxSize", "must be at least 1")
		}
		if !(g.ng.MinSize <= g.ng.DesiredSize && g.ng.DesiredSize <= g.ng.MaxSize) {
			c.errf(p, "sizes must satisfy minSize <= desiredSize <= maxSize, got %d <= %d <= %d", g.ng.MinSize, g.ng.DesiredSize, g.ng.MaxSize)
		}
		validateShape(c, p, g.name == "gpu", g.ng.InstanceTypes)
		validatePool(c, p, g.name, g.ng)
		if v := g.ng.Version; v != "" && v != s.KubernetesVersion && !oneMinorBelow(v, s.KubernetesVersion) {
			c.errf(p+".version", "must be kubernetesVersion (%s) or the minor below it while an upgrade rolls the node groups, got %q", s.KubernetesVersion, v)
		}
		if g.ng.DiskSizeGb < 20 || g.ng.DiskSizeGb > 16384 {
			c.errf(p+".diskSizeGb", "must be between 20 and 16384, got %d", g.ng.DiskSizeGb)
		}
	}
	if s.IsProd() && s.NodeGroups.General.MinSize < MinProdGeneralNodes {
		c.errf("nodeGroups.general.minSize", "prod needs at least %d general nodes for HA, got %d", MinProdGeneralNodes, s.NodeGroups.General.MinSize)
	}
	if s.NodeGroups.General.MinSize < 1 {
		c.errf("nodeGroups.general.minSize", "the general group runs the platform and cannot scale to zero")
	}
}

// validateShape rejects a group whose types differ in shape, and a GPU
// group whose accelerator the autoscaler could not be told.
func validateShape(c *collector, p string, gpu bool, types []string) {
	if len(types) == 0 {
		return
	}
	shape, ok, reason := GroupShape(types)
	switch {
	case !ok && (len(types) > 1 || gpu):
		c.errf(p+".instanceTypes", "%s", reason)
	case ok && gpu && shape.GPUs == 0:
		c.errf(p+".instanceTypes", "%s has no GPU", types[0])
	}
}

func validateDatabase(c *collector, s *Spec) {
	d := s.Database
	if !slices.Contains(SupportedPostgresVersions, d.EngineVersion) {
		c.errf("database.engineVersion", "%q is not a PostgreSQL major RDS supports; choose one of %v", d.EngineVersion, SupportedPostgresVersions)
	}
	if !dbClassRe.MatchString(d.InstanceClass) {
		c.errf("database.instanceClass", "%q is not an RDS instance class such as db.t3.medium", d.InstanceClass)
	}
	if d.BackupRetentionDays < 0 || d.BackupRetentionDays > 35 {
		c.errf("database.backupRetentionDays", "must be between 0 and 35, got %d", d.BackupRetentionDays)
	} else if d.BackupRetentionDays == 0 {
		c.warnf("database.backupRetentionDays", "0 turns automated backups off")
	}
	if d.AllocatedStorageGb < 20 || d.AllocatedStorageGb > 65536 {
		c.errf("database.allocatedStorageGb", "gp3 storage must be between 20 and 65536 GB, got %d", d.AllocatedStorageGb)
	}
	if d.MaxAllocatedStorageGb != 0 && d.MaxAllocatedStorageGb < d.AllocatedStorageGb {
		c.errf("database.maxAllocatedStorageGb", "must be 0 (no autoscaling) or at least allocatedStorageGb (%d), got %d", d.AllocatedStorageGb, d.MaxAllocatedStorageGb)
	}
}

func validateArtifacts(c *collector, s *Spec) {
	if s.Artifacts.NoncurrentVersionExpirationDays < 1 {
		c.errf("artifacts.noncurrentVersionExpirationDays", "must be at least 1, got %d", s.Artifacts.NoncurrentVersionExpirationDays)
	}
	if s.IsProd() && s.Artifacts.ForceDestroy && s.ProtectStatefulResources {
		c.errf("artifacts.forceDestroy", "a protected prod bucket cannot be force-destroyed")
	}
}

// validateAccountDefaults refuses account-wide EBS encryption by default in
// dev. The setting is one per account and region (EBS guide, "Encryption by
// default"), so a dev stack that shares the account with prod would replace
// prod's default key on deploy and turn the setting off on destroy.
func validateAccountDefaults(c *collector, s *Spec) {
	if !s.IsProd() && s.AccountEbsEncryptionByDefault {
		c.errf("accountEbsEncryptionByDefault", "is an account-wide singleton (one per account and region) that a dev stack would change for every other stack and workload there; manage it from prod or outside the platform")
	}
}

// validateIngress checks the certificate ARN (an ACM ARN in the stack's own
// region, as an ALB listener requires) and the access-log bucket name.
func validateIngress(c *collector, s *Spec) {
	arn := s.Ingress.CertificateArn
	switch m := acmARNRe.FindStringSubmatch(arn); {
	case arn == "" && s.IsProd():
		c.warnf("ingress.certificateArn", "not set: prod ALBs would serve plain HTTP, so guardrails 52 and 53 are pending and a deploy refuses until it names an ACM certificate")
	case arn == "":
	case m == nil:
		c.errf("ingress.certificateArn", "%q is not an ACM certificate ARN such as arn:aws:acm:%s:123456789012:certificate/<uuid>", arn, s.Region)
	case isPlaceholderARN(arn):
		c.errf("ingress.certificateArn", "%q is a documentation placeholder, not a certificate of yours; set the ARN of your ACM certificate or leave the key unset", arn)
	case m[2] != s.Region:
		c.errf("ingress.certificateArn", "the certificate is in %s; an ALB in %s needs one from its own region", m[2], s.Region)
	}
	if b := s.Ingress.AccessLogsBucket; b != "" && (!bucketNameRe.MatchString(b) || strings.Contains(b, "..")) {
		c.errf("ingress.accessLogsBucket", "%q is not an S3 bucket name", b)
	}
}

func validateTags(c *collector, tags map[string]string) {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := tags[k]
		p := "tags." + k
		switch {
		case k == "" || len(k) > 128:
			c.errf(p, "tag keys must be 1 to 128 characters")
		case strings.HasPrefix(strings.ToLower(k), tagKeyForbidden):
			c.errf(p, "tag keys may not start with %q", tagKeyForbidden)
		}
		if len(v) > 256 {
			c.errf(p, "tag values must be at most 256 characters")
		}
	}
}

// placeholderAccounts are account IDs that only examples use (111122223333
// is the AWS documentation's); an ARN in them, or with an all-zero
// certificate ID, was copied from an example. 123456789012 is not listed:
// it is the offline engine's account.
var placeholderAccounts = []string{":111122223333:", ":000000000000:"}

func isPlaceholderARN(arn string) bool {
	if strings.HasSuffix(arn, "/00000000-0000-0000-0000-000000000000") {
		return true
	}
	for _, a := range placeholderAccounts {
		if strings.Contains(arn, a) {
			return true
		}
	}
	return false
}

// oneMinorBelow reports whether v is the Kubernetes minor just below of.
func oneMinorBelow(v, of string) bool {
	a, aok := minor(v)
	b, bok := minor(of)
	return aok && bok && a+1 == b
}
