package spec

import (
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

// resolveWith resolves a stack with --set style overrides.
func resolveWith(t *testing.T, stack string, sets ...string) (*Spec, Errors, error) {
	t.Helper()
	o := Overrides{}
	for _, s := range sets {
		if err := o.ParseSet(s); err != nil {
			t.Fatalf("ParseSet(%q): %v", s, err)
		}
	}
	return Resolve(Input{Stack: stack, Overrides: o, Now: testNow})
}

const (
	devCidrs = "clusterEndpointPublicAccessCidrs=[81.2.69.0/24]" // an operator's office range
	prodCert = "ingress.certificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
)

func TestProfilesAreValid(t *testing.T) {
	for _, tc := range []struct {
		stack string
		sets  []string
	}{{"prod", []string{prodCert}}, {"dev", []string{devCidrs}}} {
		t.Run(tc.stack, func(t *testing.T) {
			s, warns, err := resolveWith(t, tc.stack, tc.sets...)
			if err != nil {
				t.Fatalf("default %s profile is invalid: %v", tc.stack, err)
			}
			if len(warns) != 0 {
				t.Errorf("default %s profile has warnings: %v", tc.stack, warns)
			}
			if s.ClusterName != "mlops-platform-"+tc.stack {
				t.Errorf("clusterName = %q", s.ClusterName)
			}
		})
	}
}

// TestValidationErrors proves every check fires and names its key.
func TestValidationErrors(t *testing.T) {
	cases := []struct {
		name  string
		stack string
		sets  []string
		path  string // the key the error must name
		want  string // a fragment of the message
	}{
		{"malformed vpc cidr", "prod", []string{"vpcCidr=10.100.0.0/33"}, "vpcCidr", "not an IPv4 CIDR"},
		{"vpc cidr with host bits", "prod", []string{"vpcCidr=10.100.0.1/16"}, "vpcCidr", "host bits"},
		{"vpc too large", "prod", []string{"vpcCidr=10.0.0.0/8"}, "vpcCidr", "between /16 and /28"},
		{"malformed subnet", "prod", []string{"privateSubnetCidrs=[10.100.0.0/19, nonsense, 10.100.64.0/19]"}, "privateSubnetCidrs[1]", "not an IPv4 CIDR"},
		{"overlapping subnets", "prod", []string{"publicSubnetCidrs=[10.100.96.0/24, 10.100.97.0/24, 10.100.0.0/24]"}, "publicSubnetCidrs[2]", "overlaps privateSubnetCidrs[0]"},
		{"subnet outside vpc", "prod", []string{"privateSubnetCidrs=[10.100.0.0/19, 10.100.32.0/19, 10.200.0.0/19]"}, "privateSubnetCidrs[2]", "outside vpcCidr"},
		{"malformed ALB subnet", "prod", []string{"albSubnetCidrs=[10.100.99.0/24, 10.100.100.0, 10.100.101.0/24]"}, "albSubnetCidrs[1]", "not an IPv4 CIDR"},
		{"ALB subnet overlaps", "prod", []string{"albSubnetCidrs=[10.100.99.0/24, 10.100.100.0/24, 10.100.96.0/25]"}, "albSubnetCidrs[2]", "overlaps publicSubnetCidrs[0]"},
		{"ALB subnet too small", "prod", []string{"albSubnetCidrs=[10.100.99.0/24, 10.100.100.0/24, 10.100.101.0/28]"}, "albSubnetCidrs[2]", "/27 or larger"},
		{"ALB subnet outside vpc", "prod", []string{"albSubnetCidrs=[10.100.99.0/24, 10.100.100.0/24, 10.101.0.0/24]"}, "albSubnetCidrs[2]", "outside vpcCidr"},
		{"internal ALBs without their subnets", "dev", []string{devCidrs, "ingress.scheme=internal"}, "albSubnetCidrs", "a subnet of their own in every availability zone"},
		{"ALB subnets with internet-facing ALBs", "dev", []string{devCidrs, "albSubnetCidrs=[10.0.99.0/24, 10.0.100.0/24, 10.0.101.0/24]"}, "albSubnetCidrs", "live in the public subnets"},
		{"malformed SNS topic", "prod", []string{"alerting.snsTopicArn=arn:aws:sqs:eu-west-1:123456789012:alerts"}, "alerting.snsTopicArn", "not an SNS topic ARN"},
		{"SNS topic of another region", "prod", []string{"alerting.snsTopicArn=arn:aws:sns:us-east-1:123456789012:alerts"}, "alerting.snsTopicArn", "not the stack's region"},
		{"malformed webhook Secret", "prod", []string{"alerting.webhookSecret=Alert_Hook"}, "alerting.webhookSecret", "not a Kubernetes Secret name"},
		{"webhook and SNS", "prod", []string{"alerting.webhookSecret=alert-hook", "alerting.snsTopicArn=arn:aws:sns:eu-west-1:123456789012:alerts"}, "alerting.webhookSecret", "not both"},
		{"subnet count differs from zones", "prod", []string{"publicSubnetCidrs=[10.100.96.0/24]"}, "publicSubnetCidrs", "one block per availability zone"},
		{"two zones in prod", "prod", []string{"availabilityZones=[eu-west-1a, eu-west-1b]", "privateSubnetCidrs=[10.100.0.0/19, 10.100.32.0/19]", "publicSubnetCidrs=[10.100.96.0/24, 10.100.97.0/24]", "albSubnetCidrs=[10.100.99.0/24, 10.100.100.0/24]"}, "availabilityZones", "at least 3"},
		{"one zone in dev", "dev", []string{devCidrs, "availabilityZones=[eu-west-1a]", "privateSubnetCidrs=[10.0.0.0/19]", "publicSubnetCidrs=[10.0.96.0/24]"}, "availabilityZones", "at least 2"},
		{"zone of another region", "prod", []string{"availabilityZones=[eu-west-1a, eu-west-1b, us-east-1a]"}, "availabilityZones[2]", "not a zone of region"},
		{"duplicate zone", "prod", []string{"availabilityZones=[eu-west-1a, eu-west-1b, eu-west-1a]"}, "availabilityZones[2]", "listed twice"},
		{"min above desired", "prod", []string{"nodeGroups.gpu.minSize=2", "nodeGroups.gpu.desiredSize=1"}, "nodeGroups.gpu", "minSize <= desiredSize <= maxSize"},
		{"desired above max", "dev", []string{devCidrs, "nodeGroups.training.desiredSize=5"}, "nodeGroups.training", "minSize <= desiredSize <= maxSize"},
		{"account EBS default in dev", "dev", []string{devCidrs, "accountEbsEncryptionByDefault=true"}, "accountEbsEncryptionByDefault", "account-wide singleton"},
		{"negative min", "prod", []string{"nodeGroups.training.minSize=-1"}, "nodeGroups.training.minSize", "negative"},
		{"group two minors below", "prod", []string{"kubernetesVersion=1.35", "nodeGroups.training.version=1.33"}, "nodeGroups.training.version", "or the minor below it"},
		{"group above the cluster", "prod", []string{"kubernetesVersion=1.35", "nodeGroups.gpu.version=1.36"}, "nodeGroups.gpu.version", "or the minor below it"},
		{"unknown ALB scheme", "prod", []string{"ingress.scheme=public"}, "ingress.scheme", "must be"},
		{"KMS window too short", "prod", []string{"kms.deletionWindowDays=6"}, "kms.deletionWindowDays", "between 7 and 30"},
		{"KMS window too long", "dev", []string{devCidrs, "kms.deletionWindowDays=31"}, "kms.deletionWindowDays", "between 7 and 30"},
		{"access logs under 90 days", "prod", []string{"accessLogs.expirationDays=30"}, "accessLogs.expirationDays", "at least 90"},
		{"no replicas", "dev", []string{devCidrs, "workloads.prometheus.replicas=0"}, "workloads.prometheus.replicas", "at least 1"},
		{"budget on one replica", "prod", []string{"workloads.mlflow.replicas=1"}, "workloads.mlflow.disruptionBudget", "blocks every node drain"},
		{"bad retention", "prod", []string{"workloads.prometheus.retention=15 days"}, "workloads.prometheus.retention", "Prometheus duration"},
		{"bad retention size", "prod", []string{"workloads.prometheus.retentionSize=45Gi"}, "workloads.prometheus.retentionSize", "Prometheus size"},
		{"bad volume size", "prod", []string{"workloads.grafana.storageSize=ten"}, "workloads.grafana.storageSize", "Kubernetes quantity"},
		{"unknown reclaim policy", "prod", []string{"workloads.storageReclaimPolicy=Recycle"}, "workloads.storageReclaimPolicy", "Retain or Delete"},
		{"bad quota quantity", "dev", []string{devCidrs, "workloads.quota.requestsMemory=lots"}, "workloads.quota.requestsMemory", "Kubernetes quantity"},
		{"zero quota quantity", "dev", []string{devCidrs, "workloads.quota.requestsCpu=0"}, "workloads.quota.requestsCpu", "positive"},
		{"negative quota count", "dev", []string{devCidrs, "workloads.quota.pods=-1"}, "workloads.quota.pods", "negative"},
		{"prod general below three", "prod", []string{"nodeGroups.general.minSize=2", "nodeGroups.general.desiredSize=2"}, "nodeGroups.general.minSize", "at least 3 general nodes"},
		{"bad capacity type", "prod", []string{"nodeGroups.gpu.capacityType=spot"}, "nodeGroups.gpu.capacityType", "ON_DEMAND or SPOT"},
		{"bad instance type", "prod", []string{"nodeGroups.general.instanceTypes=[m5 xlarge]"}, "nodeGroups.general.instanceTypes[0]", "not an EC2 instance type"},
		{"mixed architectures", "prod", []string{"nodeGroups.general.instanceTypes=[m7g.xlarge, m5.xlarge]"}, "nodeGroups.general.instanceTypes", "mixes arm64"},
		{"no instance types", "prod", []string{"nodeGroups.general.instanceTypes=[]"}, "nodeGroups.general.instanceTypes", "at least one"},
		{"prod public endpoint without cidrs", "prod", []string{"clusterEndpointPublicAccess=true"}, "clusterEndpointPublicAccessCidrs", "explicit CIDRs"},
		{"prod public endpoint open to all", "prod", []string{"clusterEndpointPublicAccess=true", "clusterEndpointPublicAccessCidrs=[0.0.0.0/0]"}, "clusterEndpointPublicAccessCidrs", "whole internet"},
		{"dev public endpoint without cidrs", "dev", nil, "clusterEndpointPublicAccessCidrs", "explicit CIDRs"},
		{"malformed endpoint cidr", "dev", []string{"clusterEndpointPublicAccessCidrs=[203.0.113.7/24]"}, "clusterEndpointPublicAccessCidrs[0]", "not a CIDR"},
		{"bad admin principal", "prod", []string{"clusterAdminPrincipals=[admin]"}, "clusterAdminPrincipals[0]", "not an IAM role or user ARN"},
		{"inference domain with underscore", "prod", []string{"kserveIngressDomain=infer_ence.example.com"}, "kserveIngressDomain", "not a DNS name"},
		{"inference domain single label", "prod", []string{"kserveIngressDomain=localhost"}, "kserveIngressDomain", "not a DNS name"},
		{"inference domain upper case", "prod", []string{"kserveIngressDomain=Inference.Example.com"}, "kserveIngressDomain", "not a DNS name"},
		{"retention CloudWatch refuses", "prod", []string{"logRetentionDays=31"}, "logRetentionDays", "not a retention CloudWatch Logs allows"},
		{"unknown top-level key", "prod", []string{"clusterNmae=x"}, "clusterNmae", "unknown key"},
		{"unknown nested key", "prod", []string{"nodeGroups.gpu.maxSise=3"}, "nodeGroups.gpu.maxSise", "unknown key"},
		{"unknown node group", "prod", []string{"nodeGroups.inference.minSize=1"}, "nodeGroups.inference", "unknown key"},
		{"not a number", "prod", []string{"nodeGroups.gpu.maxSize=four"}, "nodeGroups.gpu.maxSize", "whole number"},
		{"not a bool", "prod", []string{"database.multiAz=maybe"}, "database.multiAz", "true or false"},
		{"list where scalar expected", "prod", []string{"region=[eu-west-1]"}, "region", "single value"},
		{"scalar where list expected", "prod", []string{"availabilityZones=eu-west-1a"}, "availabilityZones", "must be a list"},
		{"unsupported kubernetes version", "prod", []string{"kubernetesVersion=1.99"}, "kubernetesVersion", "not a version EKS offers"},
		{"kubernetes version past extended support", "prod", []string{"kubernetesVersion=1.30"}, "kubernetesVersion", "left EKS extended support"},
		{"bad region", "prod", []string{"region=europe"}, "region", "not an AWS region"},
		{"bad cluster name", "prod", []string{"clusterName=-bad"}, "clusterName", "must start with a letter"},
		{"postgres version", "prod", []string{"database.engineVersion=12"}, "database.engineVersion", "not a PostgreSQL major"},
		{"db class", "prod", []string{"database.instanceClass=t3.medium"}, "database.instanceClass", "not an RDS instance class"},
		{"backup retention", "prod", []string{"database.backupRetentionDays=36"}, "database.backupRetentionDays", "between 0 and 35"},
		{"storage too small", "prod", []string{"database.allocatedStorageGb=10"}, "database.allocatedStorageGb", "between 20 and 65536"},
		{"aws tag prefix", "prod", []string{"tags.aws:owner=me"}, "tags.aws:owner", "may not start"},
		{"unknown profile", "staging", nil, "profile", "neither dev nor prod"},
		// Who reaches the private endpoint.
		{"prod private endpoint reachable by nobody", "prod", []string{"bastion.enabled=false"}, "clusterEndpointPrivateAccessCidrs", "bastion.enabled=true"},
		{"private access cidr malformed", "prod", []string{"clusterEndpointPrivateAccessCidrs=[10.8.0.1/16]"}, "clusterEndpointPrivateAccessCidrs[0]", "not an IPv4 CIDR"},
		{"private access security group malformed", "prod", []string{"clusterEndpointPrivateAccessSecurityGroups=[vpn]"}, "clusterEndpointPrivateAccessSecurityGroups[0]", "not a security group ID"},
		// Access entries need IAM role ARNs, not STS sessions.
		{"assumed-role session as admin", "prod", []string{"clusterAdminPrincipals=[arn:aws:sts::123456789012:assumed-role/platform-admin/alice]"}, "clusterAdminPrincipals[0]", "arn:aws:iam::123456789012:role/platform-admin"},
		{"assumed-role session as deployer", "prod", []string{"clusterDeployerPrincipal=arn:aws:sts::123456789012:assumed-role/ci-deployer/run-42"}, "clusterDeployerPrincipal", "arn:aws:iam::123456789012:role/ci-deployer"},
		{"deployer that is no IAM principal", "prod", []string{"clusterDeployerPrincipal=ci-deployer"}, "clusterDeployerPrincipal", "not an IAM role or user ARN"},
		// Every minor needs a reviewed add-on row.
		{"minor without add-on versions", "prod", []string{"kubernetesVersion=1.31"}, "kubernetesVersion", "add-on version table"},
		// A group has one shape.
		{"general mixes shapes", "prod", []string{"nodeGroups.general.instanceTypes=[m5.xlarge, m5.2xlarge]"}, "nodeGroups.general.instanceTypes", "differ"},
		{"gpu mixes gpu counts and sizes", "prod", []string{"nodeGroups.gpu.instanceTypes=[g5.xlarge, g4dn.2xlarge]"}, "nodeGroups.gpu.instanceTypes", "differ"},
		{"gpu type unknown to the shape table", "prod", []string{"nodeGroups.gpu.instanceTypes=[p5.48xlarge]"}, "nodeGroups.gpu.instanceTypes", "instance-shape table"},
		// GPU families the runtimes support (vLLM needs compute capability 8.0+).
		{"gpu family T4", "prod", []string{"nodeGroups.gpu.families=[g5, g4dn]"}, "nodeGroups.gpu.families", "GPU family g4dn is not supported: T4"},
		{"gpu family V100", "prod", []string{"nodeGroups.gpu.families=[p3]"}, "nodeGroups.gpu.families", "GPU family p3 is not supported: V100"},
		{"gpu family K80", "dev", []string{"nodeGroups.gpu.families=[p2]"}, "nodeGroups.gpu.families", "GPU family p2 is not supported: K80"},
		{"gpu family M60", "dev", []string{"nodeGroups.gpu.families=[g3]"}, "nodeGroups.gpu.families", "GPU family g3 is not supported: M60"},
		{"gpu family not a GPU", "prod", []string{"nodeGroups.gpu.families=[m5]"}, "nodeGroups.gpu.families", "m5 is not a GPU family"},
		{"gpu T4 instance type", "prod", []string{"nodeGroups.gpu.instanceTypes=[g4dn.xlarge]"}, "nodeGroups.gpu.families", "GPU family g4dn is not supported"},
		{"pool capacity type", "prod", []string{"nodeGroups.training.capacityTypes=[spot, reserved]"}, "nodeGroups.training.capacityTypes", `"reserved" is not spot or on-demand`},
		{"gpu group without a gpu", "prod", []string{"nodeGroups.gpu.instanceTypes=[m5.xlarge]"}, "nodeGroups.gpu.instanceTypes", "has no GPU"},
		// Derived names and public ranges.
		{"cluster name too long for RDS", "prod", []string{"clusterName=" + strings.Repeat("a", 57)}, "clusterName", "63 characters"},
		{"cluster name too long for the interruption rules", "prod", []string{"clusterName=" + strings.Repeat("a", 52)}, "clusterName", "EventBridge's 64 characters (65); use at most 51"},
		{"cluster name with upper case", "prod", []string{"clusterName=MLops"}, "clusterName", "lower-case"},
		{"cluster name starting with a digit", "prod", []string{"clusterName=9lives"}, "clusterName", "start with a letter"},
		{"cluster name with double hyphen", "prod", []string{"clusterName=ml--ops"}, "clusterName", "--"},
		{"cluster name with trailing hyphen", "prod", []string{"clusterName=mlops-"}, "clusterName", "--"},
		{"cluster name S3 reserves", "prod", []string{"clusterName=xn--mlops"}, "clusterName", "S3 reserves"},
		{"public cidr RFC 1918", "dev", []string{"clusterEndpointPublicAccessCidrs=[10.1.0.0/16]"}, "clusterEndpointPublicAccessCidrs[0]", "RFC 1918"},
		{"public cidr loopback", "dev", []string{"clusterEndpointPublicAccessCidrs=[127.0.0.1/32]"}, "clusterEndpointPublicAccessCidrs[0]", "loopback"},
		{"public cidr link-local", "dev", []string{"clusterEndpointPublicAccessCidrs=[169.254.169.254/32]"}, "clusterEndpointPublicAccessCidrs[0]", "link-local"},
		{"public cidr CGNAT", "dev", []string{"clusterEndpointPublicAccessCidrs=[100.64.0.0/10]"}, "clusterEndpointPublicAccessCidrs[0]", "carrier-grade NAT"},
		{"public cidr covering private space", "dev", []string{"clusterEndpointPublicAccessCidrs=[172.0.0.0/8]"}, "clusterEndpointPublicAccessCidrs[0]", "RFC 1918"},
		{"public cidr multicast", "dev", []string{"clusterEndpointPublicAccessCidrs=[224.0.0.0/24]"}, "clusterEndpointPublicAccessCidrs[0]", "multicast"},
		// Placeholders do not pass.
		{"documentation certificate", "prod", []string{"ingress.certificateArn=arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000"}, "ingress.certificateArn", "placeholder"},
		{"force destroy protected prod bucket", "prod", []string{"artifacts.forceDestroy=true"}, "artifacts.forceDestroy", "cannot be force-destroyed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := resolveWith(t, tc.stack, tc.sets...)
			errs, ok := err.(Errors)
			if !ok {
				t.Fatalf("want Errors naming %s, got %v", tc.path, err)
			}
			for _, e := range errs {
				if e.Path == tc.path && strings.Contains(e.Msg, tc.want) {
					return
				}
			}
			t.Errorf("no error at %s containing %q; got:\n%v", tc.path, tc.want, errs)
		})
	}
}

// TestAllErrorsReportedAtOnce checks that validation does not stop at the first problem.
// TestGroupVersionDuringAnUpgrade: a group may lag the control plane by
// one minor (upgrade rolls the groups one by one) or follow it.
func TestGroupVersionDuringAnUpgrade(t *testing.T) {
	for _, v := range []string{"1.34", "1.35"} {
		s, _, err := resolveWith(t, "prod", prodCert, "kubernetesVersion=1.35", "nodeGroups.training.version="+v)
		if err != nil || s.NodeGroups.Training.Version != v {
			t.Errorf("nodeGroups.training.version=%s: %v", v, err)
		}
	}
}

func TestAllErrorsReportedAtOnce(t *testing.T) {
	_, _, err := resolveWith(t, "prod", "vpcCidr=bad", "logRetentionDays=2", "kserveIngressDomain=x", "nodeGroups.gpu.minSize=9")
	errs, ok := err.(Errors)
	if !ok {
		t.Fatalf("want Errors, got %v", err)
	}
	paths := map[string]bool{}
	for _, e := range errs {
		paths[e.Path] = true
	}
	for _, p := range []string{"vpcCidr", "logRetentionDays", "kserveIngressDomain", "nodeGroups.gpu"} {
		if !paths[p] {
			t.Errorf("missing error for %s in %v", p, errs)
		}
	}
}

func TestWarnings(t *testing.T) {
	cases := []struct {
		name  string
		stack string
		sets  []string
		path  string
	}{
		{"dev open to the internet", "dev", []string{"clusterEndpointPublicAccessCidrs=[0.0.0.0/0]"}, "clusterEndpointPublicAccessCidrs"},
		{"extended support version", "prod", []string{"kubernetesVersion=1.33"}, "kubernetesVersion"},
		{"cidrs without public access", "prod", []string{"clusterEndpointPublicAccessCidrs=[203.0.113.0/24]"}, "clusterEndpointPublicAccessCidrs"},
		{"prod without a certificate", "prod", nil, "ingress.certificateArn"},
		{"backups off", "dev", []string{devCidrs, "database.backupRetentionDays=0"}, "database.backupRetentionDays"},
		{"internet-facing ALBs open to all", "prod", []string{"ingress.scheme=internet-facing", "albSubnetCidrs=[]"}, "ingress.scheme"},
		{"access logs shorter than logs", "prod", []string{"logRetentionDays=365"}, "accessLogs.expirationDays"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, warns, err := resolveWith(t, tc.stack, tc.sets...)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			for _, w := range warns {
				if w.Path == tc.path {
					return
				}
			}
			t.Errorf("no warning at %s; got %v", tc.path, warns)
		})
	}
}

func TestKubernetesSupport(t *testing.T) {
	cases := []struct {
		version string
		at      string
		want    SupportStatus
	}{
		{"1.35", "2026-11-29", SupportStandard},
		{"1.34", "2026-11-29", SupportStandard},
		{"1.34", "2026-12-02", SupportExtended},
		{"1.33", "2026-11-29", SupportExtended},
		{"1.31", "2026-11-29", SupportEnded},
		{"1.35", "2026-01-01", SupportUnknown},
		{"2.0", "2026-11-29", SupportUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.version+"@"+tc.at, func(t *testing.T) {
			if _, got := KubernetesSupport(tc.version, day(tc.at)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	if _, st := KubernetesSupport(DefaultKubernetesVersion, testNow); st != SupportStandard {
		t.Errorf("default version %s is in %s support on %s", DefaultKubernetesVersion, st, testNow.Format(time.DateOnly))
	}
}

// TestResolveRequiresAClock keeps time.Now out of Resolve: a caller that
// forgets the date gets an error, not a result that changes with the day.
func TestResolveRequiresAClock(t *testing.T) {
	if _, _, err := Resolve(Input{Stack: "dev"}); err == nil || !strings.Contains(err.Error(), "Input.Now") {
		t.Fatalf("Resolve without a date: err = %v, want one naming Input.Now", err)
	}
}

// TestSupportWindowFollowsTheClock pins two dates either side of the
// default version's end of extended support: the same spec validates on
// the first and fails on the second.
func TestSupportWindowFollowsTheClock(t *testing.T) {
	rel, _ := KubernetesSupport(DefaultKubernetesVersion, testNow)
	for _, tc := range []struct {
		now     time.Time
		wantErr bool
	}{
		{rel.EndOfExtended.AddDate(0, 0, -1), false},
		{rel.EndOfExtended.AddDate(0, 0, 1), true},
	} {
		_, _, err := Resolve(Input{Stack: "prod", Overrides: Overrides{"ingress": map[string]any{"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}}, Now: tc.now})
		if (err != nil) != tc.wantErr {
			t.Errorf("at %s: err = %v, want error %v", tc.now.Format(time.DateOnly), err, tc.wantErr)
		}
	}
}

// TestDocumentationRangesAreRefusedAtDeploy (review #16): a public-access
// CIDR in an RFC 5737 documentation range (the dev stack file's
// placeholder) admits no client. The spec validates with a warning, so a
// plan works; UnreachablePublicAccess, which preview and up apply, refuses
// it naming the key.
func TestDocumentationRangesAreRefusedAtDeploy(t *testing.T) {
	cases := []struct {
		cidrs string
		bad   []string
	}{
		{"[203.0.113.0/24]", []string{"clusterEndpointPublicAccessCidrs[0]"}},
		{"[81.2.69.0/24, 198.51.100.0/24, 192.0.2.128/25]", []string{"clusterEndpointPublicAccessCidrs[1]", "clusterEndpointPublicAccessCidrs[2]"}},
		{"[81.2.69.0/24]", nil},
	}
	for _, c := range cases {
		t.Run(c.cidrs, func(t *testing.T) {
			s, warns, err := resolveWith(t, "dev", "clusterEndpointPublicAccessCidrs="+c.cidrs)
			if err != nil {
				t.Fatalf("validation refused what only a deploy should: %v", err)
			}
			var got []string
			for _, e := range UnreachablePublicAccess(s) {
				got = append(got, e.Path)
				if !strings.Contains(e.Msg, "documentation range") || !strings.Contains(e.Msg, "clusterEndpointPublicAccessCidrs") {
					t.Errorf("message %q does not say why or which key to set", e.Msg)
				}
			}
			if strings.Join(got, " ") != strings.Join(c.bad, " ") {
				t.Errorf("refused %v, want %v", got, c.bad)
			}
			warned := 0
			for _, w := range warns {
				if strings.Contains(w.Msg, "documentation range") {
					warned++
				}
			}
			if warned != len(c.bad) {
				t.Errorf("%d warnings about documentation ranges, want %d", warned, len(c.bad))
			}
		})
	}
}
